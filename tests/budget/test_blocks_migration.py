"""The data migration gives the budgets in the database, written before blocks, the
blocks that print their table as before (budget.layout.lay_out_flat_budget)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from budget.models import Budget, Budgetrad
from tests.factories import ForbundFactory

BEFORE = [("budget", "0007_budget_table_blocks")]
AFTER = [("budget", "0008_budget_lines_as_blocks")]


@pytest.fixture
def migrated_back():
    """The database at BEFORE for the test, and at the latest migrations again after it
    (other tests on this database need every column)."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_flat_budgets_get_their_samverkan_blocks(migrated_back):
    # 0008 changes data only: the tables are as today, so today's models write the rows.
    forbund = ForbundFactory(slug="gammal")
    budget = Budget.objects.create(forbund=forbund, year=2025)
    for order, (group, name, source, amount) in enumerate(
        [
            ("medlemsavgifter", "Medlemsavgifter", "medlemsavgifter", None),
            ("forvaltning", "Förvaltning", "typed", 400_000),
            ("insatser", "Samverkansinsatser", "insatser", None),
            ("ovriga_samverkansinsatser", "Kompetens", "typed", 50_000),
        ]
    ):
        Budgetrad.objects.create(
            budget=budget, group=group, name=name, source=source, amount=amount, order=order
        )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    apps = executor.loader.project_state(AFTER).apps
    rows = apps.get_model("budget", "Budgetrad").objects.filter(budget_id=budget.pk)
    tree = [
        (r.kind, r.name, r.parent.name if r.parent_id else None, r.sum_label)
        for r in rows.order_by("order", "pk")
    ]
    assert tree == [
        ("rad", "Medlemsavgifter", None, ""),
        ("rad", "Förvaltning", None, ""),
        ("block", "Samverkansinsatser", None, ""),
        ("block", "", "Samverkansinsatser", "S:a samverkansinsatser"),
        ("rad", "Namn på insats", "", ""),
        ("block", "Övriga samverkansinsatser", "Samverkansinsatser", "S:a övr samverkansinsatser"),
        ("rad", "Kompetens", "Övriga samverkansinsatser", ""),
    ]
