"""The "Uppföljning till styrelsen" PDF: made on a real worker, read back from the file."""

import datetime
import hashlib
import io
import re

import pytest
from pypdf import PdfReader

from finsam.models import Dokument
from tests.budget.test_plan_pdf import plain, wait_for
from uppfoljning.foljning import indicators
from uppfoljning.foljning.tasks import start_uppfoljning_pdf

from .fixtures import plan_with_targets, two_insatser

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("uppfoljning.foljning.indicators.current_date", lambda: TODAY)


def text_of(content):
    return "\n".join(plain(page.extract_text()) for page in PdfReader(io.BytesIO(content)).pages)


def line(text, *cells):
    r"""A row of a table in the PDF's text: its cells in order, one space apart."""
    return re.search(r"^" + r" ".join(re.escape(str(c)) for c in cells) + r"$", text, re.M)


def test_the_task_makes_the_pdf_with_the_figures_and_the_hidden_cells(
    celery_worker, forbund, heby, tierp, kansli
):
    two_insatser(forbund, heby, tierp)
    plan_with_targets(forbund)
    period = indicators.Period.of(2026, "h1", TODAY)

    dokument = wait_for(start_uppfoljning_pdf(forbund, period, user=kansli))

    assert dokument.status == Dokument.Status.DONE, dokument.error
    assert dokument.kind == Dokument.Kind.UPPFOLJNING
    assert dokument.title == "Uppföljning till styrelsen 2026, första halvåret"
    content = dokument.file.read()
    assert hashlib.sha256(content).hexdigest() == dokument.checksum
    text = text_of(content)
    assert "Samordningsförbundet Uppsala län" in text
    assert "2026-01-01–2026-06-30" in text
    # The participants table: new, active, ended for women, men and all.
    assert line(text, "Förbundet", 17, 20, 37, 27, 26, 53, 13, 16, 29), text
    assert line(text, "Alfa Heby", "..", "..", 28, 18, 14, 32, "..", "..", 22), text
    assert line(text, "Beta Tierp", "..", "..", 9, 9, 12, 21, "..", "..", 7), text
    # Reasons, shares, the targets in words.
    assert line(text, "Avslutade till studier", "..", "..", ".."), text
    assert line(text, "Förbundet", "62 %", "50 %", "55 %", "..", "..", "24 %"), text
    assert "Ej uppnått" in text and "Kan inte bedömas" in text and "Uppnått" in text
    # The charts' own text: hidden values have their label and no bar.
    assert "Aktiva deltagare vid periodens slut per insats och kön" in text
    assert "K 18" in text and "M 14" in text


def test_the_readers_download_it_an_insatsagare_does_not(
    client, forbund, heby, tierp, kansli, styrelse, agare, media, eager_tasks,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    two_insatser(forbund, heby, tierp)
    client.force_login(kansli)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/uppsala/uppfoljning/pdf/", {"ar": "2026", "period": "ar"})

    assert response.status_code == 302
    dokument = Dokument.objects.get()
    assert dokument.status == Dokument.Status.DONE, dokument.error
    assert dokument.title == "Uppföljning till styrelsen 2026, helåret"
    client.force_login(styrelse)
    html = client.get("/uppsala/uppfoljning/").content.decode()
    assert "Uppföljning till styrelsen 2026, helåret, version 1" in html
    assert "Skapa PDF" not in html
    download = client.get(f"/uppsala/dokument/{dokument.pk}/fil/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(agare)
    assert client.get(f"/uppsala/dokument/{dokument.pk}/fil/").status_code == 403


def test_htmx_gets_the_panel_back_with_the_new_document(client, forbund, kansli, media):
    client.force_login(kansli)

    response = client.post(
        "/uppsala/uppfoljning/pdf/", {"ar": "2026", "period": "h2"}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert 'id="uppfoljning-pdf"' in html
    assert "Uppföljning till styrelsen 2026, andra halvåret, version 1" in html
    assert "I kö" in html


def test_the_pdf_is_for_a_half_year_or_a_year(client, forbund, kansli, media, eager_tasks):
    client.force_login(kansli)

    response = client.post(
        "/uppsala/uppfoljning/pdf/", {"ar": "2026", "period": "hittills"}, follow=True
    )

    assert "halvår eller ett helt år" in response.content.decode()
    response = client.post("/uppsala/uppfoljning/pdf/", {"ar": "1e3", "period": "h1"}, follow=True)
    assert "PDF:en kunde inte beställas" in response.content.decode()
    assert not Dokument.objects.exists()


def test_a_failed_pdf_says_why_on_the_page(
    client, forbund, kansli, media, eager_tasks, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("uppfoljning.foljning.tasks.followup_html", broken)
    client.force_login(kansli)

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/uppsala/uppfoljning/pdf/", {"ar": "2026", "period": "h1"})

    dokument = Dokument.objects.get()
    assert dokument.status == Dokument.Status.FAILED
    html = client.get("/uppsala/uppfoljning/").content.decode()
    assert "Misslyckades" in html and "Ett oväntat fel inträffade" in html


def test_the_task_has_the_pdf_tasks_limits_and_queue(settings):
    from uppfoljning.foljning.tasks import generate_uppfoljning_pdf

    assert generate_uppfoljning_pdf.soft_time_limit == settings.PDF_SOFT_TIME_LIMIT
    assert generate_uppfoljning_pdf.time_limit == settings.PDF_TIME_LIMIT
    assert generate_uppfoljning_pdf.acks_late
    assert settings.CELERY_TASK_ROUTES[generate_uppfoljning_pdf.name] == {"queue": "pdf"}
