"""The plan's page asks the database a fixed number of times, however large the förbund."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finsam.models import Medlem
from insatser.models import Anslag, Insats
from tests.budget.test_plan_pdf import _plan_with_insatser

# Session, user, role, the plan and its parts, the budget table: the same
# number whatever the förbund's size.
PAGE_QUERIES = 20


def _page_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/uppsala/plan/2026/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("count", [10, 200])
def test_the_plan_page_shows_every_insats_in_a_bounded_number_of_queries(
    client, kansli, forbund, count, django_assert_max_num_queries
):
    _plan_with_insatser(forbund, count)
    client.force_login(kansli)
    with django_assert_max_num_queries(PAGE_QUERIES):
        _, html = _page_queries(client)
    assert f"Insats {count - 1:03}" in html


def test_ten_and_two_hundred_insatser_cost_the_same_queries(client, kansli, forbund):
    _plan_with_insatser(forbund, 10)
    client.force_login(kansli)
    with_ten, _ = _page_queries(client)

    medlem = Medlem.objects.of(forbund).first()
    more = Insats.objects.bulk_create(
        Insats(forbund=forbund, name=f"Extra {i}", agare=medlem, kind=Insats.Kind.INDIVID)
        for i in range(190)
    )
    Anslag.objects.bulk_create(Anslag(insats=i, year=2026, amount=Decimal("1000")) for i in more)
    with_two_hundred, html = _page_queries(client)

    assert "Extra 189" in html
    assert with_two_hundred == with_ten
