"""The minutes' PDF, read back: attendance, quorum, jäv, decisions, § numbers."""

import io
import time

import pytest
from pypdf import PdfReader

from finsam.meetings.workflow import quorum
from finsam.minutes import workflow
from finsam.models import Arende, Dokument, Handelse, Jav


def pdf_text(dokument):
    with dokument.file.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_quorum_counts_serving_deputies_and_not_those_with_jav(meeting, seats):
    item = meeting.arenden.get(number=3)
    result = quorum(item)
    assert (result.seats, result.required) == (4, 3)
    assert len(result.present_voting) == 3  # Eva, Jonas, Helena serving for Bengt; not Ingrid (jäv)
    assert result.has_quorum
    assert result.jav == [seats["Ingrid Falk"]]


def test_quorum_is_lost_when_too_many_have_jav(meeting, seats):
    item = meeting.arenden.get(number=3)
    Jav.objects.create(arende=item, ledamot=seats["Jonas Ekberg"], reason="Styrelseledamot")
    assert not quorum(item).has_quorum


def test_the_minutes_hold_attendance_quorum_jav_and_decisions(minutes_pdf):
    text = pdf_text(minutes_pdf)
    assert "Protokoll" in text
    for name in ("Eva Granqvist", "Ingrid Falk", "Jonas Ekberg"):
        assert name in text
    assert "Helena Forsberg" in text and "tjänstgör för Bengt Mattsson" in text
    assert "Ersättare (ej tjänstgörande)" in text and "Nils Åkesson" in text
    assert "Rolf Revisor, revisor" in text
    assert "Karin Kansli, förbundschef (sekreterare)" in text
    assert "§ 43 Ansökan Unga vuxna i arbete" in text
    assert "§ 42 Val av justerare" in text
    assert "Diarienummer 2026/14" in text
    assert "Beslutförhet: 3 av 4 ordinarie platser deltar (minst 3 krävs)" in text
    assert "Jäv: Ingrid Falk (Anställd hos sökanden)" in text
    assert "Beslut: Beviljas delvis" in text
    assert "250 000" in text and "200 000" in text
    assert "Villkor: Insatsen rapporterar kvartalsvis." in text
    assert "Reservation: Jonas Ekberg reserverar sig" in text
    assert "Ordförande: Eva Granqvist" in text and "Justerare: Jonas Ekberg" in text


def test_the_minutes_are_made_only_of_a_held_meeting(protokoll, kansli):
    meeting = protokoll.sammantrade
    type(meeting).objects.filter(pk=meeting.pk).update(status="kallat")
    meeting.refresh_from_db()
    with pytest.raises(workflow.MinutesError, match="genomfört"):
        workflow.start_minutes_pdf(meeting, user=kansli)


def test_making_the_minutes_is_on_the_meetings_history(minutes_pdf, meeting):
    assert Handelse.objects.filter(subject_id=meeting.pk, action="protokoll skapat").exists()
    assert minutes_pdf.kind == Dokument.Kind.PROTOKOLL
    assert not minutes_pdf.archived


def test_kansli_asks_for_the_minutes_on_the_page(
    client, kansli, protokoll, media, django_capture_on_commit_callbacks
):
    client.force_login(kansli)
    url = f"/uppsala/sammantraden/{protokoll.sammantrade_id}/protokoll/"
    assert "Skapa protokoll (PDF)" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{url}pdf/").status_code == 302
    page = client.get(url).content.decode()
    assert "version 1" in page and "SHA-256" in page
    dokument = workflow.current_document(protokoll)
    download = client.get(f"{url}fil/{dokument.pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"


def test_information_items_have_no_quorum_line(minutes_pdf, meeting):
    assert meeting.arenden.get(number=1).kind == Arende.Kind.INFORMATION
    text = pdf_text(minutes_pdf)
    opening = text.split("§ 41 Mötets öppnande", 1)[1].split("§ 42", 1)[0]
    assert "Beslutförhet" not in opening


def test_reported_delegated_decisions_are_in_the_minutes(
    protokoll, forbund, kansli, media, django_capture_on_commit_callbacks
):
    from finsam.models import Beslut

    Beslut.objects.create(
        forbund=forbund,
        date=protokoll.sammantrade.date,
        text="Förbundschefen beviljar Sommarjobb 80 000 kr enligt delegation.",
        delegated=True,
        diarienummer="2026/30",
        reported_at=protokoll.sammantrade,
    )
    with django_capture_on_commit_callbacks(execute=True):
        dokument = workflow.start_minutes_pdf(protokoll.sammantrade, user=kansli)
    dokument.refresh_from_db()
    text = pdf_text(dokument)
    assert "Anmälda delegationsbeslut" in text
    assert "dnr 2026/30: Förbundschefen beviljar Sommarjobb" in text


def test_a_worker_makes_the_minutes(protokoll, kansli, celery_worker):
    """On CI the task travels through Redis to a real worker, which writes the PDF."""
    dokument = workflow.start_minutes_pdf(protokoll.sammantrade, user=kansli)
    deadline = time.monotonic() + 60
    dokument.refresh_from_db()
    while dokument.status not in (Dokument.Status.DONE, Dokument.Status.FAILED):
        assert time.monotonic() < deadline, f"Inte klart: status {dokument.status}."
        time.sleep(0.05)
        dokument.refresh_from_db()
    assert dokument.status == Dokument.Status.DONE, dokument.error
    text = pdf_text(dokument)
    assert "Beslutförhet: 3 av 4 ordinarie platser deltar (minst 3 krävs)" in text
    assert "Jäv: Ingrid Falk (Anställd hos sökanden)" in text
