"""The Historik on object pages: who, when, what changed (in Swedish labels), why."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budget.models import Avsnitt, Budget, Risk, Verksamhetsplan
from finsam.history import Change, describe, summary
from finsam.models import Handelse, Medlem
from tests.factories import (
    AnslagFactory,
    BudgetFactory,
    InsatsFactory,
    LedamotFactory,
    MalgruppFactory,
    SammantradeFactory,
    UserFactory,
)
from tests.helpers import form_data


def text(response):
    """The page's text as a reader sees it: tags and hidden helper texts gone, spaces folded."""
    html = response.content.decode()
    html = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", html)
    plain = re.sub(r"<[^>]+>", " ", html).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", plain)


def changes_of(handelse):
    def plain(value):
        return value and value.replace("\u00a0", " ")

    return {c.label: (plain(c.before), plain(c.after)) for c in describe(handelse)}


# What the list says ------------------------------------------------------------


def test_an_edit_shows_each_field_before_and_after_in_swedish(client, kansli, styrelse, heby):
    client.force_login(kansli)
    client.post(
        f"/uppsala/medlemmar/{heby.pk}/andra/",
        {"name": "Heby kommun", "short_name": "Heby k", "kind": "region", "order": 3},
    )

    client.force_login(styrelse)
    response = client.get(f"/uppsala/medlemmar/{heby.pk}/")

    page = text(response)
    assert "Historik" in page
    assert "Ändrad" in page
    assert "Kort namn: Heby → Heby k" in page
    assert "Typ: Kommun → Region" in page  # the choice's label, not "kommun"
    assert "Ordning: 0 → 3" in page
    assert f"av {kansli}" in page
    assert "Namn:" not in page  # unchanged


def test_the_reason_is_shown(client, kansli, revisor, forbund, heby):
    Handelse.record(
        forbund=forbund, user=kansli, subject=heby, action="ändrad", reason="Efter beslut i mars."
    )
    client.force_login(revisor)
    assert "Motivering: Efter beslut i mars." in text(client.get(f"/uppsala/medlemmar/{heby.pk}/"))


def test_empty_values_are_a_dash_and_related_rows_their_names(client, kansli, forbund, heby):
    seat = LedamotFactory(medlem=heby, name="Anna Berg", party="")
    tierp = Medlem.objects.create(forbund=forbund, name="Tierps kommun", kind="kommun")
    client.force_login(kansli)
    data = form_data(client.get(f"/uppsala/styrelsen/{seat.pk}/andra/"), "form")
    data.update(party="S", medlem=tierp.pk)
    assert client.post(f"/uppsala/styrelsen/{seat.pk}/andra/", data).status_code == 302

    page = text(client.get(f"/uppsala/styrelsen/{seat.pk}/andra/"))

    assert "Parti: – → S" in page
    assert "Medlem: Heby kommun → Tierps kommun" in page


def test_booleans_are_ja_and_nej(forbund):
    malgrupp = MalgruppFactory(forbund=forbund)
    handelse = Handelse.record(
        forbund=forbund,
        user=None,
        subject=malgrupp,
        action="ändrad",
        changes={"prioritized": [False, True]},
    )
    assert describe(handelse) == [Change("Prioriterad målgrupp", "Ja", "Nej")]


def test_a_new_object_shows_what_it_was_given_without_its_empty_fields(forbund, heby):
    handelse = Handelse.record(
        forbund=forbund,
        user=None,
        subject=heby,
        action="skapad",
        changes={"name": [None, "Heby kommun"], "short_name": [None, ""], "kind": [None, "kommun"]},
    )
    assert describe(handelse) == [Change("Namn", "Heby kommun"), Change("Typ", "Kommun")]


def test_a_field_named_version_is_not_a_change(forbund, heby):
    handelse = Handelse.record(
        forbund=forbund,
        user=None,
        subject=heby,
        action="ändrad",
        changes={"version": [3, 4], "order": [1, 2]},
    )
    assert describe(handelse) == [Change("Ordning", "2", "1")]


