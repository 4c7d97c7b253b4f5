"""The plan's own outline (issue 9): chapters as data, placed, left out, added; what the PDF
prints of them (read back), the goals' table, the annual cycle's own items, Markdown."""

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from budget.forbundsfil import dump_forbund, load_forbund_file, normalize, parse
from budget.models import Arshjulspost, Avsnitt, Mal, Resultatmal, Verksamhetsplan
from budget.plan.content import load_plan, plan_context, plan_html
from finsam.models import Handelse
from finsam.pdf import render_pdf
from tests.factories import LedamotFactory, MedlemsavgiftFactory, SammantradeFactory
from tests.helpers import form_data

NORRBACKA = "budget/demo/norrbacka.yaml"
PLACEHOLDERS = ("ännu", "ingen text", "saknas", "inte inlagd", "inte upplagd", "är tomt")


def pdf_text(plan):
    content = render_pdf(plan_html(load_plan(plan.forbund, plan.pk)))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    for space in ("\u00a0", "\u202f", "\u2009"):
        text = text.replace(space, " ")
    return re.sub(r"[ \t]+", " ", text)


@pytest.fixture
def norrbacka(db):
    forbund = load_forbund_file(NORRBACKA)
    return Verksamhetsplan.objects.of(forbund).select_related("forbund", "beslut").get(year=2026)


def test_the_file_places_the_chapters_where_its_outline_says(norrbacka):
    rows = [(a.key, a.kind, a.title) for a in norrbacka.avsnitt.all()]

    assert rows == [
        ("inledning", "text", "Inledning"),
        ("mal_och_uppfoljning", "mal", "Mål och uppföljning"),
        ("arshjul", "arshjul", "Årets process"),
        ("medlemmar", "medlemmar", "Medlemmar"),
        ("styrelsen", "styrelsen", "Styrelsen"),
        ("budget", "budget", "Ekonomisk information"),
        ("efter_budgeten", "text", "Budgetens förutsättningar"),
    ]


def test_the_outline_survives_dump_and_load(norrbacka):
    dumped = dump_forbund(norrbacka.forbund)

    assert "    disposition:\n      - inledning\n      - del: mal\n" in dumped
    assert "        avsnitt: mal_och_uppfoljning\n" in dumped
    assert "      - months: maj–juni\n" in dumped
    assert normalize(parse(dumped)) == normalize(parse(Path(NORRBACKA).read_text()))
    assert dump_forbund(load_forbund_file(dumped, replace=True)) == dumped


def test_a_file_without_an_outline_writes_none_back(db):
    dumped = dump_forbund(load_forbund_file("budget/demo/uppsala.yaml"))

    assert "disposition:" not in dumped


@pytest.mark.parametrize(
    ("outline", "error"),
    [
        ("[inledning, okand]", "disposition[1]: okänt avsnitt 'okand'"),
        ("[inledning, inledning]", "disposition[1]: avsnittet 'inledning' står redan"),
        ("[{del: mal}, {del: mal}, inledning]", "disposition[1].del: 'mal' står redan"),
        ("[{del: malen}, inledning]", "disposition[0].del: okänd del 'malen'"),
        ("[{del: mal}]", "disposition: avsnittet 'inledning' saknas i dispositionen"),
    ],
)
def test_a_wrong_outline_is_refused_naming_the_place(outline, error):
    text = (
        "forbund: {slug: x, name: X}\n"
        "medlemmar: [{name: Staten, kind: arbetsformedlingen}]\n"
        "verksamhetsplaner:\n"
        f"  - year: 2026\n    disposition: {outline}\n"
        "    avsnitt: [{key: inledning, title: Inledning}]\n"
    )

    with pytest.raises(Exception) as raised:
        parse(text)

    assert f"verksamhetsplaner[0].{error}" in str(raised.value)


