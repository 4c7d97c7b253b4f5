"""The agenda in a real browser: items move with the keyboard and by dragging."""

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from finsam.models import Sammantrade

pytestmark = pytest.mark.e2e

PASSWORD = "demo-e2e-1234"


@pytest.fixture(autouse=True)
def demo(transactional_db, monkeypatch):
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2026, 8, 20)
    )
    call_command("demo", password=PASSWORD, stdout=open("/dev/null", "w"))  # noqa: SIM115


def titles(meeting):
    return list(meeting.arenden.order_by("number").values_list("title", flat=True))


def test_kansli_moves_agenda_items_by_keyboard_and_by_mouse(page):
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("kansli")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    meeting = Sammantrade.objects.get(forbund__slug="uppsala", date__month=9, status="kallat")
    page.goto(f"/uppsala/sammantraden/{meeting.pk}/dagordning/")
    before = titles(meeting)

    # Keyboard: focus the button "Ner" of the first item and press Enter.
    page.get_by_role("button", name="Flytta ner: Mötets öppnande").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Mötets öppnande är flyttat.")).to_be_visible()
    assert titles(meeting)[:2] == [before[1], before[0]]

    # Mouse: drag the last item onto the first.
    items = page.locator(".js-sortable li[data-pk]")
    with page.expect_navigation():
        items.last.drag_to(items.first, target_position={"x": 5, "y": 2})
    expect(page.get_by_text("Dagordningen är ordnad om.")).to_be_visible()
    assert titles(meeting)[0] == before[-1]
