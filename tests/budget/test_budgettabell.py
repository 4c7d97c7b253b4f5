"""The budget table of Uppsala län 2026, rebuilt from its parts to the krona.

The figures are those of "Verksamhetsplan och budget 2026", Ekonomisk
information (belopp i TSEK), built here with factories alone.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budget.layout import lay_out_flat_budget
from budget.models import Budgetrad
from budget.tables import budget_table, key_split
from finsam.models import Medlem
from finsam.sorting import swedish_key
from insatser.models import Rekvisition
from tests.factories import (
    AnslagFactory,
    BudgetFactory,
    BudgetradFactory,
    ForbundFactory,
    InsatsFactory,
    MedlemFactory,
    MedlemsavgiftFactory,
    RekvisitionFactory,
    RollFactory,
)

K = Decimal("1000")
Group, Source = Budgetrad.Group, Budgetrad.Source

# (insats, owner's short name, 2026 grant in tkr), in the seed's order.
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

# Contributions in kronor: state 50 %, region 25 %, kommuner 25 % of 23 490 000.
SEED_AVGIFTER = {
    "Försäkringskassan": 5_872_500,
    "Arbetsförmedlingen": 5_872_500,
    "Region Uppsala": 5_872_500,
    "Uppsala": 2_500_000,
    "Enköping": 600_000,
    "Heby": 300_000,
    "Håbo": 450_000,
    "Knivsta": 400_000,
    "Tierp": 450_000,
    "Älvkarleby": 250_000,
    "Östhammar": 922_500,
}

# (group, name, source, amount in tkr or None for a derived line)
SEED_RADER = [
    (Group.MEDLEMSAVGIFTER, "Medlemsavgifter", Source.MEDLEMSAVGIFTER, None),
    (Group.FORSALJNING, "Försäljning av tjänster", Source.TYPED, 240),
    (Group.EU_MEDEL, "ESF medel ISA", Source.TYPED, 450),
    (Group.STYRELSE, "Förtroendevalda", Source.TYPED, 500),
    (Group.FORVALTNING, "Förvaltning", Source.TYPED, 4550),
    (Group.FORVALTNING, "Förvaltning ISA", Source.TYPED, 450),
    (Group.INSATSER, "Samverkansinsatser", Source.INSATSER, None),
    (Group.OVRIGA_SAMVERKANSINSATSER, "Ekonom projektstöd", Source.TYPED, 430),
    (Group.OVRIGA_SAMVERKANSINSATSER, "Verksamhetsutvecklare", Source.TYPED, 430),
    (Group.OVRIGA_SAMVERKANSINSATSER, "Kompetenshöjande insatser", Source.TYPED, 100),
]


def _medlem(forbund, short_name, members):
    if short_name not in members:
        kinds = {
            "Försäkringskassan": Medlem.Kind.FORSAKRINGSKASSAN,
            "Arbetsförmedlingen": Medlem.Kind.ARBETSFORMEDLINGEN,
            "Region Uppsala": Medlem.Kind.REGION,
        }
        kind = kinds.get(short_name, Medlem.Kind.KOMMUN)
        name = short_name if kind != Medlem.Kind.KOMMUN else f"{short_name} kommun"
        members[short_name] = MedlemFactory(
            forbund=forbund, name=name, short_name=short_name, kind=kind
        )
    return members[short_name]


def build_seed_2026(forbund, members=None):
    """The seed's 2026 data in `forbund`; returns the budget."""
    members = dict(members or {})
    for short_name, amount in SEED_AVGIFTER.items():
        medlem = _medlem(forbund, short_name, members)
        MedlemsavgiftFactory(medlem=medlem, year=2026, amount=Decimal(amount))
    # In the seed's order: the table prints the insatser in the order they were written.
    for name, owner, tkr in SEED_INSATSER:
        insats = InsatsFactory(forbund=forbund, name=name, agare=members[owner])
        AnslagFactory(insats=insats, year=2026, amount=tkr * K)
    budget = BudgetFactory(
        forbund=forbund,
        year=2026,
        previous_surplus=4495 * K,
        forecast_previous_year=-518 * K,
    )
    for order, (group, name, source, tkr) in enumerate(SEED_RADER):
        BudgetradFactory(
            budget=budget,
            group=group,
            name=name,
            source=source,
            amount=None if tkr is None else tkr * K,
            order=order * 10,
        )
    lay_out_flat_budget(Budgetrad, budget)  # the blocks the loader gives such a file
    return budget