def test_the_pdf_prints_only_the_outlines_chapters_and_no_placeholders(norrbacka):
    text = pdf_text(norrbacka)

    for heading in ("Inledning", "Mål och uppföljning", "Årets process", "Styrelsen"):
        assert heading in text
    # Left out by the outline: the target groups and the risk register.
    assert "Målgrupper" not in text and "Riskregister" not in text
    assert "Internkontroll" not in text
    for placeholder in PLACEHOLDERS:
        assert placeholder not in text.lower(), placeholder
    # The order is the outline's: the goals before the members, the budget before its text.
    assert text.index("Mål och uppföljning") < text.index("Medlemmar")
    assert text.rindex("Ekonomisk information") < text.rindex("Budgetens förutsättningar")


def test_an_empty_system_chapter_is_left_out_of_the_pdf_and_flagged_on_the_page(
    client, kansli, forbund
):
    plan = Verksamhetsplan.start_from_previous(forbund=forbund, year=2026, user=kansli)
    Avsnitt.objects.filter(plan=plan, key="inledning").update(body="Förbundets inledning.")

    text = pdf_text(plan)

    assert "Förbundets inledning." in text
    for absent in ("Riskanalys och internkontrollplan", "Målgrupper", "Kansliet"):
        assert absent not in text
    for placeholder in PLACEHOLDERS:
        assert placeholder not in text.lower(), placeholder
    client.force_login(kansli)
    html = client.get("/uppsala/plan/2026/").content.decode()
    assert html.count("det skrivs inte ut i planens PDF") == 13  # all but the introduction
    assert "Tomt – skrivs inte ut" in html


def test_section_text_is_markdown_in_the_pdf(norrbacka):
    text = pdf_text(norrbacka)

    assert "Förbundets uppdrag" in text  # a level-2 heading, also in the contents
    assert text.count("Förbundets uppdrag") == 2
    assert "i kommunens regi" in text and "tillsammans med Arbetsförmedlingen" in text
    assert "Se mål 2." in text  # the footnote
    assert re.search(r"Norrbacka kommun 50 %", text)  # the table


def test_goals_print_as_a_table_with_natural_target_values(norrbacka):
    text = pdf_text(norrbacka)

    assert "Mål Resultatmål Uppföljning" in text
    assert "Förbundets insatser ska leda till att fler går vidare" in text
    assert "Målvärde: 35 %" in text
    assert "Målvärde: minst 4 aktiviteter" in text
    assert "vid delåret" in text and "vid helåret" in text  # the target's own follow-up


def test_target_values_read_naturally():
    def value(target, unit, indicator="manuell"):
        return Resultatmal(target=target, unit=unit, indicator=indicator).target_text

    assert value(12, "antal", "antal_aktiviteter") == "Målvärde: minst 12 aktiviteter"
    assert value(40, "antal", "antal_aktivitetsdeltagare") == "Målvärde: minst 40 deltagare"
    assert value(35, "procent") == "Målvärde: 35 %"
    assert value(Decimal("12.50"), "procent") == "Målvärde: 12,5 %"
    assert value(None, "") == ""


def test_the_annual_cycle_holds_items_that_are_not_meetings_and_footnotes(norrbacka):
    SammantradeFactory(forbund=norrbacka.forbund, date="2026-05-20", kind="medlemssamrad")

    text = pdf_text(norrbacka)

    assert "Maj–juni Dialog med medlemmarna om nästa års budget." in text
    assert "Januari Insatsägarna lämnar sin slutrapport" in text
    assert "Datum för medlemssamrådet bestäms av styrelsen i mars." in text
    # Meetings of another kind than the board's: the column says what the rows hold.
    assert "Månad Datum Vad som händer" in text
    assert "Medlemssamråd" in text


