"""Issue 8's report, in the browser, on the demo förbund: Heby fills in and submits a
quarterly report for a period that has ended, kansli returns it with a comment, Heby
corrects and resubmits, kansli approves; the report's page shows each step."""

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from finsam.models import Forbund, Medlem
from tests.factories import InsatsFactory
from uppfoljning.models import Rapport

pytestmark = pytest.mark.e2e

PASSWORD = "demo-e2e-1234"
TODAY = datetime.date(2026, 11, 23)
NAME = "Nya vägar i Heby"


@pytest.fixture(autouse=True)
def demo(transactional_db, monkeypatch, media):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    call_command("demo", password=PASSWORD, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def rapport(demo):
    """Heby's own insats from July: its third-quarter report is due (whatever the demo's
    reports are by then)."""
    forbund = Forbund.objects.get(slug="uppsala")
    heby = Medlem.objects.of(forbund).get(short_name="Heby")
    insats = InsatsFactory(
        forbund=forbund,
        agare=heby,
        name=NAME,
        start=datetime.date(2026, 7, 1),
        end=datetime.date(2027, 6, 30),
    )
    return Rapport.objects.get(insats=insats, kind="kvartal", period_start=insats.start)


def as_user(browser, live_server, username):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/logga-in/" not in url)
    return page


def fill(page, values):
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)


def test_a_quarterly_report_from_draft_to_approval(
    _plain_http_server, browser, live_server, rapport
):
    # Heby finds the report on its start page and fills it in.
    heby = as_user(browser, live_server, "heby")
    heby.get_by_role("link", name=f"Kvartalsrapport för {NAME}").click()
    expect(heby.get_by_role("heading", level=1)).to_contain_text(NAME)
    fill(
        heby,
        {
            "Nya deltagare, kvinnor": "4",
            "Nya deltagare, män": "3",
            "Aktiva vid periodens slut, kvinnor": "9",
            "Aktiva vid periodens slut, män": "7",
            "Avslutade deltagare, kvinnor": "2",
            "Avslutade deltagare, män": "1",
            "Avslutade till arbete, kvinnor": "1",
            "Avslutade till studier, kvinnor": "1",
        },
    )
    # The totals follow what is typed.
    expect(heby.locator("[data-total-of='id_nya_women id_nya_men']")).to_have_text("7")
    heby.get_by_label("Hur insatsen har arbetat med jämställdhet").fill(
        "Vi följer kvinnors och mäns deltagande varje månad."
    )
    heby.get_by_label("Förbrukade medel under perioden (kr)").fill("180 000")
    # The man who ended has no reason yet: refused with the figures, nothing saved.
    heby.get_by_role("button", name="Spara och skicka in").click()
    summary = heby.locator("#fel-sammanfattning")
    expect(summary).to_contain_text("Rapporten är inte inskickad")
    expect(summary).to_contain_text(
        "Skälen till att deltagarna avslutade (0 män) ska vara lika många som de avslutade (1 män)."
    )
    fill(heby, {"Avslutade till vidare rehabilitering med plan, män": "1"})
    heby.get_by_role("button", name="Spara och skicka in").click()
    expect(heby.get_by_text("Rapporten är inskickad med diarienummer")).to_be_visible()
    rapport.refresh_from_db()
    assert rapport.status == "inskickad" and rapport.diarienummer

    # Kansli finds it in the list of reports and returns it with a comment.
    kansli = as_user(browser, live_server, "kansli")
    kansli.goto(f"/uppsala/rapporter/?status=inskickad&q={NAME}")
    kansli.get_by_role("link", name="2026-07-01–2026-09-30").click()
    kansli.get_by_label("Vad ska insatsägaren rätta?").fill(
        "Aktiva män ska vara 8 enligt er egen uppföljning."
    )
    kansli.get_by_role("button", name="Återförvisa").click()
    expect(kansli.get_by_text("Rapporten är återförvisad till insatsägaren.")).to_be_visible()

    # Heby sees the comment, corrects and sends it in again.
    heby.goto("/uppsala/")
    heby.get_by_role("link", name=f"Kvartalsrapport för {NAME}").click()
    expect(heby.get_by_text("Aktiva män ska vara 8 enligt er egen uppföljning.")).to_be_visible()
    fill(heby, {"Aktiva vid periodens slut, män": "8"})
    expect(heby.locator("[data-total-of='id_aktiva_women id_aktiva_men']")).to_have_text("17")
    heby.get_by_role("button", name="Spara och skicka in").click()
    expect(heby.get_by_text("Rapporten är inskickad med diarienummer")).to_be_visible()

    # Not yet on the board's follow-up: only approved reports count.
    report_page = kansli.url
    kansli.goto("/uppsala/uppfoljning/?ar=2026&period=h2")
    expect(kansli.locator("main")).not_to_contain_text(NAME)

    # Kansli approves.
    kansli.goto(report_page)
    kansli.get_by_role("button", name="Godkänn").click()
    expect(kansli.get_by_text("Rapporten är godkänd.")).to_be_visible()
    rapport.refresh_from_db()
    assert rapport.status == "godkand"

    # The follow-up of the second half-year now has the insats.
    kansli.goto("/uppsala/uppfoljning/?ar=2026&period=h2")
    expect(kansli.locator("main")).to_contain_text(NAME)

    # The report's page shows each step, for the insatsägare too.
    heby.goto(f"/uppsala/rapporter/{rapport.pk}/")
    history = heby.locator("#historik")
    for step in ("Utkast sparat", "Inskickad", "Återförvisad", "Inskickad på nytt", "Godkänd"):
        expect(history).to_contain_text(step)
    expect(history).to_contain_text("Aktiva män ska vara 8")
    expect(heby.locator("tr", has_text="Aktiva deltagare")).to_contain_text("17")
