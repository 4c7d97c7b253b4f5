from decimal import Decimal

import pytest

from budget.models import Budget, Budgetrad, Medlemsavgift
from finsam.models import Handelse, Medlem
from tests.factories import (
    BudgetFactory,
    BudgetradFactory,
    MedlemFactory,
    MedlemsavgiftFactory,
)
from tests.helpers import form_data

Group, Source = Budgetrad.Group, Budgetrad.Source


@pytest.fixture(autouse=True)
def year_2026(monkeypatch):
    monkeypatch.setattr("budget.views.current_year", lambda: 2026)


@pytest.fixture
def budget(forbund):
    budget = BudgetFactory(
        forbund=forbund,
        year=2026,
        previous_surplus=Decimal("4495000"),
        forecast_previous_year=Decimal("-518000"),
    )
    BudgetradFactory(
        budget=budget,
        group=Group.MEDLEMSAVGIFTER,
        name="Medlemsavgifter",
        source=Source.MEDLEMSAVGIFTER,
        amount=None,
        order=10,
    )
    BudgetradFactory(
        budget=budget,
        group=Group.FORVALTNING,
        name="Förvaltning",
        amount=Decimal("4550000"),
        order=50,
    )
    BudgetradFactory(
        budget=budget,
        group=Group.INSATSER,
        name="Samverkansinsatser",
        source=Source.INSATSER,
        amount=None,
        order=70,
    )
    return budget


def _rad(budget, name):
    return budget.rader.get(name=name)


# budget_index


def test_index_redirects_to_the_current_years_budget(client, styrelse, forbund, budget):
    BudgetFactory(forbund=forbund, year=2027)
    BudgetFactory(forbund=forbund, year=2025)
    client.force_login(styrelse)

    response = client.get("/uppsala/budget/")

    assert response.status_code == 302
    assert response["Location"] == "/uppsala/budget/2026/"


def test_index_falls_back_to_the_latest_year(client, revisor, forbund):
    BudgetFactory(forbund=forbund, year=2024)
    BudgetFactory(forbund=forbund, year=2025)
    client.force_login(revisor)

    response = client.get("/uppsala/budget/")

    assert response["Location"] == "/uppsala/budget/2025/"


def test_index_without_budget_offers_kansli_to_create_one(client, kansli, forbund):
    client.force_login(kansli)

    page = client.get("/uppsala/budget/").content.decode()

    assert "ingen budget" in page
    assert "Skapa budget för 2026" in page


def test_index_without_budget_offers_readers_nothing(client, styrelse, forbund):
    client.force_login(styrelse)

    response = client.get("/uppsala/budget/")

    assert response.status_code == 200
    assert "Skapa budget" not in response.content.decode()


def test_kansli_creates_an_empty_budget_with_the_standard_lines(client, kansli, forbund):
    client.force_login(kansli)

    response = client.post("/uppsala/budget/")

    assert response["Location"] == "/uppsala/budget/2026/"
    budget = Budget.objects.of(forbund).get(year=2026)
    assert budget.status == Budget.Status.UTKAST
    # The insatser line sits in the Samverkansinsatser block, under its own sum line.
    rows = [
        (r.kind, r.name, r.group, r.source, r.parent_id and r.parent.name)
        for r in budget.rader.all()
    ]
    assert rows == [
        ("rad", "Medlemsavgifter", Group.MEDLEMSAVGIFTER, Source.MEDLEMSAVGIFTER, None),
        ("block", "Samverkansinsatser", Group.INSATSER, Source.TYPED, None),
        ("block", "", Group.INSATSER, Source.TYPED, "Samverkansinsatser"),
        ("rad", "Namn på insats", Group.INSATSER, Source.INSATSER, ""),
    ]
    assert Handelse.objects.of(forbund).get().action == "skapad"


def test_creating_twice_creates_one_budget(client, kansli, forbund):
    client.force_login(kansli)

    client.post("/uppsala/budget/")
    client.post("/uppsala/budget/")

    assert Budget.objects.of(forbund).count() == 1


