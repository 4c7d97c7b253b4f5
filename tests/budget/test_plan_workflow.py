"""The plan's life: started from last year's, adopted by a decision, published, frozen."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budget.models import (
    STANDARD_AVSNITT,
    Avsnitt,
    Mal,
    Resultatmal,
    Risk,
    Verksamhetsplan,
    risk_matrix,
)
from finsam.models import Handelse
from tests.factories import BeslutFactory

Status = Verksamhetsplan.Status


@pytest.fixture
def plan_2026(forbund):
    plan = Verksamhetsplan.objects.create(forbund=forbund, year=2026, status=Status.PUBLICERAD)
    Avsnitt.objects.create(plan=plan, key="inledning", title="Bakgrund och uppdrag", order=10)
    Avsnitt.objects.create(
        plan=plan, key="inriktning", title="Inriktning", body="Individ först.", order=20
    )
    mal = Mal.objects.create(plan=plan, number=2, title="En arena för kunskap", focus="kunskap")
    Resultatmal.objects.create(
        mal=mal,
        number="2.1",
        text="Minst 8 aktiviteter.",
        indicator=Resultatmal.Indicator.ANTAL_AKTIVITETER,
        target=Decimal("8"),
        unit=Resultatmal.Unit.ANTAL,
    )
    Risk.objects.create(
        plan=plan,
        risk="Rapporter kommer sent",
        likelihood=3,
        consequence=2,
        control="Påminnelse",
        responsible="Kansliet",
        follow_up_1="Tre sena rapporter.",
        follow_up_2="Inga sena rapporter.",
        order=1,
    )
    return plan


# start_from_previous


def test_a_new_plan_copies_last_years_sections_goals_and_risks(forbund, kansli, plan_2026):
    plan = Verksamhetsplan.start_from_previous(forbund=forbund, year=2027, user=kansli)

    assert (plan.year, plan.version, plan.status) == (2027, 1, Status.UTKAST)
    assert plan.beslut is None
    assert [(a.key, a.title, a.body) for a in plan.avsnitt.all()] == [
        ("inledning", "Bakgrund och uppdrag", ""),
        ("inriktning", "Inriktning", "Individ först."),
    ]
    mal = plan.mal.get()
    assert (mal.number, mal.title, mal.focus) == (2, "En arena för kunskap", "kunskap")
    target = mal.resultatmal.get()
    assert (target.number, target.indicator, target.target, target.unit) == (
        "2.1",
        "antal_aktiviteter",
        8,
        "antal",
    )
    risk = plan.risker.get()
    assert (risk.risk, risk.likelihood, risk.consequence, risk.control) == (
        "Rapporter kommer sent",
        3,
        2,
        "Påminnelse",
    )


def test_the_copy_leaves_out_last_years_follow_ups(forbund, kansli, plan_2026):
    plan = Verksamhetsplan.start_from_previous(forbund=forbund, year=2027, user=kansli)

    risk = plan.risker.get()
    assert (risk.follow_up_1, risk.follow_up_2) == ("", "")


def test_last_years_plan_is_left_untouched(forbund, kansli, plan_2026):
    plan = Verksamhetsplan.start_from_previous(forbund=forbund, year=2027, user=kansli)
    plan.avsnitt.filter(key="inriktning").update(body="Nytt för 2027.")
    plan.risker.update(follow_up_1="Ny uppföljning.")

    plan_2026.refresh_from_db()
    assert plan_2026.status == Status.PUBLICERAD
    assert plan_2026.avsnitt.get(key="inriktning").body == "Individ först."
    assert plan_2026.mal.get().resultatmal.count() == 1
    assert plan_2026.risker.get().follow_up_1 == "Tre sena rapporter."
    assert Avsnitt.objects.count() == 4
    assert Risk.objects.count() == 2


def test_it_starts_from_the_latest_earlier_plan(forbund, kansli, plan_2026):
    older = Verksamhetsplan.objects.create(forbund=forbund, year=2025)
    Avsnitt.objects.create(plan=older, key="gammalt", title="Gammalt")

    plan = Verksamhetsplan.start_from_previous(forbund=forbund, year=2027, user=kansli)

    assert "gammalt" not in set(plan.avsnitt.values_list("key", flat=True))


def test_without_an_earlier_plan_it_gets_the_standard_sections(forbund, kansli):
    plan = Verksamhetsplan.start_from_previous(forbund=forbund, year=2027, user=kansli)

    assert [(a.key, a.title, a.kind) for a in plan.avsnitt.all()] == STANDARD_AVSNITT
    assert all(a.body == "" for a in plan.avsnitt.all())
    assert not plan.mal.exists()
    assert not plan.risker.exists()


def test_it_ignores_another_forbunds_plans(forbund, other_forbund, kansli):
    other = Verksamhetsplan.objects.create(forbund=other_forbund, year=2026)
    Avsnitt.objects.create(plan=other, key="gavle", title="Gävles text")

    plan = Verksamhetsplan.start_from_previous(forbund=forbund, year=2027, user=kansli)

    assert "gavle" not in set(plan.avsnitt.values_list("key", flat=True))


def test_it_refuses_a_year_that_has_a_plan(forbund, kansli, plan_2026):
    with pytest.raises(ValidationError, match="finns redan en verksamhetsplan för 2026"):
        Verksamhetsplan.start_from_previous(forbund=forbund, year=2026, user=kansli)
    assert Verksamhetsplan.objects.count() == 1


def test_starting_a_plan_is_recorded(forbund, kansli, plan_2026):
    plan = Verksamhetsplan.start_from_previous(forbund=forbund, year=2027, user=kansli)

    handelse = Handelse.objects.get(subject_id=plan.pk, action="skapad")
    assert handelse.user == kansli
    assert handelse.changes == {"utgångspunkt": "Verksamhetsplan 2026"}


# adopt and publish


@pytest.fixture
def draft(forbund):
    return Verksamhetsplan.objects.create(forbund=forbund, year=2027)


@pytest.fixture
def beslut(forbund):
    return BeslutFactory(
        forbund=forbund,
        date=datetime.date(2026, 11, 26),
        text="Styrelsen fastställer verksamhetsplan och budget för 2027.",
    )


def test_adopting_freezes_the_plan_and_records_who_and_when(draft, beslut, kansli):
    draft.adopt(beslut=beslut, by=kansli)

    draft.refresh_from_db()
    assert draft.status == Status.FASTSTALLD
    assert draft.beslut == beslut
    assert draft.is_frozen
    handelse = Handelse.objects.get(subject_id=draft.pk, action="fastställd")
    assert handelse.user == kansli
    assert handelse.at is not None
    assert handelse.changes == {
        "beslut": "Styrelsen fastställer verksamhetsplan och budget för 2027.",
        "beslutsdatum": "2026-11-26",
    }


def test_an_adopted_plan_cannot_be_adopted_again(draft, beslut, kansli):
    draft.adopt(beslut=beslut, by=kansli)

    with pytest.raises(ValidationError, match="redan fastställd"):
        draft.adopt(beslut=beslut, by=kansli)
    assert Handelse.objects.filter(action="fastställd").count() == 1


def test_it_refuses_another_forbunds_decision(draft, other_forbund, kansli):
    foreign = BeslutFactory(forbund=other_forbund)

    with pytest.raises(ValidationError, match="annat samordningsförbund"):
        draft.adopt(beslut=foreign, by=kansli)
    draft.refresh_from_db()
    assert draft.status == Status.UTKAST


def test_publishing_follows_adoption_and_is_recorded(draft, beslut, kansli):
    draft.adopt(beslut=beslut, by=kansli)

    draft.publish(by=kansli)

    draft.refresh_from_db()
    assert draft.status == Status.PUBLICERAD
    assert draft.is_frozen
    assert Handelse.objects.get(subject_id=draft.pk, action="publicerad").user == kansli


def test_a_draft_cannot_be_published(draft, kansli):
    with pytest.raises(ValidationError, match="Bara en fastställd"):
        draft.publish(by=kansli)
    draft.refresh_from_db()
    assert draft.status == Status.UTKAST


def test_only_adopted_and_published_plans_are_frozen(forbund):
    statuses = {s: Verksamhetsplan(forbund=forbund, year=2026, status=s).is_frozen for s in Status}
    assert statuses == {"utkast": False, "faststalld": True, "publicerad": True}


def test_an_insatsagare_sees_only_published_plans(forbund, kansli, agare, plan_2026, draft):
    plans = Verksamhetsplan.objects.of(forbund)

    assert set(plans.visible_to(kansli.roller.get())) == {plan_2026, draft}
    assert list(plans.visible_to(agare.roller.get())) == [plan_2026]
    assert not draft.is_visible_to(agare.roller.get())


# the risk register


def test_the_risk_value_is_likelihood_times_consequence():
    assert [Risk(likelihood=lk, consequence=c).value for lk, c in [(1, 1), (2, 3), (4, 4)]] == [
        1,
        6,
        16,
    ]
    assert [Risk(likelihood=lk, consequence=c).level for lk, c in [(1, 3), (2, 2), (3, 3)]] == [
        "lag",
        "medel",
        "hog",
    ]


def test_the_matrix_places_each_risk_by_its_number():
    risks = [
        Risk(likelihood=2, consequence=3),
        Risk(likelihood=4, consequence=1),
        Risk(likelihood=2, consequence=3),
    ]

    matrix = risk_matrix(risks)

    assert [row["consequence"] for row in matrix] == [4, 3, 2, 1]
    cells = {
        (cell["likelihood"], row["consequence"]): cell["numbers"]
        for row in matrix
        for cell in row["cells"]
    }
    assert cells[(2, 3)] == [1, 3]
    assert cells[(4, 1)] == [2]
    assert sum(len(numbers) for numbers in cells.values()) == 3
    assert matrix[0]["cells"][3]["level"] == "hog"  # 4 × 4
    assert matrix[3]["cells"][0]["level"] == "lag"  # 1 × 1
