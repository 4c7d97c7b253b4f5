"""A kansli corrects a grant with the keyboard alone, in a real browser."""

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from insatser.models import Insats

pytestmark = pytest.mark.e2e

PASSWORD = "demo-e2e-1234"
MAX_TABS = 20
# The focused control's outline: static/css/finsam.css gives every control a 3 px ring.
FOCUS_RING = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  return {element: el.outerHTML.slice(0, 80), style: style.outlineStyle,
          width: parseFloat(style.outlineWidth), color: style.outlineColor};
}"""


@pytest.fixture(autouse=True)
def demo(transactional_db, monkeypatch):
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2026, 11, 23)
    )
    call_command("demo", password=PASSWORD, stdout=open("/dev/null", "w"))  # noqa: SIM115


class Keyboard:
    """Presses keys and counts the Tabs; `tab_to` tabs until the focus is where it must be."""

    def __init__(self, page):
        self.page = page
        self.tabs = 0

    def press(self, key):
        self.page.keyboard.press(key)

    def tab_to(self, selector):
        target = self.page.locator(selector)
        for _ in range(MAX_TABS + 1):
            self.page.keyboard.press("Tab")
            self.tabs += 1
            ring = self.page.evaluate(FOCUS_RING)
            assert ring["style"] == "solid" and ring["width"] >= 3, ring
            if target.evaluate("el => el === document.activeElement"):
                return
            assert self.tabs <= MAX_TABS, f"{self.tabs} Tabs and {selector} has no focus yet"
        raise AssertionError(f"{selector} never got the focus")

    def focused(self):
        return self.page.evaluate(
            "() => document.activeElement.textContent.trim() || document.activeElement.name"
        )


def test_kansli_changes_a_grant_with_the_keyboard_only(page):
    insats = Insats.objects.get(name="Växtkraft")
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("kansli")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.goto(f"/uppsala/insatser/{insats.pk}/")
    keys = Keyboard(page)

    # The skip link is the first stop; it passes the menu.
    keys.tab_to("a.skip-link")
    expect(page.locator("a.skip-link")).to_be_visible()
    keys.press("Enter")
    keys.tab_to("main a:text-is('Ändra beviljade belopp')")
    keys.press("Enter")
    page.wait_for_url(f"**/uppsala/insatser/{insats.pk}/andra/#beviljade-belopp")

    amount = "input[name='anslag-0-amount']"
    keys.tab_to(amount)
    expect(page.locator(amount)).to_have_accessible_name("Beviljat belopp 2026 (kr)")
    keys.press("ControlOrMeta+a")
    page.keyboard.type("2 900 000")
    keys.tab_to("main button[type=submit]:text-is('Spara')")
    keys.press("Enter")

    expect(page.get_by_role("heading", name="Växtkraft")).to_be_visible()
    assert keys.tabs <= MAX_TABS
    assert insats.anslag.get(year=2026).amount == 2900000
