"""WCAG 2.1 AA with axe-core on every page each role can reach, and reflow at 320 px.

The pages are found by crawling: from the förbund's start page, every link
that stays under /<förbund>/ is followed (GET only, no downloads), one page
per URL pattern (ids normalised, query values ignored), at most MAX_PAGES per
role. Form pages are then submitted with invalid values so that their error
state is checked too. A new page is covered as soon as something links to it.

axe-core comes from the npm registry (`npm install`, package.json at the
repo root). Without node_modules/axe-core the test fails on CI and is
skipped elsewhere.
"""

import datetime
import os
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import Resolver404, resolve

from budget.models import Budget, Verksamhetsplan
from budget.versions import start_from_previous
from finsam.models import Forbund

User = get_user_model()

pytestmark = pytest.mark.e2e

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "demo-e2e-1234"
SLUG = "uppsala"
MAX_PAGES = 150
# Downloads and actions, never pages: logging out, files, Excel and PDF.
SKIPPED_WORDS = ("logga-ut", "/fil/", "excel", "export", "/pdf/", ".pdf", ".xlsx")
ROLES = {"styrelse": "styrelse", "revisor": "revisor", "insatsagare": "heby", "kansli": "kansli"}


@pytest.fixture(scope="session")
def axe_script():
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"axe-core is missing at {AXE}; run `npm install --no-audit --no-fund`.")
        pytest.skip(f"no axe-core at {AXE} (npm install --no-audit --no-fund)")
    return str(AXE)


@pytest.fixture
def demo(transactional_db, monkeypatch):
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2026, 11, 23)
    )
    call_command("demo", password=PASSWORD, stdout=open("/dev/null", "w"))  # noqa: SIM115
    add_drafts()


def add_drafts():
    """The demo's 2026 plan and budget are published, so nothing links to their edit
    pages: a draft plan for 2027, a proposed budget for 2027 and a new draft version
    of 2026's budget open those pages to the crawl."""
    forbund = Forbund.objects.get(slug=SLUG)
    kansli = User.objects.get(username="kansli")
    Verksamhetsplan.start_from_previous(forbund=forbund, year=2027, user=kansli)
    start_from_previous(forbund=forbund, year=2027, user=kansli).propose(by=kansli)
    Budget.objects.of(forbund).latest_version(2026).new_version(by=kansli, reason="Ändrad")


@pytest.fixture
def context(_plain_http_server, browser, live_server):
    # The pages' Content-Security-Policy allows no inline script: the test's own
    # injected axe-core is let through, the pages are served as ever.
    context = browser.new_context(
        base_url=live_server.url,
        locale="sv-SE",
        viewport={"width": 1280, "height": 900},
        bypass_csp=True,
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


def pattern_of(url):
    """One key per kind of page: `/uppsala/insatser/12/?sort=name` → ("insats_detail", ...)."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return (parts.path,)
    kwargs = tuple(
        sorted((k, v if k in ("forbund", "year") else "*") for k, v in match.kwargs.items())
    )
    query = tuple(sorted({name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}))
    return (match.view_name, kwargs, query)


def wanted(url, origin):
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return False
    if not parts.path.startswith(f"/{SLUG}/"):
        return False
    return not any(word in url.lower() for word in SKIPPED_WORDS)


# References to ids that are not on the page (axe lets some of these pass).
MISSING_IDS = """() => {
  const problems = [];
  for (const attr of ['aria-describedby', 'aria-labelledby', 'aria-controls']) {
    for (const el of document.querySelectorAll('[' + attr + ']')) {
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) {
          problems.push(`${attr}="${id}" on ${el.outerHTML.slice(0, 80)} points at nothing`);
        }
      }
    }
  }
  for (const link of document.querySelectorAll('#fel-sammanfattning a[href^="#"]')) {
    const target = link.getAttribute('href');
    if (!document.getElementById(target.slice(1))) {
      problems.push(`the error summary links to ${target}, not on the page`);
    }
  }
  return problems;
}"""


def check_page(page, axe_script, label, problems):
    """axe at 1280 px, then the page's own width at 320 px."""
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(path=axe_script)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        TAGS,
    )
    for violation in result["violations"]:
        for node in violation["nodes"]:
            problems.append(
                f"{label}: {violation['id']} at {' '.join(map(str, node['target']))}"
                f" ({violation['help']})"
            )
    for problem in page.evaluate(MISSING_IDS):
        problems.append(f"{label}: {problem}")
    page.set_viewport_size({"width": 320, "height": 900})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width > 320:
        problems.append(f"{label}: the page is {width} px wide at 320 px (sideways scrolling)")
    page.set_viewport_size({"width": 1280, "height": 900})


