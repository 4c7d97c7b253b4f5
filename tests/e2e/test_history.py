"""The Historik in a real browser: an edit shows on the object's page and on the start page."""

import re

import pytest
from playwright.sync_api import expect

from .test_journeys import demo, log_in  # noqa: F401  (demo: the autouse fixture)

pytestmark = pytest.mark.e2e


def test_kansli_edits_a_grant_and_finds_it_in_the_history(page):
    log_in(page, "kansli")
    page.get_by_role("link", name="Insatser", exact=True).click()
    page.get_by_role("link", name="Växtkraft").click()
    page.get_by_role("link", name="Ändra", exact=True).click()
    page.locator("input[name='anslag-0-amount']").fill("2 853 000")
    page.get_by_role("button", name="Spara").click()

    historik = page.locator("#historik")
    expect(historik.get_by_role("heading", name="Historik")).to_be_visible()
    expect(historik).to_contain_text("Karin Kansli")
    # "→" is for the eye; a screen reader hears "ändrades till".
    before, after = "2\u00a0753\u00a0000\u00a0kr", "2\u00a0853\u00a0000\u00a0kr"
    change = rf"Beviljat belopp 2026:\s*{before}\s*→\s*ändrades till\s*{after}"
    expect(historik).to_contain_text(re.compile(change))

    page.get_by_role("link", name="Start").first.click()
    latest = page.locator("section", has=page.get_by_role("heading", name="Senaste händelser"))
    expect(latest).to_contain_text("Ändrad: Beviljat belopp 2026")
    latest.get_by_role("link", name="Växtkraft").click()
    expect(page.get_by_role("heading", name="Växtkraft")).to_be_visible()
