import datetime

import pytest
from django.utils import timezone

from finsam.models import Beslut, Dagordningspunkt, Handelse, Jav, Roll, Sammantrade
from tests.factories import ArendeFactory, RollFactory

from .conftest import attend

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(monkeypatch):
    real = timezone.localdate
    day = datetime.date(2026, 9, 1)
    monkeypatch.setattr(
        timezone,
        "localdate",
        lambda value=None, timezone=None: day if value is None else real(value),
    )


def page(response):
    return response.content.decode()


def test_kansli_creates_a_meeting_with_the_standing_items(client, kansli):
    client.force_login(kansli)
    data = {
        "kind": "styrelsemote",
        "date": "2026-11-18",
        "start_time": "09:00",
        "location": "Kansliet",
        "status": "planerat",
        "notes": "",
        "mall-staende": "on",
        "arenden-TOTAL_FORMS": 1,
        "arenden-INITIAL_FORMS": 0,
        "arenden-MIN_NUM_FORMS": 0,
        "arenden-MAX_NUM_FORMS": 1000,
        "arenden-0-number": 1,
        "arenden-0-title": "Budgetuppföljning",
        "arenden-0-kind": "information",
        "arenden-0-description": "",
    }
    response = client.post("/uppsala/sammantraden/ny/", data)
    assert response.status_code == 302
    meeting = Sammantrade.objects.get()
    titles = list(meeting.arenden.order_by("number").values_list("title", flat=True))
    assert titles[0] == "Mötets öppnande"
    assert titles[5] == "Budgetuppföljning"
    assert titles[-1] == "Mötets avslutande"


def test_the_create_form_offers_the_standing_items(client, kansli):
    client.force_login(kansli)
    html = page(client.get("/uppsala/sammantraden/ny/"))
    assert "Lägg in de stående punkterna" in html
    assert 'name="mall-staende"' in html and "checked" in html


def test_kansli_edits_the_agenda_template(client, kansli, forbund):
    client.force_login(kansli)
    response = client.get("/uppsala/dagordningsmall/")
    assert "standardmallen" in page(response)
    formset = response.context["formset"]
    assert len(formset.initial_forms) == 9
    data = {
        "punkter-TOTAL_FORMS": 3,
        "punkter-INITIAL_FORMS": 2,
        "punkter-MIN_NUM_FORMS": 0,
        "punkter-MAX_NUM_FORMS": 1000,
        "punkter-0-title": "Öppnande",
        "punkter-0-standing": "oppnande",
        "punkter-0-kind": "information",
        "punkter-0-order": 1,
        "punkter-1-title": "Avslutning",
        "punkter-1-standing": "avslutning",
        "punkter-1-kind": "information",
        "punkter-1-order": 3,
        "punkter-2-title": "Ekonomi",
        "punkter-2-standing": "information",
        "punkter-2-kind": "information",
        "punkter-2-order": 2,
    }
    response = client.post("/uppsala/dagordningsmall/", data)
    assert response.status_code == 302
    assert list(Dagordningspunkt.objects.of(forbund).values_list("title", flat=True)) == [
        "Öppnande",
        "Ekonomi",
        "Avslutning",
    ]


def test_a_standing_item_twice_in_the_template_is_refused(client, kansli, forbund):
    client.force_login(kansli)
    row = {"standing": "oppnande", "kind": "information"}
    data = {
        "punkter-TOTAL_FORMS": 2,
        "punkter-INITIAL_FORMS": 0,
        "punkter-MIN_NUM_FORMS": 0,
        "punkter-MAX_NUM_FORMS": 1000,
    }
    for i in range(2):
        data |= {
            f"punkter-{i}-{k}": v for k, v in (row | {"title": f"P{i}", "order": i + 1}).items()
        }
    response = client.post("/uppsala/dagordningsmall/", data)
    assert response.status_code == 200
    assert "Varje stående punkt finns en gång" in page(response)
    assert not Dagordningspunkt.objects.exists()