@pytest.fixture
def seed_budget(forbund, heby, tierp, region):
    return build_seed_2026(forbund, {"Heby": heby, "Tierp": tierp, "Region Uppsala": region})


def test_it_reproduces_the_seed_totals(seed_budget):
    table = budget_table(seed_budget)

    assert table.medlemsavgifter_total == 23_490_000
    assert table.income_total == 24_180_000
    assert table.insatser_total == 20_690_000
    assert table.ovriga_total == 960_000
    assert table.samverkan_total == 21_650_000
    assert table.cost_total == 27_150_000
    assert table.result == -2_970_000
    assert table.previous_surplus == 4_495_000
    assert table.forecast_previous_year == -518_000
    assert table.remaining == 1_007_000
    assert table.forecast_label == "Prognostiserat underskott 2025"
    assert table.medlemsavgifter_warning == ""


def test_it_lists_the_insatser_in_the_seeds_order(seed_budget):
    table = budget_table(seed_budget)

    assert [(x.name, x.owner, x.amount) for x in table.insats_lines] == [
        (name, owner, tkr * K) for name, owner, tkr in SEED_INSATSER
    ]


def test_it_lays_out_the_rows_as_the_plan_prints_them(seed_budget):
    rows = [(r.label, r.owner, r.amount) for r in budget_table(seed_budget).rows]

    insats_rows = [(name, owner, tkr * K) for name, owner, tkr in SEED_INSATSER]
    assert rows == [
        ("Intäkter", "", None),
        ("Medlemsavgifter", "", 23_490 * K),
        ("Försäljning av tjänster", "", 240 * K),
        ("ESF medel ISA", "", 450 * K),
        ("S:a intäkter", "", 24_180 * K),
        ("Kostnader", "", None),
        ("Förtroendevalda", "", 500 * K),
        ("Förvaltning", "", 4_550 * K),
        ("Förvaltning ISA", "", 450 * K),
        ("Samverkansinsatser", "", 21_650 * K),
        ("Namn på insats", "Insatsägare", None),
        *insats_rows,
        ("S:a samverkansinsatser", "", 20_690 * K),
        ("Övriga samverkansinsatser", "", None),
        ("Ekonom projektstöd", "", 430 * K),
        ("Verksamhetsutvecklare", "", 430 * K),
        ("Kompetenshöjande insatser", "", 100 * K),
        ("S:a övr samverkansinsatser", "", 960 * K),
        ("S:a kostnader", "", 27_150 * K),
        ("Årets beräknade resultat", "", -2_970 * K),
        ("Över-/underskott från tidigare år", "", 4_495 * K),
        ("Prognostiserat underskott 2025", "", -518 * K),
        ("Kvarvarande beslutsutrymme", "", 1_007 * K),
    ]


def test_other_years_and_other_forbund_do_not_leak(seed_budget, other_forbund):
    vaxtkraft = seed_budget.forbund.insatser.get(name="Växtkraft")
    AnslagFactory(insats=vaxtkraft, year=2027, amount=9_000_000)
    AnslagFactory(insats__forbund=other_forbund, year=2026, amount=7_000_000)
    MedlemsavgiftFactory(medlem__forbund=other_forbund, year=2026, amount=5_000_000)
    MedlemsavgiftFactory(medlem__forbund=seed_budget.forbund, year=2027, amount=5_000_000)

    table = budget_table(seed_budget)

    assert table.insatser_total == 20_690_000
    assert len(table.insats_lines) == 11
    # The 2027 contribution's member has no 2026 row: warned, not counted.
    assert table.medlemsavgifter_total == 23_490_000
    assert "1 av 12 medlemmar saknar medlemsavgift för 2026" in table.medlemsavgifter_warning
    assert table.remaining == 1_007_000


def test_changing_a_grant_changes_the_table(seed_budget):
    anslag = seed_budget.forbund.insatser.get(name="Växtkraft").anslag.get(year=2026)
    anslag.amount = Decimal("3_000_000")
    anslag.save()

    table = budget_table(seed_budget)

    assert table.insatser_total == 20_937_000
    assert table.cost_total == 27_397_000
    assert table.remaining == 760_000
    assert table.insats_lines[0].amount == 3_000_000


