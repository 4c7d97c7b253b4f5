"""The room to decide beside a proposal: the budget app's figure, through the registry."""

from decimal import Decimal

import pytest

from budget.models import Budgetrad
from budget.tables import budget_table
from insatser.ansokan import room
from tests.factories import BudgetFactory, BudgetradFactory

pytestmark = pytest.mark.django_db


def test_no_budget_no_figure(submitted):
    rows = room.for_ansokan(submitted)
    assert [(r.year, r.before, r.after) for r in rows] == [(2027, None, None)]


def test_before_and_after_a_yes(submitted, forbund):
    budget = BudgetFactory(forbund=forbund, year=2027)
    BudgetradFactory(
        budget=budget, group=Budgetrad.Group.OVRIGA_INTAKTER, name="Intäkt", amount=900_000
    )
    BudgetradFactory(budget=budget, amount=100_000)  # a cost
    expected = budget_table(budget).remaining
    assert room.remaining(forbund, 2027) == expected == Decimal(800_000)
    belopp = submitted.belopp.get()
    [row] = room.for_ansokan(submitted)
    assert row.proposed == belopp.amount == Decimal(500_000)  # nothing proposed: the asked
    assert row.after == Decimal(300_000) and not row.exceeded
    belopp.proposed = Decimal(850_000)
    belopp.save()
    [row] = room.for_ansokan(submitted)
    assert row.after == Decimal(-50_000) and row.exceeded
