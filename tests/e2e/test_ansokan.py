"""Part A in a real browser on the demo förbund: Heby applies, kansli asks for completion,
Heby answers, kansli proposes, marks it ready and puts it on a meeting's agenda."""

import datetime
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from finsam.models import Forbund, Sammantrade
from insatser.models import Ansokan

pytestmark = pytest.mark.e2e

PASSWORD = "demo-e2e-1234"


@pytest.fixture(autouse=True)
def demo(transactional_db, monkeypatch, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2026, 11, 23)
    )
    call_command("demo", password=PASSWORD, stdout=open("/dev/null", "w"))  # noqa: SIM115


def log_in(page, username):
    page.context.clear_cookies()
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/logga-in/" not in url)


def test_apply_complete_propose_and_put_on_the_agenda(page):
    forbund = Forbund.objects.get(slug="uppsala")
    meeting = Sammantrade.objects.create(forbund=forbund, date=datetime.date(2099, 9, 15))

    log_in(page, "heby")
    page.get_by_role("link", name="Ansökningar", exact=True).click()
    page.get_by_role("link", name="Ny ansökan").click()
    expect(page.locator("main")).to_contain_text("sista ansökningsdag")
    page.get_by_label("Insatsens namn").fill("Vägen vidare i Heby")
    page.get_by_label("Typ av insats").select_option("individ")
    page.get_by_label("Tierps kommun").check()
    page.get_by_label("Startdatum").fill("2027-01-01")
    page.get_by_label("Slutdatum").fill("2027-12-31")
    page.get_by_label("Bakgrund och behov").fill("Fler behöver stöd.")
    page.locator("input[name='belopp-0-year']").fill("2027")
    page.locator("input[name='belopp-0-amount']").fill("300 000")
    page.locator("textarea[name='mal-0-text']").fill("Fler i arbete")
    page.locator("input[name='mal-0-target']").fill("40 %")
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.locator("main")).to_contain_text("Utkastet är sparat")

    page.get_by_role("link", name="Ändra utkastet").click()
    page.get_by_label("Förväntade deltagare, kvinnor").fill("10")
    page.get_by_label("Förväntade deltagare, män").fill("10")
    page.get_by_label("Hur jämställdhet hanteras").fill("Lika villkor.")
    page.get_by_label("Hur tillgänglighet hanteras").fill("Tillgängligt.")
    page.get_by_label("Hur icke-diskriminering hanteras").fill("Alla välkomna.")
    page.get_by_label("Kontaktperson", exact=True).fill("Hanna Holm")
    page.get_by_label("Kontaktpersonens e-post").fill("hanna@example.org")
    page.get_by_role("button", name="Spara och skicka in").click()
    expect(page.locator("main")).to_contain_text(re.compile(r"diarienummer 2026/\d+"))
    ansokan = Ansokan.objects.get(title="Vägen vidare i Heby")
    assert ansokan.status == Ansokan.Status.INSKICKAD and ansokan.late  # after 12 May

    log_in(page, "kansli")
    page.goto(f"/uppsala/ansokningar/?q={ansokan.diarienummer}")
    page.get_by_role("link", name="Vägen vidare i Heby").click()
    page.get_by_role("link", name="Begär komplettering").click()
    page.get_by_label("Vad behöver sökanden komplettera?").fill("Bifoga en tidsplan.")
    page.get_by_role("button", name="Skicka begäran").click()
    expect(page.locator("main")).to_contain_text("Komplettering begärd")

    log_in(page, "heby")
    page.goto(ansokan.get_absolute_url())
    page.get_by_role("link", name="Svara på kompletteringen").click()
    page.get_by_label("Svar på begäran om komplettering").fill("Tidsplanen: start i januari.")
    page.get_by_role("button", name="Skicka svaret").click()
    expect(page.locator("main")).to_contain_text("Under beredning")

    log_in(page, "kansli")
    page.goto(ansokan.get_absolute_url())
    page.get_by_role("link", name="Förslag till beslut").click()
    page.get_by_label("Förslag till beslut").fill("Styrelsen beviljar 250 000 kr för 2027.")
    page.get_by_label("Föreslaget belopp 2027 (kr)").fill("250 000")
    page.get_by_role("button", name="Spara förslaget").click()
    page.get_by_role("button", name="Klar för beslut").click()
    expect(page.locator("main")).to_contain_text("Klar för beslut")
    page.get_by_role("link", name="Sätt på dagordningen").click()
    page.get_by_label("Sammanträde").select_option(str(meeting.pk))
    page.get_by_role("button", name="Sätt på dagordningen").click()
    expect(page.locator("main")).to_contain_text("står på dagordningen")
    ansokan.refresh_from_db()
    assert ansokan.arende.sammantrade == meeting
    assert int(ansokan.belopp.get().proposed) == 250000
    assert ansokan.submitted["belopp"] == [{"year": 2027, "amount": "300000.00"}]
