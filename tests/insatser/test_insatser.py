import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finsam.models import Handelse
from insatser.models import Anslag, Insats
from tests.factories import (
    AnslagFactory,
    BeslutFactory,
    InsatsFactory,
    MalgruppFactory,
    MedlemFactory,
)
from tests.helpers import form_data


@pytest.fixture(autouse=True)
def year_2026(monkeypatch):
    monkeypatch.setattr("insatser.views.current_year", lambda: 2026)


@pytest.fixture
def plattform(forbund, heby, tierp):
    """Heby's insats, with Tierp taking part and grants for 2026 and 2027."""
    insats = InsatsFactory(forbund=forbund, name="Plattform för individstöd", agare=heby)
    insats.deltagare.add(tierp)
    AnslagFactory(insats=insats, year=2026, amount=Decimal("2523000"))
    AnslagFactory(insats=insats, year=2027, amount=Decimal("2400000"))
    return insats


@pytest.fixture
def min_framtid(forbund, tierp):
    """Tierp's insats, planned, 2027 only."""
    insats = InsatsFactory(
        forbund=forbund,
        name="Min framtid",
        agare=tierp,
        status=Insats.Status.PLANERAD,
        start=datetime.date(2027, 1, 1),
        end=datetime.date(2028, 12, 31),
    )
    AnslagFactory(insats=insats, year=2027, amount=Decimal("2843000"))
    return insats


# insats_list


@pytest.mark.parametrize("role", ["kansli", "styrelse", "revisor"])
def test_readers_see_every_insats_with_grants_and_sum(client, roles, role, plattform, min_framtid):
    client.force_login(roles[role])

    response = client.get("/uppsala/insatser/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Plattform för individstöd" in page
    assert "Min framtid" in page
    assert "Beviljat 2026" in page and "Beviljat 2027" in page
    assert "2\u00a0523" in page
    assert "5\u00a0243" in page  # 2027: 2 400 + 2 843
    assert ("Ny insats" in page) == (role == "kansli")


def test_insatsagare_sees_only_its_own_members_insatser(client, agare, plattform, min_framtid):
    client.force_login(agare)

    page = client.get("/uppsala/insatser/").content.decode()

    assert "Plattform för individstöd" in page
    assert "Min framtid" not in page
    assert "Ny insats" not in page


def test_the_list_filters_by_status(client, kansli, plattform, min_framtid):
    client.force_login(kansli)

    response = client.get("/uppsala/insatser/?status=planerad")

    assert list(response.context["insatser"]) == [min_framtid]


def test_the_list_filters_by_year_and_shows_that_years_grants(
    client, kansli, plattform, min_framtid
):
    client.force_login(kansli)

    only_2026 = client.get("/uppsala/insatser/?ar=2026")
    in_2028 = client.get("/uppsala/insatser/?ar=2028")

    assert list(only_2026.context["insatser"]) == [plattform]
    assert list(in_2028.context["insatser"]) == [min_framtid]
    assert "Beviljat 2028" in in_2028.content.decode()
    assert "Beviljat 2029" in in_2028.content.decode()


def test_a_bad_year_filter_is_told(client, kansli, plattform):
    client.force_login(kansli)

    response = client.get("/uppsala/insatser/?ar=tjugo")

    assert "Ange ett år med fyra siffror." in response.content.decode()


def test_the_list_takes_the_same_queries_whatever_the_number_of_insatser(
    client, kansli, forbund, heby
):
    client.force_login(kansli)

    def make(n):
        for _ in range(n):
            insats = InsatsFactory(forbund=forbund, agare=heby)
            AnslagFactory(insats=insats, year=2026)
            AnslagFactory(insats=insats, year=2027)

    make(3)
    with CaptureQueriesContext(connection) as three:
        client.get("/uppsala/insatser/")
    make(47)
    with CaptureQueriesContext(connection) as fifty:
        response = client.get("/uppsala/insatser/")

    assert len(fifty) == len(three) <= 7
    assert len(response.context["insatser"]) == 25  # one page
    assert response.context["total_now"] == 50_000_000  # the sum of every page


def test_outsider_gets_404_everywhere(client, outsider, plattform):
    client.force_login(outsider)
    urls = [
        "/uppsala/insatser/",
        "/uppsala/insatser/ny/",
        f"/uppsala/insatser/{plattform.pk}/",
        f"/uppsala/insatser/{plattform.pk}/andra/",
    ]

    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url


# insats_detail


@pytest.mark.parametrize("role", ["kansli", "styrelse", "revisor", "insatsagare"])
def test_the_insats_page(client, roles, role, forbund, plattform):
    beslut = BeslutFactory(forbund=forbund, date=datetime.date(2025, 9, 16), diarienummer="2025/14")
    Anslag.objects.filter(insats=plattform, year=2026).update(beslut=beslut)
    client.force_login(roles[role])

    response = client.get(f"/uppsala/insatser/{plattform.pk}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Heby kommun" in page and "Tierps kommun" in page
    assert "2\u00a0523" in page
    assert "4\u00a0923" in page  # total of 2026 and 2027
    assert "2025-09-16 (Dnr 2025/14)" in page
    assert "minst två" not in page
    assert (f"/uppsala/insatser/{plattform.pk}/andra/" in page) == (role == "kansli")


def test_it_warns_when_fewer_than_two_members_take_part(client, kansli, forbund, heby):
    insats = InsatsFactory(forbund=forbund, agare=heby)
    client.force_login(kansli)

    page = client.get(f"/uppsala/insatser/{insats.pk}/").content.decode()

    assert "Färre än två medlemmar deltar i insatsen" in page


def test_insatsagare_gets_404_for_another_members_insats(client, agare, min_framtid):
    client.force_login(agare)

    assert client.get(f"/uppsala/insatser/{min_framtid.pk}/").status_code == 404


def test_another_forbunds_insats_is_404(client, kansli, other_forbund):
    insats = InsatsFactory(forbund=other_forbund)
    client.force_login(kansli)

    assert client.get(f"/uppsala/insatser/{insats.pk}/").status_code == 404
    assert client.get(f"/uppsala/insatser/{insats.pk}/andra/").status_code == 404


# insats_create and insats_edit


@pytest.mark.parametrize("role", ["styrelse", "revisor", "insatsagare"])
def test_only_kansli_edits_insatser(client, roles, role, plattform):
    client.force_login(roles[role])

    for url in ["/uppsala/insatser/ny/", f"/uppsala/insatser/{plattform.pk}/andra/"]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "X"}).status_code == 403, url
    assert Insats.objects.count() == 1