def test_the_members_chapter_reads_the_same_in_the_page_and_the_pdf(client, kansli, forbund, heby):
    plan = Verksamhetsplan.start_from_previous(forbund=forbund, year=2026, user=kansli)
    type(heby).objects.filter(pk=heby.pk).update(key_share=12)
    LedamotFactory(medlem=heby, name="Ingrid Falk")

    pdf = pdf_text(plan)
    client.force_login(kansli)
    html = client.get("/uppsala/plan/2026/").content.decode()

    assert "12 % av kommunernas del" in pdf and "12 % av kommunernas del" in html
    # No contributions given: no column for them, nothing typed as 0 or "–".
    assert "Medlemsavgift 2026" not in pdf and "Medlemsavgift 2026" not in html
    MedlemsavgiftFactory(medlem=heby, year=2026)
    assert "Medlemsavgift 2026" in pdf_text(plan)


def test_next_years_plan_copies_the_outline_and_the_annual_cycle(norrbacka, kansli):
    forbund = norrbacka.forbund

    plan = Verksamhetsplan.start_from_previous(forbund=forbund, year=2027, user=kansli)

    assert [(a.key, a.kind) for a in plan.avsnitt.all()] == [
        (a.key, a.kind) for a in norrbacka.avsnitt.all()
    ]
    assert [str(p) for p in plan.arshjul.all()] == [str(p) for p in norrbacka.arshjul.all()]
    plan.refresh_from_db()
    assert plan.arshjul_noter == norrbacka.arshjul_noter
    target = Resultatmal.objects.get(mal__plan=plan, number="1.1")
    assert "vid delåret" in target.follow_up
    assert Mal.objects.get(plan=plan, number=1).description.startswith("Förbundets insatser")


# The pages ---------------------------------------------------------------------------


@pytest.fixture
def plan(forbund, kansli, monkeypatch):
    monkeypatch.setattr("budget.plan.views.current_year", lambda: 2026)
    return Verksamhetsplan.start_from_previous(forbund=forbund, year=2026, user=kansli)


def test_kansli_reorders_removes_and_adds_chapters(client, kansli, plan):
    plan.avsnitt.filter(key="internkontroll").update(body="Riskerna följs upp varje halvår.")
    client.force_login(kansli)
    response = client.get("/uppsala/plan/2026/disposition/")
    assert response.status_code == 200
    data = form_data(response, "form")
    rows = {a.key: a for a in plan.avsnitt.all()}
    data[f"plats_{rows['budget_text'].pk}"] = "1"  # the budget first
    data[f"bort_{rows['internkontroll'].pk}"] = "on"  # the risks left out
    data[f"bort_{rows['medlemmar'].pk}"] = "on"
    data["ny_del"] = ""

    response = client.post("/uppsala/plan/2026/disposition/", data)

    assert response.status_code == 302
    rows = list(plan.avsnitt.all())
    assert rows[0].key == "budget_text"
    assert not any(a.kind == "risker" for a in rows)
    # A removed system chapter without text of its own is gone; with text it stays as text.
    assert "medlemmar" not in [a.key for a in rows]
    assert next(a for a in rows if a.key == "internkontroll").kind == "text"
    handelse = Handelse.objects.get(action="disposition ändrad")
    assert handelse.changes["efter"][0] == "Budget"
    assert handelse.changes["borttagna delar"] == ["Medlemmar", "Riskanalys"]

    data = form_data(client.get("/uppsala/plan/2026/disposition/"), "form")
    data["ny_del"] = "risker"
    data["ny_plats"] = "2"
    client.post("/uppsala/plan/2026/disposition/", data)

    assert [a.kind for a in plan.avsnitt.all()][:2] == ["budget", "risker"]


def test_a_wrong_place_is_refused_next_to_the_field(client, kansli, plan):
    client.force_login(kansli)
    data = form_data(client.get("/uppsala/plan/2026/disposition/"), "form")
    first = plan.avsnitt.first()
    data[f"plats_{first.pk}"] = "ett"

    response = client.post("/uppsala/plan/2026/disposition/", data)

    assert response.status_code == 200
    assert "Ange platsen som ett heltal." in response.content.decode()
    assert plan.avsnitt.first() == first


