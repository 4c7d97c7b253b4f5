"""A budget's life: started from last year's, proposed, adopted, published, a new version."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budget.models import Budget, Budgetrad
from budget.tables import budget_table
from budget.versions import start_from_previous
from finsam.models import Beslut, Handelse
from tests.factories import (
    AnslagFactory,
    BeslutFactory,
    BudgetFactory,
    BudgetradFactory,
    InsatsFactory,
    MedlemsavgiftFactory,
)

Group, Source = Budgetrad.Group, Budgetrad.Source
Status = Budget.Status
K = Decimal("1000")


@pytest.fixture(autouse=True)
def year_2026(monkeypatch):
    monkeypatch.setattr("budget.views.current_year", lambda: 2026)


@pytest.fixture
def budget_2026(forbund, heby, tierp):
    """Contributions 2 000 tkr, costs 1 700 tkr (two insatser 1 200 + 500 typed), result 300."""
    MedlemsavgiftFactory(medlem=heby, year=2026, amount=1200 * K)
    MedlemsavgiftFactory(medlem=tierp, year=2026, amount=800 * K)
    running = InsatsFactory(forbund=forbund, agare=heby, name="Plattform för individstöd")
    ending = InsatsFactory(forbund=forbund, agare=tierp, name="Min framtid")
    AnslagFactory(insats=running, year=2026, amount=700 * K)
    AnslagFactory(insats=ending, year=2026, amount=500 * K)
    AnslagFactory(insats=running, year=2027, amount=900 * K)
    budget = BudgetFactory(
        forbund=forbund, year=2026, previous_surplus=400 * K, forecast_previous_year=-100 * K
    )
    rows = [
        (Group.MEDLEMSAVGIFTER, "Medlemsavgifter", Source.MEDLEMSAVGIFTER, None, 10),
        (Group.FORVALTNING, "Förvaltning", Source.TYPED, 450 * K, 50),
        (Group.INSATSER, "Samverkansinsatser", Source.INSATSER, None, 70),
        (Group.EJ_BESLUTADE, "Ej beslutade insatser", Source.TYPED, 50 * K, 90),
    ]
    for group, name, source, amount, order in rows:
        BudgetradFactory(
            budget=budget,
            group=group,
            name=name,
            source=source,
            amount=amount,
            order=order,
            outcome=Decimal("123") if source == Source.TYPED else None,
            forecast=Decimal("456") if source == Source.TYPED else None,
        )
    return budget


def _lines(budget):
    return [
        (r.group, r.name, r.source, r.amount, r.order, r.outcome, r.forecast)
        for r in budget.rader.order_by("order")
    ]


# start_from_previous


def test_a_new_year_starts_from_the_latest_version_of_last_year(forbund, kansli, budget_2026):
    before = _lines(budget_2026)
    table_2026 = budget_table(budget_2026)
    assert table_2026.equity == 400 * K - 100 * K + 2000 * K - 1700 * K

    budget = start_from_previous(forbund=forbund, year=2027, user=kansli)

    assert (budget.year, budget.version, budget.status) == (2027, 1, Status.UTKAST)
    # The capital at the start of 2026, and 2026's expected result.
    assert budget.previous_surplus == 400 * K - 100 * K
    assert budget.forecast_previous_year == table_2026.result_figures.forecast
    assert budget_table(budget).previous_surplus + budget.forecast_previous_year == (
        table_2026.previous_surplus
        + table_2026.forecast_previous_year
        + table_2026.result_figures.forecast
    )
    assert [line[:5] for line in _lines(budget)] == [line[:5] for line in before]
    assert all(r.outcome is None and r.forecast is None for r in budget.rader.all())
    # The insats lines come from the 2027 grants: only the running insats has one.
    table = budget_table(budget)
    assert [(x.name, x.amount) for x in table.insats_lines] == [
        ("Plattform för individstöd", 900 * K)
    ]
    # Last year's budget is as it was.
    budget_2026.refresh_from_db()
    assert _lines(budget_2026) == before
    assert budget_2026.status == Status.UTKAST
    handelse = Handelse.objects.of(forbund).get(subject_id=budget.pk)
    assert handelse.action == Budget.STARTED_FROM_PREVIOUS
    assert handelse.changes["från"] == "Budget 2026 (version 1)"


def test_it_starts_from_the_highest_version(forbund, kansli, budget_2026):
    budget_2026.status = Status.FASTSTALLD
    budget_2026.save()
    newer = budget_2026.new_version(by=kansli)
    newer.rader.filter(name="Förvaltning").update(amount=600 * K)

    budget = start_from_previous(forbund=forbund, year=2027, user=kansli)

    assert budget.rader.get(name="Förvaltning").amount == 600 * K


def test_a_year_with_a_budget_is_not_started_again(forbund, kansli, budget_2026):
    BudgetFactory(forbund=forbund, year=2027)

    with pytest.raises(ValidationError, match="Det finns redan en budget för 2027"):
        start_from_previous(forbund=forbund, year=2027, user=kansli)

    assert Budget.objects.of(forbund).filter(year=2027).count() == 1


def test_without_last_years_budget_nothing_is_started(forbund, kansli, other_forbund):
    BudgetFactory(forbund=other_forbund, year=2026)

    with pytest.raises(ValidationError, match="ingen budget för 2026"):
        start_from_previous(forbund=forbund, year=2027, user=kansli)

    assert not Budget.objects.of(forbund).exists()


def test_kansli_starts_next_years_budget_from_the_index(client, kansli, forbund, budget_2026):
    client.force_login(kansli)
    page = client.get("/uppsala/budget/2026/").content.decode()
    assert "Starta budget 2027 från budget 2026" in page

    response = client.post("/uppsala/budget/", {"year": "2027", "fran": "forra"})

    assert response.status_code == 302
    assert response["Location"] == "/uppsala/budget/2027/"
    budget = Budget.objects.of(forbund).get(year=2027)
    assert budget.rader.count() == 4
    page = client.get("/uppsala/budget/2027/").content.decode()
    assert "Över-/underskottet från tidigare år (300 tkr) och" in page
    assert "är förslag" in page


def test_the_suggestion_note_goes_once_the_surplus_is_changed(client, kansli, forbund, budget_2026):
    budget = start_from_previous(forbund=forbund, year=2027, user=kansli)
    budget.previous_surplus = 550 * K
    budget.save()
    client.force_login(kansli)

    page = client.get("/uppsala/budget/2027/").content.decode()

    assert "är förslag" not in page


def test_starting_a_year_that_exists_redirects_to_it(client, kansli, forbund, budget_2026):
    client.force_login(kansli)

    response = client.post("/uppsala/budget/", {"year": "2026", "fran": "forra"})

    assert response["Location"] == "/uppsala/budget/2026/"
    assert Budget.objects.of(forbund).count() == 1


def test_starting_without_last_year_says_so(client, kansli, forbund):
    BudgetFactory(forbund=forbund, year=2024)
    client.force_login(kansli)

    response = client.post("/uppsala/budget/", {"year": "2027", "fran": "forra"}, follow=True)

    assert "Det finns ingen budget för 2026 att utgå från." in response.content.decode()
    assert not Budget.objects.of(forbund).filter(year=2027).exists()


def test_a_bad_year_is_refused(client, kansli, forbund):
    client.force_login(kansli)

    response = client.post("/uppsala/budget/", {"year": "tjugo"}, follow=True)

    assert "Ange ett år mellan 2000 och 2100." in response.content.decode()
    assert not Budget.objects.exists()


@pytest.mark.parametrize("role", ["styrelse", "revisor", "insatsagare"])
def test_only_kansli_starts_a_budget(client, roles, role, budget_2026):
    client.force_login(roles[role])

    response = client.post("/uppsala/budget/", {"year": "2027", "fran": "forra"})

    assert response.status_code == 403
    assert not Budget.objects.filter(year=2027).exists()


# transitions


def test_the_life_cycle_from_draft_to_published(forbund, kansli, budget_2026):
    budget_2026.propose(by=kansli, reason="Till styrelsen 2026-11-26")
    assert budget_2026.status == Status.FORSLAG
    assert not budget_2026.is_frozen

    beslut = BeslutFactory(forbund=forbund, text="Styrelsen fastställer budget för 2026.")
    budget_2026.adopt(by=kansli, beslut=beslut)
    budget_2026.refresh_from_db()
    assert budget_2026.status == Status.FASTSTALLD
    assert budget_2026.beslut == beslut
    assert budget_2026.is_frozen

    budget_2026.publish(by=kansli)
    budget_2026.refresh_from_db()
    assert budget_2026.status == Status.PUBLICERAD

    events = list(Handelse.objects.of(forbund).order_by("pk"))
    assert [e.action for e in events] == ["framlagd som förslag", "fastställd", "publicerad"]
    assert all(e.user == kansli and e.subject == budget_2026 for e in events)
    assert events[0].reason == "Till styrelsen 2026-11-26"
    assert events[1].reason == "Styrelsen fastställer budget för 2026."


def test_an_adopted_budget_keeps_the_amounts_it_was_adopted_with(
    forbund, kansli, heby, budget_2026
):
    budget_2026.propose(by=kansli)
    budget_2026.adopt(by=kansli, beslut=BeslutFactory(forbund=forbund))
    adopted = budget_table(budget_2026)

    # Later the grants and contributions of 2026 change, and an insats is added.
    for anslag in forbund.insatser.get(name="Min framtid").anslag.filter(year=2026):
        anslag.amount = 650 * K
        anslag.save()
    heby.avgifter.filter(year=2026).update(amount=1300 * K)
    AnslagFactory(insats=InsatsFactory(forbund=forbund, agare=heby, name="Ny insats"), year=2026)

    budget_2026.refresh_from_db()
    again = budget_table(budget_2026)
    assert again.medlemsavgifter_total == adopted.medlemsavgifter_total == 2000 * K
    assert [(g.name, g.amount) for g in again.insats_lines] == [
        ("Plattform för individstöd", 700 * K),
        ("Min framtid", 500 * K),
    ]
    assert again.remaining == adopted.remaining

    # A new version is a draft again and counts with today's amounts.
    draft = budget_table(budget_2026.new_version(by=kansli))
    assert draft.medlemsavgifter_total == 2100 * K
    assert ("Min framtid", 650 * K) in [(g.name, g.amount) for g in draft.insats_lines]
    assert "Ny insats" in [g.name for g in draft.insats_lines]


def test_adopting_creates_the_decision_from_date_and_text(forbund, kansli, budget_2026):
    budget_2026.propose(by=kansli)

    budget_2026.adopt(
        by=kansli,
        date=datetime.date(2026, 11, 26),
        text="Styrelsen fastställer budget för 2026.",
        diarienummer="2026/31",
    )

    beslut = Beslut.objects.of(forbund).get()
    assert (beslut.date, beslut.diarienummer, beslut.delegated) == (
        datetime.date(2026, 11, 26),
        "2026/31",
        False,
    )
    assert Budget.objects.get(pk=budget_2026.pk).beslut == beslut


@pytest.mark.parametrize(
    ("status", "move", "message"),
    [
        (Status.FORSLAG, "propose", "bara ett utkast kan läggas fram som förslag"),
        (Status.FASTSTALLD, "propose", "bara ett utkast kan läggas fram som förslag"),
        (Status.UTKAST, "adopt", "bara ett förslag kan fastställas"),
        (Status.FASTSTALLD, "adopt", "bara ett förslag kan fastställas"),
        (Status.UTKAST, "publish", "bara en fastställd budget kan publiceras"),
        (Status.PUBLICERAD, "publish", "bara en fastställd budget kan publiceras"),
        (Status.UTKAST, "new_version", "en ny version görs av en fastställd budget"),
        (Status.FORSLAG, "new_version", "en ny version görs av en fastställd budget"),
    ],
)
def test_wrong_transitions_are_refused(forbund, kansli, budget_2026, status, move, message):
    budget_2026.status = status
    budget_2026.save()
    kwargs = {"beslut": BeslutFactory(forbund=forbund)} if move == "adopt" else {}

    with pytest.raises(ValidationError, match=message):
        getattr(budget_2026, move)(by=kansli, **kwargs)

    assert Budget.objects.get(pk=budget_2026.pk).status == status
    assert Budget.objects.count() == 1
    assert not Handelse.objects.exists()


def test_a_stale_object_cannot_move_twice(kansli, budget_2026):
    same_row = Budget.objects.get(pk=budget_2026.pk)
    budget_2026.propose(by=kansli)

    with pytest.raises(ValidationError, match="Budgeten är förslag"):
        same_row.propose(by=kansli)

    assert Handelse.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "Ange styrelsens beslut"),
        ({"date": datetime.date(2026, 11, 26), "text": "  "}, "Ange styrelsens beslut"),
        ({"beslut": "other"}, "hör till ett annat samordningsförbund"),
        ({"beslut": "delegated"}, "inte genom delegationsbeslut"),
    ],
)
def test_adopting_needs_a_board_decision_of_the_forbund(
    forbund, other_forbund, kansli, budget_2026, kwargs, message
):
    budget_2026.propose(by=kansli)
    if kwargs.get("beslut") == "other":
        kwargs["beslut"] = BeslutFactory(forbund=other_forbund)
    elif kwargs.get("beslut") == "delegated":
        kwargs["beslut"] = BeslutFactory(forbund=forbund, delegated=True)

    with pytest.raises(ValidationError, match=message):
        budget_2026.adopt(by=kansli, **kwargs)

    assert Budget.objects.get(pk=budget_2026.pk).status == Status.FORSLAG
    assert Beslut.objects.of(forbund).filter(delegated=False).count() == 0


def test_a_new_version_copies_everything_and_keeps_the_old(forbund, kansli, budget_2026):
    beslut = BeslutFactory(forbund=forbund)
    budget_2026.status, budget_2026.beslut = Status.PUBLICERAD, beslut
    budget_2026.save()
    before = _lines(budget_2026)

    newer = budget_2026.new_version(by=kansli, reason="Nytt beslut om Min framtid")

    assert (newer.year, newer.version, newer.status, newer.beslut) == (2026, 2, Status.UTKAST, None)
    assert (newer.previous_surplus, newer.forecast_previous_year) == (400 * K, -100 * K)
    assert _lines(newer) == before  # outcome and forecast too
    budget_2026.refresh_from_db()
    assert (budget_2026.status, budget_2026.beslut) == (Status.PUBLICERAD, beslut)
    assert _lines(budget_2026) == before
    assert Budget.objects.of(forbund).latest_version(2026) == newer
    handelse = Handelse.objects.of(forbund).get()
    assert (handelse.action, handelse.subject, handelse.reason) == (
        "ny version",
        newer,
        "Nytt beslut om Min framtid",
    )


def test_only_the_latest_version_gets_a_new_version(kansli, budget_2026):
    budget_2026.status = Status.FASTSTALLD
    budget_2026.save()
    budget_2026.new_version(by=kansli)

    with pytest.raises(ValidationError, match="redan en nyare version"):
        budget_2026.new_version(by=kansli)

    assert Budget.objects.count() == 2


# the pages


def test_kansli_proposes_on_the_budget_page(client, kansli, forbund, budget_2026):
    client.force_login(kansli)
    page = client.get("/uppsala/budget/2026/").content.decode()
    assert "Lägg fram som förslag" in page

    response = client.post("/uppsala/budget/2026/forslag/", {"version": "1"}, follow=True)

    assert response.redirect_chain[0] == ("/uppsala/budget/2026/", 302)
    assert "framlagd som förslag" in response.content.decode()
    assert Budget.objects.get().status == Status.FORSLAG
    assert "Fastställ genom styrelsens beslut" in response.content.decode()


def test_a_second_click_is_told_and_changes_nothing(client, kansli, budget_2026):
    client.force_login(kansli)
    client.post("/uppsala/budget/2026/forslag/", {"version": "1"})

    response = client.post("/uppsala/budget/2026/forslag/", {"version": "1"}, follow=True)

    assert "bara ett utkast kan läggas fram som förslag" in response.content.decode()
    assert Handelse.objects.count() == 1


def test_a_page_showing_an_older_version_changes_nothing(client, kansli, budget_2026):
    budget_2026.status = Status.FASTSTALLD
    budget_2026.save()
    budget_2026.new_version(by=kansli)
    client.force_login(kansli)

    response = client.post("/uppsala/budget/2026/publicera/", {"version": "1"}, follow=True)

    assert "har fått version 2 sedan sidan visades" in response.content.decode()
    assert list(Budget.objects.order_by("version").values_list("status", flat=True)) == [
        Status.FASTSTALLD,
        Status.UTKAST,
    ]


def test_kansli_adopts_with_an_existing_decision(client, kansli, forbund, budget_2026):
    budget_2026.propose(by=kansli)
    beslut = BeslutFactory(forbund=forbund, date=datetime.date(2026, 11, 26), text="Fastställs.")
    BeslutFactory(forbund=forbund, delegated=True, text="Delegerat beslut")
    client.force_login(kansli)
    page = client.get("/uppsala/budget/2026/faststall/").content.decode()
    assert "2026-11-26: Fastställs." in page
    assert "Delegerat beslut" not in page
    assert "Styrelsen fastställer budget för 2026." in page

    response = client.post(
        "/uppsala/budget/2026/faststall/",
        {"beslut": beslut.pk, "text": "Styrelsen fastställer budget för 2026."},
    )

    assert response["Location"] == "/uppsala/budget/2026/"
    budget_2026.refresh_from_db()
    assert (budget_2026.status, budget_2026.beslut) == (Status.FASTSTALLD, beslut)
    assert Beslut.objects.of(forbund).count() == 2


def test_kansli_adopts_with_a_new_decision(client, kansli, forbund, budget_2026):
    budget_2026.propose(by=kansli)
    client.force_login(kansli)

    client.post(
        "/uppsala/budget/2026/faststall/",
        {"date": "2026-11-26", "text": "Styrelsen fastställer budget för 2026."},
    )

    budget_2026.refresh_from_db()
    assert budget_2026.status == Status.FASTSTALLD
    assert budget_2026.beslut.text == "Styrelsen fastställer budget för 2026."
    page = client.get("/uppsala/budget/2026/").content.decode()
    assert "Fastställd genom beslut 2026-11-26" in page
    assert "/uppsala/budget/2026/andra/" not in page
    assert "Publicera" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "Styrelsen fastställer."}, "Ange beslutsdatum"),
        ({"date": "2026-11-26", "text": ""}, "Skriv beslutet"),
        ({"date": "26 november", "text": "Fastställs."}, "Ange ett giltigt datum"),
    ],
)
def test_a_bad_decision_is_refused(client, kansli, forbund, budget_2026, data, message):
    budget_2026.propose(by=kansli)
    client.force_login(kansli)

    response = client.post("/uppsala/budget/2026/faststall/", data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Budget.objects.get().status == Status.FORSLAG
    assert not Beslut.objects.exists()


def test_the_adopt_page_needs_a_proposal(client, kansli, budget_2026):
    client.force_login(kansli)

    response = client.get("/uppsala/budget/2026/faststall/", follow=True)

    assert "bara ett förslag kan fastställas" in response.content.decode()


def test_kansli_publishes_and_makes_a_new_version(client, kansli, forbund, budget_2026):
    budget_2026.status = Status.FASTSTALLD
    budget_2026.save()
    client.force_login(kansli)

    client.post("/uppsala/budget/2026/publicera/", {"version": "1"})
    assert Budget.objects.get().status == Status.PUBLICERAD

    response = client.post(
        "/uppsala/budget/2026/ny-version/", {"version": "1", "reason": "Ny insats"}
    )

    assert response["Location"] == "/uppsala/budget/2026/"
    newer = Budget.objects.of(forbund).latest_version(2026)
    assert (newer.version, newer.status) == (2, Status.UTKAST)
    assert Handelse.objects.get(action="ny version").reason == "Ny insats"
    page = client.get("/uppsala/budget/2026/").content.decode()
    assert "/uppsala/budget/2026/andra/" in page
    assert '<a href="/uppsala/budget/2026/?version=1">Version 1</a>' in page
    older = client.get("/uppsala/budget/2026/?version=1").content.decode()
    assert "en äldre version" in older
    assert "Lägg fram som förslag" not in older


TRANSITION_URLS = [
    "/uppsala/budget/2026/forslag/",
    "/uppsala/budget/2026/faststall/",
    "/uppsala/budget/2026/publicera/",
    "/uppsala/budget/2026/ny-version/",
]


@pytest.mark.parametrize("url", TRANSITION_URLS)
@pytest.mark.parametrize("role", ["styrelse", "revisor", "insatsagare"])
def test_only_kansli_moves_a_budget(client, roles, role, budget_2026, url):
    budget_2026.status = Status.FORSLAG
    budget_2026.save()
    client.force_login(roles[role])

    assert client.get(url).status_code == 403
    assert client.post(url, {"date": "2026-11-26", "text": "x"}).status_code == 403
    assert Budget.objects.get().status == Status.FORSLAG


@pytest.mark.parametrize("url", TRANSITION_URLS)
def test_outsiders_cannot_move_a_budget(client, outsider, budget_2026, url):
    client.force_login(outsider)

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("url", TRANSITION_URLS)
def test_a_get_only_shows_the_budget(client, kansli, budget_2026, url):
    client.force_login(kansli)

    response = client.get(url)

    assert response.status_code in (200, 302)
    assert Budget.objects.get().status == Status.UTKAST
    assert not Handelse.objects.exists()


def test_a_stale_object_keeps_the_decision_when_publishing(forbund, kansli, budget_2026):
    stale = Budget.objects.get(pk=budget_2026.pk)
    budget_2026.propose(by=kansli)
    budget_2026.adopt(by=kansli, beslut=BeslutFactory(forbund=forbund))

    stale.publish(by=kansli)

    budget_2026.refresh_from_db()
    assert budget_2026.status == Status.PUBLICERAD
    assert budget_2026.beslut is not None