def test_a_forbund_without_an_insatser_line_types_its_own(forbund):
    budget = BudgetFactory(forbund=forbund, year=2026)
    AnslagFactory(insats__forbund=forbund, year=2026, amount=2_000_000)
    BudgetradFactory(
        budget=budget,
        group=Group.MEDLEMSAVGIFTER,
        name="Medlemsavgifter",
        amount=3_000_000,
        order=1,
    )
    BudgetradFactory(
        budget=budget, group=Group.INSATSER, name="Insatser", amount=1_500_000, order=2
    )

    table = budget_table(budget)

    assert table.insats_lines == []
    assert table.insatser_total == 1_500_000
    assert table.cost_total == 1_500_000
    assert table.remaining == 1_500_000
    assert "Namn på insats" not in [r.label for r in table.rows]


def test_ej_beslutade_count_in_samverkansinsatser(seed_budget):
    BudgetradFactory(
        budget=seed_budget,
        group=Group.EJ_BESLUTADE,
        name="Ej beslutade insatser",
        amount=1_000_000,
        order=95,
    )

    table = budget_table(seed_budget)

    assert table.ej_beslutade_total == 1_000_000
    assert table.samverkan_total == 22_650_000
    assert table.cost_total == 28_150_000
    assert ("Ej beslutade insatser", Decimal(1_000_000)) in [
        (r.label, r.amount) for r in table.rows
    ]


def test_a_positive_forecast_is_an_overskott(seed_budget):
    seed_budget.forecast_previous_year = Decimal("200000")

    table = budget_table(seed_budget)

    assert table.forecast_label == "Prognostiserat överskott 2025"
    assert table.remaining == 1_725_000


def test_missing_contributions_are_warned(forbund):
    MedlemFactory(forbund=forbund)
    budget = BudgetFactory(forbund=forbund, year=2026)
    BudgetradFactory(
        budget=budget,
        group=Group.MEDLEMSAVGIFTER,
        name="Medlemsavgifter",
        source=Source.MEDLEMSAVGIFTER,
        amount=None,
    )

    table = budget_table(budget)

    assert table.medlemsavgifter_total == 0
    assert "Medlemsavgifterna för 2026 är inte inlagda" in table.medlemsavgifter_warning


def _queries(budget):
    with CaptureQueriesContext(connection) as ctx:
        budget_table(budget)
    return len(ctx.captured_queries)


def test_it_takes_the_same_few_queries_for_10_and_50_insatser(forbund):
    budget = BudgetFactory(forbund=forbund, year=2026)
    BudgetradFactory(
        budget=budget,
        group=Group.MEDLEMSAVGIFTER,
        name="Medlemsavgifter",
        source=Source.MEDLEMSAVGIFTER,
        amount=None,
    )
    BudgetradFactory(
        budget=budget,
        group=Group.INSATSER,
        name="Samverkansinsatser",
        source=Source.INSATSER,
        amount=None,
    )
    for _ in range(10):
        AnslagFactory(insats__forbund=forbund, year=2026)
    few = _queries(budget)
    for _ in range(40):
        AnslagFactory(insats__forbund=forbund, year=2026)

    assert _queries(budget) == few <= 3
    assert len(budget_table(budget).insats_lines) == 50


def test_swedish_key_puts_a_ring_a_umlaut_o_umlaut_last():
    names = ["Östhammar", "älvkarleby", "Uppsala", "Håbo", "Heby", "Åre", "Zeta", "Enköping"]

    assert sorted(names, key=swedish_key) == [
        "Enköping",
        "Heby",
        "Håbo",
        "Uppsala",
        "Zeta",
        "Åre",
        "älvkarleby",
        "Östhammar",
    ]


# outcome and forecast


def _claim(insats, amount, end, status=Rekvisition.Status.GODKAND):
    RekvisitionFactory(
        insats=insats,
        period_start=end.replace(month=1, day=1),
        period_end=end,
        amount=Decimal(amount),
        status=status,
    )


