"""Nothing lost: two people saving the same object, a form posted twice, foreign rows.

Two kansli users in two sessions load the same edit page and both save: the
second is told what the first changed, nothing of theirs is saved, their
input stays in the form, and saving again keeps both edits. The forms are
read from the HTML the browser gets, so the hidden fields must be rendered.
Parallel posts are in tests/test_parallel.py (PostgreSQL).
"""

from decimal import Decimal

import pytest
from django.test import Client

from budget.models import Avsnitt, Budget, Mal, Medlemsavgift, Risk, Verksamhetsplan
from finsam.concurrency import CONFLICT
from finsam.models import Handelse, Inlamning, Ledamot, Medlem, Roll, Sammantrade
from insatser.models import Anslag, Insats

from .factories import (
    AnslagFactory,
    ArendeFactory,
    BudgetFactory,
    BudgetradFactory,
    InsatsFactory,
    LedamotFactory,
    MedlemsavgiftFactory,
    RollFactory,
    SammantradeFactory,
)
from .helpers import page_form


@pytest.fixture
def two_sessions(forbund, kansli):
    """Two browsers, each signed in as a kansli user of Uppsala."""
    first, second = Client(), Client()
    first.force_login(kansli)
    second.force_login(RollFactory(forbund=forbund, kind=Roll.Kind.KANSLI).user)
    return first, second


def _plan(forbund):
    return Verksamhetsplan.objects.create(forbund=forbund, year=2026)


# Each case: the edit page, what the first person changes, what the second
# changes (HTML name, posted value, the value the database then holds), and
# how to read those two values from the database.


def medlem_case(forbund, heby, tierp):
    def read():
        m = Medlem.objects.get(pk=heby.pk)
        return m.short_name, m.order

    url = f"/uppsala/medlemmar/{heby.pk}/andra/"
    return url, ("short_name", "Heby k:n", "Heby k:n"), ("order", "7", 7), read


def ledamot_case(forbund, heby, tierp):
    seat = LedamotFactory(medlem=heby, name="Anna Berg")

    def read():
        s = Ledamot.objects.get(pk=seat.pk)
        return s.name, s.party

    url = f"/uppsala/styrelsen/{seat.pk}/andra/"
    return url, ("name", "Anna Lind", "Anna Lind"), ("party", "S", "S"), read


def sammantrade_case(forbund, heby, tierp):
    meeting = SammantradeFactory(forbund=forbund)
    item = ArendeFactory(sammantrade=meeting, number=1, title="Budget")

    def read():
        item.refresh_from_db()
        return item.title, Sammantrade.objects.get(pk=meeting.pk).location

    url = f"/uppsala/sammantraden/{meeting.pk}/andra/"
    first = ("arenden-0-title", "Budget 2027", "Budget 2027")
    return url, first, ("location", "Stadshuset", "Stadshuset"), read


def insats_case(forbund, heby, tierp):
    insats = InsatsFactory(forbund=forbund, agare=heby, name="Lokus")
    grant = AnslagFactory(insats=insats, year=2026, amount=Decimal("1000000"))

    def read():
        return Anslag.objects.get(pk=grant.pk).amount, Insats.objects.get(pk=insats.pk).name

    url = f"/uppsala/insatser/{insats.pk}/andra/"
    first = ("anslag-0-amount", "450 000", Decimal("450000"))
    return url, first, ("name", "Lokus Uppsala", "Lokus Uppsala"), read


def budget_case(forbund, heby, tierp):
    budget = BudgetFactory(forbund=forbund, year=2026)
    line = BudgetradFactory(budget=budget, amount=Decimal("100000"))

    def read():
        line.refresh_from_db()
        return line.amount, Budget.objects.get(pk=budget.pk).previous_surplus

    first = ("rader-0-amount", "200 000", Decimal("200000"))
    second = ("previous_surplus", "5 000", Decimal("5000"))
    return "/uppsala/budget/2026/andra/", first, second, read


