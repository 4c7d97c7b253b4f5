import datetime

import pytest

from finsam.models import Roll
from tests.factories import ForbundFactory, InsatsFactory, MedlemFactory, RollFactory, UserFactory
from uppfoljning.models import Paminnelse, Rapport
from uppfoljning.rapporter.reminders import send_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def rapport():
    forbund = ForbundFactory(slug="uppsala", report_due_days=30)
    owner = MedlemFactory(forbund=forbund, name="Uppsala kommun")
    other = MedlemFactory(forbund=forbund, name="Region Uppsala")
    for email, medlem in (("agare@example.se", owner), ("annan@example.se", other)):
        RollFactory(
            forbund=forbund,
            kind=Roll.Kind.INSATSAGARE,
            medlem=medlem,
            user=UserFactory(email=email),
        )
    RollFactory(forbund=forbund, kind=Roll.Kind.KANSLI, user=UserFactory(email="kansli@example.se"))
    insats = InsatsFactory(
        forbund=forbund,
        agare=owner,
        name="Steget vidare",
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
    )
    return Rapport.objects.get(
        insats=insats, kind="kvartal", period_start=datetime.date(2026, 1, 1)
    )


def test_reminder_before_due_then_late_once_each(rapport, smtp_inbox):
    assert rapport.due_date == datetime.date(2026, 4, 30)
    assert send_reminders(datetime.date(2026, 4, 1)) == 0  # too early
    assert send_reminders(datetime.date(2026, 4, 25)) == 1
    [mail] = smtp_inbox.wait_for(1)
    assert mail["To"] == "agare@example.se"  # the owner's contact only
    assert "Påminnelse om rapport: Steget vidare" in mail["Subject"]
    assert "30 april 2026" in mail.get_content()
    # beat fires again: nothing twice
    assert send_reminders(datetime.date(2026, 4, 26)) == 0
    assert send_reminders(datetime.date(2026, 5, 2)) == 1
    mails = smtp_inbox.wait_for(2)
    assert "Försenad rapport: Steget vidare" in mails[1]["Subject"]
    assert send_reminders(datetime.date(2026, 5, 3)) == 0
    assert Paminnelse.objects.filter(rapport=rapport).count() == 2
    assert len(smtp_inbox.messages) == 2


def test_submitted_report_is_not_reminded(rapport, smtp_inbox):
    Rapport.objects.filter(insats=rapport.insats).update(status=Rapport.Status.INSKICKAD)
    assert send_reminders(datetime.date(2026, 5, 2)) == 0
    assert smtp_inbox.messages == []


def test_failed_mail_is_tried_again(rapport, settings, monkeypatch):
    from uppfoljning.rapporter import reminders

    def broken(*args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr(reminders, "_send", broken)
    assert send_reminders(datetime.date(2026, 4, 25)) == 0
    assert not Paminnelse.objects.exists()
    monkeypatch.undo()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_reminders(datetime.date(2026, 4, 25)) == 1