@pytest.fixture
def new_insats_data(forbund, heby, tierp, region):
    malgrupp = MalgruppFactory(forbund=forbund, name="Unga 16–29 år")
    return {
        "name": "Framsteget",
        "agare": heby.pk,
        "deltagare": [tierp.pk, region.pk],
        "kind": Insats.Kind.INDIVID,
        "malgrupp": malgrupp.pk,
        "start": "2026-01-01",
        "end": "2027-12-31",
        "status": Insats.Status.PAGAENDE,
        "description": "Stöd till arbete och studier.",
        "anslag-TOTAL_FORMS": "2",
        "anslag-INITIAL_FORMS": "0",
        "anslag-0-year": "2026",
        "anslag-0-amount": "1 861 000",
        "anslag-1-year": "2027",
        "anslag-1-amount": "1800000",
    }


def test_kansli_creates_an_insats_with_grants(client, kansli, forbund, new_insats_data, tierp):
    client.force_login(kansli)
    assert client.get("/uppsala/insatser/ny/").status_code == 200

    response = client.post("/uppsala/insatser/ny/", new_insats_data)

    insats = Insats.objects.of(forbund).get(name="Framsteget")
    assert response.status_code == 302
    assert response["Location"] == f"/uppsala/insatser/{insats.pk}/"
    assert insats.agare.short_name == "Heby"
    assert set(insats.deltagare.all()) == {tierp, forbund.medlemmar.get(name="Region Uppsala")}
    assert insats.malgrupp.name == "Unga 16–29 år"
    assert {a.year: a.amount for a in insats.anslag.all()} == {2026: 1_861_000, 2027: 1_800_000}
    handelse = Handelse.objects.of(forbund).get()
    assert handelse.action == "skapad"
    assert handelse.subject == insats
    assert handelse.changes["anslag"] == {"2026": [None, "1861000"], "2027": [None, "1800000"]}


