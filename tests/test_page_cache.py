"""The page cache (finsam/generation.py) changes no page: same HTML, fresh after an edit, no leak.

The cache here is one in this process (locmem), which is right for one
process. The test's transaction never commits, so the writes run under
`django_capture_on_commit_callbacks(execute=True)`: what a commit runs.
"""

import datetime
import random
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from budget.models import Avsnitt, Verksamhetsplan
from finsam import generation
from finsam.models import Forbund, Medlem, Roll
from insatser.models import Anslag, Ansokan, Insats
from uppfoljning.national import Size, build_forbund
from uppfoljning.pages import main_pages

from .factories import (
    ArendeFactory,
    ForbundFactory,
    LedamotFactory,
    MedlemFactory,
    RollFactory,
    SammantradeFactory,
)

SIZE = Size(members=(5, 5), new_insatser=(2, 2), meetings=3, items=3, events=8)
CACHED = (
    "Startsidan",
    "Verksamhetsplan",
    "Förhandsvisning",
    "Verksamhetsplan, utkast",
    "Medlem",
    "Insats",
    "Sammanträde",
)
VALUES = ("Budget", "Budget, utkast")  # the table and history of the page
LISTS = ("Insatser", "Styrelsen", "Beslut", "Ansökningar")


@pytest.fixture
def page_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pc"},
    }
    settings.PAGE_CACHE_ALIAS = "pages"
    generation._cache().clear()
    yield settings
    generation._cache().clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _build(slug, years=3):
    forbund = Forbund.objects.create(slug=slug, name=f"Samordningsförbundet {slug.title()}")
    return build_forbund(forbund, years=years, rng=random.Random(slug), size=SIZE)


@pytest.fixture
def two(db, committed, page_cache):
    with committed():
        return _build("forsta"), _build("andra")


def _normal(html):
    """The page without what differs on every request (CSRF token, a form's one-time key,
    CSP nonce) or whitespace."""
    changing = r'(name="(?:csrfmiddlewaretoken|[\w-]*submission_key)" value=")[^"]*"'
    html = re.sub(changing, r'\1"', html)
    html = re.sub(r'(nonce=")[^"]*"', r'\1"', html)
    html = re.sub(r">\s+<", "><", html)
    return re.sub(r"\s+", " ", html).strip()


def _login(client, forbund, kind):
    roll = Roll.objects.select_related("user", "medlem").get(forbund=forbund, kind=kind)
    client.force_login(roll.user)
    return roll


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return _normal(response.content.decode())


@pytest.mark.parametrize("kind", list(Roll.Kind))
def test_every_main_page_is_the_same_with_the_cache_on_and_off(client, two, page_cache, kind):
    for forbund in two:
        roll = _login(client, forbund, kind)
        for page in main_pages(forbund, agare=roll.medlem):
            if kind not in page.roles or page.path.endswith("excel/"):
                continue
            base = f"/{forbund.slug}/{page.path}"
            # A list's table is cached per query string: sorted, searched, paged.
            queries = ["", "?sort=-namn", "?q=a", "?page=2", "?ar=2020"] if page.is_list else [""]
            for url in [base + query for query in queries]:
                page_cache.PAGE_CACHE = False
                off = _html(client, url)
                page_cache.PAGE_CACHE = True
                cold, warm = _html(client, url), _html(client, url)
                assert cold == off, (url, kind)
                assert warm == off, (url, kind)


@pytest.mark.parametrize("kind", list(Roll.Kind))
def test_a_warm_cached_page_asks_fewer_queries(client, two, page_cache, kind):
    page_cache.PAGE_CACHE = True
    forbund = two[0]
    roll = _login(client, forbund, kind)
    for page in main_pages(forbund, agare=roll.medlem):
        if kind not in page.roles or page.name not in CACHED + LISTS + VALUES:
            continue
        if kind == Roll.Kind.INSATSAGARE and page.name == "Startsidan":
            continue  # its own insatser and applications: not cached
        url = f"/{forbund.slug}/{page.path}"
        with CaptureQueriesContext(connection) as cold:
            client.get(url)
        with CaptureQueriesContext(connection) as warm:
            assert client.get(url).status_code == 200
        assert len(warm) < len(cold), (page.name, kind, len(warm), len(cold))
        if page.name in CACHED:  # the session, the door, the page's own row
            bound = 4 if page.name == "Sammanträde" else 3  # and the user's own seat (jäv)
            assert len(warm) <= bound, (page.name, kind, [q["sql"] for q in warm])


def test_the_start_page_after_an_edit_shows_the_edit(client, two, page_cache, committed):
    page_cache.PAGE_CACHE = True
    forbund = two[0]
    _login(client, forbund, Roll.Kind.KANSLI)
    url = f"/{forbund.slug}/"
    before = _html(client, url)
    count = Medlem.objects.of(forbund).count()
    assert f">{count}</a>" in before
    # A write past the signals is not seen: the page is served from the cache ...
    with committed():
        Medlem._base_manager.bulk_create([Medlem(forbund=forbund, name="Förbi", kind="kommun")])
    assert _html(client, url) == before
    # ... and an ordinary write is seen at once, after its commit.
    with committed():
        Medlem.objects.create(forbund=forbund, name="Nya kommunen", kind=Medlem.Kind.KOMMUN)
    assert f">{count + 2}</a>" in _html(client, url)


