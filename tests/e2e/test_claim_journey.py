"""Heby claims money for its insats, kansli approves, the budget's outcome column shows it."""

import re

import pytest
from playwright.sync_api import expect

from insatser.models import Rekvisition

from .test_journeys import demo, log_in  # noqa: F401

pytestmark = pytest.mark.e2e

INSATS = "Plattform för individstöd"  # Heby's; 2 523 000 kr granted for 2026


def outcome_cell(page):
    """The Utfall cell of the insats's line in the budget table."""
    row = page.locator("table.budgettabell tr", has_text=INSATS)
    return row.locator("td.utfall")


def test_heby_claims_kansli_approves_and_the_budget_shows_it(page):
    # The demo: Heby has claimed Q1 and Q2 (630 750 kr each), both approved.
    log_in(page, "kansli")
    page.get_by_role("link", name="Budget", exact=True).click()
    expect(outcome_cell(page)).to_have_text("1\u00a0262")  # tkr
    page.context.clear_cookies()  # log out

    log_in(page, "heby")
    page.get_by_role("link", name="Insatser", exact=True).click()
    page.get_by_role("link", name=INSATS).click()
    page.get_by_role("link", name="Ny rekvisition").click()
    page.get_by_label("Period från").fill("2026-07-01")
    page.get_by_label("Period till").fill("2026-09-30")
    page.get_by_label("Belopp (kr)").fill("3 000 000")  # more than remains
    page.get_by_role("button", name="Skicka in rekvisitionen").click()
    expect(page.locator("#fel-sammanfattning")).to_contain_text("större än det som återstår")
    page.get_by_label("Belopp (kr)").fill("630 750")
    page.get_by_role("button", name="Skicka in rekvisitionen").click()
    expect(page.get_by_text(re.compile(r"har fått nummer Rek 2026/\d+"))).to_be_visible()
    claim = Rekvisition.objects.get(insats__name=INSATS, period_start__month=7)
    assert claim.status == Rekvisition.Status.INSKICKAD
    page.context.clear_cookies()  # log out

    log_in(page, "kansli")
    page.goto(f"/uppsala/rekvisitioner/{claim.pk}/")
    page.get_by_role("link", name="Godkänn eller avslå").click()
    page.get_by_label("Godkänn").check()
    page.get_by_role("button", name="Spara beslutet").click()
    expect(page.get_by_text("Rekvisitionen är godkänd.")).to_be_visible()
    claim.refresh_from_db()
    assert claim.status == Rekvisition.Status.GODKAND

    page.get_by_role("link", name="Budget", exact=True).click()
    expect(outcome_cell(page)).to_have_text("1\u00a0892")  # 3 × 630 750 kr