def outcome_case(forbund, heby, tierp):
    budget = BudgetFactory(forbund=forbund, year=2026)
    line = BudgetradFactory(budget=budget, amount=Decimal("100000"))

    def read():
        line.refresh_from_db()
        return line.outcome, line.forecast

    first = ("utfall-0-outcome", "10 000", Decimal("10000"))
    second = ("utfall-0-forecast", "20 000", Decimal("20000"))
    return "/uppsala/budget/2026/utfall/", first, second, read


def medlemsavgifter_case(forbund, heby, tierp):
    MedlemsavgiftFactory(medlem=heby, amount=Decimal("1000000"))
    MedlemsavgiftFactory(medlem=tierp, amount=Decimal("500000"))

    def read():
        avgifter = Medlemsavgift.objects.of(forbund).of_year(2026)
        amounts = {a.medlem_id: a.amount for a in avgifter}
        return amounts[heby.pk], amounts[tierp.pk]

    first = (f"medlem_{heby.pk}", "1 100 000", Decimal("1100000"))
    second = (f"medlem_{tierp.pk}", "600 000", Decimal("600000"))
    return "/uppsala/budget/2026/medlemsavgifter/", first, second, read


def avsnitt_case(forbund, heby, tierp):
    avsnitt = Avsnitt.objects.create(plan=_plan(forbund), key="inledning", title="Inledning")

    def read():
        a = Avsnitt.objects.get(pk=avsnitt.pk)
        return a.body, a.title

    url = f"/uppsala/plan/2026/avsnitt/{avsnitt.pk}/andra/"
    return url, ("body", "Ny text.", "Ny text."), ("title", "Bakgrund", "Bakgrund"), read


def mal_case(forbund, heby, tierp):
    mal = Mal.objects.create(plan=_plan(forbund), number=1, title="Fler i arbete")

    def read():
        m = Mal.objects.get(pk=mal.pk)
        return m.title, m.focus

    first = ("mal-0-title", "Fler i arbete eller studier", "Fler i arbete eller studier")
    return "/uppsala/plan/2026/mal/", first, ("mal-0-focus", "Arbete", "Arbete"), read


def risk_case(forbund, heby, tierp):
    risk = Risk.objects.create(plan=_plan(forbund), risk="Personal slutar", likelihood=2,
                               consequence=3)  # fmt: skip

    def read():
        r = Risk.objects.get(pk=risk.pk)
        return r.responsible, r.control

    url = f"/uppsala/plan/2026/risker/{risk.pk}/andra/"
    first = ("responsible", "Förbundschef", "Förbundschef")
    return url, first, ("control", "Överlämning", "Överlämning"), read


CASES = [
    medlem_case,
    ledamot_case,
    sammantrade_case,
    insats_case,
    budget_case,
    outcome_case,
    medlemsavgifter_case,
    avsnitt_case,
    mal_case,
    risk_case,
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__.removesuffix("_case"))
def test_the_second_save_is_told_and_loses_nothing(two_sessions, forbund, heby, tierp, case):
    url, (a_name, a_posted, a_saved), (b_name, b_posted, b_saved), read = case(forbund, heby, tierp)
    first, second = two_sessions
    before = read()
    data_a, data_b = page_form(first.get(url)), page_form(second.get(url))
    data_a[a_name], data_b[b_name] = a_posted, b_posted

    assert first.post(url, data_a).status_code == 302
    response = second.post(url, data_b)

    assert response.status_code == 200
    text = response.content.decode()
    assert f"{CONFLICT}:" in text
    assert a_posted in text.split(CONFLICT)[1].split("</div>")[0]  # names their value
    assert read() == (a_saved, before[1])  # nothing of the second's is saved
    again = page_form(response)
    assert again[b_name] == b_posted  # the second's input is kept
    assert again[a_name] == a_posted  # and shows what the first saved

    assert second.post(url, again).status_code == 302
    assert read() == (a_saved, b_saved)  # both edits are kept


def test_the_same_field_changed_by_both_keeps_the_second_persons_input(two_sessions, heby):
    url = f"/uppsala/medlemmar/{heby.pk}/andra/"
    first, second = two_sessions
    data_a, data_b = page_form(first.get(url)), page_form(second.get(url))
    data_a["name"], data_b["name"] = "Heby kommun A", "Heby kommun B"
    first.post(url, data_a)

    response = second.post(url, data_b)

    assert "Namn: Heby kommun A" in response.content.decode()
    assert page_form(response)["name"] == "Heby kommun B"
    assert Medlem.objects.get(pk=heby.pk).name == "Heby kommun A"


