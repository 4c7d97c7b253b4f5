"""Budget tables of other shapes, all from data: blocks with sum lines, contributions
per payer or member, closing lines as the förbund names them, costs with a minus,
insatser in the order written, and published figures checked beside their parts.

Fjällbo (budget/demo/fjallbo.yaml) is invented; its table, in kronor:

    Medlemsavgifter per betalare 1 200 000 + 600 000 + 360 000 + 240 000 = 2 400 000
    Övriga intäkter 400 000 + 100 000 (eget kapital)                      =   500 000
    S:a intäkter                                                            2 900 000
    Administration 80 000 + 520 000 + 60 000 = 660 000 (published 650 000)
    Insatser: grants 300 000 + 700 000 + 500 000, own ESF 400 000, no owner 150 000,
              reserve 200 000                                             = 2 250 000
    S:a kostnader 2 910 000 (published 2 900 000)
    Resultat -10 000; tidigare år 450 000; no forecast for 2025 (line left out);
    kvarvarande = -10 000 - 100 000 (equity used, counted once) + 450 000 = 340 000.
"""

import datetime
import io
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from budget.forbundsfil import (
    ForbundsfilError,
    dump_forbund,
    load_forbund_file,
    normalize,
    parse,
)
from budget.forbundsfil.checks import warnings
from budget.layout import lay_out_flat_budget
from budget.models import Budget, Budgetrad
from budget.tables import budget_table
from budget.tasks import generate_budget_pdf, start_budget_pdf
from budget.versions import start_from_previous
from finsam.models import Dokument, Roll
from tests.factories import (
    AnslagFactory,
    BudgetFactory,
    BudgetradFactory,
    InsatsFactory,
    MedlemFactory,
    MedlemsavgiftFactory,
    UserFactory,
)

ROOT = Path(__file__).resolve().parents[2]
FJALLBO = ROOT / "budget" / "demo" / "fjallbo.yaml"
Group, Source = Budgetrad.Group, Budgetrad.Source

FJALLBO_ROWS = [
    ("Intäkter", "", None),
    ("Medlemsavgifter", "", None),
    ("Försäkringskassan och Arbetsförmedlingen", "", 1_200_000),
    ("Region Höglandet", "", 600_000),
    ("Fjällbo kommun", "", 360_000),
    ("Åsmarks kommun", "", 240_000),
    ("Summa medlemsavgifter", "", 2_400_000),
    ("Övriga intäkter", "", None),
    ("ESF-medel Ung framtid", "", 400_000),
    ("Ianspråktaget eget kapital", "", 100_000),
    ("Summa övriga intäkter", "", 500_000),
    ("S:a intäkter", "", 2_900_000),
    ("Kostnader", "", None),
    ("Administration", "", None),
    ("Förtroendevalda", "", -80_000),
    ("Kansli", "", -520_000),
    ("Lokaler och IT", "", -60_000),
    ("Summa administration", "", -660_000),
    ("Insatser", "", None),
    ("Beviljade insatser", "Insatsägare", None),
    ("Jobbspåret", "Åsmark", -300_000),
    ("Vägen vidare", "Fjällbo", -700_000),
    ("Hälsosteget", "Regionen", -500_000),
    ("Ung framtid (ESF)", "Förbundet", -400_000),
    ("Arbetsplatsnära stöd", "", -150_000),
    ("Ej fördelade medel", "", -200_000),
    ("Summa insatser", "", -2_250_000),
    ("S:a kostnader", "", -2_910_000),
    ("Årets beräknade resultat", "", -10_000),
    ("Över-/underskott från tidigare år", "", 450_000),
    ("Kvarvarande beslutsutrymme", "", 340_000),
    ("Prognos eget kapital", "", 340_000),
]

ADMINISTRATION_DIFFERENCE = (
    "Summa administration: I den fastställda budgeten står -650 tkr; raderna summerar till "
    "-660 tkr, 10 tkr mer."
)
COSTS_DIFFERENCE = (
    "S:a kostnader: I den fastställda budgeten står -2 900 tkr; raderna summerar till "
    "-2 910 tkr, 10 tkr mer."
)


@pytest.fixture
def fjallbo(db):
    forbund = load_forbund_file(FJALLBO)
    return Budget.objects.of(forbund).get(year=2026)


def _kansli(forbund):
    user = UserFactory()
    Roll.objects.create(user=user, forbund=forbund, kind=Roll.Kind.KANSLI)
    return user


def _plain(text):
    return text.replace("\u00a0", " ").replace("\u2212", "-")


# The table, line by line ------------------------------------------------------------


