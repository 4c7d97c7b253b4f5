"""Every main page asks the database the same number of times, whatever the förbund's size.

Two förbund are built beside each other (and a third, larger one whose rows
the pages must not touch): a small one over two years and one five to ten
times larger over six. Each main page, for each role that reads it, must
cost the same queries in both, and stay under a bound.
"""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finsam.models import Forbund, Roll
from insatser.models import Insats
from uppfoljning.national import Size, build_forbund
from uppfoljning.pages import main_pages

SMALL = Size(members=(4, 4), new_insatser=(1, 1), meetings=2, items=2, events=3)
LARGE = Size(members=(12, 12), new_insatser=(4, 4), meetings=6, items=5, events=30)
# The meeting page asks the most (agenda, attendance, jäv, quorum, notices,
# the items' subjects): 17 here, where sessions live in the database (with a
# shared cache, CACHE_URL, one less); the plan pages 15.
MAX_QUERIES = 17


def _build(slug, years, size):
    forbund = Forbund.objects.create(slug=slug, name=f"Samordningsförbundet {slug}")
    return build_forbund(forbund, years=years, rng=random.Random(slug), size=size)


@pytest.fixture
def two_sizes(db, settings):
    # Counted without the page cache (tests/test_page_cache.py counts a warm page's).
    settings.PAGE_CACHE = False
    small = _build("liten", 2, SMALL)
    large = _build("stor", 6, LARGE)
    _build("granne", 3, LARGE)  # rows of another förbund, which no page may count
    return small, large


def _differing(small, large):
    return {name: (n, large.get(name)) for name, n in small.items() if n != large.get(name)}


def _counts(client, forbund, kind):
    roll = Roll.objects.select_related("user", "medlem").get(forbund=forbund, kind=kind)
    client.force_login(roll.user)
    counts = {}
    for page in main_pages(forbund, agare=roll.medlem):
        if kind not in page.roles or page.is_list:
            continue
        url = f"/{forbund.slug}/{page.path}"
        client.get(url)  # warm caches that live for the process (content types)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (page.name, kind, response.status_code)
        counts[page.name] = len(queries)
    return counts


@pytest.mark.parametrize("kind", list(Roll.Kind))
def test_every_main_page_costs_the_same_queries_at_two_sizes(client, two_sizes, kind):
    small, large = two_sizes
    assert Insats.objects.of(large).count() >= 5 * Insats.objects.of(small).count()

    in_small = _counts(client, small, kind)
    in_large = _counts(client, large, kind)

    assert in_large == in_small, _differing(in_small, in_large)
    assert max(in_large.values()) <= MAX_QUERIES, in_large
