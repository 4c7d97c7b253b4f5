"""A budget started from the year before: the one step that needs both the models
and the table builder (budget.tables reads budget.models, never the other way)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from finsam.models import Handelse

from .models import Budget
from .tables import ZERO, budget_table


@transaction.atomic
def start_from_previous(*, forbund, year, user):
    """A draft for `year` built on the latest version of the year before.

    The lines and blocks are copied (typed amounts as they were; derived lines
    stay derived, so the insatser come from the new year's grants). Outcome and
    forecast start empty. The surplus from earlier years and the forecast for
    last year are suggestions from last year's budget, which the kansli
    adjusts when the interim figures are known.
    """
    budgets = Budget.objects.of(forbund)
    if budgets.of_year(year).exists():
        raise ValidationError(f"Det finns redan en budget för {year}.")
    previous = budgets.latest_version(year - 1)
    if previous is None:
        raise ValidationError(f"Det finns ingen budget för {year - 1} att utgå från.")
    # As the plans write it: the capital at the start of last year, and last
    # year's expected result (its forecast where one is typed, else its budget).
    surplus = previous.previous_surplus + (previous.forecast_previous_year or ZERO)
    forecast = budget_table(previous).result_figures.forecast
    budget = Budget.objects.create(
        forbund=forbund,
        year=year,
        previous_surplus=surplus,
        forecast_previous_year=forecast,
        costs_negative=previous.costs_negative,
        closing=previous.closing,
    )
    previous.copy_lines_to(budget, with_outcome=False)
    Handelse.record(
        forbund=forbund,
        user=user,
        subject=budget,
        action=Budget.STARTED_FROM_PREVIOUS,
        changes={"från": str(previous), "previous_surplus": str(surplus)},
    )
    return budget
