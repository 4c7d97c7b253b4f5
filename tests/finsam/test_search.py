"""The menu's search box: what each role finds, grouped by kind, never another's."""

import datetime

import pytest

from insatser.models import Ansokan
from tests.factories import ArendeFactory, BeslutFactory, InsatsFactory, SammantradeFactory
from tests.helpers import query_count


@pytest.fixture
def found(forbund, other_forbund, heby, tierp):
    meeting = SammantradeFactory(forbund=forbund, date=datetime.date(2026, 9, 15))
    arende = ArendeFactory(
        sammantrade=meeting, number=4, title="Ansökan om arbetsträning", diarienummer="2026/31"
    )
    BeslutFactory(forbund=forbund, arende=arende, text="Styrelsen beviljar arbetsträningen.")
    BeslutFactory(
        forbund=forbund, delegated=True, text="Förlängd arbetsträning.", diarienummer="2026/40"
    )
    return {
        "meeting": meeting,
        "own": InsatsFactory(forbund=forbund, agare=heby, name="Arbetsträning Heby"),
        "other": InsatsFactory(forbund=forbund, agare=tierp, name="Arbetsträning Tierp"),
        "gavle": InsatsFactory(forbund=other_forbund, name="Arbetsträning Gävle"),
        "ansokan": Ansokan.objects.create(
            forbund=forbund,
            diarienummer="2026/12",
            title="Arbetsträning för unga",
            agare=tierp,
            kind="individ",
            status=Ansokan.Status.INSKICKAD,
        ),
        "draft": Ansokan.objects.create(
            forbund=forbund, title="Arbetsträning utkast", agare=heby, kind="individ"
        ),
    }


def groups(response):
    return {title: [hit.label for hit in hits] for title, hits, _more in response.context["groups"]}


@pytest.mark.parametrize("role", ["kansli", "styrelse", "revisor"])
def test_readers_find_every_kind(client, roles, role, found):
    client.force_login(roles[role])

    response = client.get("/uppsala/sok/?q=arbetsträning")

    page = response.content.decode()
    assert groups(response) == {
        "Insatser": ["Arbetsträning Heby", "Arbetsträning Tierp"],
        "Ansökningar": ["2026/12 Arbetsträning för unga"],
        "Sammanträden och ärenden": ["§ 4 Ansökan om arbetsträning"],
        "Beslut": ["Styrelsen beviljar arbetsträningen.", "Förlängd arbetsträning."],
    }
    assert f'href="/uppsala/insatser/{found["own"].pk}/"' in page
    assert f'href="/uppsala/sammantraden/{found["meeting"].pk}/"' in page
    assert "Gävle" not in page


def test_it_finds_by_diarienummer(client, kansli, found):
    client.force_login(kansli)
    response = client.get("/uppsala/sok/?q=2026/31")
    assert groups(response)["Sammanträden och ärenden"] == ["§ 4 Ansökan om arbetsträning"]
    assert groups(client.get("/uppsala/sok/?q=2026/40"))["Beslut"] == ["Förlängd arbetsträning."]
    assert groups(client.get("/uppsala/sok/?q=2026/12"))["Ansökningar"] == [
        "2026/12 Arbetsträning för unga"
    ]


def test_insatsagare_finds_only_its_own_and_no_meetings_or_decisions(client, agare, found):
    client.force_login(agare)

    response = client.get("/uppsala/sok/?q=arbetsträning")

    page = response.content.decode()
    assert groups(response) == {
        "Insatser": ["Arbetsträning Heby"],
        "Ansökningar": ["Arbetsträning utkast"],
    }
    assert "Tierp" not in page and "beviljar" not in page and "§ 4" not in page


def test_an_empty_or_odd_query_is_no_error(client, kansli, found):
    client.force_login(kansli)
    for q in ["", "   ", "%", "'; drop table x", "a\x00b", "å" * 5000, "&|!:*()"]:
        response = client.get("/uppsala/sok/", {"q": q})
        assert response.status_code == 200


def test_nothing_found_is_said(client, kansli, found):
    client.force_login(kansli)
    page = client.get("/uppsala/sok/?q=zyxwvu").content.decode()
    assert "Inga träffar för ”zyxwvu”." in page


def test_another_forbund_gets_404(client, outsider, found):
    client.force_login(outsider)
    assert client.get("/uppsala/sok/?q=arbetsträning").status_code == 404


def test_the_menu_has_a_search_box_for_every_role(client, roles, found):
    for user in roles.values():
        client.force_login(user)
        page = client.get("/uppsala/").content.decode()
        assert 'action="/uppsala/sok/"' in page
        assert '<label class="visually-hidden" for="meny-sok">Sök</label>' in page


def test_a_bad_filter_value_is_described_at_its_field(client, kansli, found):
    client.force_login(kansli)
    page = client.get("/uppsala/sammantraden/?ar=tjugo").content.decode()
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="id_ar-fel"' in page and 'id="id_ar-fel"' in page


@pytest.mark.parametrize("role", ["kansli", "insatsagare"])
def test_the_search_query_count_does_not_grow_with_the_hits(client, roles, role, forbund, heby):
    def add(n):
        for i in range(n):
            meeting = SammantradeFactory(forbund=forbund, notes="Arbetsträning")
            arende = ArendeFactory(sammantrade=meeting, title=f"Arbetsträning {i}")
            BeslutFactory(forbund=forbund, arende=arende, text="Arbetsträning beviljas.")
            InsatsFactory(forbund=forbund, agare=heby, name=f"Arbetsträning {i}")

    client.force_login(roles[role])
    add(2)
    few = query_count(client, "/uppsala/sok/?q=arbetsträning")
    add(25)
    assert query_count(client, "/uppsala/sok/?q=arbetsträning") <= few


def test_an_insats_is_found_by_its_owners_name(client, kansli, agare, heby, tierp):
    InsatsFactory(forbund=heby.forbund, agare=heby, name="Plattform för individstöd")
    InsatsFactory(forbund=heby.forbund, agare=tierp, name="Min framtid")

    client.force_login(kansli)
    assert groups(client.get("/uppsala/sok/?q=heby"))["Insatser"] == ["Plattform för individstöd"]

    client.force_login(agare)
    assert groups(client.get("/uppsala/sok/?q=tierp")).get("Insatser", []) == []