def check_menu_fits(page, label, problems):
    """At 992–1366 px the expanded menu keeps every item on screen."""
    for width in (992, 1200, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        outside = page.evaluate(
            """width => [...document.querySelectorAll(
                  'nav.navbar a, nav.navbar button, nav.navbar input')]
                .filter(e => e.offsetParent !== null)
                .filter(e => { const r = e.getBoundingClientRect();
                               return r.right > width || r.left < 0; })
                .map(e => e.textContent.trim() || e.outerHTML.slice(0, 60))""",
            width,
        )
        if outside:
            problems.append(f"{label} at {width} px: menu items off screen: {outside}")
    page.set_viewport_size({"width": 1280, "height": 900})


def log_in(page, username):
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/logga-in/" not in url)


def crawl(page, origin, axe_script, problems):
    """Visit and check every kind of page reachable from the start page; return the form pages."""
    queue = [f"{origin}/{SLUG}/"]
    seen = {pattern_of(queue[0])}
    form_pages = []
    while queue and len(seen) <= MAX_PAGES:
        url = queue.pop(0)
        response = page.goto(url)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        label = f"{url.removeprefix(origin)} ({response.status})"
        if response.status >= 500:
            problems.append(f"{label}: server error")
            continue
        check_page(page, axe_script, label, problems)
        if page.locator(INVALIDATABLE_FORM).count():
            form_pages.append(url)
        for link in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            link = link.split("#")[0]
            if wanted(link, origin) and pattern_of(link) not in seen:
                seen.add(pattern_of(link))
                queue.append(link)
    return len(seen), form_pages


# A form that saves something: posted, with a field a person types into.
INVALIDATABLE_FORM = (
    "main form[method=post]:not([hx-post]):has(input:not([type=hidden]):not([type=checkbox])"
    ":not([type=radio]):not([type=submit]), textarea)"
)

# Makes the first saving form invalid: amounts and dates become words, required fields empty.
INVALIDATE = """selector => {
  const form = document.querySelector(selector);
  let changed = 0;
  for (const el of form.querySelectorAll('input, textarea, select')) {
    if (['hidden', 'checkbox', 'radio', 'submit', 'button'].includes(el.type)) continue;
    const mode = el.getAttribute('inputmode');
    if (['date', 'time', 'number'].includes(el.type) || mode === 'decimal' || mode === 'numeric') {
      el.type = 'text';
      el.value = 'ogiltig';
      changed++;
    } else if (el.required) {
      el.value = '';
      changed++;
    }
  }
  return changed;
}"""


def check_forms_with_errors(page, origin, form_pages, axe_script, problems):
    for url in form_pages:
        page.goto(url)
        if not page.evaluate(INVALIDATE, INVALIDATABLE_FORM):
            continue
        with page.expect_navigation():
            page.locator(INVALIDATABLE_FORM).first.locator("[type=submit]").first.click()
        label = f"{url.removeprefix(origin)} after an invalid POST"
        if page.url != url:
            problems.append(f"{label}: accepted (redirected to {page.url}), no error shown")
            continue
        if not page.locator("#fel-sammanfattning").count():
            problems.append(f"{label}: no error summary")
        elif not page.evaluate("() => document.activeElement.id === 'fel-sammanfattning'"):
            problems.append(f"{label}: the error summary does not have the focus")
        check_page(page, axe_script, label, problems)


def check_error_pages(page, origin, role, axe_script, problems):
    response = page.goto(f"/{SLUG}/finns-inte/")
    assert response.status == 404
    check_page(page, axe_script, f"/{SLUG}/finns-inte/ (404)", problems)
    if role != "kansli":
        response = page.goto(f"/{SLUG}/insatser/ny/")
        assert response.status == 403
        check_page(page, axe_script, f"/{SLUG}/insatser/ny/ (403)", problems)


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_passes_axe_and_reflows(role, demo, context, live_server, axe_script):
    page = context.new_page()
    log_in(page, ROLES[role])
    problems = []
    check_menu_fits(page, f"/{SLUG}/", problems)
    visited, form_pages = crawl(page, live_server.url, axe_script, problems)
    print(f"{role}: {visited} kinds of page, {len(form_pages)} forms sent with errors")
    check_error_pages(page, live_server.url, role, axe_script, problems)
    check_forms_with_errors(page, live_server.url, form_pages, axe_script, problems)
    page.goto("/")
    check_page(page, axe_script, f"/ as {role}", problems)
    assert not problems, f"{len(problems)} problems for {role}:\n" + "\n".join(problems)
    # The crawl found the förbund's pages (the demo has these and more).
    assert visited >= {"kansli": 40, "insatsagare": 5}.get(role, 20), visited
    if role == "kansli":
        assert len(form_pages) >= 10, form_pages


def test_login_page_passes_axe(context, axe_script, transactional_db):
    page = context.new_page()
    problems = []
    page.goto("/konto/logga-in/")
    check_page(page, axe_script, "/konto/logga-in/", problems)
    page.get_by_label("Användarnamn").fill("ingen")
    page.get_by_label("Lösenord").fill("fel")
    page.get_by_role("button", name="Logga in").click()
    page.locator("#fel-sammanfattning").wait_for()
    check_page(page, axe_script, "/konto/logga-in/ with a wrong password", problems)
    assert not problems, "\n".join(problems)


# The board's follow-up: its states beyond what the crawl finds (figures with
# hidden cells, a bad period, kansli's assessment with an error).
FOLLOWUP_STATES = [
    f"/{SLUG}/uppfoljning/",
    f"/{SLUG}/uppfoljning/?ar=2026&period=h1",
    f"/{SLUG}/uppfoljning/?ar=abc&period=q5",
]


def approve_first_half_reports():
    """The demo's reports of 2026's first half, approved with counts some of which are small."""
    from uppfoljning.models import Deltagarantal, Rapport

    forbund = Forbund.objects.get(slug=SLUG)
    reports = Rapport.objects.of(forbund).filter(
        period_start__gte=datetime.date(2026, 1, 1), period_end__lte=datetime.date(2026, 6, 30)
    )
    for n, rapport in enumerate(reports):
        Rapport.objects.filter(pk=rapport.pk).update(status=Rapport.Status.GODKAND)
        for category, women, men in [("nya", 2 + n, 9), ("aktiva", 20, 3 + n), ("avslutade", 6, 7)]:
            Deltagarantal.objects.update_or_create(
                rapport=rapport,
                category=category,
                defaults={"women": women, "men": men, "young_women": 0, "young_men": 0},
            )


@pytest.mark.parametrize("role", ["kansli", "styrelse"])
def test_the_follow_up_page_passes_axe_in_its_states(role, demo, context, live_server, axe_script):
    from budget.models import Resultatmal

    approve_first_half_reports()
    page = context.new_page()
    log_in(page, ROLES[role])
    problems = []
    for path in FOLLOWUP_STATES:
        response = page.goto(path)
        assert response.status == 200, path
        check_page(page, axe_script, path, problems)
    if role == "kansli":
        target = Resultatmal.objects.filter(
            mal__plan__forbund__slug=SLUG, mal__plan__year=2026, indicator="manuell"
        ).first()
        path = f"/{SLUG}/uppfoljning/bedomning/{target.pk}/?ar=2026&period=h1"
        page.goto(path)
        check_page(page, axe_script, path, problems)
        page.get_by_label("Kansliets bedömning").fill("Samtal med 811218-9876.")
        with page.expect_navigation():
            page.get_by_role("button", name="Spara bedömningen").click()
        assert page.locator("#fel-sammanfattning").count()
        check_page(page, axe_script, f"{path} after an invalid POST", problems)
    assert not problems, f"{len(problems)} problems for {role}:\n" + "\n".join(problems)


def test_report_form_states_pass_axe(demo, context, live_server, axe_script):
    """The report form of a structural insats (its goals), refused at submit (the
    reasons do not add up), and kansli's page of the submitted report with its return
    form sent empty."""
    from tests.factories import AnsokanFactory, InsatsFactory
    from uppfoljning.models import Rapport

    forbund = Forbund.objects.get(slug=SLUG)
    heby = forbund.medlemmar.get(short_name="Heby")
    ansokan = AnsokanFactory(forbund=forbund, agare=heby)
    insats = InsatsFactory(
        forbund=forbund,
        agare=heby,
        name="Samverkansrutiner i Heby",
        kind="struktur",
        ansokan=ansokan,
        start=datetime.date(2026, 7, 1),
        end=datetime.date(2027, 6, 30),
    )
    rapport = Rapport.objects.get(insats=insats, kind="kvartal", period_start=insats.start)
    problems = []
    page = context.new_page()
    log_in(page, "heby")
    page.goto(f"/{SLUG}/rapporter/{rapport.pk}/andra/")
    check_page(page, axe_script, "report form (structural)", problems)
    page.get_by_label("Avslutade deltagare, kvinnor", exact=True).fill("2")
    page.get_by_role("button", name="Spara och skicka in").click()
    page.locator("#fel-sammanfattning").wait_for()
    check_page(page, axe_script, "report form refused at submit", problems)
    Rapport.objects.filter(pk=rapport.pk).update(status="inskickad", diarienummer="2026/99")
    kansli = context.browser.new_context(base_url=live_server.url, locale="sv-SE", bypass_csp=True)
    other = kansli.new_page()
    log_in(other, "kansli")
    other.goto(f"/{SLUG}/rapporter/{rapport.pk}/")
    check_page(other, axe_script, "submitted report (kansli)", problems)
    other.get_by_role("button", name="Återförvisa").click()
    other.locator("#fel-sammanfattning").wait_for()
    check_page(other, axe_script, "return form sent empty", problems)
    other.goto(f"/{SLUG}/rapporter/")
    check_page(other, axe_script, "reports list", problems)
    kansli.close()
    assert not problems, "\n".join(problems)