def test_fjallbo_prints_its_table_as_written(fjallbo):
    table = budget_table(fjallbo)

    assert [(r.label, r.owner, r.amount) for r in table.rows] == FJALLBO_ROWS
    assert table.income_total == 2_900_000
    assert table.cost_total == 2_910_000  # stored and summed without a sign
    assert table.result == -10_000
    assert table.equity_used.budget == 100_000
    assert table.remaining == 340_000
    assert table.forecast_previous_year is None


def test_published_figures_stand_beside_their_sums(fjallbo):
    table = budget_table(fjallbo)
    published = {r.label: r.published for r in table.rows if r.published is not None}

    assert published == {
        "S:a intäkter": 2_900_000,
        "Summa administration": -650_000,
        "S:a kostnader": -2_900_000,
        "Prognos eget kapital": 340_000,
    }
    texts = [_plain(t) for t in table.difference_texts("tkr")]
    assert texts == [ADMINISTRATION_DIFFERENCE, COSTS_DIFFERENCE]


def test_the_load_report_names_each_disagreeing_figure():
    found = warnings(parse(FJALLBO.read_text(encoding="utf-8")))

    assert found == [
        "budgetar[0].rader[2].published: den publicerade siffran -650\u00a0000 kr är inte "
        "summan av raderna, -660\u00a0000 kr (10\u00a0000 kr mer); båda visas, inget ändras",
        "budgetar[0].cost_published: den publicerade siffran -2\u00a0900\u00a0000 kr är inte "
        "summan av raderna, -2\u00a0910\u00a0000 kr (10\u00a0000 kr mer); båda visas, inget ändras",
    ]


def test_the_page_shows_both_figures_and_the_difference(client, fjallbo):
    client.force_login(_kansli(fjallbo.forbund))

    response = client.get("/fjallbo/budget/2026/")

    html = _plain(response.content.decode())
    assert response.status_code == 200
    assert "Enligt fastställd budget, tkr" in html
    assert ADMINISTRATION_DIFFERENCE in html
    assert COSTS_DIFFERENCE in html
    assert "Prognostiserat resultat 2025" not in html
    assert "Försäkringskassan och Arbetsförmedlingen" in html


def test_the_excel_file_shows_both_figures_and_the_difference(client, fjallbo):
    client.force_login(_kansli(fjallbo.forbund))

    response = client.get("/fjallbo/budget/2026/excel/?enhet=kr")

    ws = load_workbook(BytesIO(response.content)).active
    rows = [r for r in ws.iter_rows(values_only=True)]
    header = next(r for r in rows if r[2] == "Budget 2026")
    assert header[3] == "Enligt fastställd budget"
    by_label = {r[0]: r[1:4] for r in rows if r[0]}
    assert by_label["Summa administration"][1:] == (-660_000, -650_000)
    assert by_label["Jobbspåret"] == ("Åsmark", -300_000, None)
    texts = [r[0] for r in rows if r[0] and "I den fastställda budgeten" in r[0]]
    assert [_plain(t) for t in texts] == [
        ADMINISTRATION_DIFFERENCE.replace("tkr", "kr")
        .replace("-650 kr", "-650 000 kr")
        .replace("-660 kr", "-660 000 kr")
        .replace("10 kr", "10 000 kr"),
        COSTS_DIFFERENCE.replace("tkr", "kr")
        .replace("-2 900 kr", "-2 900 000 kr")
        .replace("-2 910 kr", "-2 910 000 kr")
        .replace("10 kr", "10 000 kr"),
    ]