def test_the_plan_and_its_preview_after_an_edit_show_the_edit(client, two, page_cache, committed):
    page_cache.PAGE_CACHE = True
    forbund = two[0]
    _login(client, forbund, Roll.Kind.KANSLI)
    plan = Verksamhetsplan.objects.of(forbund).order_by("-year").first()
    url = f"/{forbund.slug}/plan/{plan.year}/"
    urls = [url, f"{url}forhandsvisning/"]
    for url in urls:
        _html(client, url)
    avsnitt = Avsnitt.objects.filter(plan=plan).first()
    with committed():
        avsnitt.title = "En alldeles ny rubrik"
        avsnitt.save()
    for url in urls:
        assert "En alldeles ny rubrik" in _html(client, url), url
    with committed():
        Verksamhetsplan.objects.of(forbund).filter(pk=plan.pk).update(version=plan.version)
        Avsnitt.objects.filter(pk=avsnitt.pk).update(body="Helt ny brödtext i avsnittet.")
    for url in urls:
        assert "Helt ny brödtext i avsnittet." in _html(client, url), url


def test_no_role_or_forbund_gets_anothers_fragment(client, two, page_cache):
    page_cache.PAGE_CACHE = True
    first, second = two
    seen = {}
    for forbund in (first, second):
        for kind in (Roll.Kind.KANSLI, Roll.Kind.REVISOR, Roll.Kind.STYRELSE):
            _login(client, forbund, kind)
            seen[forbund.slug, kind] = _html(client, f"/{forbund.slug}/")
    for (slug, kind), html in seen.items():
        other = second if slug == first.slug else first
        assert other.name not in html
        assert ("Att göra" in html) == (kind == Roll.Kind.KANSLI), kind
        assert ("också händelseloggen" in html) == (kind == Roll.Kind.REVISOR), kind
        assert ("– styrelsen</h1>" in html) == (kind == Roll.Kind.STYRELSE), kind


def test_two_insatsagare_never_get_each_others_cached_list(client, two, page_cache, committed):
    page_cache.PAGE_CACHE = True
    forbund = two[0]
    own = Roll.objects.get(forbund=forbund, kind=Roll.Kind.INSATSAGARE)
    owners = set(Ansokan.objects.of(forbund).values_list("agare", flat=True))
    other_medlem = Medlem.objects.of(forbund).filter(pk__in=owners).exclude(pk=own.medlem_id)[0]
    with committed():
        other = RollFactory(forbund=forbund, kind=Roll.Kind.INSATSAGARE, medlem=other_medlem)
    seen = {}
    for roll in (own, other, own, other):  # the second round is served from the cache
        client.force_login(roll.user)
        seen[roll.medlem_id] = [
            _html(client, f"/{forbund.slug}/{path}") for path in ("ansokningar/", "insatser/")
        ]
    for roll, someone_else in ((own, other), (other, own)):
        html = " ".join(seen[roll.medlem_id])
        mine = Ansokan.objects.of(forbund).filter(agare=roll.medlem_id)
        theirs = Ansokan.objects.of(forbund).filter(agare=someone_else.medlem_id)
        assert mine and theirs
        assert all(a.diarienummer in html for a in mine)
        assert not any(a.diarienummer in html for a in theirs)
        insatser = Insats.objects.of(forbund).visible_to(roll)
        assert all(i.name in seen[roll.medlem_id][1] for i in insatser)


def test_the_member_and_insats_pages_after_an_edit_show_the_edit(
    client, two, page_cache, committed
):
    page_cache.PAGE_CACHE = True
    forbund = two[0]
    _login(client, forbund, Roll.Kind.KANSLI)
    insats = Insats.objects.of(forbund).select_related("agare").first()
    urls = [
        f"/{forbund.slug}/insatser/{insats.pk}/",
        f"/{forbund.slug}/medlemmar/{insats.agare_id}/",
        f"/{forbund.slug}/insatser/",
    ]
    for url in urls:
        assert "Ett helt nytt namn" not in _html(client, url)
    with committed():  # the insats's name shows on all three; its owner's page caches it
        insats.name = "Ett helt nytt namn"
        insats.save()
    for url in urls:
        assert "Ett helt nytt namn" in _html(client, url), url
    with committed():  # a grant of the insats: only on its own page
        Anslag.objects.create(insats=insats, year=2099, amount=Decimal("4321987"))
    assert "4 321 987" in _html(client, urls[0]) or "4 322" in _html(client, urls[0])


def test_the_meeting_page_offers_jav_only_to_the_board_member_with_a_seat(
    client, page_cache, committed, db
):
    """Whether a board member may declare jäv is theirs: in the key, never shared."""
    page_cache.PAGE_CACHE = True
    today = timezone.localdate()
    with committed():
        forbund = ForbundFactory(slug="javby")
        medlem = MedlemFactory(forbund=forbund)
        seated, other = (
            RollFactory(forbund=forbund, kind=Roll.Kind.STYRELSE).user for _ in range(2)
        )
        LedamotFactory(
            medlem=medlem,
            user=seated,
            mandate_start=today - datetime.timedelta(days=365),
            mandate_end=today + datetime.timedelta(days=365),
        )
        meeting = SammantradeFactory(forbund=forbund, date=today + datetime.timedelta(days=10))
        ArendeFactory(sammantrade=meeting, title="Bevilja medel")
    url = f"/{forbund.slug}/sammantraden/{meeting.pk}/"
    for user in (seated, other, seated, other):  # the second round from the cache
        client.force_login(user)
        assert ("Anmäl jäv" in _html(client, url)) == (user == seated)
