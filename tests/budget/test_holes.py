"""Holes found by the permission crawl (issue 6): drafts, live outcome and live names."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from budget.models import Budget, Budgetrad, Verksamhetsplan
from budget.plan.content import plan_html
from tests.factories import (
    AnslagFactory,
    BeslutFactory,
    BudgetFactory,
    BudgetradFactory,
    InsatsFactory,
    MedlemsavgiftFactory,
    RekvisitionFactory,
)

Group, Source = Budgetrad.Group, Budgetrad.Source
K = Decimal("1000")


@pytest.fixture
def adopted(forbund, heby, tierp, kansli):
    """A published plan and budget 2026 (adopted 2025-11-20), and a newer draft budget."""
    beslut = BeslutFactory(forbund=forbund, date=datetime.date(2025, 11, 20), text="Fastställd.")
    MedlemsavgiftFactory(medlem=heby, year=2026, amount=1200 * K)
    own = InsatsFactory(forbund=forbund, agare=heby, name="Plattform för individstöd")
    other = InsatsFactory(forbund=forbund, agare=tierp, name="Min framtid")
    AnslagFactory(insats=own, year=2026, amount=700 * K)
    AnslagFactory(insats=other, year=2026, amount=500 * K)
    RekvisitionFactory(insats=own, amount=Decimal("111111"))
    RekvisitionFactory(insats=other, amount=Decimal("987654"))
    budget = BudgetFactory(forbund=forbund, year=2026, status=Budget.Status.FORSLAG)
    BudgetradFactory(
        budget=budget, group=Group.MEDLEMSAVGIFTER, name="Medlemsavgifter",
        source=Source.MEDLEMSAVGIFTER, amount=None, order=10,
    )  # fmt: skip
    BudgetradFactory(budget=budget, name="Antagen förvaltning", amount=450 * K, order=50)
    BudgetradFactory(
        budget=budget, group=Group.INSATSER, name="Samverkansinsatser",
        source=Source.INSATSER, amount=None, order=70,
    )  # fmt: skip
    budget.adopt(by=kansli, beslut=beslut)
    budget.publish(by=kansli)
    draft = budget.new_version(by=kansli)
    draft.rader.filter(name="Antagen förvaltning").update(name="Utkastets förvaltning")
    plan = Verksamhetsplan.objects.create(forbund=forbund, year=2026)
    plan.adopt(beslut=beslut, by=kansli)
    plan.publish(by=kansli)
    return {"budget": budget, "draft": draft, "plan": plan, "own": own, "other": other}


# An insatsägare reads a draft budget


def test_insatsagare_plan_preview_shows_the_adopted_budget(client, agare, adopted):
    client.force_login(agare)
    response = client.get("/uppsala/plan/2026/forhandsvisning/")
    assert response.status_code == 200
    assert "Antagen förvaltning" in response.content.decode()
    assert "Utkastets förvaltning" not in response.content.decode()


def test_archived_plan_is_built_from_the_adopted_budget(adopted):
    html = plan_html(Verksamhetsplan.objects.select_related("forbund", "beslut").get())
    assert "Antagen förvaltning" in html
    assert "Utkastets förvaltning" not in html


def test_kansli_previews_a_draft_plan_with_the_draft_budget(client, kansli, adopted):
    Verksamhetsplan.objects.filter(pk=adopted["plan"].pk).update(status="utkast", beslut=None)
    client.force_login(kansli)
    response = client.get("/uppsala/plan/2026/forhandsvisning/")
    assert "Utkastets förvaltning" in response.content.decode()


# Live outcome of other members' insatser


def test_insatsagare_sees_no_outcome_of_other_members(client, agare, adopted):
    Budget.objects.filter(pk=adopted["draft"].pk).delete()  # the published one is the latest
    client.force_login(agare)
    for url in ("/uppsala/budget/2026/", "/uppsala/budget/2026/?utfall=1"):
        page = client.get(url).content.decode()
        assert "987" not in page  # the other member's claim, 987 654 kr
        assert "Utfall" not in page


def test_insatsagare_excel_has_no_outcome(client, agare, adopted):
    Budget.objects.filter(pk=adopted["draft"].pk).delete()
    client.force_login(agare)
    response = client.get("/uppsala/budget/2026/excel/?utfall=1&enhet=kr")
    assert response.status_code == 200
    cells = [c for row in load_workbook(io.BytesIO(response.content)).active.values for c in row]
    assert "Utfall" not in cells
    assert 987654 not in cells and 987654 + 111111 not in cells


def test_kansli_still_sees_the_outcome(client, kansli, adopted):
    client.force_login(kansli)
    page = client.get("/uppsala/budget/2026/?version=1&enhet=kr").content.decode()
    assert "Utfall" in page
    assert "987" in page


# An adopted budget's names are live


def test_renaming_does_not_change_the_adopted_budget(client, kansli, heby, adopted):
    adopted["own"].name = "Nytt namn på insatsen"
    adopted["own"].save()
    heby.short_name = "Nya Heby"
    heby.save()
    client.force_login(kansli)
    page = client.get("/uppsala/budget/2026/?version=1").content.decode()
    assert "Plattform för individstöd" in page
    assert "Nytt namn på insatsen" not in page
    assert "Nya Heby" not in page
    excel = client.get("/uppsala/budget/2026/excel/?version=1")
    cells = [c for row in load_workbook(io.BytesIO(excel.content)).active.values for c in row]
    assert "Plattform för individstöd" in cells
    assert "Nytt namn på insatsen" not in cells and "Nya Heby" not in cells
    # The draft counts with the living names.
    draft = client.get("/uppsala/budget/2026/").content.decode()
    assert "Nytt namn på insatsen" in draft


# Server errors from input


@pytest.mark.parametrize("version", ["²", "١", "9" * 30, "-1", "1.0"])
def test_odd_version_is_not_found(client, kansli, adopted, version):
    client.force_login(kansli)
    for url in ("/uppsala/budget/2026/dokument/", "/uppsala/budget/2026/"):
        assert client.get(url, {"version": version}).status_code == 404
    response = client.post("/uppsala/budget/2026/pdf/?version=" + version)
    assert response.status_code == 404


def test_nul_byte_in_a_transition_reason_is_refused(client, kansli, forbund):
    BudgetFactory(forbund=forbund, year=2026)
    client.force_login(kansli)
    response = client.post("/uppsala/budget/2026/forslag/", {"reason": "skäl\x00"}, follow=True)
    assert response.status_code == 200
    assert Budget.objects.get().status == Budget.Status.UTKAST
    assert "Null" in response.content.decode() or "tecken" in response.content.decode()


@pytest.mark.parametrize("year", ["99999", "0", "1" + "0" * 30])
def test_contribution_year_out_of_range_is_not_found(client, kansli, forbund, year):
    client.force_login(kansli)
    assert client.get(f"/uppsala/budget/{year}/medlemsavgifter/").status_code == 404
    assert client.post(f"/uppsala/budget/{year}/medlemsavgifter/", {}).status_code == 404


def test_huge_id_in_a_multi_select_is_a_message(client, kansli, forbund, heby, tierp):
    client.force_login(kansli)
    data = {
        "name": "Ny insats",
        "agare": heby.pk,
        "deltagare": [str(2**70)],
        "kind": "individ",
        "start": "2026-01-01",
        "end": "2026-12-31",
        "status": "planerad",
        "anslag-TOTAL_FORMS": "0",
        "anslag-INITIAL_FORMS": "0",
    }
    response = client.post("/uppsala/insatser/ny/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["deltagare"]