def test_kansli_edits_an_insats_and_its_grants(client, kansli, forbund, plattform, region):
    client.force_login(kansli)
    data = form_data(client.get(f"/uppsala/insatser/{plattform.pk}/andra/"), "form", "formset")
    data["name"] = "Plattform för individstöd 2.0"
    data["deltagare"] = [*data["deltagare"], region.pk]
    data["anslag-0-amount"] = "2 600 000"  # 2026
    data["anslag-1-DELETE"] = "on"  # 2027
    data["anslag-2-year"] = "2028"
    data["anslag-2-amount"] = "1000000"

    response = client.post(f"/uppsala/insatser/{plattform.pk}/andra/", data)

    assert response.status_code == 302
    plattform.refresh_from_db()
    assert plattform.name == "Plattform för individstöd 2.0"
    assert plattform.deltagare.count() == 2
    assert {a.year: a.amount for a in plattform.anslag.all()} == {2026: 2_600_000, 2028: 1_000_000}
    handelse = Handelse.objects.of(forbund).get()
    assert handelse.action == "ändrad"
    assert handelse.changes["anslag borttagna"] == [2027]
    assert handelse.changes["anslag"]["2026"][1] == "2600000"
    assert handelse.changes["anslag"]["2028"] == [None, "1000000"]
    assert handelse.changes["name"] == [
        "Plattform för individstöd",
        "Plattform för individstöd 2.0",
    ]


def test_the_choices_are_the_forbunds_own(client, kansli, other_forbund, new_insats_data):
    stranger = MedlemFactory(forbund=other_forbund, name="Gävle kommun")
    client.force_login(kansli)

    form = client.get("/uppsala/insatser/ny/").context["form"]
    response = client.post("/uppsala/insatser/ny/", {**new_insats_data, "agare": stranger.pk})

    assert stranger not in form.fields["agare"].queryset
    assert stranger not in form.fields["deltagare"].queryset
    assert "agare" in response.context["form"].errors
    assert not Insats.objects.exists()


@pytest.mark.parametrize(
    ("changes", "where", "message"),
    [
        ({"end": "2025-12-31"}, ("form", "end"), "Slutdatum kan inte vara före startdatum."),
        ({"deltagare": ["HEBY"]}, ("form", "deltagare"), "är insatsägare och deltar redan"),
        ({"anslag-1-year": "2026"}, ("formset", "year"), "2026 finns redan på en annan rad"),
        ({"anslag-1-amount": "-100"}, ("formset", "amount"), "Beloppet kan inte vara negativt."),
        ({"anslag-1-amount": "en miljon"}, ("formset", "amount"), "Ange beloppet i kronor"),
    ],
)
def test_bad_input_is_told_and_nothing_is_saved(
    client, kansli, forbund, heby, new_insats_data, changes, where, message
):
    client.force_login(kansli)
    if changes.get("deltagare") == ["HEBY"]:
        changes = {"deltagare": [heby.pk]}

    response = client.post("/uppsala/insatser/ny/", {**new_insats_data, **changes})

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Inget är sparat" in page
    kind, field = where
    if kind == "form":
        errors = response.context["form"].errors[field]
    else:
        errors = [e for f in response.context["formset"].forms for e in f.errors.get(field, [])]
    assert any(message in e for e in errors)
    assert not Insats.objects.exists()
    assert not Anslag.objects.exists()
    assert not Handelse.objects.exists()


def test_a_bad_grant_leaves_the_insats_unchanged(client, kansli, plattform):
    client.force_login(kansli)
    data = form_data(client.get(f"/uppsala/insatser/{plattform.pk}/andra/"), "form", "formset")
    data["name"] = "Nytt namn"
    data["anslag-0-amount"] = "-1"

    response = client.post(f"/uppsala/insatser/{plattform.pk}/andra/", data)

    assert response.status_code == 200
    plattform.refresh_from_db()
    assert plattform.name == "Plattform för individstöd"
    assert plattform.anslag.get(year=2026).amount == 2_523_000


def test_a_new_row_for_an_existing_year_is_refused(client, kansli, plattform):
    client.force_login(kansli)
    data = form_data(client.get(f"/uppsala/insatser/{plattform.pk}/andra/"), "form", "formset")
    data["anslag-2-year"] = "2027"
    data["anslag-2-amount"] = "5"

    response = client.post(f"/uppsala/insatser/{plattform.pk}/andra/", data)

    assert response.status_code == 200
    assert plattform.anslag.count() == 2
    assert plattform.anslag.get(year=2027).amount == 2_400_000
