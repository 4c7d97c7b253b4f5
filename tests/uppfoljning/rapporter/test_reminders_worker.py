"""The reminder job as beat runs it: a task on a real Celery worker (Redis on CI),
mail over SMTP to a real test server whose inbox the test reads."""

import pytest

from uppfoljning.models import Paminnelse
from uppfoljning.rapporter.tasks import create_due_reports_task, send_report_reminders

from .test_reminders import rapport  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_beat_job_on_a_worker_mails_once_per_step(rapport, celery_worker, smtp_inbox):  # noqa: F811
    create_due_reports_task.delay()  # idempotent: the insats's reports exist already
    # beat fires twice for the same day, then again after the due date
    send_report_reminders.delay("2026-04-25")
    send_report_reminders.delay("2026-04-25")
    send_report_reminders.delay("2026-05-02")

    # One worker takes the tasks in order: once the late mail is in, all three ran.
    before = smtp_inbox.wait_for_mail_to("agare@example.se", "Påminnelse om rapport")
    assert "30 april 2026" in before.get_content()
    smtp_inbox.wait_for_mail_to("agare@example.se", "Försenad rapport")
    assert len(smtp_inbox.messages) == 2
    assert set(Paminnelse.objects.filter(rapport=rapport).values_list("step", flat=True)) == {
        Paminnelse.Step.FORE,
        Paminnelse.Step.SEN,
    }