def test_readers_may_not_create_a_budget(client, styrelse, forbund):
    client.force_login(styrelse)

    response = client.post("/uppsala/budget/")

    assert response.status_code == 403
    assert not Budget.objects.exists()


@pytest.mark.parametrize(
    "url", ["/uppsala/budget/", "/uppsala/budget/2026/", "/uppsala/budget/2026/excel/"]
)
@pytest.mark.parametrize("status", ["utkast", "forslag", "faststalld"])
def test_insatsagare_may_not_see_an_unpublished_budget(client, agare, budget, url, status):
    budget.status = status
    budget.save()
    client.force_login(agare)

    assert client.get(url).status_code == 403


def test_insatsagare_reads_a_published_budget(client, agare, budget):
    budget.status = Budget.Status.PUBLICERAD
    budget.save()
    client.force_login(agare)

    index = client.get("/uppsala/budget/")
    response = client.get("/uppsala/budget/2026/")

    assert index["Location"] == "/uppsala/budget/2026/"
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kvarvarande beslutsutrymme" in page
    assert "/uppsala/budget/2026/excel/" in page
    for hidden in ("/andra/", "/utfall/", "/medlemsavgifter/", "Ny version", "Starta budget"):
        assert hidden not in page
    assert client.get("/uppsala/budget/2026/excel/").status_code == 200
    for url in ("/uppsala/budget/2026/andra/", "/uppsala/budget/2026/medlemsavgifter/"):
        assert client.get(url).status_code == 403


def test_insatsagare_sees_the_published_version_not_the_new_draft(client, agare, forbund, budget):
    budget.status = Budget.Status.PUBLICERAD
    budget.save()
    BudgetFactory(forbund=forbund, year=2026, version=2, previous_surplus=Decimal("1"))
    client.force_login(agare)

    response = client.get("/uppsala/budget/2026/")

    assert response.context["budget"] == budget
    assert [v.version for v in response.context["versions"]] == [1]
    assert client.get("/uppsala/budget/2026/?version=2").status_code == 404
    assert client.get("/uppsala/budget/2026/excel/?version=2").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/uppsala/budget/",
        "/uppsala/budget/2026/",
        "/uppsala/budget/2026/andra/",
        "/uppsala/budget/2026/utfall/",
        "/uppsala/budget/2026/excel/",
        "/uppsala/budget/2026/medlemsavgifter/",
    ],
)
def test_outsiders_get_404(client, outsider, budget, url):
    client.force_login(outsider)

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


# budget_detail


