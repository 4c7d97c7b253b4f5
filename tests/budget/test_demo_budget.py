"""The demo förbund file gives the seed's 2026 budget table to the krona."""

from decimal import Decimal

import pytest

from budget.forbundsfil import load_forbund_file
from budget.models import Budget
from budget.tables import budget_table
from finsam.templatetags.finsam import belopp

DEMO = "budget/demo/uppsala.yaml"

SEED_INSATSER = [
    ("Växtkraft", "Enköping", 2753),
    ("Plattform för individstöd", "Heby", 2523),
    ("Framsteget", "Håbo", 1861),
    ("En väg in - steget vidare", "Knivsta", 1599),
    ("RegExPro", "Region Uppsala", 1245),
    ("Min framtid", "Tierp", 2843),
    ("Lokussamordnare", "Uppsala", 280),
    ("Samordnat stöd för arbete/studier", "Uppsala", 3368),
    ("Lokussamordnare", "Älvkarleby", 161),
    ("Förstärkt stöd till arb/studier", "Älvkarleby", 1800),
    ("Nystart Östhammar", "Östhammar", 2257),
]


@pytest.fixture
def table(db):
    forbund = load_forbund_file(DEMO)
    return budget_table(Budget.objects.of(forbund).get(year=2026))


def tkr(value):
    return Decimal(value) * 1000


def test_the_totals_are_the_seeds(table):
    assert table.income_total == tkr(24180)
    assert table.cost_total == tkr(27150)
    assert table.result == tkr(-2970)
    assert table.budget.previous_surplus == tkr(4495)
    assert table.budget.forecast_previous_year == tkr(-518)
    assert table.remaining == tkr(1007)
    assert table.insatser_total == tkr(20690)
    assert table.ovriga_total == tkr(960)
    assert table.samverkan_total == tkr(21650)


def test_every_insats_line_is_the_seeds(table):
    lines = [(line.name, line.owner, line.amount) for line in table.insats_lines]
    assert lines == [(name, owner, tkr(amount)) for name, owner, amount in SEED_INSATSER]


def test_the_lines_read_as_in_the_plan(table):
    income = [(line.name, belopp(line.amount)) for line in table.income_lines]
    assert income == [
        ("Medlemsavgifter", "23\u00a0490"),
        ("Försäljning av tjänster", "240"),
        ("ESF medel ISA", "450"),
    ]
    assert belopp(table.result) == "\u22122\u00a0970"
    assert belopp(table.remaining) == "1\u00a0007"


def test_the_demo_contributions_follow_the_law_and_the_key(client, table):
    from finsam.models import Roll
    from tests.factories import RollFactory

    kansli = RollFactory(forbund=table.budget.forbund, kind=Roll.Kind.KANSLI).user
    client.force_login(kansli)
    page = client.get("/uppsala/budget/2026/medlemsavgifter/").content.decode()
    assert "Kommunernas fördelning enligt nyckeln" in page
    assert "följs inte" not in page
    assert "alert-warning" not in page
