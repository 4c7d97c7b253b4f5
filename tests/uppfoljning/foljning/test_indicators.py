"""The follow-up's arithmetic with fixed figures: sums, latest reports, shares, röjandekontroll."""

import datetime
from decimal import Decimal

import pytest

from budget.models import Verksamhetsplan
from uppfoljning.foljning import indicators
from uppfoljning.foljning.indicators import EJ_UPPNATT, KAN_INTE, UPPNATT, Period
from uppfoljning.models import Malbedomning

from .fixtures import plan_with_targets, two_insatser

H = ".."
H1 = Period.of(2026, "h1", datetime.date(2026, 11, 23))


def values(line):
    return [cell.value for cell in line.cells]


def statuses(line):
    return [cell.status for cell in line.cells]


@pytest.fixture
def figures(forbund, heby, tierp):
    two_insatser(forbund, heby, tierp)
    plan_with_targets(forbund)
    return indicators.load(forbund, H1)


def by_label(lines):
    return {line.label: line for line in lines}


def test_periods():
    today = datetime.date(2026, 9, 14)
    assert Period.of(2026, "hittills", today).end == today
    assert Period.of(2025, "hittills", today).end == datetime.date(2025, 12, 31)
    assert (Period.of(2026, "h2", today).start, Period.of(2026, "h2", today).end) == (
        datetime.date(2026, 7, 1),
        datetime.date(2026, 12, 31),
    )
    assert Period.of(2026, "h1", today).label == "2026, första halvåret (2026-01-01–2026-06-30)"
    assert Period.of(2027, "hittills", today).label == "2027, året hittills (inte påbörjat)"
    with pytest.raises(ValueError):
        Period.of(2026, "q5", today)


def test_new_and_ended_add_up_over_approved_reports_with_suppression(figures):
    nya, aktiva, avslutade = figures.participants

    label, forbund, lines = nya
    assert label == "Nya deltagare"
    # Tierp's second quarter (50 + 50) is not approved: it does not count.
    assert values(forbund) == [17, 20, 37]
    rows = by_label(lines)
    # Beta's 2 women are hidden, and with them its men and Alfa's (the columns add up).
    assert values(rows["Beta"]) == [H, H, 9]
    assert values(rows["Alfa"]) == [H, H, 28]
    assert values(rows["Struktur"]) == [0, 0, 0]

    assert values(avslutade[1]) == [13, 16, 29]
    assert values(by_label(avslutade[2])["Beta"]) == [H, H, 7]


def test_active_participants_are_from_each_insatss_latest_approved_report(figures):
    _label, forbund, lines = figures.participants[1]
    assert values(forbund) == [27, 26, 53]
    assert values(by_label(lines)["Alfa"]) == [18, 14, 32]
    assert values(by_label(lines)["Beta"]) == [9, 12, 21]


def test_reasons_add_up_to_the_ended(figures):
    rows = by_label(figures.reasons)
    assert values(rows["Avslutade till arbete"]) == [6, 7, 13]
    assert values(rows["Avslutade till studier"]) == [H, H, H]  # 2 and 1
    assert values(rows["Summa avslutade"]) == [13, 16, 29]


def test_shares_by_gender_are_hidden_where_a_count_or_its_rest_is_small(figures):
    work, plan = figures.shares
    assert work[0] == "Andel avslutade i arbete eller studier"
    assert values(work[1]) == [Decimal(62), Decimal(50), Decimal(55)]
    rows = by_label(work[2])
    assert values(rows["Alfa"]) == [Decimal(58), Decimal(50), Decimal(55)]
    assert values(rows["Beta"]) == [H, H, H]
    assert values(rows["Struktur"]) == [None, None, None]  # nobody ended: no base
    assert values(plan[1]) == [H, H, Decimal(24)]


def test_structural_goals_from_the_latest_report_too_early_not_assessed(figures):
    forbund, lines = figures.goals
    assert values(forbund) == [2, 3, Decimal(67)]
    assert [line.label for line in lines] == ["Struktur"]


def test_activities_and_their_participants(figures):
    forbund, lines = figures.activities
    assert values(forbund) == [2, 15, 17, 32]
    rows = by_label(lines)
    assert values(rows["Alfa"]) == [1, H, H, 21]
    assert values(rows["Utan insats"]) == [1, H, H, 11]


def test_report_counts(figures):
    assert figures.reports["approved"] == 4
    assert figures.reports["submitted"] == 1