def test_a_frozen_plans_outline_cannot_change(client, kansli, plan):
    Verksamhetsplan.objects.filter(pk=plan.pk).update(status="faststalld")
    client.force_login(kansli)

    assert client.post("/uppsala/plan/2026/disposition/", {}).status_code == 403
    assert client.post("/uppsala/plan/2026/arshjul/", {}).status_code == 403


def test_kansli_adds_an_annual_cycle_item_and_a_footnote(client, kansli, plan):
    client.force_login(kansli)
    data = form_data(client.get("/uppsala/plan/2026/arshjul/"), "form", "items")
    data.update({"post-0-month": "5", "post-0-end_month": "6", "post-0-text": "Dialog."})
    data["plan-arshjul_noter"] = "Preliminära datum."

    response = client.post("/uppsala/plan/2026/arshjul/", data)

    assert response.status_code == 302
    assert [str(p) for p in Arshjulspost.objects.filter(plan=plan)] == ["Maj–juni: Dialog."]
    plan.refresh_from_db()
    assert plan.arshjul_noter == "Preliminära datum."
    assert Handelse.objects.filter(action="årshjul ändrat").exists()
    html = client.get("/uppsala/plan/2026/").content.decode()
    assert "Maj–juni" in html and "Preliminära datum." in html


def test_a_month_range_backwards_is_refused(client, kansli, plan):
    client.force_login(kansli)
    data = form_data(client.get("/uppsala/plan/2026/arshjul/"), "form", "items")
    data.update({"post-0-month": "6", "post-0-end_month": "5", "post-0-text": "Dialog."})

    response = client.post("/uppsala/plan/2026/arshjul/", data)

    assert response.status_code == 200
    assert "Slutmånaden kommer före startmånaden." in response.content.decode()
    assert not Arshjulspost.objects.exists()


def test_the_page_and_the_pdf_show_the_same_chapters_in_order(norrbacka):
    context = plan_context(norrbacka)

    assert [c.title for c in context["printed"]] == [
        "Inledning",
        "Mål och uppföljning",
        "Årets process",
        "Medlemmar",
        "Styrelsen",
        "Ekonomisk information",
        "Budgetens förutsättningar",
    ]


def test_two_people_reordering_at_once_get_a_conflict_not_a_silent_overwrite(client, kansli, plan):
    client.force_login(kansli)
    first = form_data(client.get("/uppsala/plan/2026/disposition/"), "form")
    second = form_data(client.get("/uppsala/plan/2026/disposition/"), "form")
    budget = plan.avsnitt.get(key="budget_text")
    first[f"plats_{budget.pk}"] = "1"
    assert client.post("/uppsala/plan/2026/disposition/", first).status_code == 302
    inledning = plan.avsnitt.get(key="inledning")
    second[f"plats_{inledning.pk}"] = "14"

    response = client.post("/uppsala/plan/2026/disposition/", second)

    assert response.status_code == 200
    assert "Någon annan har sparat ändringar medan du arbetade" in response.content.decode()
    assert plan.avsnitt.first().key == "budget_text"
    assert Handelse.objects.filter(action="disposition ändrad").count() == 1


def test_the_demo_plans_texts_print_with_their_sub_headings_in_the_contents(db):
    forbund = load_forbund_file("budget/demo/uppsala.yaml")
    plan = Verksamhetsplan.objects.of(forbund).get(year=2026)

    text = pdf_text(plan)

    contents = text[text.index("Innehåll") : text.index("Sida 2 av")]
    for heading in ("Finsam", "Samordningsförbundet i Uppsala län", "Styrelsens uppdrag"):
        assert heading in contents  # a level-2 heading of "Bakgrund och uppdrag"
    assert "upprätta budget och årsredovisning för den finansiella samordningen" in text
    for placeholder in PLACEHOLDERS:
        assert placeholder not in text.lower(), placeholder
