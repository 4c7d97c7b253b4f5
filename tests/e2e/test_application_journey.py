"""Issue 7's whole path in one browser, on the demo förbund: from an application to a
grant on signed, published minutes.

Heby applies with a PDF attached, kansli asks for completion, Heby answers, kansli
proposes and puts the application on the December meeting's agenda, sends the notice
(the mail arrives), a board member declares jäv, kansli records attendance and the
decision (beviljas delvis), marks the meeting held and writes the minutes, the chair
and the checker sign with their own logins, the minutes are on the public
anslagstavla, the insats holds the grant and the decision letter carries the amount.
"""

import datetime
import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader, PdfWriter

from finsam.models import Forbund, Ledamot, Roll, Sammantrade, User
from insatser.models import Ansokan, Insats
from tests.conftest import mail_body

pytestmark = pytest.mark.e2e

PASSWORD = "demo-e2e-1234"
TODAY = datetime.date(2026, 11, 23)
MEETING = datetime.date(2026, 12, 10)
TITLE = "Broar till arbete i Heby"
JAV_SEAT = "Ingrid Falk"  # Heby's seat on the board: Heby applies


@pytest.fixture(autouse=True)
def demo(transactional_db, monkeypatch, media):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    call_command("demo", password=PASSWORD, stdout=open("/dev/null", "w"))  # noqa: SIM115


def pdf_bytes():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_text(page, link):
    """The text of the PDF behind a link, fetched with the page's own session.

    The documents open in the browser (inline), so there is no download event.
    """
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def as_user(browser, live_server, username):
    """A browser context of its own per person, logged in."""
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/logga-in/" not in url)
    return page


def board_login(forbund, seat_name):
    seat = Ledamot.objects.of(forbund).current(MEETING).get(name=seat_name)
    user = User.objects.create_user(
        username="ingrid", password=PASSWORD, first_name="Ingrid", last_name="Falk"
    )
    Roll.objects.create(user=user, forbund=forbund, kind=Roll.Kind.STYRELSE)
    seat.user = user
    seat.email = "ingrid.falk@example.org"  # the demo board has no addresses
    seat.save(update_fields=["user", "email"])
    return seat