@pytest.mark.parametrize("role", ["kansli", "styrelse", "revisor"])
def test_readers_see_the_budget(client, roles, role, budget):
    client.force_login(roles[role])

    response = client.get("/uppsala/budget/2026/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Utkast" in page
    assert "Kvarvarande beslutsutrymme" in page
    assert ("/uppsala/budget/2026/andra/" in page) == (role == "kansli")


def test_a_year_without_budget_is_404(client, kansli, budget):
    client.force_login(kansli)

    assert client.get("/uppsala/budget/2031/").status_code == 404


def test_the_highest_version_is_shown_and_another_on_request(client, kansli, forbund, budget):
    BudgetFactory(
        forbund=forbund,
        year=2026,
        version=2,
        status=Budget.Status.FASTSTALLD,
        previous_surplus=Decimal("1000000"),
    )
    client.force_login(kansli)

    latest = client.get("/uppsala/budget/2026/")
    older = client.get("/uppsala/budget/2026/?version=1")

    assert latest.context["budget"].version == 2
    assert "Fastställd" in latest.content.decode()
    assert older.context["budget"] == budget
    assert "en äldre version" in older.content.decode()
    assert client.get("/uppsala/budget/2026/?version=9").status_code == 404


def test_it_links_to_other_years(client, kansli, forbund, budget):
    BudgetFactory(forbund=forbund, year=2025)
    client.force_login(kansli)

    page = client.get("/uppsala/budget/2026/").content.decode()

    assert 'href="/uppsala/budget/2025/"' in page


def test_it_warns_when_the_years_contributions_are_missing(client, kansli, heby, budget):
    client.force_login(kansli)

    page = client.get("/uppsala/budget/2026/").content.decode()

    assert "Medlemsavgifterna för 2026 är inte inlagda" in page


def test_no_warning_when_every_member_pays(client, kansli, heby, budget):
    MedlemsavgiftFactory(medlem=heby, year=2026)
    client.force_login(kansli)

    page = client.get("/uppsala/budget/2026/").content.decode()

    assert "Medlemsavgift" in page
    assert "är inte inlagda" not in page
    assert "saknar medlemsavgift" not in page


# budget_edit


@pytest.mark.parametrize("role", ["styrelse", "revisor", "insatsagare"])
def test_only_kansli_edits_the_budget(client, roles, role, budget):
    client.force_login(roles[role])

    assert client.get("/uppsala/budget/2026/andra/").status_code == 403
    assert client.post("/uppsala/budget/2026/andra/", {}).status_code == 403


def test_kansli_edits_the_budget_and_its_lines(client, kansli, forbund, budget):
    client.force_login(kansli)
    data = form_data(client.get("/uppsala/budget/2026/andra/"), "form", "formset")
    data["previous_surplus"] = "4 600 000"
    data["forecast_previous_year"] = "\u2212518 000"
    data["rader-1-amount"] = "4 700 000"  # Förvaltning
    data["rader-3-group"] = Group.FORSALJNING
    data["rader-3-name"] = "Försäljning av tjänster"
    data["rader-3-source"] = Source.TYPED
    data["rader-3-amount"] = "240000"
    data["rader-3-order"] = "20"

    response = client.post("/uppsala/budget/2026/andra/", data)

    assert response.status_code == 302
    assert response["Location"] == "/uppsala/budget/2026/"
    budget.refresh_from_db()
    assert budget.previous_surplus == 4_600_000
    assert budget.forecast_previous_year == -518_000
    assert _rad(budget, "Förvaltning").amount == 4_700_000
    assert _rad(budget, "Försäljning av tjänster").amount == 240_000
    handelse = Handelse.objects.of(forbund).get()
    assert handelse.action == "ändrad"
    assert handelse.changes["previous_surplus"] == ["4495000.00", "4600000"]
    assert handelse.changes["rader"]["Förvaltning"][1] == "4700000"
    assert handelse.changes["rader"]["Försäljning av tjänster"] == [None, "240000"]


def test_kansli_deletes_a_line(client, kansli, budget):
    client.force_login(kansli)
    data = form_data(client.get("/uppsala/budget/2026/andra/"), "form", "formset")
    data["rader-1-DELETE"] = "on"

    client.post("/uppsala/budget/2026/andra/", data)

    assert not budget.rader.filter(name="Förvaltning").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"rader-1-amount": ""}, "amount", "Ange ett belopp"),
        ({"rader-0-amount": "100"}, "amount", "har inget eget belopp"),
        ({"rader-1-amount": "fyra miljoner"}, "amount", "Ange beloppet i kronor med siffror"),
        (
            {"rader-1-source": Source.MEDLEMSAVGIFTER, "rader-1-amount": ""},
            "group",
            "hör till gruppen Medlemsavgifter",
        ),
    ],
)
def test_bad_lines_are_refused_and_nothing_is_saved(
    client, kansli, forbund, budget, changes, field, message
):
    client.force_login(kansli)
    data = form_data(client.get("/uppsala/budget/2026/andra/"), "form", "formset")
    data["previous_surplus"] = "1"
    data.update(changes)

    response = client.post("/uppsala/budget/2026/andra/", data)

    assert response.status_code == 200
    assert message in response.content.decode()
    bad_form = next(f for f in response.context["formset"].forms if f.errors)
    assert any(message in e for e in bad_form.errors[field])
    budget.refresh_from_db()
    assert budget.previous_surplus == 4_495_000
    assert _rad(budget, "Förvaltning").amount == 4_550_000
    assert not Handelse.objects.exists()