def test_each_target_is_measured_and_met_or_not_in_words(figures):
    targets = {t.resultatmal.number: t for t in figures.targets}

    work = targets["1.1"]
    assert work.by_gender and work.percent
    assert statuses(work.lines[0]) == [UPPNATT, UPPNATT, UPPNATT]
    assert work.status_label == "Uppnått"
    beta = by_label(work.lines)["Beta"]
    assert statuses(beta) == [KAN_INTE, KAN_INTE, KAN_INTE]
    assert beta.cells[0].status_label == "Kan inte bedömas"

    plan = targets["1.2"]
    assert statuses(plan.lines[0]) == [KAN_INTE, KAN_INTE, UPPNATT]

    assert values(targets["1.3"].lines[0]) == [Decimal(67)]
    assert targets["1.3"].status == UPPNATT

    activities = targets["1.4"]
    assert values(activities.lines[0]) == [2]
    assert activities.status == EJ_UPPNATT
    assert activities.status_label == "Ej uppnått"
    assert [c.status for line in activities.lines[1:] for c in line.cells] == [None, None]

    people = targets["1.5"]
    assert values(people.lines[0]) == [15, 17, 32]
    assert statuses(people.lines[0]) == [None, None, UPPNATT]

    manual = targets["1.6"]
    assert manual.manual and manual.status == KAN_INTE


def test_a_manual_target_takes_kanslis_assessment_of_the_period(figures, forbund):
    target = next(t for t in figures.targets if t.manual)
    Malbedomning.objects.create(
        resultatmal=target.resultatmal,
        period_start=H1.start,
        period_end=H1.end,
        text="Följer plan.",
        met=True,
    )
    Malbedomning.objects.create(
        resultatmal=target.resultatmal,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        met=False,
    )

    target = next(t for t in indicators.load(forbund, H1).targets if t.manual)

    assert target.bedomning.text == "Följer plan."
    assert target.status == UPPNATT


def test_a_period_without_reports(forbund, heby, tierp):
    two_insatser(forbund, heby, tierp)
    plan_with_targets(forbund)

    figures = indicators.load(forbund, Period.of(2025, "ar", datetime.date(2026, 11, 23)))

    assert figures.reports["approved"] == 0
    for _label, forbund_line, lines in figures.participants:
        assert values(forbund_line) == [0, 0, 0]
        assert lines == []
    assert values(figures.shares[0][1]) == [None, None, None]
    assert values(figures.goals[0]) == [0, 0, None]
    assert values(figures.activities[0]) == [0, 0, 0, 0]
    assert figures.plan is None and figures.targets == []


def test_the_adopted_plan_counts_before_a_later_draft(forbund, heby, tierp):
    adopted = plan_with_targets(forbund)
    Verksamhetsplan.objects.create(forbund=forbund, year=2026, version=2)

    assert indicators.plan_of_year(forbund, 2026) == adopted


def test_a_share_with_unit_antal_compares_the_count(forbund, heby, tierp):
    two_insatser(forbund, heby, tierp)
    plan = plan_with_targets(forbund)
    target = plan.mal.get().resultatmal.get(number="1.1")
    target.unit = "antal"
    target.target = 16
    target.save()

    work = next(t for t in indicators.load(forbund, H1).targets if t.resultatmal.pk == target.pk)

    assert values(work.lines[0]) == [8, 8, 16]
    assert work.status == UPPNATT


def test_zero_base_and_no_target_cannot_be_assessed():
    assert indicators.compare(None, Decimal(40)) == KAN_INTE
    assert indicators.compare(Decimal(50), None) == KAN_INTE
    assert indicators.compare(H, Decimal(40)) == KAN_INTE
    assert indicators.compare(Decimal(40), Decimal(40)) == UPPNATT
    assert indicators.compare(39, Decimal(40)) == EJ_UPPNATT


@pytest.mark.parametrize("size", [2, 12])
def test_the_queries_do_not_grow_with_insatser(
    forbund, heby, tierp, size, django_assert_num_queries
):
    from tests.factories import InsatsFactory

    from .fixtures import D, report

    plan_with_targets(forbund)
    for n in range(size):
        insats = InsatsFactory(forbund=forbund, agare=heby)
        report(insats, D(2026, 1, 1), D(2026, 3, 31), nya=(n, 7), aktiva=(9, 9))
    with django_assert_num_queries(9):
        indicators.load(forbund, H1)
