"""Generated documents: the runner, the URL fetcher, and the pages that ask, follow and download."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from pypdf import PdfReader

from budget.forbundsfil import load_forbund_file
from budget.models import Budget, Verksamhetsplan
from budget.tasks import generate_budget_pdf, generate_plan_pdf, start_budget_pdf
from finsam.documents import generate, queue_dokument
from finsam.models import Dokument
from finsam.pdf import PdfError, RefusedURL, StaticOnlyFetcher, render_pdf
from tests.factories import BudgetFactory

PLAN = "/uppsala/plan/2026/"


@pytest.fixture
def plan(forbund, media):
    return Verksamhetsplan.objects.create(forbund=forbund, year=2026)


def _dokument(plan, status=Dokument.Status.QUEUED, **fields):
    dokument = queue_dokument(
        forbund=plan.forbund,
        kind=Dokument.Kind.VERKSAMHETSPLAN,
        title=f"Verksamhetsplan och budget {plan.year}",
        subject=plan,
        user=None,
        **fields,
    )
    if status == Dokument.Status.DONE:
        dokument.file.save("test.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        dokument.checksum = Dokument.sha256(b"%PDF-1.7 test")
    dokument.status = status
    dokument.save()
    return dokument


# The URL fetcher -------------------------------------------------------------------


def test_the_fetcher_serves_the_projects_static_files():
    response = StaticOnlyFetcher()("https://finsam.invalid/static/css/print.css")

    assert b"@page" in response.read()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.png",
        "https://example.com/static/css/print.css",
        "https://finsam.invalid/etc/passwd",
        "https://finsam.invalid/static/../../etc/passwd",
        "https://finsam.invalid/static/css/finns-inte.css",
    ],
)
def test_the_fetcher_refuses_everything_else(url):
    with pytest.raises(RefusedURL):
        StaticOnlyFetcher()(url)


def test_a_refused_resource_stops_the_pdf_with_a_swedish_reason():
    with pytest.raises(
        PdfError, match="bara hämta projektets egna statiska filer.*file:///etc/passwd"
    ):
        render_pdf('<p>Hej</p><img src="file:///etc/passwd">')
    with pytest.raises(PdfError, match="http://example.com/x.png"):
        render_pdf('<p>Hej</p><img src="http://example.com/x.png">')


def test_a_pdf_is_pdfa_only_when_asked():
    assert 'pdfaid:part="3"' in _xmp(render_pdf("<p>Arkiv</p>", pdf_a=True))
    assert "pdfaid" not in _xmp(render_pdf("<p>Utkast</p>"))


def _xmp(content):
    metadata = PdfReader(io.BytesIO(content)).xmp_metadata
    return metadata.rdf_root.toxml() if metadata else ""


# The runner ------------------------------------------------------------------------


def test_generate_stores_the_file_and_its_checksum(plan, media):
    dokument = _dokument(plan)

    generate(dokument.pk, lambda d: f"<h1>{d.title}</h1>")

    dokument.refresh_from_db()
    assert dokument.status == Dokument.Status.DONE
    assert dokument.error == ""
    assert dokument.finished_at is not None
    content = dokument.file.read()
    assert content.startswith(b"%PDF")
    assert dokument.checksum == Dokument.sha256(content)
    assert dokument.file.path.startswith(str(media))


def test_a_failing_build_leaves_the_dokument_failed_with_a_swedish_error(plan, media):
    dokument = _dokument(plan)

    def build(dokument):
        raise ValueError("boom")

    generate(dokument.pk, build)

    dokument.refresh_from_db()
    assert dokument.status == Dokument.Status.FAILED
    assert dokument.error.startswith("Ett oväntat fel inträffade när dokumentet skapades")
    assert "ValueError" in dokument.error
    assert dokument.finished_at is not None
    assert not dokument.file
    assert dokument.checksum == ""


def test_a_failing_render_says_why(plan, media):
    dokument = _dokument(plan)

    generate(dokument.pk, lambda d: '<img src="file:///etc/passwd">')

    dokument.refresh_from_db()
    assert dokument.status == Dokument.Status.FAILED
    assert dokument.error.startswith("PDF:en kunde inte skapas: PDF:en får bara hämta")
    assert "file:///etc/passwd" in dokument.error


def test_a_failing_save_does_not_leave_it_running(plan, media, monkeypatch):
    dokument = _dokument(plan)
    monkeypatch.setattr("finsam.documents.render_pdf", lambda html, pdf_a: 1 / 0)

    generate(dokument.pk, lambda d: "<p>Hej</p>")

    dokument.refresh_from_db()
    assert dokument.status == Dokument.Status.FAILED
    assert "ZeroDivisionError" in dokument.error


def test_a_task_delivered_twice_makes_the_document_once(plan, media):
    dokument = _dokument(plan)
    generate(dokument.pk, lambda d: "<p>Första</p>")
    dokument.refresh_from_db()
    checksum = dokument.checksum

    assert generate(dokument.pk, lambda d: "<p>Andra</p>") is None
    dokument.refresh_from_db()
    assert dokument.checksum == checksum


def test_the_task_says_when_the_plan_is_gone(plan, media):
    dokument = _dokument(plan)
    plan.delete()

    generate_plan_pdf(dokument.pk)

    dokument.refresh_from_db()
    assert dokument.status == Dokument.Status.FAILED
    assert dokument.error == "Underlaget till dokumentet finns inte längre."


def test_the_budget_table_pdf_holds_the_seeds_figures(
    db, media, django_capture_on_commit_callbacks
):
    forbund = load_forbund_file("budget/demo/uppsala.yaml")
    budget = Budget.objects.of(forbund).latest_version(2026)

    with django_capture_on_commit_callbacks() as enqueued:
        dokument = start_budget_pdf(budget, user=None)
    assert len(enqueued) == 1
    generate_budget_pdf(dokument.pk)

    dokument.refresh_from_db()
    assert dokument.status == Dokument.Status.DONE, dokument.error
    assert dokument.kind == Dokument.Kind.BUDGETTABELL
    assert dokument.archived == budget.is_frozen
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(dokument.file.read())).pages)
    text = text.replace("\u00a0", " ").replace("\u2212", "-")
    assert "Budget 2026" in text
    for line in (
        "S:A INTÄKTER 24 180",
        "S:A KOSTNADER 27 150",
        "RESULTAT -2 970",
        "Växtkraft Enköping 2 753",
        "Nystart Östhammar Östhammar 2 257",
        "KVARVARANDE BESLUTSUTRYMME 1 007",
    ):
        assert line in text


# Asking for a PDF ------------------------------------------------------------------


def test_kansli_asks_for_the_plans_pdf(client, kansli, plan, django_capture_on_commit_callbacks):
    client.force_login(kansli)

    with django_capture_on_commit_callbacks() as enqueued:
        response = client.post(f"{PLAN}pdf/")

    assert response.status_code == 302
    assert response["Location"] == PLAN
    dokument = Dokument.objects.get()
    assert (dokument.kind, dokument.version, dokument.status) == ("verksamhetsplan", 1, "queued")
    assert dokument.subject == plan
    assert dokument.created_by == kansli
    assert not dokument.archived
    assert len(enqueued) == 1


def test_htmx_gets_the_panel_back_with_the_new_document(client, kansli, plan):
    client.force_login(kansli)

    response = client.post(f"{PLAN}pdf/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="plan-pdf"' in html
    assert "Verksamhetsplan och budget 2026, version 1" in html
    assert "I kö" in html
    dokument = Dokument.objects.get()
    assert f'hx-get="/uppsala/dokument/{dokument.pk}/"' in html
    assert 'hx-trigger="every 2s"' in html


@pytest.mark.parametrize("role", ["styrelse", "revisor", "insatsagare"])
def test_only_kansli_asks_for_a_pdf(client, roles, plan, role):
    client.force_login(roles[role])

    assert client.post(f"{PLAN}pdf/").status_code == 403
    assert client.post("/uppsala/budget/2026/pdf/").status_code in (403, 404)
    assert not Dokument.objects.exists()


def test_an_outsider_finds_no_plan_to_print(client, outsider, plan):
    client.force_login(outsider)

    assert client.post(f"{PLAN}pdf/").status_code == 404
    assert client.get(f"{PLAN}dokument/").status_code == 404
    assert client.get(f"{PLAN}forhandsvisning/").status_code == 404


def test_asking_with_get_is_refused(client, kansli, plan):
    client.force_login(kansli)

    assert client.get(f"{PLAN}pdf/").status_code == 405


def test_an_archived_plan_is_not_made_again(client, kansli, plan):
    plan.status = Verksamhetsplan.Status.FASTSTALLD
    plan.save()
    _dokument(plan, status=Dokument.Status.DONE, archived=True)
    client.force_login(kansli)

    response = client.post(f"{PLAN}pdf/", follow=True)

    assert Dokument.objects.count() == 1
    assert "redan arkiverad som PDF/A" in response.content.decode()
    panel = client.get(f"{PLAN}dokument/").content.decode()
    assert "Skapa PDF" not in panel
    assert "skapas inte om" in panel


def test_kansli_asks_for_the_budget_tables_pdf(
    client, kansli, forbund, django_capture_on_commit_callbacks
):
    budget = BudgetFactory(forbund=forbund, year=2026, status=Budget.Status.UTKAST)
    client.force_login(kansli)

    with django_capture_on_commit_callbacks() as enqueued:
        response = client.post("/uppsala/budget/2026/pdf/")

    assert response.status_code == 302
    assert response["Location"] == "/uppsala/budget/2026/?version=1"
    dokument = Dokument.objects.get()
    assert (dokument.kind, dokument.title, dokument.subject) == (
        "budgettabell",
        "Budgettabell 2026",
        budget,
    )
    assert len(enqueued) == 1


# Following and downloading ------------------------------------------------------------


def test_the_panel_shows_kansli_the_button_and_readers_the_list(client, kansli, styrelse, plan):
    _dokument(plan, status=Dokument.Status.DONE)
    client.force_login(kansli)
    assert "Skapa PDF" in client.get(f"{PLAN}dokument/").content.decode()

    client.force_login(styrelse)
    panel = client.get(f"{PLAN}dokument/").content.decode()
    assert "Skapa PDF" not in panel
    assert "Verksamhetsplan och budget 2026, version 1" in panel


def test_the_status_stops_polling_when_the_document_is_done(client, kansli, plan):
    dokument = _dokument(plan)
    client.force_login(kansli)
    url = f"/uppsala/dokument/{dokument.pk}/"

    assert 'hx-trigger="every 2s"' in client.get(url).content.decode()

    Dokument.objects.filter(pk=dokument.pk).update(status=Dokument.Status.FAILED, error="Trasigt.")
    html = client.get(url).content.decode()
    assert "hx-trigger" not in html
    assert "Misslyckades" in html
    assert "Trasigt." in html


@pytest.mark.parametrize("role", ["kansli", "styrelse", "revisor"])
def test_readers_download_the_pdf(client, roles, plan, role):
    dokument = _dokument(plan, status=Dokument.Status.DONE)
    client.force_login(roles[role])

    response = client.get(f"/uppsala/dokument/{dokument.pk}/fil/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="verksamhetsplan-och-budget-2026-v1.pdf"'
    )
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"
    assert client.get(f"/uppsala/dokument/{dokument.pk}/").status_code == 200


def test_an_insatsagare_sees_the_plans_pdf_only_when_published(client, agare, plan):
    dokument = _dokument(plan, status=Dokument.Status.DONE)
    client.force_login(agare)
    urls = [
        f"/uppsala/dokument/{dokument.pk}/fil/",
        f"/uppsala/dokument/{dokument.pk}/",
        f"{PLAN}dokument/",
        f"{PLAN}forhandsvisning/",
    ]

    assert [client.get(url).status_code for url in urls] == [403, 403, 403, 403]

    plan.status = Verksamhetsplan.Status.PUBLICERAD
    plan.save()
    assert [client.get(url).status_code for url in urls] == [200, 200, 200, 200]


def test_an_outsider_cannot_reach_the_documents(client, outsider, plan):
    dokument = _dokument(plan, status=Dokument.Status.DONE)
    client.force_login(outsider)

    assert client.get(f"/uppsala/dokument/{dokument.pk}/fil/").status_code == 404
    assert client.get(f"/uppsala/dokument/{dokument.pk}/").status_code == 404
    assert client.get(f"/gavle/dokument/{dokument.pk}/fil/").status_code == 404


def test_a_document_on_its_way_cannot_be_downloaded(client, kansli, plan):
    dokument = _dokument(plan)
    client.force_login(kansli)

    assert client.get(f"/uppsala/dokument/{dokument.pk}/fil/").status_code == 404


def test_the_preview_is_the_print_html(client, styrelse, plan):
    client.force_login(styrelse)

    response = client.get(f"{PLAN}forhandsvisning/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv">' in html
    assert re.search(r'href="/static/css/print\.css"', html)
    assert "Verksamhetsplan och budget 2026" in html


def test_the_plan_and_budget_pages_load_their_panels(rf, forbund, plan):
    request = rf.get("/uppsala/plan/2026/")
    request.forbund = forbund
    budget = BudgetFactory(forbund=forbund, year=2026, version=2)

    plan_part = render_to_string("budget/plan/_pdf.html", {"plan": plan, "request": request})
    budget_part = render_to_string(
        "budget/_budget_pdf.html", {"budget": budget, "request": request}
    )

    assert 'hx-get="/uppsala/plan/2026/dokument/" hx-trigger="load"' in plan_part
    assert 'hx-get="/uppsala/budget/2026/dokument/?version=2" hx-trigger="load"' in budget_part