def test_outcome_of_an_insats_is_its_approved_claims_of_the_year(seed_budget, other_forbund):
    vaxtkraft = seed_budget.forbund.insatser.get(name="Växtkraft")
    framsteget = seed_budget.forbund.insatser.get(name="Framsteget")
    _claim(vaxtkraft, 600_000, datetime.date(2026, 3, 31))
    _claim(vaxtkraft, 700_000, datetime.date(2026, 6, 30))
    _claim(vaxtkraft, 800_000, datetime.date(2026, 9, 30), Rekvisition.Status.INSKICKAD)
    _claim(vaxtkraft, 900_000, datetime.date(2026, 9, 30), Rekvisition.Status.AVSLAGEN)
    _claim(vaxtkraft, 500_000, datetime.date(2025, 12, 31))  # last year's period
    _claim(framsteget, 400_000, datetime.date(2027, 3, 31))  # next year's period
    AnslagFactory(insats__forbund=other_forbund, year=2026)
    _claim(other_forbund.insatser.get(), 300_000, datetime.date(2026, 3, 31))

    table = budget_table(seed_budget)

    outcomes = {x.name: x.outcome for x in table.insats_lines}
    assert outcomes["Växtkraft"] == 1_300_000
    assert outcomes["Framsteget"] is None
    assert table.has_outcome
    assert table.costs.outcome == 1_300_000
    assert table.income.outcome == 0
    assert table.result_figures.outcome == -1_300_000
    # No forecast typed: every line's forecast is its budget figure.
    assert table.costs.forecast == table.cost_total == 27_150_000
    assert table.remaining_forecast == table.remaining == 1_007_000


def test_typed_outcome_and_forecast_are_summed_beside_the_budget(seed_budget):
    rader = seed_budget.rader
    rader.filter(name="Medlemsavgifter").update(outcome=17_617_500, forecast=23_490_000)
    rader.filter(name="Försäljning av tjänster").update(outcome=100_000, forecast=200_000)
    rader.filter(name="Förvaltning").update(outcome=3_000_000, forecast=4_300_000)
    rader.filter(name="Ekonom projektstöd").update(outcome=300_000)

    table = budget_table(seed_budget)

    assert table.has_outcome
    assert table.income.outcome == 17_717_500
    assert table.income.forecast == 23_490_000 + 200_000 + 450_000  # ESF: its budget
    assert table.costs.outcome == 3_300_000
    assert table.costs.forecast == 27_150_000 - 250_000
    assert table.result_figures.forecast == 23_690_000 + 450_000 - 26_900_000
    assert table.remaining_forecast == table.result_figures.forecast + 4_495_000 - 518_000
    rows = {r.label: r for r in table.rows}
    assert (rows["Förvaltning"].outcome, rows["Förvaltning"].forecast) == (3_000_000, 4_300_000)
    assert not rows["Förvaltning"].forecast_from_budget
    assert rows["Förvaltning ISA"].outcome is None
    assert rows["Förvaltning ISA"].forecast == 450_000
    assert rows["Förvaltning ISA"].forecast_from_budget
    assert rows["S:a övr samverkansinsatser"].outcome == 300_000
    assert rows["Samverkansinsatser"].outcome == 300_000
    assert rows["S:a kostnader"].forecast == 26_900_000
    assert rows["Kvarvarande beslutsutrymme"].outcome is None
    # The budget figures are untouched.
    assert (table.income_total, table.cost_total, table.remaining) == (
        24_180_000,
        27_150_000,
        1_007_000,
    )


def test_a_budget_without_outcome_has_no_outcome(seed_budget):
    assert not budget_table(seed_budget).has_outcome


def test_claims_take_no_extra_query(forbund):
    budget = BudgetFactory(forbund=forbund, year=2026)
    BudgetradFactory(
        budget=budget,
        group=Group.INSATSER,
        name="Samverkansinsatser",
        source=Source.INSATSER,
        amount=None,
    )
    for _ in range(10):
        _claim(AnslagFactory(insats__forbund=forbund).insats, 1000, datetime.date(2026, 6, 30))
    few = _queries(budget)
    for _ in range(40):
        _claim(AnslagFactory(insats__forbund=forbund).insats, 1000, datetime.date(2026, 6, 30))

    assert _queries(budget) == few <= 2
    assert budget_table(budget).costs.outcome == 50_000


# equity


def test_the_seeds_equity_is_under_the_ceiling(seed_budget):
    table = budget_table(seed_budget)

    assert table.equity == 4_495_000 - 518_000 - 2_970_000 == 1_007_000
    assert table.contributions == 23_490_000
    assert table.equity_ceiling == 4_698_000  # 20 % of 23 490 000
    assert not table.equity_above_ceiling
    assert table.equity_warning("tkr") == ""


