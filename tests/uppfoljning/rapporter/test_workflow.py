"""A report's steps: draft, submit, return, resubmit, approve; the final one ends the insats."""

import datetime
import re

import pytest
from django.db import transaction

from finsam.models import Handelse
from insatser.models import Insats
from tests.factories import InsatsFactory
from uppfoljning.models import Deltagarantal, Rapport
from uppfoljning.rapporter import workflow

AFTER = datetime.date(2026, 5, 10)


@pytest.fixture
def insats(forbund, heby):
    return InsatsFactory(
        forbund=forbund,
        agare=heby,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 3, 31),
    )


def rapport_of(insats, kind="kvartal"):
    return Rapport.objects.get(insats=insats, kind=kind)


def fill(rapport, ended=(2, 1), reasons=(2, 1)):
    rapport.jamstalldhet = "Vi följer upp kvinnors och mäns deltagande varje månad."
    rapport.save()
    Deltagarantal.objects.create(
        rapport=rapport, category="avslutade", women=ended[0], men=ended[1]
    )
    Deltagarantal.objects.create(
        rapport=rapport, category="till_arbete", women=reasons[0], men=reasons[1]
    )


def actions(obj):
    return list(
        Handelse.objects.filter(subject_id=obj.pk, subject_type__model=type(obj)._meta.model_name)
        .order_by("pk")
        .values_list("action", flat=True)
    )


@pytest.mark.django_db
def test_period_not_ended_and_missing_text_are_refused(insats):
    rapport = rapport_of(insats, "slut")
    found = workflow.problems(rapport, today=datetime.date(2026, 3, 31))
    assert any("Perioden är inte slut" in p for p in found)
    assert any("jämställdhet" in p for p in found)


@pytest.mark.django_db
def test_reasons_must_sum_to_the_ended_count_with_the_figures_named(insats):
    rapport = rapport_of(insats, "slut")
    fill(rapport, ended=(3, 1), reasons=(2, 1))
    found = workflow.problems(rapport, today=AFTER)
    assert found == [
        "Skälen till att deltagarna avslutade (2 kvinnor) ska vara lika många "
        "som de avslutade (3 kvinnor)."
    ]


@pytest.mark.django_db
def test_the_whole_round_and_the_final_report_ends_the_insats(insats, agare, kansli):
    rapport = rapport_of(insats, "slut")
    fill(rapport)
    with transaction.atomic():
        workflow.draft_saved(rapport, agare, {"jamstalldhet": "ifylld"})
    assert rapport.status == "utkast"
    with transaction.atomic():
        workflow.submit(rapport, agare, today=AFTER)
    rapport.refresh_from_db()
    assert rapport.status == "inskickad" and rapport.received_at is not None
    number = rapport.diarienummer
    assert re.fullmatch(r"R \d{4}/1", number)  # not to be read as an application's number
    assert not workflow.is_editable(rapport)  # frozen
    with transaction.atomic(), pytest.raises(workflow.NotAllowed):
        workflow.submit(rapport, agare, today=AFTER)
    with transaction.atomic(), pytest.raises(workflow.NotAllowed):
        workflow.return_report(rapport, kansli, "  ")
    with transaction.atomic():
        workflow.return_report(rapport, kansli, "Skälen saknas för en man.")
    assert rapport.status == "aterforvisad" and workflow.is_editable(rapport)
    with transaction.atomic():
        workflow.submit(rapport, agare, today=AFTER)
    assert rapport.diarienummer == number  # the same number on resubmission
    with transaction.atomic():
        workflow.approve(rapport, kansli)
    assert rapport.status == "godkand" and rapport.decided_at is not None
    assert actions(rapport) == [
        "utkast sparat",
        "inskickad",
        "återförvisad",
        "inskickad på nytt",
        "godkänd",
    ]
    insats.refresh_from_db()
    assert insats.status == Insats.Status.AVSLUTAD
    assert "avslutad" in actions(insats)


@pytest.mark.django_db
def test_a_quarterly_report_does_not_end_the_insats(forbund, heby, kansli, agare):
    insats = InsatsFactory(
        forbund=forbund,
        agare=heby,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
    )
    rapport = Rapport.objects.get(
        insats=insats, kind="kvartal", period_start=datetime.date(2026, 1, 1)
    )
    fill(rapport)
    with transaction.atomic():
        workflow.submit(rapport, agare, today=AFTER)
        workflow.approve(rapport, kansli)
    insats.refresh_from_db()
    assert insats.status == Insats.Status.PAGAENDE
