import datetime

import pytest
from django.utils import timezone

from finsam.models import Arende, Beslut, Handelse, Sammantrade

from ..factories import AnslagFactory, ArendeFactory, BeslutFactory, SammantradeFactory

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """A fixed today for the pages that show what is current."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr(timezone, "localdate", localdate)
    return TODAY


@pytest.fixture
def meeting(forbund):
    """September's board meeting: § 1 decided, § 2 not yet."""
    meeting = SammantradeFactory(
        forbund=forbund, date=datetime.date(2026, 9, 15), location="Förbundets kansli"
    )
    first = ArendeFactory(sammantrade=meeting, number=1, title="Ansökan Unga vuxna")
    ArendeFactory(sammantrade=meeting, number=2, title="Delårsrapport", kind="information")
    BeslutFactory(forbund=forbund, arende=first, text="Styrelsen beviljar 500 000 kr.")
    return meeting


@pytest.fixture
def gavle_meeting(other_forbund):
    return SammantradeFactory(forbund=other_forbund, date=datetime.date(2026, 9, 16))


def meeting_data(items=(), **fields):
    """The POST of the meeting form: its fields and one row per agenda item."""
    data = {
        "kind": "styrelsemote",
        "date": "2026-09-15",
        "start_time": "09:00",
        "location": "Förbundets kansli",
        "status": "planerat",
        "notes": "",
    } | fields
    data["arenden-TOTAL_FORMS"] = len(items)
    data["arenden-INITIAL_FORMS"] = sum(1 for item in items if item.get("id"))
    data["arenden-MIN_NUM_FORMS"] = 0
    data["arenden-MAX_NUM_FORMS"] = 1000
    for i, item in enumerate(items):
        row = {"kind": "beslut", "description": ""} | item
        for key, value in row.items():
            data[f"arenden-{i}-{key}"] = value
    return data


def rows_of(meeting):
    """The rows of the meeting's agenda as the edit page shows them."""
    rows = []
    for arende in meeting.arenden.order_by("number"):
        rows.append(
            {
                "id": arende.pk,
                "number": arende.number,
                "title": arende.title,
                "kind": arende.kind,
                "description": arende.description,
            }
        )
    return rows


# Who may see what -----------------------------------------------------------

READ_URLS = [
    "/uppsala/sammantraden/",
    "/uppsala/sammantraden/?ar=2025",
    "/uppsala/sammantraden/{pk}/",
]
EDIT_URLS = ["/uppsala/sammantraden/ny/", "/uppsala/sammantraden/{pk}/andra/"]


@pytest.mark.parametrize("url", READ_URLS + EDIT_URLS)
def test_kansli_sees_every_page(client, kansli, meeting, url):
    client.force_login(kansli)
    assert client.get(url.format(pk=meeting.pk)).status_code == 200


@pytest.mark.parametrize("role", ["styrelse", "revisor"])
@pytest.mark.parametrize("url", READ_URLS)
def test_board_and_auditor_read(client, roles, meeting, role, url):
    client.force_login(roles[role])
    assert client.get(url.format(pk=meeting.pk)).status_code == 200


@pytest.mark.parametrize("role", ["styrelse", "revisor"])
@pytest.mark.parametrize("url", EDIT_URLS)
def test_board_and_auditor_cannot_edit(client, roles, meeting, role, url):
    client.force_login(roles[role])
    assert client.get(url.format(pk=meeting.pk)).status_code == 403
    response = client.post(url.format(pk=meeting.pk), meeting_data(location="Annan plats"))
    assert response.status_code == 403
    assert Sammantrade.objects.get().location == "Förbundets kansli"


@pytest.mark.parametrize("url", READ_URLS + EDIT_URLS)
def test_insatsagare_is_refused(client, agare, meeting, url):
    client.force_login(agare)
    assert client.get(url.format(pk=meeting.pk)).status_code == 403


@pytest.mark.parametrize("url", READ_URLS + EDIT_URLS)
def test_outsider_gets_404(client, outsider, meeting, url):
    client.force_login(outsider)
    assert client.get(url.format(pk=meeting.pk)).status_code == 404