def test_equity_above_the_ceiling_is_warned(seed_budget):
    seed_budget.previous_surplus = Decimal("8500000")

    table = budget_table(seed_budget)

    assert table.equity == 5_012_000
    assert table.equity_above_ceiling
    assert table.equity_warning("tkr") == (
        "Eget kapital 5\u00a0012 tkr överstiger taket 20 % av medlemsavgifterna (4\u00a0698 tkr)."
    )
    assert "5\u00a0012\u00a0000 kr" in table.equity_warning("kr")


def test_the_ceiling_follows_the_forbunds_setting(seed_budget):
    seed_budget.forbund.equity_ceiling_percent = Decimal("12.5")

    table = budget_table(seed_budget)

    assert table.equity_ceiling == Decimal("2936250")
    assert table.equity_ceiling_percent_text == "12,5"
    assert table.equity_warning("tkr") == ""
    seed_budget.forbund.equity_ceiling_percent = Decimal("4")
    table = budget_table(seed_budget)
    assert table.equity_warning("tkr") == (
        "Eget kapital 1\u00a0007 tkr överstiger taket 4 % av medlemsavgifterna (940 tkr)."
    )


def test_negative_equity_is_warned(seed_budget):
    seed_budget.previous_surplus = Decimal("0")

    table = budget_table(seed_budget)

    assert table.equity == -3_488_000
    assert "Eget kapital vid årets slut blir negativt (\u22123\u00a0488 tkr)" in (
        table.equity_warning("tkr")
    )


def test_without_contributions_there_is_no_ceiling_warning(forbund):
    budget = BudgetFactory(forbund=forbund, year=2026, previous_surplus=Decimal("1000000"))

    table = budget_table(budget)

    assert table.equity == 1_000_000
    assert table.equity_warning("tkr") == ""


# the kommuner's key


def _kommun(forbund, name, share):
    return MedlemFactory(
        forbund=forbund, name=name, key_share=None if share is None else Decimal(share)
    )


def _avgift(medlem, amount):
    return MedlemsavgiftFactory(medlem=medlem, year=2026, amount=Decimal(amount))


def test_contributions_that_follow_the_key_are_not_warned(forbund):
    a, b = _kommun(forbund, "Aby", "60"), _kommun(forbund, "Bby", "40")
    avgifter = [_avgift(a, 600_000), _avgift(b, 400_001)]

    split = key_split([a, b], avgifter)

    assert split.applies
    assert split.kommuner_total == 1_000_001
    assert split.share_sum == 100
    assert split.warnings == []


def test_a_kommun_off_the_key_is_warned(forbund):
    a, b = _kommun(forbund, "Aby", "60"), _kommun(forbund, "Bby", "40")
    avgifter = [_avgift(a, 700_000), _avgift(b, 300_000)]

    split = key_split([a, b], avgifter)

    assert split.warnings == [
        "Aby ska enligt fördelningsnyckeln betala 60 % av kommunernas 1\u00a0000\u00a0000 kr, "
        "alltså 600\u00a0000 kr, men betalar 700\u00a0000 kr.",
        "Bby ska enligt fördelningsnyckeln betala 40 % av kommunernas 1\u00a0000\u00a0000 kr, "
        "alltså 400\u00a0000 kr, men betalar 300\u00a0000 kr.",
    ]


def test_shares_that_do_not_sum_to_100_are_warned(forbund):
    a, b = _kommun(forbund, "Aby", "60.5"), _kommun(forbund, "Bby", "40")
    c = _kommun(forbund, "Cby", None)
    avgifter = [_avgift(a, 605_000), _avgift(b, 400_000), _avgift(c, 5_000)]

    split = key_split([a, b, c], avgifter)

    assert split.sum_warning == "Fördelningsnyckelns andelar summerar till 100,5 %, inte 100 %."
    assert split.warnings[0] == split.sum_warning
    assert "Cby har ingen andel i fördelningsnyckeln men betalar 5\u00a0000 kr." in split.warnings


def test_without_any_key_there_is_no_key_check(forbund):
    a, b = _kommun(forbund, "Aby", None), _kommun(forbund, "Bby", None)

    split = key_split([a, b], [_avgift(a, 1), _avgift(b, 999_999)])

    assert not split.applies
    assert split.warnings == []