def test_application_to_grant_on_signed_minutes(
    _plain_http_server, browser, live_server, celery_worker, smtp_inbox, tmp_path
):
    forbund = Forbund.objects.get(slug="uppsala")
    jav_seat = board_login(forbund, JAV_SEAT)
    shots = Path(os.environ.get("E2E_SCREENSHOTS", tmp_path))  # to look at them

    # 1. Heby applies: the form, a PDF attached, submitted → a registration number.
    heby = as_user(browser, live_server, "heby")
    heby.get_by_role("link", name="Ansökningar", exact=True).click()
    heby.get_by_role("link", name="Ny ansökan").click()
    heby.get_by_label("Insatsens namn").fill(TITLE)
    heby.get_by_label("Typ av insats").select_option("individ")
    heby.get_by_label("Tierps kommun").check()
    heby.get_by_label("Startdatum").fill("2027-01-01")
    heby.get_by_label("Slutdatum").fill("2028-12-31")
    heby.get_by_label("Bakgrund och behov").fill("Fler unga behöver stöd på vägen till arbete.")
    heby.locator("input[name='belopp-0-year']").fill("2027")
    heby.locator("input[name='belopp-0-amount']").fill("400 000")
    heby.locator("input[name='belopp-1-year']").fill("2028")
    heby.locator("input[name='belopp-1-amount']").fill("400 000")
    heby.locator("textarea[name='mal-0-text']").fill("Fler i arbete eller studier")
    heby.locator("input[name='mal-0-target']").fill("40 %")
    heby.get_by_label("Förväntade deltagare, kvinnor").fill("15")
    heby.get_by_label("Förväntade deltagare, män").fill("15")
    heby.get_by_label("Hur jämställdhet hanteras").fill("Lika villkor för alla.")
    heby.get_by_label("Hur tillgänglighet hanteras").fill("Lokaler utan trappor.")
    heby.get_by_label("Hur icke-diskriminering hanteras").fill("Alla välkomna.")
    heby.get_by_label("Kontaktperson", exact=True).fill("Hanna Holm")
    heby.get_by_label("Kontaktpersonens e-post").fill("hanna@example.org")
    heby.get_by_role("button", name="Spara utkast").click()
    expect(heby.locator("main")).to_contain_text("Utkastet är sparat")

    heby.get_by_role("link", name="Lägg till bilaga").click()
    heby.get_by_label(re.compile("Bilaga")).set_input_files(
        {"name": "tidsplan.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    heby.get_by_role("button", name="Spara bilagan").click()
    expect(heby.get_by_role("link", name="tidsplan.pdf")).to_be_visible()

    heby.get_by_role("link", name="Ändra utkastet").click()
    heby.get_by_role("button", name="Spara och skicka in").click()
    expect(heby.locator("main")).to_contain_text(re.compile(r"diarienummer 2026/\d+"))
    heby.screenshot(path=shots / "01-inskickad.png", full_page=True)
    ansokan = Ansokan.objects.get(title=TITLE)
    assert ansokan.status == Ansokan.Status.INSKICKAD
    assert re.fullmatch(r"2026/\d+", ansokan.diarienummer)

    # 2. Kansli asks for completion; Heby answers.
    kansli = as_user(browser, live_server, "kansli")
    kansli.get_by_role("link", name="Ansökningar", exact=True).click()
    kansli.get_by_role("link", name=TITLE).click()
    kansli.get_by_role("link", name="Begär komplettering").click()
    kansli.get_by_label("Vad behöver sökanden komplettera?").fill("Beskriv samverkan med AF.")
    kansli.get_by_role("button", name="Skicka begäran").click()
    expect(kansli.locator("main")).to_contain_text("Komplettering begärd")

    heby.goto("/uppsala/")
    heby.get_by_role("link", name=TITLE).first.click()
    heby.get_by_role("link", name="Svara på kompletteringen").click()
    heby.get_by_label("Svar på begäran om komplettering").fill("Vi träffar AF varje vecka.")
    heby.get_by_role("button", name="Skicka svaret").click()
    expect(heby.locator("main")).to_contain_text("Under beredning")

    # 3. Kansli plans the December meeting (its standing items come from the template),
    # proposes per year, marks the application ready and puts it on that meeting's agenda.
    kansli.get_by_role("link", name="Sammanträden", exact=True).click()
    kansli.get_by_role("link", name="Nytt sammanträde").click()
    kansli.get_by_label("Datum").fill(MEETING.isoformat())
    kansli.get_by_role("button", name="Spara").click()
    expect(kansli.get_by_role("heading", name=f"Styrelsemöte {MEETING}")).to_be_visible()
    meeting = Sammantrade.objects.get(forbund=forbund, date=MEETING)
    assert meeting.arenden.exclude(standing="").exists()
    kansli.goto(ansokan.get_absolute_url())
    kansli.get_by_role("link", name="Förslag till beslut").click()
    kansli.get_by_label("Förslag till beslut").fill("Styrelsen beviljar 300 000 kr per år.")
    kansli.get_by_label("Föreslaget belopp 2027 (kr)").fill("300 000")
    kansli.get_by_label("Föreslaget belopp 2028 (kr)").fill("300 000")
    kansli.get_by_role("button", name="Spara förslaget").click()
    kansli.get_by_role("button", name="Klar för beslut").click()
    expect(kansli.locator("main")).to_contain_text("Klar för beslut")
    kansli.get_by_role("link", name="Sätt på dagordningen").click()
    kansli.get_by_label("Sammanträde").select_option(str(meeting.pk))
    kansli.get_by_role("button", name="Sätt på dagordningen").click()
    expect(kansli.locator("main")).to_contain_text("står på dagordningen")
    kansli.screenshot(path=shots / "02-dagordning.png", full_page=True)

    # 4. The notice: PDF by the worker, a mail to each board member with an address.
    kansli.goto(meeting.get_absolute_url())
    kansli.get_by_role("button", name="Skicka kallelse").click()
    expect(kansli.locator("main")).to_contain_text("Kallelse", timeout=90_000)
    notice = smtp_inbox.wait_for_mail_to(
        "ingrid.falk@example.org", "Kallelse: styrelsemöte 2026-12-10", timeout=90
    )
    assert "Kallelse: styrelsemöte 2026-12-10" in notice["Subject"]
    assert meeting.get_absolute_url() in mail_body(notice)
    kansli.screenshot(path=shots / "03-kallelse.png", full_page=True)

    # 5. A board member declares jäv on the application's item.
    ingrid = as_user(browser, live_server, "ingrid")
    ingrid.goto(meeting.get_absolute_url())
    ansokan.refresh_from_db()
    paragraf = ansokan.arende.paragraf  # numbered at the notice, running through the year
    ingrid.get_by_role("link", name=f"Anmäl jäv i § {paragraf}").click()
    ingrid.get_by_label("Skäl").fill("Ledamot i socialnämnden i Heby kommun, som söker.")
    ingrid.get_by_role("button", name="Anmäl jäv").click()
    expect(ingrid.locator("main")).to_contain_text("är anmält")
    assert list(
        ansokan.__class__.objects.get(pk=ansokan.pk).arende.jav.values_list("ledamot", flat=True)
    ) == [jav_seat.pk]

    # 6. Kansli records attendance (everyone) and the decision: beviljas delvis.
    kansli.goto(meeting.get_absolute_url())
    kansli.get_by_role("link", name="Närvaro", exact=True).click()
    for box in kansli.get_by_role("checkbox", name=re.compile(" närvarande$")).all():
        box.check()
    kansli.get_by_role("button", name="Spara närvaron").click()
    expect(kansli.get_by_role("heading", name="Närvarande", exact=True)).to_be_visible()
    kansli.get_by_role("link", name=f"Beslut i § {paragraf}").click()
    expect(kansli.locator("main")).to_contain_text("Deltar inte på grund av jäv: Ingrid Falk")
    kansli.get_by_label("Beviljas delvis").check()
    kansli.get_by_label("Beviljat belopp 2027 (kr)").fill("250 000")
    kansli.get_by_label("Beviljat belopp 2028 (kr)").fill("200 000")
    kansli.get_by_role("button", name="Spara beslutet").click()
    kansli.screenshot(path=shots / "04-beslut.png", full_page=True)

    # 7. Held; the minutes: chair and checker, the PDF.
    kansli.get_by_role("button", name="Mötet är genomfört").click()
    kansli.get_by_role("link", name="Protokoll och justering").click()
    chair = (
        Ledamot.objects.of(forbund).current(MEETING).get(chair_role=Ledamot.ChairRole.ORDFORANDE)
    )
    kansli.get_by_label("Mötets ordförande").select_option(str(chair.pk))
    kansli.get_by_role("group", name="Justerare").get_by_label("Kjell Nordin").check()
    kansli.get_by_label("Sekreterare", exact=True).fill("Karin Kansli")
    kansli.get_by_role("button", name="Spara", exact=True).click()
    kansli.get_by_role("button", name="Skapa protokoll (PDF)").click()
    expect(kansli.get_by_role("link", name=re.compile(r"version 1")).first).to_be_visible(
        timeout=90_000
    )
    kansli.screenshot(path=shots / "05-protokoll.png", full_page=True)

    # 8. The chair and the checker sign, each with their own login.
    for username in ("styrelse", "justerare"):
        signer = as_user(browser, live_server, username)
        signer.goto(f"/uppsala/sammantraden/{meeting.pk}/protokoll/")
        signer.get_by_label("Jag har läst protokollet och justerar det.").check()
        signer.get_by_role("button", name="Justera protokollet").click()
        expect(signer.locator("main")).to_contain_text("Justerat")
        signer.context.close()
    meeting.refresh_from_db()
    assert meeting.status == Sammantrade.Status.PUBLICERAT

    # 9. The public anslagstavla, without a login.
    public = browser.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    public.goto("/uppsala/anslagstavla/")
    expect(public.locator("main")).to_contain_text(MEETING.isoformat())
    public.screenshot(path=shots / "06-anslagstavla.png", full_page=True)
    minutes = pdf_text(public, public.get_by_role("link", name="Protokoll 2026-12-10 (PDF)"))
    assert TITLE in minutes and "Ingrid Falk" in minutes  # the item, its jäv
    assert "250 000 kr för 2027" in minutes and "Kjell Nordin" in minutes
    public.context.close()

    # 10. The insats holds the grant; the decision letter downloads with the amounts.
    ansokan.refresh_from_db()
    assert ansokan.status == Ansokan.Status.DELVIS_BEVILJAD
    insats = Insats.objects.get(ansokan=ansokan)
    assert {a.year: int(a.amount) for a in insats.anslag.all()} == {2027: 250000, 2028: 200000}
    kansli.goto(insats.get_absolute_url())
    expect(kansli.locator("main")).to_contain_text(ansokan.diarienummer)
    kansli.screenshot(path=shots / "07-insats.png", full_page=True)
    heby.goto(ansokan.get_absolute_url())
    letter = heby.get_by_role("link", name="Ladda ned beslutsbrevet (PDF)")
    expect(letter).to_be_visible(timeout=90_000)
    text = pdf_text(heby, letter.first)
    letter_mail = smtp_inbox.wait_for_mail_to(
        "hanna@example.org", f"Beslut om ansökan {ansokan.diarienummer}", timeout=90
    )
    (attached,) = letter_mail.iter_attachments()  # the same letter, as a PDF
    assert attached.get_content_type() == "application/pdf"
    assert "250 000" in " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(attached.get_content())).pages
    ).replace("\u00a0", " ")
    assert "250 000" in text and "200 000" in text
    heby.screenshot(path=shots / "08-beslutsbrev.png", full_page=True)