def test_an_older_event_with_only_the_new_value_shows_that(forbund):
    insats = InsatsFactory(forbund=forbund)
    handelse = Handelse.record(
        forbund=forbund,
        user=None,
        subject=insats,
        action="ändrad",
        changes={"status": "pagaende", "anslag": {"2027": "1800000"}},
    )
    assert describe(handelse) == [
        Change("Status", "Pågående"),
        Change("Beviljat belopp 2027", "1\u00a0800\u00a0000\u00a0kr"),
    ]


def test_grants_show_by_year_in_kronor(client, kansli, agare, forbund, heby):
    insats = InsatsFactory(forbund=forbund, agare=heby, name="Plattform")
    AnslagFactory(insats=insats, year=2026, amount=2_523_000)
    client.force_login(kansli)
    data = form_data(client.get(f"/uppsala/insatser/{insats.pk}/andra/"), "form", "formset")
    data["name"] = "Plattform 2.0"
    data["anslag-0-amount"] = "2 600 000"
    data["anslag-1-year"] = "2027"
    data["anslag-1-amount"] = "1000000"
    assert client.post(f"/uppsala/insatser/{insats.pk}/andra/", data).status_code == 302

    client.force_login(agare)  # Heby's own insats: its owner reads its history
    page = text(client.get(f"/uppsala/insatser/{insats.pk}/"))

    assert "Namn: Plattform → Plattform 2.0" in page
    assert "Beviljat belopp 2026: 2 523 000 kr → 2 600 000 kr" in page
    assert "Beviljat belopp 2027: – → 1 000 000 kr" in page
    handelse = Handelse.objects.get()
    assert summary(handelse) == "Ändrad: Namn, Beviljat belopp 2026, Beviljat belopp 2027"


def test_a_meetings_agenda_and_decisions_read_as_lists(client, styrelse, forbund):
    meeting = SammantradeFactory(forbund=forbund)
    Handelse.record(
        forbund=forbund,
        user=None,
        subject=meeting,
        action="ändrad",
        changes={
            "location": ["Kansliet", "Stadshuset"],
            "dagordning": {"nya": ["§ 3 Budget 2027", "§ 4 Övrigt"], "borttagna": ["§ 1 Ansökan"]},
            "beslut": ["§ 2: nytt", "§ 3: ändrat"],
        },
    )
    client.force_login(styrelse)

    page = text(client.get(f"/uppsala/sammantraden/{meeting.pk}/"))

    assert "Plats: Kansliet → Stadshuset" in page
    assert "Dagordning Nya: § 3 Budget 2027; § 4 Övrigt Borttagna: § 1 Ansökan" in page
    assert "Beslut: § 2: nytt; § 3: ändrat" in page


def test_a_budgets_lines_outcome_and_contributions(forbund, heby):
    budget = BudgetFactory(forbund=forbund, year=2026)
    edit = Handelse.record(
        forbund=forbund,
        user=None,
        subject=budget,
        action="ändrad",
        changes={
            "previous_surplus": ["4495000.00", "-518000"],
            "rader": {"Förvaltning": ["4600000.00", "4700000"]},
        },
    )
    outcome = Handelse.record(
        forbund=forbund,
        user=None,
        subject=budget,
        action="utfall och prognos ändrade",
        changes={"Förvaltning": {"utfall": "2300000", "prognos": None}},
    )
    avgift = Handelse.record(
        forbund=forbund,
        user=None,
        subject=heby,
        action="medlemsavgift 2026 ändrad",
        changes={"år": 2026, "före": None, "efter": "150000"},
    )

    assert changes_of(edit) == {
        "Över-/underskott från tidigare år": ("4 495 000 kr", "−518 000 kr"),
        "Budgetrad Förvaltning": ("4 600 000 kr", "4 700 000 kr"),
    }
    [line] = describe(outcome)
    assert line.label == "Förvaltning"
    assert [(p.label, p.after) for p in line.parts] == [
        ("Utfall", "2\u00a0300\u00a0000\u00a0kr"),
        ("Prognos", "–"),
    ]
    assert summary(outcome) == "Utfall och prognos ändrade: Förvaltning"
    assert describe(avgift) == [Change("Medlemsavgift 2026", "150\u00a0000\u00a0kr", "–")]


