"""Accounts in a real browser: an invitation from mail to sign-in, and two-factor sign-in."""

import base64
import re

import pytest
from playwright.sync_api import expect

from finsam.models import Roll
from tests.conftest import mail_body
from tests.e2e.test_journeys import demo, log_in  # noqa: F401 (demo: autouse)

pytestmark = pytest.mark.e2e


def log_out(page):
    page.locator("nav .dropdown-toggle").click()  # the user menu
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()


def test_kansli_invites_a_person_who_sets_a_password_and_signs_in(page, celery_worker, smtp_inbox):
    log_in(page, "kansli")
    page.locator("nav .dropdown-toggle").click()  # the user menu holds the settings
    page.get_by_role("link", name="Konton", exact=True).click()
    expect(page.get_by_role("heading", name="Konton")).to_be_visible()
    page.get_by_role("link", name="Bjud in").click()
    page.get_by_label("Förnamn").fill("Maja")
    page.get_by_label("Efternamn").fill("Lind")
    page.get_by_label("E-post").fill("maja.lind@heby.se")
    page.get_by_label("Roll").select_option(label="Insatsägare")
    page.get_by_role("button", name="Skicka inbjudan").click()
    expect(page.get_by_text("Välj den medlem som insatsägaren hör till.").first).to_be_visible()
    page.get_by_label("Medlemsorganisation").select_option(label="Heby kommun")
    page.get_by_role("button", name="Skicka inbjudan").click()
    expect(page.get_by_text("En inbjudan är skickad till maja.lind@heby.se.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="maja.lind@heby.se")
    expect(row).to_contain_text("Inbjuden")
    expect(row).to_contain_text("Heby kommun")
    log_out(page)

    message = smtp_inbox.wait_for_mail_to("maja.lind@heby.se")
    assert message["To"] == "maja.lind@heby.se"
    link = re.search(r"http://\S+/konto/aktivera/\S+/", mail_body(message)).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", name="Välkommen, Maja Lind!")).to_be_visible()
    page.locator("#id_new_password1").fill("Sommar-lov-2026")
    page.get_by_label("Bekräfta nytt lösenord").fill("Sommar-lov-2026")
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.get_by_text("Ditt lösenord är sparat.")).to_be_visible()

    page.get_by_label("Användarnamn").fill("maja.lind@heby.se")
    page.get_by_label("Lösenord").fill("Sommar-lov-2026")
    page.get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(re.compile(r"/uppsala/$"))
    expect(page.locator("main")).to_contain_text("Plattform för individstöd")
    assert Roll.objects.get(user__email="maja.lind@heby.se").medlem.name == "Heby kommun"


def test_a_person_turns_on_two_factor_sign_in_and_signs_in_with_a_code(page, totp_clock):
    log_in(page, "styrelse")
    page.locator("nav .dropdown-toggle").click()
    page.get_by_role("link", name="Tvåstegsverifiering").click()
    expect(page.get_by_role("img", name="QR-kod för autentiseringsappen")).to_be_visible()
    secret = page.locator("#secret").inner_text()
    key = base64.b32decode(secret.replace(" ", ""))
    page.get_by_label("Kod").fill(totp_clock.code(key))
    page.get_by_role("button", name="Slå på").click()
    expect(page.get_by_text("Tvåstegsverifiering är på.")).to_be_visible()
    log_out(page)

    log_in(page, "styrelse")
    expect(page.get_by_role("heading", name="Tvåstegsverifiering")).to_be_visible()
    totp_clock.tick(30)
    page.get_by_label("Kod").fill("000000")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_text("Koden stämmer inte.").first).to_be_visible()
    page.get_by_label("Kod").fill(totp_clock.code(key))
    page.get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(re.compile(r"/uppsala/$"))
    expect(page.get_by_text("Nästa sammanträde")).to_be_visible()


def test_the_right_password_is_refused_while_locked_out(page):
    for _ in range(5):
        page.goto("/konto/logga-in/")
        page.get_by_label("Användarnamn").fill("revisor")
        page.get_by_label("Lösenord").fill("fel-lösenord")
        page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="För många misslyckade inloggningar")).to_be_visible()
    log_in(page, "revisor")
    expect(page.get_by_text("Försök igen om 15 minuter.")).to_be_visible()
