"""The lists and the menu's search box in a real browser, on the demo förbund."""

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from .test_journeys import demo, log_in  # noqa: F401

pytestmark = pytest.mark.e2e


def test_kansli_searches_sorts_and_exports_the_insatser(page):
    log_in(page, "kansli")
    page.get_by_role("link", name="Insatser", exact=True).click()
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(13)  # the eleven of the förbund file and two granted in October

    page.get_by_label("Sök i listan").fill("lokus")
    page.get_by_role("button", name="Visa").click()
    expect(rows).to_have_count(2)

    page.get_by_role("link", name=re.compile(r"^Status\W+sortera stigande")).click()
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Status")
    page.get_by_role("link", name=re.compile(r"^Status\W+sortera fallande")).click()
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("Status")
    expect(rows).to_have_count(2)  # the search stays

    with page.expect_download() as download:
        page.get_by_role("link", name="Exportera till Excel").click()
    with open(download.value.path(), "rb") as file:  # no .xlsx suffix: read the bytes
        sheet = load_workbook(BytesIO(file.read())).active
    assert [row[0] for row in sheet.iter_rows(min_row=5, values_only=True)] == [
        "Lokussamordnare",
        "Lokussamordnare",
    ]


def test_the_menu_search_finds_an_insats_and_opens_it(page):
    log_in(page, "heby")
    page.get_by_role("search", name="Sök").get_by_label("Sök").fill("plattform")
    page.get_by_role("search", name="Sök").get_by_role("button", name="Sök").click()
    expect(page.get_by_role("heading", name="Insatser")).to_be_visible()
    page.get_by_role("link", name="Plattform för individstöd").click()
    expect(page.get_by_role("heading", name="Plattform för individstöd")).to_be_visible()
