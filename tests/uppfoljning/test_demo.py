"""The demo's follow-up of 2026 adds up, as a board member would check it."""

import datetime
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command

from budget.models import Budget
from budget.tables import budget_table
from insatser.models import Insats, Rekvisition
from insatser.rekvisitioner.workflow import summary
from uppfoljning.demo import TODAY
from uppfoljning.models import Aktivitet, Deltagarantal, Rapport
from uppfoljning.rapporter import workflow

C = Deltagarantal.Category
S = Rapport.Status


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)

    def run():
        call_command("demo", password="demo-test-1234", stdout=open("/dev/null", "w"))  # noqa: SIM115

    run()
    return run


def filled(*slugs):
    return (
        Rapport.objects.filter(insats__forbund__slug__in=slugs)
        .exclude(status=S.DUE)
        .select_related("insats")
        .prefetch_related("deltagarantal", "mal")
        .order_by("insats", "period_start")
    )


def test_the_demo_reports_add_up(demo):
    for rapport in filled("uppsala").filter(status__in=[S.INSKICKAD, S.GODKAND]):
        assert workflow.problems(rapport, today=TODAY) == [], rapport

    before = defaultdict(lambda: {"women": 0, "men": 0})
    small = 0
    for rapport in filled("uppsala", "norrbacka"):
        rows = workflow.counts(rapport)
        for gender in ("women", "men"):
            active = getattr(rows[C.AKTIVA], gender)
            new, ended = getattr(rows[C.NYA], gender), getattr(rows[C.AVSLUTADE], gender)
            assert active == before[rapport.insats_id][gender] + new - ended, rapport
            assert sum(getattr(rows[c], gender) for c in workflow.REASONS) == ended, rapport
            before[rapport.insats_id][gender] = active
            for row in rows.values():
                assert getattr(row, f"young_{gender}") <= getattr(row, gender)
                small += 1 <= getattr(row, gender) <= 4
        if rapport.insats.kind == Insats.Kind.STRUKTUR:
            assert rapport.mal.count() == 2 and all(m.bedomning for m in rapport.mal.all())
    assert small >= 10  # the follow-up page has cells to suppress

    q1_q3 = Rapport.objects.filter(
        insats__forbund__slug="uppsala",
        period_start__gte=datetime.date(2026, 1, 1),
        period_end__lte=datetime.date(2026, 9, 30),
    )
    assert Counter(q1_q3.values_list("status", flat=True)) == {
        S.GODKAND: q1_q3.count() - 3,
        S.INSKICKAD: 1,  # returned, corrected and sent in again
        S.UTKAST: 1,
        S.DUE: 1,  # Heby's: late, for the heby login to write
    }
    late = q1_q3.get(status=S.DUE)
    assert late.insats.agare.name == "Heby kommun" and late.due_date < TODAY
    resent = q1_q3.get(status=S.INSKICKAD)
    assert resent.return_comment and resent.diarienummer.startswith("R 2026/")
    norrbacka = Rapport.objects.filter(
        insats__forbund__slug="norrbacka", period_start=datetime.date(2026, 1, 1), kind="halvar"
    )
    assert set(norrbacka.values_list("status", flat=True)) == {S.GODKAND}
    assert norrbacka.count() == 3


def test_the_demo_claims_are_the_budgets_outcome(demo):
    claims = Rekvisition.objects.filter(insats__forbund__slug="uppsala")
    assert Counter(claims.values_list("status", flat=True)) == {
        Rekvisition.Status.GODKAND: 11,
        Rekvisition.Status.AVSLAGEN: 1,
        Rekvisition.Status.INSKICKAD: 2,
    }
    for insats in Insats.objects.filter(rekvisitioner__isnull=False).distinct():
        assert summary(insats, 2026).remaining >= 0
    table = budget_table(Budget.objects.get(forbund__slug="uppsala", year=2026))
    approved = {line.name: line.outcome for line in table.insats_lines if line.outcome is not None}
    assert len(approved) == 6 and all(amount > 0 for amount in approved.values())
    assert approved["Växtkraft"] == 3 * (2753000 // 4)


def test_the_demo_activities_and_a_second_run(demo):
    activities = Aktivitet.objects.filter(forbund__slug="uppsala")
    assert activities.count() == 12
    assert {a.kind for a in activities} == set(Aktivitet.Kind.values)
    assert {a.date.year for a in activities} == {2026}
    assert activities.filter(insats__isnull=False).count() >= 3
    counts = (Rapport.objects.count(), Rekvisition.objects.count(), Aktivitet.objects.count())
    numbers = sorted(Rapport.objects.values_list("diarienummer", flat=True))

    demo()  # the förbund are loaded again, with their follow-up: nothing twice

    assert (Rapport.objects.count(), Rekvisition.objects.count(), Aktivitet.objects.count()) == (
        counts
    )
    assert sorted(Rapport.objects.values_list("diarienummer", flat=True)) == numbers
    assert Insats.objects.filter(forbund__slug="uppsala").count() == 13