@pytest.mark.parametrize(
    "url", ["/uppsala/sammantraden/{pk}/", "/uppsala/sammantraden/{pk}/andra/"]
)
def test_another_forbunds_meeting_is_not_found(client, kansli, gavle_meeting, url):
    client.force_login(kansli)
    assert client.get(url.format(pk=gavle_meeting.pk)).status_code == 404
    assert client.post(url.format(pk=gavle_meeting.pk), meeting_data()).status_code == 404
    gavle_meeting.refresh_from_db()
    assert gavle_meeting.location == ""


# The year's meetings ----------------------------------------------------------


def test_list_shows_this_years_meetings_and_the_next_one(client, styrelse, forbund, meeting):
    SammantradeFactory(forbund=forbund, date=datetime.date(2026, 3, 2), status="justerat")
    march = SammantradeFactory(forbund=forbund, date=datetime.date(2026, 3, 24))
    SammantradeFactory(forbund=forbund, date=datetime.date(2025, 11, 18))
    client.force_login(styrelse)
    response = client.get("/uppsala/sammantraden/")
    page = response.content.decode()
    assert response.context["year"] == 2026
    assert [m.date.isoformat() for m in response.context["sammantraden"]] == [
        "2026-03-02",
        "2026-03-24",
        "2026-09-15",
    ]
    assert response.context["next_meeting"] == march
    assert "Nästa sammanträde" in page
    assert "Protokoll justerat" in page
    assert "2025-11-18" not in page
    assert "?ar=2025" in page and "?ar=2027" in page
    assert "Nytt sammanträde" not in page
    counts = {m.date.isoformat(): m.antal_arenden for m in response.context["sammantraden"]}
    assert counts["2026-09-15"] == 2


def test_list_of_another_year(client, kansli, forbund, meeting):
    SammantradeFactory(forbund=forbund, date=datetime.date(2025, 11, 18))
    client.force_login(kansli)
    response = client.get("/uppsala/sammantraden/?ar=2025")
    assert [m.date.isoformat() for m in response.context["sammantraden"]] == ["2025-11-18"]
    assert response.context["next_meeting"] == meeting
    assert "Nytt sammanträde" in response.content.decode()


def test_list_ignores_a_nonsense_year(client, kansli, meeting):
    client.force_login(kansli)
    response = client.get("/uppsala/sammantraden/?ar=nästa")
    assert response.context["year"] == 2026


# One meeting ------------------------------------------------------------------


def test_detail_shows_agenda_and_decisions(client, styrelse, meeting):
    client.force_login(styrelse)
    page = client.get(f"/uppsala/sammantraden/{meeting.pk}/").content.decode()
    assert "§ 1 Ansökan Unga vuxna" in page
    assert "§ 2 Delårsrapport" in page
    assert "Informationsärende" in page
    assert "Styrelsen beviljar 500 000 kr." in page
    assert "Förbundets kansli" in page
    assert "/andra/" not in page


def test_detail_offers_edit_to_kansli_until_minutes_are_signed(client, kansli, meeting):
    client.force_login(kansli)
    url = f"/uppsala/sammantraden/{meeting.pk}/"
    assert f"{url}andra/" in client.get(url).content.decode()
    meeting.status = Sammantrade.Status.JUSTERAT
    meeting.save()
    page = client.get(url).content.decode()
    assert f"{url}andra/" not in page
    assert "Protokollet är justerat" in page


# Create -----------------------------------------------------------------------


def test_kansli_creates_a_meeting_with_agenda(client, kansli, forbund):
    client.force_login(kansli)
    items = [
        {"number": 1, "title": "Val av justerare"},
        {"number": 2, "title": "Ansökan Steget vidare"},
        {"number": 3, "title": "", "kind": "beslut"},  # an empty row is left out
    ]
    response = client.post("/uppsala/sammantraden/ny/", meeting_data(items, date="2026-11-18"))
    meeting = Sammantrade.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/uppsala/sammantraden/{meeting.pk}/"
    assert meeting.forbund == forbund
    assert [a.title for a in meeting.arenden.order_by("number")] == [
        "Val av justerare",
        "Ansökan Steget vidare",
    ]
    assert not Beslut.objects.exists()  # decisions are made on the decision form
    handelse = Handelse.objects.get(subject_id=meeting.pk, subject_type__model="sammantrade")
    assert handelse.action == "skapad"
    assert handelse.user == kansli
    assert handelse.changes["date"] == [None, "2026-11-18"]
    assert handelse.changes["dagordning"]["nya"] == [
        "§ 1 Val av justerare",
        "§ 2 Ansökan Steget vidare",
    ]