def test_two_medlemsavgifter_lines_are_refused(client, kansli, budget):
    client.force_login(kansli)
    data = form_data(client.get("/uppsala/budget/2026/andra/"), "form", "formset")
    data.update(
        {
            "rader-3-group": Group.MEDLEMSAVGIFTER,
            "rader-3-name": "Avgifter igen",
            "rader-3-source": Source.MEDLEMSAVGIFTER,
            "rader-3-order": "11",
        }
    )

    response = client.post("/uppsala/budget/2026/andra/", data)

    assert "samma belopp skulle räknas två gånger" in response.content.decode()
    assert budget.rader.count() == 3


def test_a_bad_surplus_is_refused(client, kansli, budget):
    client.force_login(kansli)
    data = form_data(client.get("/uppsala/budget/2026/andra/"), "form", "formset")
    data["previous_surplus"] = "mycket"

    response = client.post("/uppsala/budget/2026/andra/", data)

    assert response.context["form"].errors["previous_surplus"] == [
        "Ange beloppet i kronor med siffror, t.ex. 450 000."
    ]
    budget.refresh_from_db()
    assert budget.previous_surplus == 4_495_000


def test_an_adopted_budget_is_frozen(client, kansli, budget):
    budget.status = Budget.Status.FASTSTALLD
    budget.save()
    client.force_login(kansli)

    page = client.get("/uppsala/budget/2026/andra/")
    response = client.post(
        "/uppsala/budget/2026/andra/",
        {
            "previous_surplus": "0",
            "forecast_previous_year": "0",
            "rader-TOTAL_FORMS": "0",
            "rader-INITIAL_FORMS": "0",
        },
    )

    assert "är fastställd och kan inte ändras" in page.content.decode()
    assert '<form method="post" novalidate>' not in page.content.decode()
    assert response.status_code == 403
    budget.refresh_from_db()
    assert budget.previous_surplus == 4_495_000
    assert budget.rader.count() == 3
    assert not Handelse.objects.exists()


# medlemsavgifter_edit


@pytest.fixture
def avgifter(forbund, heby, tierp, region):
    fk = MedlemFactory(
        forbund=forbund, name="Försäkringskassan", kind=Medlem.Kind.FORSAKRINGSKASSAN, order=1
    )
    af = MedlemFactory(
        forbund=forbund, name="Arbetsförmedlingen", kind=Medlem.Kind.ARBETSFORMEDLINGEN, order=2
    )
    for medlem, amount in [
        (fk, 500_000),
        (af, 500_000),
        (region, 500_000),
        (heby, 300_000),
        (tierp, 200_000),
    ]:
        MedlemsavgiftFactory(medlem=medlem, year=2026, amount=Decimal(amount))
    return {"fk": fk, "af": af, "region": region, "heby": heby, "tierp": tierp}


def test_kansli_sees_the_contributions_prefilled_and_the_split(client, kansli, avgifter):
    client.force_login(kansli)

    response = client.get("/uppsala/budget/2026/medlemsavgifter/")

    page = response.content.decode()
    assert response.status_code == 200
    assert f'name="medlem_{avgifter["heby"].pk}" value="300 000"' in page
    assert "2\u00a0000" in page  # the sum, in tkr
    assert "50,0 %" in page
    assert "25,0 %" in page
    assert "följer inte lagen" not in page


def test_it_warns_when_the_split_breaks_the_law(client, kansli, avgifter):
    Medlemsavgift.objects.filter(medlem=avgifter["region"]).update(amount=Decimal("600000"))
    client.force_login(kansli)

    page = client.get("/uppsala/budget/2026/medlemsavgifter/").content.decode()

    # 2 100 000 in all: the state pays 1 000 000 (47,6 %), should pay 1 050 000.
    assert "Fördelningen följer inte lagen" in page
    assert "ska enligt lagen betala 50 % av 2\u00a0100\u00a0000 kr" in page
    assert "men betalar 1\u00a0000\u00a0000 kr (47,6 %)" in page
    assert "Regionen ska enligt lagen betala 25 %" in page


