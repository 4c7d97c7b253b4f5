"""A person at each role, in a real browser, on the demo förbund."""

import datetime
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from insatser.models import Insats

pytestmark = pytest.mark.e2e

PASSWORD = "demo-e2e-1234"


@pytest.fixture(autouse=True)
def demo(transactional_db, monkeypatch):
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2026, 11, 23)
    )
    call_command("demo", password=PASSWORD, stdout=open("/dev/null", "w"))  # noqa: SIM115


def log_in(page, username):
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()


def test_kansli_reads_the_budget_and_corrects_a_grant(page):
    log_in(page, "kansli")
    expect(page).to_have_url(re.compile(r"/uppsala/$"))
    expect(page.get_by_role("heading", name="Att göra")).to_be_visible()

    page.get_by_role("link", name="Budget", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Budget 2026"))).to_be_visible()
    table = page.locator("table").first
    expect(table).to_contain_text("24\u00a0180")
    expect(table).to_contain_text("27\u00a0150")
    expect(table).to_contain_text("\u22122\u00a0970")
    expect(table).to_contain_text("1\u00a0007")

    page.get_by_role("link", name="Insatser", exact=True).click()
    page.get_by_role("link", name="Växtkraft").click()
    page.get_by_role("link", name="Ändra", exact=True).click()
    amount = page.locator("input[name='anslag-0-amount']")
    amount.fill("tjugo")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Inget är sparat.")).to_be_visible()
    assert Insats.objects.get(name="Växtkraft").anslag.get(year=2026).amount == 2753000

    page.locator("input[name='anslag-0-amount']").fill("2 853 000")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", name="Växtkraft")).to_be_visible()
    expect(page.locator("main")).to_contain_text("2\u00a0853")
    assert Insats.objects.get(name="Växtkraft").anslag.get(year=2026).amount == 2853000


def test_styrelse_sees_the_next_meeting_and_cannot_edit(page):
    log_in(page, "styrelse")
    expect(page.get_by_text("Nästa sammanträde")).to_be_visible()
    expect(page.get_by_role("link", name="Styrelsemöte 2026-11-26")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Verksamhetsplan och budget 2027")
    page.get_by_role("link", name="Sammanträden", exact=True).click()
    expect(page.get_by_role("link", name="Nytt sammanträde")).to_have_count(0)
    response = page.goto("/uppsala/medlemmar/ny/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Åtkomst nekad")).to_be_visible()


def test_insatsagare_sees_only_its_own_insatser(page):
    log_in(page, "heby")
    expect(page.locator("main")).to_contain_text("Plattform för individstöd")
    page.get_by_role("link", name="Insatser", exact=True).click()
    expect(page.locator("main")).to_contain_text("Plattform för individstöd")
    expect(page.locator("main")).not_to_contain_text("Växtkraft")
    other = Insats.objects.get(name="Växtkraft")
    assert page.goto(f"/uppsala/insatser/{other.pk}/").status == 404
    assert page.goto("/uppsala/sammantraden/").status == 403
    # The 2026 budget is adopted and published: an insatsägare may read it.
    assert page.goto("/uppsala/budget/2026/").status == 200
    expect(page.locator("table").first).to_contain_text("Plattform för individstöd")
    expect(page.get_by_role("link", name="Ändra")).to_have_count(0)


def test_revisor_reads_everything_and_edits_nothing(page):
    log_in(page, "revisor")
    page.get_by_role("link", name="Budget", exact=True).click()
    expect(page.locator("table").first).to_contain_text("1\u00a0007")
    expect(page.get_by_role("link", name="Ändra")).to_have_count(0)
    page.get_by_role("link", name="Styrelsen", exact=True).click()
    expect(page.get_by_text("Ordförande").first).to_be_visible()


def test_another_forbund_sees_none_of_uppsala(page):
    log_in(page, "norrbacka")
    expect(page).to_have_url(re.compile(r"/norrbacka/$"))
    for path in ("/uppsala/", "/uppsala/budget/2026/", "/uppsala/insatser/"):
        assert page.goto(path).status == 404
    page.goto("/norrbacka/budget/")
    expect(page.locator("main")).to_contain_text("kr")


def test_kansli_starts_next_years_budget_and_plan_and_downloads_the_pdf(page, celery_worker):
    log_in(page, "kansli")
    page.get_by_role("link", name="Budget", exact=True).click()
    page.get_by_role("button", name="Starta budget 2027 från budget 2026").click()
    expect(page.get_by_role("heading", name=re.compile("Budget 2027"))).to_be_visible()
    expect(page.locator("main")).to_contain_text("Förtroendevalda")

    page.get_by_role("link", name="Ändra", exact=True).first.click()
    n = page.locator("input[name='rader-INITIAL_FORMS']").input_value()
    page.locator(f"select[name='rader-{n}-group']").select_option("forvaltning")
    page.locator(f"input[name='rader-{n}-name']").fill("Utvecklingsdag för styrelsen")
    page.locator(f"input[name='rader-{n}-amount']").fill("50 000")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("table").first).to_contain_text("Utvecklingsdag för styrelsen")

    page.get_by_role("link", name="Verksamhetsplan", exact=True).click()
    page.get_by_role("button", name="Ny verksamhetsplan för 2027").click()
    expect(page.get_by_role("heading", name=re.compile("2027"))).to_be_visible()
    page.get_by_role("button", name="Skapa PDF").click()
    link = page.get_by_role("link", name=re.compile(r"Verksamhetsplan och budget 2027, version 1"))
    expect(link).to_be_visible(timeout=90_000)
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "verksamhetsplan-och-budget-2027-v1.pdf"

    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(download.path()).pages)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    assert "Verksamhetsplan och budget 2027" in text
    assert "Utvecklingsdag för styrelsen" in text