def test_items_move_with_buttons_and_by_a_new_order(client, kansli, meeting):
    a = ArendeFactory(sammantrade=meeting, number=1, title="A")
    b = ArendeFactory(sammantrade=meeting, number=2, title="B")
    client.force_login(kansli)
    url = f"/uppsala/sammantraden/{meeting.pk}/dagordning/"
    html = page(client.get(url))
    assert f'value="{b.pk}:upp"' in html and "js-sortable" in html

    assert client.post(url, {"flytta": f"{b.pk}:upp"}).status_code == 302
    assert list(meeting.arenden.order_by("number").values_list("title", flat=True)) == ["B", "A"]

    client.post(url, {"ordning": f"{a.pk},{b.pk}"})
    assert list(meeting.arenden.order_by("number").values_list("title", flat=True)) == ["A", "B"]

    response = client.post(url, {"flytta": "nonsense"}, follow=True)
    assert "Välj ett ärende att flytta" in page(response)


def test_attendance_form_saves_serving_deputies(client, kansli, meeting, board):
    client.force_login(kansli)
    url = f"/uppsala/sammantraden/{meeting.pk}/narvaro/"
    response = client.get(url)
    assert "Eva Ersättare" in page(response)
    b = board
    data = {
        f"n{b['tierp'].pk}": "on",
        f"n{b['region'].pk}": "on",
        f"n{b['heby_ers'].pk}": "on",
        f"t{b['heby_ers'].pk}": str(b["heby"].pk),
        "ovriga_narvarande": "Lena Lind, förbundschef",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert meeting.narvaro.get(ledamot=b["heby_ers"]).serving_for == b["heby"]
    assert meeting.protokoll.ovriga_narvarande == "Lena Lind, förbundschef"

    # A deputy serving for someone present: refused, with the reason.
    data[f"n{b['heby'].pk}"] = "on"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "som är närvarande" in page(response)


def test_a_board_member_declares_jav_for_its_own_seat(client, styrelse, meeting, item, board):
    client.force_login(styrelse)
    url = f"/uppsala/sammantraden/{meeting.pk}/arenden/{item.pk}/jav/"
    response = client.get(url)
    assert list(response.context["form"].fields["ledamot"].queryset) == [board["heby"]]

    response = client.post(url, {"ledamot": board["tierp"].pk, "reason": "Släkt"})
    assert response.status_code == 200  # not its seat to declare for
    assert not Jav.objects.exists()

    response = client.post(url, {"ledamot": board["heby"].pk, "reason": "Är chef för insatsen"})
    assert response.status_code == 302
    jav = Jav.objects.get()
    assert (jav.ledamot, jav.declared_by) == (board["heby"], styrelse)

    html = page(client.get(f"/uppsala/sammantraden/{meeting.pk}/"))
    assert "Anna Heby (Är chef för insatsen)" in html

    client.post(f"{url}{jav.pk}/ta-bort/")
    assert not Jav.objects.exists()
    assert Handelse.objects.filter(action="jäv återtaget").exists()


def test_a_board_member_without_a_seat_cannot_declare_jav(client, forbund, meeting, item, board):
    user = RollFactory(forbund=forbund, kind=Roll.Kind.STYRELSE).user
    client.force_login(user)
    url = f"/uppsala/sammantraden/{meeting.pk}/arenden/{item.pk}/jav/"
    assert client.get(url).status_code == 403


def test_the_decision_form_refuses_without_quorum(client, kansli, meeting, item, board, ansokan):
    client.force_login(kansli)
    url = f"/uppsala/sammantraden/{meeting.pk}/arenden/{item.pk}/beslut/"
    response = client.get(url)
    html = page(response)
    assert "Styrelsen är inte beslutför i § 1" in html
    assert response.context["form"].initial["belopp_2027"] == 400000  # the proposal

    response = client.post(url, {"outcome": "avslas"})
    assert response.status_code == 200
    assert "inte beslutför" in page(response)
    assert not Beslut.objects.exists()


def test_the_decision_form_records_a_partial_grant(client, kansli, meeting, item, board, ansokan):
    attend(meeting, board["heby"], board["tierp"], board["region"])
    client.force_login(kansli)
    url = f"/uppsala/sammantraden/{meeting.pk}/arenden/{item.pk}/beslut/"
    data = {
        "outcome": "delvis",
        "belopp_2027": "350 000",
        "belopp_2028": "200 000",
        "text": "",
        "conditions": "Slutrapport senast 2028-02-28.",
        "reservations": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    beslut = Beslut.objects.get()
    assert [(b.year, int(b.amount)) for b in beslut.belopp.all()] == [
        (2027, 350000),
        (2028, 200000),
    ]
    html = page(client.get(f"/uppsala/sammantraden/{meeting.pk}/"))
    assert "Beviljas delvis" in html
    assert "2027: 350 000 kr" in html.replace("\u00a0", " ")


def test_kansli_marks_the_meeting_held(client, kansli, meeting, item):
    client.force_login(kansli)
    assert client.get(f"/uppsala/sammantraden/{meeting.pk}/genomfort/").status_code == 405
    response = client.post(f"/uppsala/sammantraden/{meeting.pk}/genomfort/", follow=True)
    assert "Mötet är genomfört." in page(response)
    meeting.refresh_from_db()
    assert meeting.status == Sammantrade.Status.GENOMFORT
    item.refresh_from_db()
    assert item.paragraf == 1


def test_board_members_see_their_upcoming_meetings(client, styrelse, meeting, item, board):
    Jav.objects.create(arende=item, ledamot=board["heby"], reason="Chef")
    client.force_login(styrelse)
    html = page(client.get("/uppsala/sammantraden/kommande/"))
    assert "Styrelsemöte 2026-09-15" in html
    assert "Kallelsen är inte skickad än." in html
    assert "Ditt anmälda jäv: § 1 Ansökan Steget vidare" in html
    assert "ordinarie ledamot för Heby" in html


def test_the_meeting_page_shows_the_application_and_the_buttons(
    client, kansli, meeting, item, ansokan
):
    client.force_login(kansli)
    html = page(client.get(f"/uppsala/sammantraden/{meeting.pk}/"))
    assert "2026/14 Steget vidare" in html
    assert "Skicka kallelse" in html
    assert "Mötet är genomfört" in html
    assert f"/uppsala/sammantraden/{meeting.pk}/arenden/{item.pk}/beslut/" in html


def test_a_standing_item_is_decided_by_its_text(client, kansli, meeting, board):
    justerare = ArendeFactory(sammantrade=meeting, number=2, title="Val av justerare")
    attend(meeting, board["heby"], board["tierp"], board["region"])
    client.force_login(kansli)
    url = f"/uppsala/sammantraden/{meeting.pk}/arenden/{justerare.pk}/beslut/"
    response = client.post(url, {"outcome": "", "text": ""})
    assert "Skriv beslutet." in page(response)
    response = client.post(url, {"outcome": "", "text": "Styrelsen utser Bo Tierp."})
    assert response.status_code == 302
    beslut = Beslut.objects.get()
    assert (beslut.outcome, beslut.text) == ("", "Styrelsen utser Bo Tierp.")


def test_the_meeting_history_tells_what_was_done(client, kansli, meeting, board):
    a = ArendeFactory(sammantrade=meeting, number=1, title="A")
    ArendeFactory(sammantrade=meeting, number=2, title="B")
    client.force_login(kansli)
    client.post(f"/uppsala/sammantraden/{meeting.pk}/dagordning/", {"flytta": f"{a.pk}:ner"})
    attend(meeting, board["heby"], board["tierp"], board["region"])
    response = client.get(f"/uppsala/sammantraden/{meeting.pk}/")
    assert response.status_code == 200
    html = page(response)
    assert "dagordningen ordnad om" in html.lower()
    assert "närvaro registrerad" in html.lower()


def test_an_item_added_after_the_notice_gets_its_paragraf(client, kansli, meeting):
    first = ArendeFactory(sammantrade=meeting, number=1, title="Öppnande", paragraf=1)
    Sammantrade.objects.filter(pk=meeting.pk).update(
        notice_sent_at=timezone.now(), status=Sammantrade.Status.KALLAT
    )
    client.force_login(kansli)
    data = {
        "kind": "styrelsemote",
        "date": "2026-09-15",
        "start_time": "",
        "location": "Kansliet",
        "notes": "",
        "arenden-TOTAL_FORMS": 2,
        "arenden-INITIAL_FORMS": 1,
        "arenden-MIN_NUM_FORMS": 0,
        "arenden-MAX_NUM_FORMS": 1000,
        "arenden-0-id": first.pk,
        "arenden-0-number": 1,
        "arenden-0-title": "Öppnande",
        "arenden-0-kind": "beslut",
        "arenden-0-description": "",
        "arenden-1-number": 2,
        "arenden-1-title": "Extra ärende",
        "arenden-1-kind": "beslut",
        "arenden-1-description": "",
    }
    response = client.post(f"/uppsala/sammantraden/{meeting.pk}/andra/", data)
    assert response.status_code == 302
    assert meeting.arenden.get(title="Extra ärende").paragraf == 2