def test_create_page_suggests_numbers_for_empty_rows(client, kansli, meeting):
    client.force_login(kansli)
    response = client.get(f"/uppsala/sammantraden/{meeting.pk}/andra/")
    formset = response.context["formset"]
    assert [f.initial.get("number") for f in formset.extra_forms] == [3, 4, 5]


def test_invalid_meeting_saves_no_agenda(client, kansli):
    client.force_login(kansli)
    items = [{"number": 1, "title": "Val av justerare"}]
    response = client.post("/uppsala/sammantraden/ny/", meeting_data(items, date=""))
    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    assert not Sammantrade.objects.exists()
    assert not Arende.objects.exists()


# Edit -------------------------------------------------------------------------


def test_kansli_edits_the_agenda(client, kansli, forbund, meeting):
    client.force_login(kansli)
    rows = rows_of(meeting)
    rows[1]["kind"] = "beslut"
    rows.append({"number": 3, "title": "Övriga frågor", "kind": "information"})
    data = meeting_data(rows, date="2026-09-22", location="Stadshuset")
    response = client.post(f"/uppsala/sammantraden/{meeting.pk}/andra/", data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.location == "Stadshuset"
    arenden = list(meeting.arenden.order_by("number"))
    assert [a.title for a in arenden] == ["Ansökan Unga vuxna", "Delårsrapport", "Övriga frågor"]
    beslut = Beslut.objects.get()  # the decision stays, on the meeting's new day
    assert beslut.arende == arenden[0]
    assert beslut.date == datetime.date(2026, 9, 22)
    handelse = Handelse.objects.get(subject_id=meeting.pk, subject_type__model="sammantrade")
    assert handelse.action == "ändrad"
    assert handelse.changes["location"] == ["Förbundets kansli", "Stadshuset"]
    assert handelse.changes["dagordning"] == {
        "nya": ["§ 3 Övriga frågor"],
        "ändrade": ["§ 2 Delårsrapport"],
    }


def test_changing_the_date_moves_the_decisions(client, kansli, meeting):
    client.force_login(kansli)
    data = meeting_data(rows_of(meeting), date="2026-09-29")
    assert client.post(f"/uppsala/sammantraden/{meeting.pk}/andra/", data).status_code == 302
    assert Beslut.objects.get().date == datetime.date(2026, 9, 29)


def test_kansli_deletes_an_item_and_its_decision(client, kansli, meeting):
    client.force_login(kansli)
    rows = rows_of(meeting)
    rows[0]["DELETE"] = "on"
    response = client.post(f"/uppsala/sammantraden/{meeting.pk}/andra/", meeting_data(rows))
    assert response.status_code == 302
    assert [a.title for a in meeting.arenden.all()] == ["Delårsrapport"]
    assert not Beslut.objects.exists()
    handelse = Handelse.objects.get()
    assert handelse.changes["dagordning"] == {"borttagna": ["§ 1 Ansökan Unga vuxna"]}


def test_kansli_swaps_two_items(client, kansli, meeting):
    client.force_login(kansli)
    rows = rows_of(meeting)
    rows[0]["number"], rows[1]["number"] = 2, 1
    response = client.post(f"/uppsala/sammantraden/{meeting.pk}/andra/", meeting_data(rows))
    assert response.status_code == 302
    assert [a.title for a in meeting.arenden.order_by("number")] == [
        "Delårsrapport",
        "Ansökan Unga vuxna",
    ]
    assert Beslut.objects.get().arende.title == "Ansökan Unga vuxna"


def test_a_deleted_items_number_may_be_reused(client, kansli, meeting):
    client.force_login(kansli)
    rows = rows_of(meeting)
    rows[1]["DELETE"] = "on"
    rows.append({"number": 2, "title": "Ny rubrik"})
    response = client.post(f"/uppsala/sammantraden/{meeting.pk}/andra/", meeting_data(rows))
    assert response.status_code == 302
    assert [a.title for a in meeting.arenden.order_by("number")] == [
        "Ansökan Unga vuxna",
        "Ny rubrik",
    ]


def test_duplicate_number_is_refused_and_nothing_saved(client, kansli, meeting):
    client.force_login(kansli)
    rows = rows_of(meeting)
    rows[1]["title"] = "Delårsrapport januari–augusti"
    rows.append({"number": 1, "title": "Övriga frågor"})
    data = meeting_data(rows, location="Stadshuset")
    response = client.post(f"/uppsala/sammantraden/{meeting.pk}/andra/", data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.forms[2].errors["number"] == ["§ 1 förekommer flera gånger på dagordningen."]
    assert "§ 1 förekommer flera gånger på dagordningen." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.location == "Förbundets kansli"
    assert [a.title for a in meeting.arenden.order_by("number")] == [
        "Ansökan Unga vuxna",
        "Delårsrapport",
    ]
    assert not Handelse.objects.exists()


def test_duplicate_number_on_a_new_meeting_saves_nothing(client, kansli):
    client.force_login(kansli)
    items = [{"number": 4, "title": "Ett"}, {"number": 4, "title": "Två"}]
    response = client.post("/uppsala/sammantraden/ny/", meeting_data(items))
    assert response.status_code == 200
    assert "§ 4 förekommer flera gånger på dagordningen." in response.content.decode()
    assert not Sammantrade.objects.exists()


def test_a_decision_in_use_cannot_be_removed(client, kansli, meeting):
    """An Anslag decided by § 1 protects its Beslut: the whole save is undone."""
    AnslagFactory(insats__forbund=meeting.forbund, beslut=Beslut.objects.get(), amount=500000)
    client.force_login(kansli)
    rows = rows_of(meeting)
    rows[0]["DELETE"] = "on"
    data = meeting_data(rows, location="Stadshuset")
    response = client.post(f"/uppsala/sammantraden/{meeting.pk}/andra/", data)
    assert response.status_code == 200
    assert "kan inte tas bort. Inget har sparats." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.location == "Förbundets kansli"
    assert Beslut.objects.get().text == "Styrelsen beviljar 500 000 kr."
    assert not Handelse.objects.exists()


# Signed minutes are frozen ----------------------------------------------------


@pytest.mark.parametrize("status", ["justerat", "publicerat"])
def test_frozen_meeting_shows_no_form(client, kansli, meeting, status):
    meeting.status = status
    meeting.save()
    client.force_login(kansli)
    response = client.get(f"/uppsala/sammantraden/{meeting.pk}/andra/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Protokollet för sammanträdet är justerat" in page
    assert "<form" not in page.split("</nav>", 1)[1]  # only the logout form in the menu
    assert "formset" not in response.context


@pytest.mark.parametrize("status", ["justerat", "publicerat"])
def test_frozen_meeting_refuses_a_post(client, kansli, meeting, status):
    meeting.status = status
    meeting.save()
    client.force_login(kansli)
    rows = rows_of(meeting)
    rows[0]["title"] = "Ändrad i efterhand"
    data = meeting_data(rows, status="planerat", location="Stadshuset")
    response = client.post(f"/uppsala/sammantraden/{meeting.pk}/andra/", data, follow=True)
    assert response.redirect_chain == [(f"/uppsala/sammantraden/{meeting.pk}/", 302)]
    assert "kan inte längre ändras" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == status
    assert meeting.location == "Förbundets kansli"
    assert meeting.arenden.get(number=1).title == "Ansökan Unga vuxna"
    assert Beslut.objects.get().text == "Styrelsen beviljar 500 000 kr."
    assert not Handelse.objects.exists()