def test_the_split_allows_one_krona(client, kansli, avgifter):
    Medlemsavgift.objects.filter(medlem=avgifter["tierp"]).update(amount=Decimal("200001"))
    client.force_login(kansli)

    page = client.get("/uppsala/budget/2026/medlemsavgifter/").content.decode()

    assert "följer inte lagen" not in page


def test_kansli_saves_the_contributions(client, kansli, forbund, avgifter):
    client.force_login(kansli)
    data = form_data(client.get("/uppsala/budget/2026/medlemsavgifter/"), "form")
    data[f"medlem_{avgifter['heby'].pk}"] = "350 000"
    data[f"medlem_{avgifter['tierp'].pk}"] = ""

    response = client.post("/uppsala/budget/2026/medlemsavgifter/", data)

    assert response.status_code == 302
    rows = {a.medlem_id: a.amount for a in Medlemsavgift.objects.of(forbund).of_year(2026)}
    assert rows[avgifter["heby"].pk] == 350_000
    assert avgifter["tierp"].pk not in rows
    assert rows[avgifter["fk"].pk] == 500_000
    assert sorted(h.subject_id for h in Handelse.objects.of(forbund)) == sorted(
        [avgifter["heby"].pk, avgifter["tierp"].pk]
    )


def test_kansli_adds_a_years_contributions(client, kansli, forbund, heby):
    client.force_login(kansli)

    client.post("/uppsala/budget/2027/medlemsavgifter/", {f"medlem_{heby.pk}": "123 456"})

    assert Medlemsavgift.objects.of(forbund).get(year=2027).amount == 123_456