def test_the_page_shows_the_table_in_tkr(client, kansli, seed_budget):
    client.force_login(kansli)

    response = client.get("/uppsala/budget/2026/")

    assert response.status_code == 200
    page = response.content.decode()
    for figure in ("23\u00a0490", "24\u00a0180", "27\u00a0150", "\u22122\u00a0970", "1\u00a0007"):
        assert figure in page
    assert "Växtkraft" in page
    assert "belopp i tkr" in page
    assert 'class="belopp negativ">\u22122\u00a0970' in page


def test_the_page_shows_whole_kronor_for_a_kr_forbund(client, db):
    forbund = ForbundFactory(slug="liten", display_unit="kr")
    user = RollFactory(forbund=forbund).user
    build_seed_2026(forbund)
    client.force_login(user)

    page = client.get("/liten/budget/2026/").content.decode()

    assert "23\u00a0490\u00a0000" in page
    assert "\u22122\u00a0970\u00a0000" in page
    assert "belopp i kr" in page


def test_equity_used_as_income_is_counted_once(forbund):
    """The issue's example: opening equity 300 000, contributions 1 600 000,
    equity used as income 200 000, costs 1 700 000."""
    budget = BudgetFactory(forbund=forbund, year=2026, previous_surplus=Decimal("300000"))
    BudgetradFactory(budget=budget, group=Group.MEDLEMSAVGIFTER, amount=1_600_000, order=1)
    BudgetradFactory(
        budget=budget,
        group=Group.EGET_KAPITAL,
        name="Ianspråktaget eget kapital",
        amount=200_000,
        order=2,
    )
    BudgetradFactory(
        budget=budget, group=Group.INSATSER, name="Insatser", amount=1_700_000, order=3
    )

    table = budget_table(budget)

    assert table.income_total == 1_800_000
    assert table.cost_total == 1_700_000
    assert table.result == 100_000  # "Årets beräknade resultat", as the förbund prints it
    assert table.equity_used.budget == 200_000
    # 300 000 + 1 600 000 − 1 700 000: the 200 000 is in the opening equity already.
    assert table.remaining == table.equity == 200_000
    assert table.remaining_forecast == 200_000
    rows = {r.label: r.amount for r in table.rows}
    assert rows["Kvarvarande beslutsutrymme"] == 200_000


def test_equity_used_does_not_raise_the_ceiling_warning(forbund):
    forbund.equity_ceiling_percent = Decimal("20")
    budget = BudgetFactory(forbund=forbund, year=2026, previous_surplus=Decimal("500000"))
    BudgetradFactory(budget=budget, group=Group.MEDLEMSAVGIFTER, amount=2_000_000, order=1)
    BudgetradFactory(budget=budget, group=Group.EGET_KAPITAL, amount=300_000, order=2)
    BudgetradFactory(
        budget=budget, group=Group.INSATSER, name="Insatser", amount=2_300_000, order=3
    )

    table = budget_table(budget)

    # Opening 500 000, result 0 of which 300 000 equity: 200 000 left, under the 400 000 ceiling.
    assert table.result == 0
    assert table.equity == 200_000
    assert table.equity_warning("kr") == ""


def test_the_budget_page_shows_the_equity_counted_once(client, forbund):
    """The issue's example on the page: Kvarvarande beslutsutrymme 200 000 kr, not 400 000."""
    forbund.display_unit = "kr"
    forbund.save()
    kansli = RollFactory(forbund=forbund, kind="kansli").user
    budget = BudgetFactory(forbund=forbund, year=2026, previous_surplus=Decimal("300000"))
    BudgetradFactory(budget=budget, group=Group.MEDLEMSAVGIFTER, amount=1_600_000, order=1)
    BudgetradFactory(budget=budget, group=Group.EGET_KAPITAL, amount=200_000, order=2)
    BudgetradFactory(
        budget=budget, group=Group.INSATSER, name="Insatser", amount=1_700_000, order=3
    )
    client.force_login(kansli)

    html = client.get("/uppsala/budget/2026/?enhet=kr").content.decode()

    row = html[html.index("Kvarvarande beslutsutrymme") :].split("</tr>")[0]
    assert "200\u00a0000" in row and "400\u00a0000" not in row