def test_a_long_text_shows_the_lines_that_changed_folded(client, kansli, forbund):
    plan = Verksamhetsplan.objects.create(forbund=forbund, year=2026)
    old = "Förbundet arbetar med individen i centrum. " * 4
    avsnitt = Avsnitt.objects.create(
        plan=plan, key="inledning", title="Inledning", body=f"{old}\n\nSamverkan sker lokalt."
    )
    client.force_login(kansli)
    url = f"/uppsala/plan/2026/avsnitt/{avsnitt.pk}/andra/"
    data = form_data(client.get(url), "form")
    data["body"] = f"{old}\n\nSamverkan sker i lokala grupper.\n\nUnga vuxna prioriteras."
    assert client.post(url, data).status_code == 302

    response = client.get(url)

    [entry] = response.context["historik"]
    [change] = entry.changes  # not the plan it is in: that is where, not what
    assert change.label == "Text"
    assert change.removed == ["Samverkan sker lokalt."]
    assert change.added == ["Samverkan sker i lokala grupper.", "Unga vuxna prioriteras."]
    html = response.content.decode()
    assert "<summary>Visa vad som ändrades</summary>" in html
    assert "Unga vuxna prioriteras." in html


def test_members_taking_part_say_who_joined_and_who_left(forbund):
    insats = InsatsFactory(forbund=forbund)
    handelse = Handelse.record(
        forbund=forbund,
        user=None,
        subject=insats,
        action="ändrad",
        changes={"deltagare": [["Tierp", "Region"], ["Region", "Enköping", "Heby"]]},
    )
    assert describe(handelse) == [
        Change("Övriga deltagande medlemmar", "Tillagda: Enköping, Heby; borttagna: Tierp")
    ]


# Where it shows, and to whom ------------------------------------------------------


@pytest.fixture
def objects(forbund, heby):
    """One object of each kind with a page, each with one recorded event."""
    insats = InsatsFactory(forbund=forbund, agare=heby)
    meeting = SammantradeFactory(forbund=forbund)
    budget = BudgetFactory(forbund=forbund, year=2026)
    plan = Verksamhetsplan.objects.create(forbund=forbund, year=2026)
    avsnitt = Avsnitt.objects.create(plan=plan, key="inledning", title="Inledning")
    risk = Risk.objects.create(plan=plan, risk="Sena rapporter", likelihood=2, consequence=3)
    seat = LedamotFactory(medlem=heby, name="Anna Berg")
    pages = {
        f"/uppsala/medlemmar/{heby.pk}/": heby,
        f"/uppsala/sammantraden/{meeting.pk}/": meeting,
        f"/uppsala/insatser/{insats.pk}/": insats,
        "/uppsala/budget/2026/": budget,
        "/uppsala/plan/2026/": plan,
        "/uppsala/plan/2026/risker/": risk,
        f"/uppsala/plan/2026/avsnitt/{avsnitt.pk}/andra/": avsnitt,
        f"/uppsala/plan/2026/risker/{risk.pk}/andra/": risk,
        f"/uppsala/styrelsen/{seat.pk}/andra/": seat,
    }
    for subject in {id(s): s for s in pages.values()}.values():
        _event(forbund, subject, "Första ändringen")
    return pages


def _event(forbund, subject, reason, user=None):
    return Handelse.record(
        forbund=forbund, user=user, subject=subject, action="ändrad", reason=reason
    )


READ_PAGES = [0, 1, 2, 3, 4, 5]  # indexes into `objects`: the pages readers open
EDIT_PAGES = [6, 7, 8]


@pytest.mark.parametrize("index", READ_PAGES + EDIT_PAGES)
def test_kansli_sees_the_history_on_every_page(client, kansli, objects, index):
    client.force_login(kansli)
    url = list(objects)[index]
    response = client.get(url)
    assert response.status_code == 200
    assert "Historik" in text(response)
    assert "Första ändringen" in text(response)


