"""A new operator, following README and docs/drift.md: the first platform admin,
a förbund from its file with its first kansli user invited by e-mail, who signs in."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from finsam.models import Forbund, Roll
from tests.conftest import mail_body

pytestmark = pytest.mark.e2e

NORRBACKA = Path(__file__).resolve().parents[2] / "budget" / "demo" / "norrbacka.yaml"


def test_an_operator_sets_up_a_forbund_whose_kansli_signs_in(
    page, live_server, celery_worker, smtp_inbox, monkeypatch, capsys
):
    # 1. The first platform admin (docs/drift.md, "Ett nytt förbund", step 1).
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Plattform-hemligt-1")
    call_command(
        "createsuperuser", "--noinput", "--username", "drift", "--email", "drift@example.se"
    )
    page.goto("/admin/")
    page.get_by_label("Användarnamn").fill("drift")
    page.get_by_label("Lösenord").fill("Plattform-hemligt-1")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("link", name="Samordningsförbund", exact=True)).to_be_visible()

    # 2–3. The förbund from its file, with its first kansli user.
    call_command(
        "load_forbund",
        str(NORRBACKA),
        "--kansli",
        "chef@norrbacka.se",
        "--fornamn",
        "Karin",
        "--efternamn",
        "Ek",
        "--url",
        live_server.url,
    )
    assert "Inbjudan skickad till chef@norrbacka.se" in capsys.readouterr().out
    page.get_by_role("link", name="Samordningsförbund", exact=True).click()
    expect(page.get_by_role("link", name="Samordningsförbundet Norrbacka")).to_be_visible()
    page.get_by_role("button", name="Logga ut").click()

    # 4. The mail, the password, the sign-in.
    message = smtp_inbox.wait_for_mail_to("chef@norrbacka.se")
    link = re.search(r"http://\S+/konto/aktivera/\S+/", mail_body(message)).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", name="Välkommen, Karin Ek!")).to_be_visible()
    page.locator("#id_new_password1").fill("Norrbacka-vinter-26")
    page.get_by_label("Bekräfta nytt lösenord").fill("Norrbacka-vinter-26")
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.get_by_text("Ditt lösenord är sparat.")).to_be_visible()
    page.get_by_label("Användarnamn").fill("chef@norrbacka.se")
    page.get_by_label("Lösenord").fill("Norrbacka-vinter-26")
    page.get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(re.compile(r"/norrbacka/$"))
    expect(page.locator("nav")).to_contain_text("Samordningsförbundet Norrbacka")
    forbund = Forbund.objects.get(slug="norrbacka")
    assert Roll.objects.get(user__email="chef@norrbacka.se", forbund=forbund).kind == "kansli"