def test_the_pdf_of_the_adopted_budget_prints_the_adopted_figures_and_notes_the_difference(
    fjallbo, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        dokument = start_budget_pdf(fjallbo, user=None)
    generate_budget_pdf(dokument.pk)

    dokument.refresh_from_db()
    assert dokument.status == Dokument.Status.DONE, dokument.error
    pages = PdfReader(io.BytesIO(dokument.file.read())).pages
    text = _plain("\n".join(p.extract_text() for p in pages))
    for line in (
        "Försäkringskassan och Arbetsförmedlingen 1 200",
        "Summa administration -650",  # as adopted
        "S:A KOSTNADER -2 900",
        "Jobbspåret Åsmark -300",
        "Ung framtid (ESF) Förbundet -400",
        "KVARVARANDE BESLUTSUTRYMME 340",
        "Tabellen visar summorna som de fastställdes.",
        ADMINISTRATION_DIFFERENCE,
    ):
        assert line in text, text
    assert "Prognostiserat" not in text


# The förbund file ---------------------------------------------------------------------


def test_fjallbo_round_trips(db):
    text = FJALLBO.read_text(encoding="utf-8")
    first = dump_forbund(load_forbund_file(text))

    second = dump_forbund(load_forbund_file(first, replace=True))

    assert second == first
    assert normalize(parse(first)) == normalize(parse(text))
    assert "cost_sign: minus" in first
    assert "amount: -520000" in first
    assert "per: betalare" in first


def test_a_minus_without_the_convention_is_refused_at_its_place():
    text = FJALLBO.read_text(encoding="utf-8").replace("    cost_sign: minus", "")

    with pytest.raises(ForbundsfilError) as error:
        parse(text)

    assert (
        "budgetar[0].rader[2].rader[0].amount: en kostnad med minustecken ('-80000'); skriv "
        "beloppet utan minus, eller ange cost_sign: minus på budgeten om tabellen skriver "
        "kostnaderna med minus"
    ) in error.value.errors


def test_a_cost_without_minus_under_the_minus_convention_is_refused():
    text = FJALLBO.read_text(encoding="utf-8").replace("amount: -60000", "amount: 60000")

    with pytest.raises(ForbundsfilError) as error:
        parse(text)

    assert any(
        e.startswith("budgetar[0].rader[2].rader[2].amount: '60000' saknar")
        for e in error.value.errors
    )


def test_a_line_of_the_wrong_section_in_a_block_is_refused():
    text = FJALLBO.read_text(encoding="utf-8").replace(
        "{group: forvaltning, name: Lokaler och IT, amount: -60000}",
        "{group: eu_medel, name: Lokaler och IT, amount: 60000}",
    )

    with pytest.raises(ForbundsfilError) as error:
        parse(text)

    assert (
        "budgetar[0].rader[2].rader[2].group: 'eu_medel' är en intäkt men står i ett block "
        "under Kostnader"
    ) in error.value.errors


# The builder, shape by shape ----------------------------------------------------------


@pytest.fixture
def members(forbund):
    made = [
        MedlemFactory(forbund=forbund, name="Försäkringskassan", kind="forsakringskassan", order=1),
        MedlemFactory(
            forbund=forbund, name="Arbetsförmedlingen", kind="arbetsformedlingen", order=2
        ),
        MedlemFactory(forbund=forbund, name="Region Uppsala", kind="region", order=3),
        MedlemFactory(
            forbund=forbund, name="Heby kommun", short_name="Heby", kind="kommun", order=4
        ),
        MedlemFactory(
            forbund=forbund, name="Tierp kommun", short_name="Tierp", kind="kommun", order=5
        ),
    ]
    for medlem, amount in zip(made, [500, 500, 500, 300, 200], strict=True):
        MedlemsavgiftFactory(medlem=medlem, year=2026, amount=amount * 1000)
    return made


def test_contributions_one_line_per_member(forbund, members):
    budget = BudgetFactory(forbund=forbund, year=2026)
    BudgetradFactory(
        budget=budget,
        group=Group.MEDLEMSAVGIFTER,
        name="Medlemsavgifter",
        source=Source.MEDLEMSAVGIFTER,
        amount=None,
        per=Budgetrad.Per.MEDLEM,
    )

    table = budget_table(budget)

    assert [(r.label, r.amount) for r in table.rows[1:7]] == [
        ("Försäkringskassan", 500_000),
        ("Arbetsförmedlingen", 500_000),
        ("Region Uppsala", 500_000),
        ("Heby kommun", 300_000),
        ("Tierp kommun", 200_000),
        ("S:a intäkter", 2_000_000),
    ]


def test_an_adopted_budget_keeps_the_contributions_per_payer(forbund, members, kansli):
    budget = BudgetFactory(forbund=forbund, year=2026, status=Budget.Status.FORSLAG)
    BudgetradFactory(
        budget=budget,
        group=Group.MEDLEMSAVGIFTER,
        name="Medlemsavgifter",
        source=Source.MEDLEMSAVGIFTER,
        amount=None,
        per=Budgetrad.Per.BETALARE,
    )
    budget.adopt(by=kansli, date=datetime.date(2025, 11, 20), text="Fastställd.")
    members[3].avgifter.update(amount=999_000)

    rows = [(r.label, r.amount) for r in budget_table(budget).rows[1:5]]

    assert rows == [
        ("Försäkringskassan och Arbetsförmedlingen", 1_000_000),
        ("Region Uppsala", 500_000),
        ("Heby kommun", 300_000),
        ("Tierp kommun", 200_000),
    ]


def test_the_owner_column_can_be_left_out_and_grants_keep_their_order(forbund, members):
    for name, owner, amount in [("B", members[4], 100), ("A", members[3], 200)]:
        insats = InsatsFactory(forbund=forbund, name=name, agare=owner)
        AnslagFactory(insats=insats, year=2026, amount=amount * 1000)
    budget = BudgetFactory(forbund=forbund, year=2026)
    block = BudgetradFactory(
        budget=budget,
        kind="block",
        group=Group.INSATSER,
        name="Insatser",
        amount=None,
        source=Source.TYPED,
        sum_label="Summa insatser",
        order=1,
    )
    BudgetradFactory(
        budget=budget,
        parent=block,
        group=Group.INSATSER,
        name="",
        source=Source.INSATSER,
        amount=None,
        show_owner=False,
        order=2,
    )

    rows = [(r.label, r.owner, r.amount) for r in budget_table(budget).rows]

    assert rows[3:8] == [
        ("Insatser", "", None),
        ("B", "", 100_000),  # written first, printed first; no owner column, no heading
        ("A", "", 200_000),
        ("Summa insatser", "", 300_000),
        ("S:a kostnader", "", 300_000),
    ]


def test_a_total_on_the_heading_and_closing_lines_from_data(forbund):
    budget = BudgetFactory(
        forbund=forbund,
        year=2026,
        previous_surplus=100_000,
        forecast_previous_year=None,
        closing=[
            {"line": "resultat", "label": "Resultat"},
            {"line": "prognos", "label": "Prognos {år}"},
            {"line": "eget_kapital", "label": "Eget kapital 31/12"},
        ],
    )
    BudgetradFactory(
        budget=budget, group=Group.OVRIGA_INTAKTER, name="Bidrag", amount=50_000, order=1
    )
    block = BudgetradFactory(
        budget=budget,
        kind="block",
        group=Group.FORVALTNING,
        name="Kansliet",
        amount=None,
        total_on_heading=True,
        order=2,
    )
    BudgetradFactory(
        budget=budget, parent=block, group=Group.FORVALTNING, name="Lön", amount=30_000, order=3
    )

    rows = [(r.label, r.amount, r.style) for r in budget_table(budget).rows]

    assert rows == [
        ("Intäkter", None, "rubrik"),
        ("Bidrag", 50_000, "rad"),
        ("S:a intäkter", 50_000, "summa"),
        ("Kostnader", None, "rubrik"),
        ("Kansliet", 30_000, "rad"),
        ("Lön", 30_000, "rad"),
        ("S:a kostnader", 30_000, "summa"),
        ("Resultat", 20_000, "summa"),
        # no forecast given: "Prognos 2025" is left out, not printed as 0
        ("Eget kapital 31/12", 120_000, "slutsumma"),
    ]


def test_a_flat_budget_gets_the_blocks_that_print_it_as_before(forbund):
    budget = BudgetFactory(forbund=forbund, year=2026)
    for order, (group, name) in enumerate(
        [
            (Group.FORVALTNING, "Kansli"),
            (Group.EJ_BESLUTADE, "Reserv"),
            (Group.OVRIGA_SAMVERKANSINSATSER, "Stöd"),
        ]
    ):
        BudgetradFactory(
            budget=budget, group=group, name=name, amount=1000 * (order + 1), order=order
        )

    assert lay_out_flat_budget(Budgetrad, budget)
    assert not lay_out_flat_budget(Budgetrad, budget)  # once

    rows = [(r.label, r.amount) for r in budget_table(budget).rows]
    assert rows[3:9] == [
        ("Kansli", 1000),
        ("Samverkansinsatser", 5000),
        ("Övriga samverkansinsatser", None),
        ("Stöd", 3000),
        ("S:a övr samverkansinsatser", 3000),
        ("Reserv", 2000),
    ]


def test_next_years_budget_copies_the_blocks(fjallbo):
    kansli = _kansli(fjallbo.forbund)

    budget = start_from_previous(forbund=fjallbo.forbund, year=2027, user=kansli)

    labels = [r.label for r in budget_table(budget).rows]
    assert "Summa administration" in labels
    assert "Försäkringskassan och Arbetsförmedlingen" not in labels  # no 2027 contributions
    assert budget.costs_negative
    assert budget.rader.filter(kind="block").count() == 4
    assert budget.forecast_previous_year == Decimal(-10_000)


def test_the_outcome_page_lists_lines_not_blocks(client, fjallbo):
    draft = fjallbo.new_version(by=_kansli(fjallbo.forbund), reason="Ny")
    client.force_login(draft.forbund.roller.get().user)

    response = client.get("/fjallbo/budget/2026/utfall/")

    names = [form.instance.name for form in response.context["formset"].forms]
    assert "Kansli" in names
    assert "Administration" not in names and "" not in names