@pytest.mark.parametrize("role", ["styrelse", "revisor"])
@pytest.mark.parametrize("index", READ_PAGES)
def test_board_and_auditor_see_the_history(client, roles, objects, role, index):
    client.force_login(roles[role])
    response = client.get(list(objects)[index])
    assert response.status_code == 200
    assert "Första ändringen" in text(response)


def test_an_insatsagare_sees_its_own_insats_history_and_no_other(
    client, agare, forbund, objects, tierp
):
    own = next(s for s in objects.values() if s._meta.model_name == "insats")
    other = InsatsFactory(forbund=forbund, agare=tierp)
    _event(forbund, other, "Tierps ändring")
    client.force_login(agare)

    page = text(client.get(f"/uppsala/insatser/{own.pk}/"))

    assert "Första ändringen" in page
    assert "Tierps ändring" not in page
    assert client.get(f"/uppsala/insatser/{other.pk}/").status_code == 404


def test_an_insatsagare_sees_no_history_of_a_published_budget_or_plan(client, agare, objects):
    Budget.objects.update(status=Budget.Status.PUBLICERAD)
    Verksamhetsplan.objects.update(status=Verksamhetsplan.Status.PUBLICERAD)
    client.force_login(agare)
    for url in ["/uppsala/budget/2026/", "/uppsala/plan/2026/", "/uppsala/plan/2026/risker/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Historik" not in text(response), url
        assert "Första ändringen" not in text(response), url


def test_a_page_shows_its_own_events_only(client, kansli, forbund, other_forbund, heby, tierp):
    _event(forbund, heby, "Hebys egen")
    _event(forbund, tierp, "Tierps")
    _event(other_forbund, heby, "Ett annat förbunds")  # not possible in the app; still hidden
    client.force_login(kansli)

    page = text(client.get(f"/uppsala/medlemmar/{heby.pk}/"))

    assert "Hebys egen" in page
    assert "Tierps" not in page
    assert "Ett annat förbunds" not in page


def test_a_member_page_shows_its_board_seats_events_and_says_which(client, styrelse, forbund, heby):
    seat = LedamotFactory(medlem=heby, name="Anna Berg", party="C")
    _event(forbund, seat, "Ny mandatperiod")
    client.force_login(styrelse)
    assert "Ändrad: Ledamot ”Anna Berg (C)”" in text(client.get(f"/uppsala/medlemmar/{heby.pk}/"))


def test_a_plan_page_shows_its_sections_and_risks_events(client, styrelse, objects):
    client.force_login(styrelse)
    page = text(client.get("/uppsala/plan/2026/"))
    assert "Ändrad: Avsnitt ”Inledning”" in page
    assert "Ändrad: Risk ”Sena rapporter”" in page


def test_a_page_without_events_says_so(client, styrelse, forbund):
    meeting = SammantradeFactory(forbund=forbund)
    client.force_login(styrelse)
    page = text(client.get(f"/uppsala/sammantraden/{meeting.pk}/"))
    assert "Historik Inga ändringar är registrerade ännu." in page


# Constant queries ----------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("index", READ_PAGES + EDIT_PAGES)
def test_the_history_costs_the_same_queries_however_long(client, kansli, forbund, objects, index):
    url, subject = list(objects.items())[index]
    client.force_login(kansli)
    client.get(url)  # content types cached, as in a running server
    few = _queries(client, url)
    for n in range(8):
        _event(forbund, subject, f"Ändring {n}", user=UserFactory())
    many = _queries(client, url)
    assert "Ändring 7" in text(client.get(url))
    assert many == few


def test_a_long_history_shows_the_latest_and_says_so(client, styrelse, forbund, heby, monkeypatch):
    monkeypatch.setattr("finsam.history.PAGE_LIMIT", 3)
    for n in range(5):
        _event(forbund, heby, f"Ändring nummer {n}")
    client.force_login(styrelse)

    page = text(client.get(f"/uppsala/medlemmar/{heby.pk}/"))

    assert "Ändring nummer 4" in page
    assert "Ändring nummer 2" in page
    assert "Ändring nummer 1" not in page
    assert "Visar de 3 senaste händelserna." in page
