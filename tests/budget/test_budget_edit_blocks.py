"""The budget edit page builds the table's shapes: blocks with sum lines, lines put in
blocks, totals on the heading, published figures, the cost sign and the closing lines;
bad input is refused in Swedish next to its field, and two browsers do not overwrite
each other."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from budget.models import Budget, Budgetrad
from budget.tables import budget_table
from finsam.models import Roll
from tests.factories import BudgetFactory, BudgetradFactory, RollFactory
from tests.helpers import form_data, page_form

URL = "/uppsala/budget/2026/andra/"
Group, Source = Budgetrad.Group, Budgetrad.Source


@pytest.fixture
def budget(forbund):
    budget = BudgetFactory(forbund=forbund, year=2026, previous_surplus=Decimal(100_000))
    BudgetradFactory(
        budget=budget, group=Group.OVRIGA_INTAKTER, name="Bidrag", amount=900_000, order=1
    )
    BudgetradFactory(budget=budget, group=Group.FORVALTNING, name="Kansli", amount=500_000, order=2)
    BudgetradFactory(budget=budget, group=Group.STYRELSE, name="Styrelse", amount=100_000, order=3)
    return budget


def _page(client):
    return form_data(client.get(URL), "form", "formset")


def _index(data, name):
    """The form index of the line named `name` on the page."""
    return next(i for i in range(20) if data.get(f"rader-{i}-name") == name)


def _extra(data, i, **fields):
    for name, value in fields.items():
        data[f"rader-{i}-{name}"] = value


def test_kansli_adds_a_block_and_puts_lines_in_it(client, kansli, budget):
    client.force_login(kansli)
    data = _page(client)
    _extra(
        data,
        3,
        kind="block",
        group=Group.FORVALTNING,
        name="Administration",
        source=Source.TYPED,
        order="2",
        sum_label="Summa administration",
        published="590 000",
    )
    assert client.post(URL, data).status_code == 302
    block = budget.rader.get(kind="block")

    data = _page(client)
    for name in ("Kansli", "Styrelse"):
        data[f"rader-{_index(data, name)}-parent"] = str(block.pk)
    data["costs_negative"] = "on"
    data["slut_kvar_label"] = "Kvar att besluta om"
    data.pop("slut_prognos", None)
    response = client.post(URL, data)

    assert response.status_code == 302, response.content.decode()
    budget.refresh_from_db()
    rows = [(r.label, r.amount, r.published) for r in budget_table(budget).rows]
    assert rows == [
        ("Intäkter", None, None),
        ("Bidrag", 900_000, None),
        ("S:a intäkter", 900_000, None),
        ("Kostnader", None, None),
        ("Administration", None, None),
        ("Kansli", -500_000, None),
        ("Styrelse", -100_000, None),
        ("Summa administration", -600_000, -590_000),
        ("S:a kostnader", -600_000, None),
        ("Årets beräknade resultat", 300_000, None),
        ("Över-/underskott från tidigare år", 100_000, None),
        ("Kvar att besluta om", 400_000, None),
    ]
    page = client.get("/uppsala/budget/2026/").content.decode()
    page = page.replace("\u00a0", " ").replace("\u2212", "-")
    assert (
        "Summa administration: I den publicerade budgeten står -590 tkr; raderna summerar "
        "till -600 tkr, 10 tkr mer."
    ) in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"rader-1-amount": "-500 000"}, "rader-1-amount", "Skriv kostnaden utan minustecken"),
        (
            {"rader-0-published": "1 000"},
            "rader-0-published",
            "En fastställd summa hör till ett block.",
        ),
        (
            {
                "rader-3-kind": "block",
                "rader-3-group": Group.FORVALTNING,
                "rader-3-name": "Block",
                "rader-3-source": Source.TYPED,
                "rader-3-amount": "5",
                "rader-3-order": "9",
            },
            "rader-3-amount",
            "Ett block har inget eget belopp",
        ),
        ({"cost_published": "-10"}, "cost_published", "Skriv summan utan minustecken"),
        ({"rader-1-parent": "999999"}, "rader-1-parent", "Välj ett av budgetens block."),
    ],
)
def test_bad_shapes_are_refused_next_to_the_field(client, kansli, budget, changes, field, message):
    client.force_login(kansli)
    data = {**_page(client), **changes}

    response = client.post(URL, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in html.split(f'id="id_{field}_error"')[1].split("</div></div>")[0]
    assert budget.rader.filter(kind="block").count() == 0


def test_a_line_in_a_block_of_the_other_section_is_refused(client, kansli, budget):
    block = BudgetradFactory(
        budget=budget, kind="block", group=Group.OVRIGA_INTAKTER, name="Intäkter", amount=None
    )
    client.force_login(kansli)
    data = _page(client)
    data[f"rader-{_index(data, 'Kansli')}-parent"] = str(block.pk)  # under an income block

    response = client.post(URL, data)

    assert response.status_code == 200
    assert "raden hör till den andra delen" in response.content.decode()


def test_a_block_is_not_deleted_with_its_lines_still_in_it(client, kansli, budget):
    block = BudgetradFactory(
        budget=budget, kind="block", group=Group.FORVALTNING, name="Adm", amount=None, order=0
    )
    budget.rader.filter(name="Kansli").update(parent=block)
    client.force_login(kansli)
    data = _page(client)
    data[f"rader-{_index(data, 'Adm')}-DELETE"] = "on"

    response = client.post(URL, data)

    assert response.status_code == 200
    assert "Blocket tas bort; flytta raden till ett annat block." in response.content.decode()
    assert budget.rader.filter(kind="block").exists()


def test_two_browsers_changing_a_sum_label_and_the_surplus_keep_both(forbund, kansli, budget):
    BudgetradFactory(
        budget=budget,
        kind="block",
        group=Group.FORVALTNING,
        name="Adm",
        amount=None,
        order=0,
        sum_label="Summa",
    )
    first, second = Client(), Client()
    first.force_login(kansli)
    second.force_login(RollFactory(forbund=forbund, kind=Roll.Kind.KANSLI).user)
    data_a, data_b = page_form(first.get(URL)), page_form(second.get(URL))
    name = next(k for k, v in data_a.items() if k.endswith("-sum_label") and v == "Summa")
    data_a[name] = "Summa administration"
    data_b["previous_surplus"] = "5 000"

    assert first.post(URL, data_a).status_code == 302
    response = second.post(URL, data_b)

    assert response.status_code == 200  # told, nothing of the second saved
    assert Budget.objects.get(pk=budget.pk).previous_surplus == 100_000
    again = page_form(response)
    assert again[name] == "Summa administration"
    assert second.post(URL, again).status_code == 302
    assert Budget.objects.get(pk=budget.pk).previous_surplus == 5_000
    assert budget.rader.get(kind="block").sum_label == "Summa administration"


def test_the_edit_page_reads_the_blocks_once_whatever_the_number_of_lines(client, kansli, budget):
    client.force_login(kansli)
    BudgetradFactory(budget=budget, kind="block", group=Group.FORVALTNING, name="A", amount=None)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for i in range(20):
        BudgetradFactory(budget=budget, group=Group.FORVALTNING, name=f"Rad {i}", order=10 + i)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)

    assert len(many) == len(few)