def test_a_save_moves_the_revision_on_and_is_recorded_without_it(client, kansli, heby):
    client.force_login(kansli)
    url = f"/uppsala/medlemmar/{heby.pk}/andra/"
    data = page_form(client.get(url))
    data["order"] = "4"

    assert client.post(url, data).status_code == 302

    heby.refresh_from_db()
    assert heby.revision == 2
    event = Handelse.objects.get(action="ändrad")
    assert set(event.changes) == {"order"}


def test_a_new_object_is_recorded_without_the_hidden_fields(client, kansli, forbund):
    client.force_login(kansli)
    data = page_form(client.get("/uppsala/medlemmar/ny/"))
    data.update(name="Enköpings kommun", kind="kommun")

    assert client.post("/uppsala/medlemmar/ny/", data).status_code == 302

    event = Handelse.objects.get(action="skapad")
    assert event.changes["name"][1] == "Enköpings kommun"
    assert not {"revision", "shown", "submission_key"} & set(event.changes)


# A form posted twice ----------------------------------------------------------


def _create_cases(forbund, heby, tierp):
    _plan(forbund)
    return [
        ("/uppsala/medlemmar/ny/", {"name": "Enköpings kommun", "kind": "kommun"}, Medlem),
        (
            "/uppsala/styrelsen/ny/",
            {
                "medlem": str(heby.pk),
                "name": "Eva Ek",
                "kind": "ordinarie",
                "mandate_start": "2027-01-01",
                "mandate_end": "2030-12-31",
            },
            Ledamot,
        ),
        (
            "/uppsala/sammantraden/ny/",
            {"date": "2026-10-01", "arenden-0-title": "Budget"},
            Sammantrade,
        ),
        (
            "/uppsala/insatser/ny/",
            {
                "name": "Lokus",
                "agare": str(heby.pk),
                "kind": "individ",
                "anslag-0-year": "2026",
                "anslag-0-amount": "100 000",
            },
            Insats,
        ),  # fmt: skip
        ("/uppsala/plan/2026/avsnitt/ny/", {"title": "Lokusgrupper", "order": "20"}, Avsnitt),
        (
            "/uppsala/plan/2026/risker/ny/",
            {"risk": "Sen rapportering", "likelihood": "2", "consequence": "3", "order": "1"},
            Risk,
        ),
    ]


@pytest.mark.parametrize("index", range(6))
def test_a_create_form_posted_twice_creates_one_row(client, kansli, forbund, heby, tierp, index):
    url, values, model = _create_cases(forbund, heby, tierp)[index]
    client.force_login(kansli)
    before = model.objects.count()
    data = {**page_form(client.get(url)), **values}

    first = client.post(url, data)
    second = client.post(url, data, follow=True)

    assert first.status_code == 302
    assert model.objects.count() == before + 1
    assert second.redirect_chain[0][0] == first.url
    assert "redan skickat" in second.content.decode()
    assert Handelse.objects.filter(action="skapad").count() == 1


def test_a_form_shown_twice_creates_two_rows(client, kansli, forbund):
    client.force_login(kansli)
    for name in ("Enköpings kommun", "Knivsta kommun"):
        data = page_form(client.get("/uppsala/medlemmar/ny/"))
        data.update(name=name, kind="kommun")
        assert client.post("/uppsala/medlemmar/ny/", data).status_code == 302
    assert Medlem.objects.filter(name__in=["Enköpings kommun", "Knivsta kommun"]).count() == 2


def test_a_key_is_per_forbund(forbund, other_forbund):
    Inlamning.objects.create(forbund=forbund, key="abc")
    Inlamning.objects.create(forbund=other_forbund, key="abc")
    assert Inlamning.objects.count() == 2


