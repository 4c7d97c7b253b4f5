"""The national-scale data and the page benchmark, on a small scale."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from budget.models import Budget, Budgetrad, Medlemsavgift, Risk, Verksamhetsplan
from finsam.models import Arende, Beslut, Forbund, Handelse, Ledamot, Medlem, Roll
from insatser.models import Anslag, Insats, Rekvisition
from uppfoljning.models import Rapport
from uppfoljning.national import year_span


def _build(**options):
    call_command("national_data", stdout=StringIO(), **options)


def test_it_builds_rows_of_every_kind_for_each_forbund(db):
    _build(forbund=2, years=3)

    assert list(Forbund.objects.values_list("slug", flat=True)) == ["nat01", "nat02"]
    nat01 = Forbund.objects.get(slug="nat01")
    assert 4 <= Medlem.objects.of(nat01).count() <= 12
    assert set(Roll.objects.of(nat01).values_list("kind", flat=True)) == set(Roll.Kind)
    for model in (Ledamot, Arende, Beslut, Insats, Anslag, Rekvisition, Rapport, Handelse):
        assert model.objects.of(nat01).exists(), model
    years = year_span(3)
    assert sorted(Budget.objects.of(nat01).values_list("year", flat=True)) == years
    assert sorted(Verksamhetsplan.objects.of(nat01).values_list("year", flat=True)) == years
    # 8 lines a year, and the Samverkansinsatser block with its two inner blocks
    assert Budgetrad.objects.of(nat01).filter(kind="rad").count() == 8 * 3
    assert Budgetrad.objects.of(nat01).filter(kind="block").count() == 3 * 3
    assert Medlemsavgift.objects.of(nat01).filter(year=years[0]).count() == (
        Medlem.objects.of(nat01).count()
    )
    assert Risk.objects.of(nat01).count() == 6 * 3
    # Next year's budget is a draft; the others are adopted, with frozen amounts.
    draft = Budget.objects.of(nat01).get(year=years[-1])
    assert draft.status == Budget.Status.UTKAST
    assert Budget.objects.of(nat01).get(year=years[0]).frozen_sources is not None


def test_the_same_seed_gives_the_same_data(db):
    _build(forbund=1, years=2, seed=7)
    first = list(Insats.objects.order_by("pk").values_list("name", "agare__name", "status"))
    _build(forbund=1, years=2, seed=7, prefix="igen")

    again = Insats.objects.filter(forbund__slug="igen01").order_by("pk")
    assert list(again.values_list("name", "agare__name", "status")) == [
        (name, owner.replace("nat01", "igen01"), status) for name, owner, status in first
    ]


def test_it_refuses_a_prefix_already_in_use(db):
    _build(forbund=1, years=1)
    with pytest.raises(CommandError, match="redan förbund"):
        _build(forbund=1, years=1)


def test_the_benchmark_prints_each_page_with_its_queries_and_ratio(db):
    _build(forbund=1, years=2)
    out = StringIO()

    call_command("benchmark_pages", repeat=1, roll=["insatsagare"], stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[1].startswith("Inloggningssidan")
    start = next(line for line in lines if line.startswith("Startsidan"))
    role, queries = start.split()[1:3]
    assert role == "Insatsägare" and int(queries) > 3
    assert any(line.startswith("Verksamhetsplan ") for line in lines)
    assert not any("Medlemsavgifter" in line for line in lines)  # not the insatsägare's
    assert lines[-1].endswith("sidor når sitt mål.")