@pytest.mark.parametrize(
    ("value", "message"),
    [("-5", "Beloppet kan inte vara negativt."), ("många", "Ange beloppet i kronor")],
)
def test_bad_contributions_are_refused(client, kansli, forbund, avgifter, value, message):
    client.force_login(kansli)
    data = form_data(client.get("/uppsala/budget/2026/medlemsavgifter/"), "form")
    data[f"medlem_{avgifter['tierp'].pk}"] = ""
    data[f"medlem_{avgifter['heby'].pk}"] = value

    response = client.post("/uppsala/budget/2026/medlemsavgifter/", data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Medlemsavgift.objects.of(forbund).of_year(2026).count() == 5
    assert not Handelse.objects.exists()


@pytest.mark.parametrize("role", ["styrelse", "revisor"])
def test_readers_see_the_contributions_read_only(client, roles, role, avgifter):
    client.force_login(roles[role])

    response = client.get("/uppsala/budget/2026/medlemsavgifter/")
    refused = client.post(
        "/uppsala/budget/2026/medlemsavgifter/", {f"medlem_{avgifter['heby'].pk}": "1"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Heby kommun" in page
    assert f'name="medlem_{avgifter["heby"].pk}"' not in page
    assert refused.status_code == 403
    assert Medlemsavgift.objects.get(medlem=avgifter["heby"]).amount == 300_000


def test_insatsagare_may_not_see_the_contributions(client, agare, avgifter):
    client.force_login(agare)

    assert client.get("/uppsala/budget/2026/medlemsavgifter/").status_code == 403


# the unit, outcome and equity on the budget page


def test_the_unit_can_be_chosen_for_one_view(client, kansli, heby, budget):
    MedlemsavgiftFactory(medlem=heby, year=2026, amount=Decimal("23490000"))
    client.force_login(kansli)

    tkr = client.get("/uppsala/budget/2026/").content.decode()
    kr = client.get("/uppsala/budget/2026/?enhet=kr").content.decode()
    odd = client.get("/uppsala/budget/2026/?enhet=mnkr").content.decode()

    assert "belopp i tkr" in tkr and "23\u00a0490<" in tkr
    assert "belopp i kr" in kr and "23\u00a0490\u00a0000" in kr
    assert 'href="/uppsala/budget/2026/excel/?enhet=kr"' in kr
    assert "belopp i tkr" in odd


def test_outcome_columns_show_when_asked_or_typed(client, kansli, budget):
    client.force_login(kansli)

    plain = client.get("/uppsala/budget/2026/").content.decode()
    asked = client.get("/uppsala/budget/2026/?utfall=1").content.decode()
    budget.rader.filter(name="Förvaltning").update(outcome=Decimal("2000000"))
    typed = client.get("/uppsala/budget/2026/").content.decode()

    assert "Utfall, tkr" not in plain
    assert "Utfall, tkr" in asked and "Prognos, tkr" in asked
    assert "Utfall, tkr" in typed
    assert 'class="belopp utfall">2\u00a0000<' in typed


def test_the_page_shows_equity_and_warns_above_the_ceiling(client, kansli, heby, budget):
    MedlemsavgiftFactory(medlem=heby, year=2026, amount=Decimal("10000000"))
    client.force_login(kansli)

    page = client.get("/uppsala/budget/2026/").content.decode()

    # 4 495 − 518 + (10 000 − 4 550) = 9 427 tkr; the ceiling is 20 % of 10 000 = 2 000 tkr.
    assert "Eget kapital vid årets slut" in page
    assert "Tak för eget kapital (20 % av årets medlemsavgifter)" in page
    assert (
        "Eget kapital 9\u00a0427 tkr överstiger taket 20 % av medlemsavgifterna (2\u00a0000 tkr)."
        in page
    )


def test_no_equity_warning_under_the_ceiling(client, kansli, forbund, heby, budget):
    forbund.equity_ceiling_percent = Decimal("100")
    forbund.save()
    MedlemsavgiftFactory(medlem=heby, year=2026, amount=Decimal("10000000"))
    client.force_login(kansli)

    page = client.get("/uppsala/budget/2026/").content.decode()

    assert "överstiger taket" not in page


# budget_outcome


def test_kansli_types_outcome_and_forecast(client, kansli, forbund, budget):
    client.force_login(kansli)
    response = client.get("/uppsala/budget/2026/utfall/")
    assert response.status_code == 200
    names = [f.instance.name for f in response.context["formset"]]
    assert names == ["Medlemsavgifter", "Förvaltning"]  # not the derived insats line
    data = form_data(response, "formset")
    data["utfall-1-outcome"] = "2 300 000"
    data["utfall-1-forecast"] = "4 600 000"

    response = client.post("/uppsala/budget/2026/utfall/", data)

    assert response["Location"] == "/uppsala/budget/2026/?utfall=1"
    rad = _rad(budget, "Förvaltning")
    assert (rad.outcome, rad.forecast, rad.amount) == (2_300_000, 4_600_000, 4_550_000)
    assert _rad(budget, "Medlemsavgifter").outcome is None
    handelse = Handelse.objects.of(forbund).get()
    assert handelse.action == "utfall och prognos ändrade"
    assert handelse.changes == {"Förvaltning": {"utfall": "2300000", "prognos": "4600000"}}


def test_outcome_is_typed_on_an_adopted_budget_too(client, kansli, budget):
    budget.status = Budget.Status.PUBLICERAD
    budget.save()
    client.force_login(kansli)
    data = form_data(client.get("/uppsala/budget/2026/utfall/"), "formset")
    data["utfall-0-outcome"] = "11 745 000"

    client.post("/uppsala/budget/2026/utfall/", data)

    assert _rad(budget, "Medlemsavgifter").outcome == 11_745_000
    budget.refresh_from_db()
    assert budget.status == Budget.Status.PUBLICERAD


def test_outcome_page_changes_no_amount_and_adds_no_line(client, kansli, budget):
    client.force_login(kansli)
    data = form_data(client.get("/uppsala/budget/2026/utfall/"), "formset")
    data["utfall-1-amount"] = "1"
    data["utfall-TOTAL_FORMS"] = "3"
    data["utfall-2-outcome"] = "5"

    client.post("/uppsala/budget/2026/utfall/", data)

    assert budget.rader.count() == 3
    assert _rad(budget, "Förvaltning").amount == 4_550_000


def test_bad_outcome_is_refused(client, kansli, budget):
    client.force_login(kansli)
    data = form_data(client.get("/uppsala/budget/2026/utfall/"), "formset")
    data["utfall-0-outcome"] = "100"
    data["utfall-1-forecast"] = "mycket"

    response = client.post("/uppsala/budget/2026/utfall/", data)

    assert response.status_code == 200
    assert "Ange beloppet i kronor med siffror" in response.content.decode()
    assert _rad(budget, "Medlemsavgifter").outcome is None
    assert not Handelse.objects.exists()


@pytest.mark.parametrize("role", ["styrelse", "revisor", "insatsagare"])
def test_only_kansli_types_outcome(client, roles, role, budget):
    budget.status = Budget.Status.PUBLICERAD
    budget.save()
    client.force_login(roles[role])

    assert client.get("/uppsala/budget/2026/utfall/").status_code == 403
    response = client.post(
        "/uppsala/budget/2026/utfall/",
        {"utfall-TOTAL_FORMS": "0", "utfall-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 403


# the kommuner's key on the contributions page


def test_the_key_split_is_checked_per_kommun(client, kansli, avgifter):
    avgifter["heby"].key_share = Decimal("50")
    avgifter["heby"].save()
    avgifter["tierp"].key_share = Decimal("45")
    avgifter["tierp"].save()
    client.force_login(kansli)

    page = client.get("/uppsala/budget/2026/medlemsavgifter/").content.decode()

    # The kommuner pay 500 000 together: Heby should pay 250 000, Tierp 225 000.
    assert "Kommunernas fördelning enligt nyckeln" in page
    assert "Fördelningsnyckelns andelar summerar till 95 %, inte 100 %." in page
    assert (
        "Heby kommun ska enligt fördelningsnyckeln betala 50 % av kommunernas "
        "500\u00a0000 kr, alltså 250\u00a0000 kr, men betalar 300\u00a0000 kr." in page
    )
    assert "Tierps kommun ska enligt fördelningsnyckeln betala 45 %" in page
    assert "följer inte lagen" not in page


def test_no_key_warning_when_the_key_is_followed(client, kansli, avgifter):
    for name, share in (("heby", "60"), ("tierp", "40")):
        avgifter[name].key_share = Decimal(share)
        avgifter[name].save()
    client.force_login(kansli)

    page = client.get("/uppsala/budget/2026/medlemsavgifter/").content.decode()

    assert "Kommunernas fördelning enligt nyckeln" in page
    assert "Fördelningsnyckeln följs inte" not in page


def test_no_key_check_without_a_key(client, kansli, avgifter):
    client.force_login(kansli)

    page = client.get("/uppsala/budget/2026/medlemsavgifter/").content.decode()

    assert "Kommunernas fördelning enligt nyckeln" not in page
    assert "Fördelningsnyckeln följs inte" not in page


def test_outcome_page_refuses_lines_of_another_budget(client, kansli, forbund, budget):
    other = BudgetradFactory(budget=BudgetFactory(forbund=forbund, year=2025), name="Annan")
    derived = _rad(budget, "Samverkansinsatser")
    client.force_login(kansli)
    for pk in (other.pk, derived.pk):
        data = form_data(client.get("/uppsala/budget/2026/utfall/"), "formset")
        data["utfall-1-id"] = str(pk)
        data["utfall-1-outcome"] = "7"

        client.post("/uppsala/budget/2026/utfall/", data)

    other.refresh_from_db()
    derived.refresh_from_db()
    assert other.outcome is None and derived.outcome is None
    assert not Handelse.objects.exists()