def test_an_edit_posted_twice_is_saved_once(client, kansli, heby):
    client.force_login(kansli)
    url = f"/uppsala/medlemmar/{heby.pk}/andra/"
    data = page_form(client.get(url))
    data["order"] = "4"

    client.post(url, data)
    second = client.post(url, data)

    assert second.status_code == 302
    assert Handelse.objects.filter(action="ändrad").count() == 1
    assert Medlem.objects.get(pk=heby.pk).revision == 2


def test_a_failed_save_keeps_the_key_for_the_next_try(client, kansli, forbund):
    client.force_login(kansli)
    data = page_form(client.get("/uppsala/medlemmar/ny/"))
    data.update(name="", kind="kommun")
    response = client.post("/uppsala/medlemmar/ny/", data)
    assert response.status_code == 200

    again = page_form(response)
    assert again["submission_key"] == data["submission_key"]
    again["name"] = "Enköpings kommun"
    assert client.post("/uppsala/medlemmar/ny/", again).status_code == 302
    assert Medlem.objects.filter(name="Enköpings kommun").exists()


# Board chairs: the check and the save are one step ----------------------------


def test_a_second_chair_for_the_same_period_is_refused(client, kansli, heby):
    LedamotFactory(medlem=heby, name="Anna Berg", chair_role=Ledamot.ChairRole.ORDFORANDE)
    client.force_login(kansli)
    data = page_form(client.get("/uppsala/styrelsen/ny/"))
    data.update(
        medlem=str(heby.pk),
        name="Eva Ek",
        kind="ordinarie",
        chair_role="ordforande",
        mandate_start="2026-01-01",
        mandate_end="2026-12-31",
    )

    response = client.post("/uppsala/styrelsen/ny/", data)

    assert response.status_code == 200
    assert "Anna Berg är redan ordförande" in response.content.decode()
    assert Ledamot.objects.filter(chair_role="ordforande").count() == 1


def test_a_save_after_any_other_save_is_refused(two_sessions, heby, tierp):
    url = f"/uppsala/medlemmar/{tierp.pk}/andra/"
    first, second = two_sessions
    data = page_form(second.get(url))
    Medlem.objects.filter(pk=tierp.pk).update(revision=5)
    data["order"] = "3"

    response = second.post(url, data)

    assert response.status_code == 200
    assert f"{CONFLICT}. Kontrollera och spara igen." in response.content.decode()
    assert Medlem.objects.get(pk=tierp.pk).order == 0


def test_the_same_seat_twice_is_refused_at_the_field(client, kansli, heby):
    LedamotFactory(medlem=heby, name="Eva Ek", mandate_start="2027-01-01", mandate_end="2030-12-31")
    client.force_login(kansli)
    data = page_form(client.get("/uppsala/styrelsen/ny/"))
    data.update(
        medlem=str(heby.pk),
        name="Eva Ek",
        kind="ordinarie",
        mandate_start="2027-01-01",
        mandate_end="2030-12-31",
    )

    response = client.post("/uppsala/styrelsen/ny/", data)

    assert response.status_code == 200
    assert "redan ett uppdrag för medlemmen" in response.content.decode()
    assert Ledamot.objects.count() == 1


@pytest.mark.parametrize("revision", ["abc", "²", "-1", "99999999999999999999999"])
def test_a_mangled_revision_is_a_conflict(client, kansli, heby, revision):
    client.force_login(kansli)
    url = f"/uppsala/medlemmar/{heby.pk}/andra/"
    data = page_form(client.get(url))
    data.update(order="4", revision=revision, submission_key="k" * 500)

    response = client.post(url, data)

    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    assert page_form(response)["revision"] == "1"
    assert Medlem.objects.get(pk=heby.pk).order == 0


def test_a_meeting_with_a_new_item_posted_twice_is_saved_once(client, kansli, forbund):
    meeting = SammantradeFactory(forbund=forbund)
    client.force_login(kansli)
    url = f"/uppsala/sammantraden/{meeting.pk}/andra/"
    data = page_form(client.get(url))
    data["arenden-0-title"] = "Budget"

    client.post(url, data)
    second = client.post(url, data)

    assert second.status_code == 302
    assert meeting.arenden.count() == 1
