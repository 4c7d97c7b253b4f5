"""The main pages' shortcuts give the same figures and links as the long way."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import OuterRef, Subquery, Sum
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budget.models import Budgetrad, Medlemsavgift
from budget.tables import budget_remaining, budget_table
from finsam.models import Medlem, Sammantrade
from finsam.tables import SammantradeTable
from insatser.models import Anslag
from tests.factories import (
    AnslagFactory,
    BudgetFactory,
    BudgetradFactory,
    InsatsFactory,
    MedlemFactory,
    MedlemsavgiftFactory,
    SammantradeFactory,
)


def members_with_contribution(forbund, year):
    amount = Medlemsavgift.objects.filter(medlem=OuterRef("pk"), year=year).values("amount")
    return list(Medlem.objects.of(forbund).annotate(contribution=Subquery(amount[:1])))


@pytest.mark.django_db
def test_budget_table_counts_fetched_members_as_the_database_does(forbund, other_forbund):
    paying = MedlemFactory(forbund=forbund, name="Heby kommun")
    MedlemFactory(forbund=forbund, name="Tierp kommun")  # no contribution
    MedlemsavgiftFactory(medlem=paying, year=2026, amount=Decimal("300000"))
    MedlemsavgiftFactory(medlem=paying, year=2025, amount=Decimal("999"))  # another year
    MedlemsavgiftFactory(medlem=MedlemFactory(forbund=other_forbund), year=2026)
    budget = BudgetFactory(forbund=forbund, year=2026)
    BudgetradFactory(
        budget=budget,
        group=Budgetrad.Group.MEDLEMSAVGIFTER,
        source=Budgetrad.Source.MEDLEMSAVGIFTER,
        name="Medlemsavgifter",
        amount=None,
    )

    counted = budget_table(budget)
    members = members_with_contribution(forbund, 2026)
    with CaptureQueriesContext(connection) as given:
        fetched = budget_table(budget, members)

    figures = ("members", "members_with_contribution", "medlemsavgifter_total", "remaining")
    assert [getattr(fetched, f) for f in figures] == [getattr(counted, f) for f in figures]
    assert (counted.members, counted.members_with_contribution) == (2, 1)
    assert counted.medlemsavgifter_total == Decimal("300000")
    assert len(given) == len(_queries(budget)) - 1  # the members are not counted again


def _queries(budget):
    with CaptureQueriesContext(connection) as counted:
        budget_table(budget)
    return counted.captured_queries


@pytest.mark.django_db
def test_list_links_are_the_reversed_urls(forbund, kansli):
    meetings = [
        SammantradeFactory(forbund=forbund, date=datetime.date(2026, month, 10)) for month in (3, 6)
    ]
    request = RequestFactory().get("/uppsala/sammantraden/")
    request.forbund, request.roll = forbund, kansli.roller.get()
    table = SammantradeTable(Sammantrade.objects.of(forbund), request=request)

    for meeting in meetings:
        assert table.url("sammantrade_detail", meeting.pk) == reverse(
            "sammantrade_detail", args=["uppsala", meeting.pk]
        )
    rows = list(table.body())
    assert len(rows) == 2
    # Each cell carries its column's own attributes, as django-tables2 builds them.
    for _row, cells in rows:
        assert re.findall(r'<t[hd] (?:scope="row" )?([^>]*)>', cells) == [
            column.attrs["td"].as_html() for column in table.columns
        ]
        assert cells.startswith('<th scope="row" ')


@pytest.mark.django_db
@pytest.mark.parametrize("adopted", [False, True], ids=["draft", "adopted"])
def test_budget_remaining_is_the_tables(forbund, adopted):
    owner = MedlemFactory(forbund=forbund, name="Heby kommun")
    for amount in ("450000", "120000.50"):
        AnslagFactory(insats=InsatsFactory(forbund=forbund, agare=owner), year=2026, amount=amount)
    AnslagFactory(insats=InsatsFactory(forbund=forbund, agare=owner), year=2027)  # next year
    budget = BudgetFactory(forbund=forbund, year=2026, previous_surplus=Decimal("1000000"))
    BudgetradFactory(
        budget=budget, group=Budgetrad.Group.OVRIGA_INTAKTER, name="Bidrag", amount=2000000
    )
    BudgetradFactory(
        budget=budget,
        group=Budgetrad.Group.INSATSER,
        source=Budgetrad.Source.INSATSER,
        name="Insatser",
        amount=None,
    )
    if adopted:
        budget.frozen_sources = budget.current_sources()
        AnslagFactory(insats=InsatsFactory(forbund=forbund, agare=owner), year=2026)  # later
    granted = Anslag.objects.of(forbund).of_year(2026).aggregate(total=Sum("amount"))["total"]
    members = members_with_contribution(forbund, 2026)

    remaining = budget_remaining(budget, members, granted)

    assert remaining == budget_table(budget, members).remaining
    assert remaining == Decimal("3000000") - Decimal("570000.50")
