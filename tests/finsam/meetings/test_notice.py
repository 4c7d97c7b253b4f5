import io
import time

import pytest
from django.db import transaction
from pypdf import PdfReader

from finsam.agenda import add_item
from finsam.meetings import workflow
from finsam.models import Dokument, Handelse, KallelseUtskick, Sammantrade
from tests.conftest import mail_body


def pdf_text(dokument):
    dokument.refresh_from_db()
    with dokument.file.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def wait_for(dokument, timeout=60):
    """Poll the row (on CI the worker runs elsewhere) until the document is done or failed."""
    deadline = time.monotonic() + timeout
    dokument.refresh_from_db()
    while dokument.status not in (Dokument.Status.DONE, Dokument.Status.FAILED):
        if time.monotonic() > deadline:
            pytest.fail(f"Kallelsen blev inte klar på {timeout} s (status {dokument.status}).")
        time.sleep(0.05)
        dokument.refresh_from_db()
    return dokument


@pytest.fixture
def agenda(meeting, item, ansokan):
    workflow.add_standing_items(sammantrade=meeting, user=None)
    return meeting


def test_the_notice_lists_the_items_and_mails_each_board_member_once(
    client, kansli, board, agenda, celery_worker, smtp_inbox
):
    client.force_login(kansli)

    response = client.post(f"/uppsala/sammantraden/{agenda.pk}/kallelse/")

    assert response.status_code == 302
    messages = smtp_inbox.wait_for(4)  # Heby, Tierp, Region, the Heby deputy; Enköping has none
    assert sorted(m["To"] for m in messages) == [
        "anna@heby.se",
        "bo@tierp.se",
        "cia@region.se",
        "eva@heby.se",
    ]
    body = mail_body(messages[0])
    assert f"http://testserver/uppsala/sammantraden/{agenda.pk}/" in body
    assert "Kallelse: styrelsemöte 2026-09-15" in messages[0]["Subject"]

    dokument = wait_for(Dokument.objects.get(kind=Dokument.Kind.KALLELSE))
    assert dokument.status == Dokument.Status.DONE
    assert dokument.subject == agenda
    with dokument.file.open("rb") as f:
        assert dokument.checksum == Dokument.sha256(f.read())
    text = pdf_text(dokument)
    for title in ("Mötets öppnande", "Val av justerare", "Ansökan Steget vidare", "Övriga frågor"):
        assert title in text
    assert "Stöd till unga vuxna" in text  # the application's summary
    assert "Kansliet föreslår att ansökan beviljas delvis." in text
    assert "400 000" in text.replace("\u00a0", " ")

    agenda.refresh_from_db()
    assert agenda.status == Sammantrade.Status.KALLAT
    assert agenda.notice_sent_at is not None
    # The items have their § numbers, in agenda order.
    assert list(agenda.arenden.order_by("number").values_list("paragraf", flat=True)) == list(
        range(1, 11)
    )
    assert Handelse.objects.filter(action="kallelse skickad").count() == 1

    # Pressed again: a new version of the PDF, and no second mail.
    client.post(f"/uppsala/sammantraden/{agenda.pk}/kallelse/")
    second = wait_for(Dokument.objects.filter(kind=Dokument.Kind.KALLELSE).order_by("pk").last())
    assert (second.version, second.status) == (2, Dokument.Status.DONE)
    time.sleep(0.5)  # the worker's mail task after the PDF: give a second mail time to arrive
    assert KallelseUtskick.objects.filter(sammantrade=agenda).count() == 4
    assert KallelseUtskick.objects.filter(sent_at__isnull=True).count() == 0
    assert len(smtp_inbox.messages) == 4


def test_a_seat_given_an_email_later_gets_its_notice_at_the_next_press(
    kansli, board, agenda, celery_worker, smtp_inbox
):
    with transaction.atomic():
        workflow.send_notice(sammantrade=agenda, user=kansli, base_url="https://finsam.example/")
    smtp_inbox.wait_for(4)
    board["enkoping"].email = "dan@enkoping.se"
    board["enkoping"].save()
    with transaction.atomic():
        workflow.send_notice(sammantrade=agenda, user=kansli, base_url="https://finsam.example/")
    messages = smtp_inbox.wait_for(5)
    assert messages[4]["To"] == "dan@enkoping.se"
    assert len(smtp_inbox.messages) == 5


def test_an_empty_agenda_is_not_sent(client, kansli, meeting):
    client.force_login(kansli)
    response = client.post(f"/uppsala/sammantraden/{meeting.pk}/kallelse/", follow=True)
    assert "Dagordningen är tom" in response.content.decode()
    assert not Dokument.objects.exists()


def test_a_postponed_item_is_noted_in_the_next_notice(meeting, next_meeting, item):
    from finsam.meetings.notice import notice_html

    with transaction.atomic():
        add_item(next_meeting, title=item.title, postponed_from=item)
    html = notice_html(next_meeting)
    assert "bordlagt 2026-09-15" in html
