import datetime
from decimal import Decimal

import pytest
from django.db import transaction

from finsam.agenda import add_item, subjects_for
from finsam.meetings import workflow
from finsam.meetings.workflow import MeetingError, quorum
from finsam.models import Arende, Beslut, Dagordningspunkt, Handelse, Jav, Sammantrade
from tests.factories import ArendeFactory, SammantradeFactory

from .conftest import attend

pytestmark = pytest.mark.django_db


def titles(meeting):
    return list(meeting.arenden.order_by("number").values_list("title", flat=True))


# The agenda template and standing items -------------------------------------------


def test_a_new_meeting_gets_the_default_standing_items_around_its_applications(meeting, item):
    workflow.add_standing_items(sammantrade=meeting, user=None)

    assert titles(meeting) == [
        "Mötets öppnande",
        "Närvaro och beslutförhet",
        "Val av justerare",
        "Godkännande av dagordningen",
        "Föregående protokoll",
        "Ansökan Steget vidare",
        "Anmälan av delegationsbeslut",
        "Information",
        "Övriga frågor",
        "Mötets avslutande",
    ]
    assert meeting.arenden.get(standing="delegation").kind == Arende.Kind.INFORMATION
    assert meeting.arenden.get(standing="justerare").kind == Arende.Kind.BESLUT
    assert Handelse.objects.filter(action="stående punkter tillagda").count() == 1
    # Asked again: nothing is added twice.
    assert workflow.add_standing_items(sammantrade=meeting, user=None) == []
    assert meeting.arenden.count() == 10


def test_the_forbunds_own_template_is_used(forbund, meeting, kansli):
    workflow.save_template(
        forbund=forbund,
        rows=[
            {"title": "Öppnande och närvaro", "standing": "oppnande", "kind": "information"},
            {"title": "Ekonomisk uppföljning", "standing": "information", "kind": "information"},
            {"title": "Avslutning", "standing": "avslutning", "kind": "information"},
        ],
        user=kansli,
    )
    workflow.add_standing_items(sammantrade=meeting, user=kansli)

    assert titles(meeting) == ["Öppnande och närvaro", "Ekonomisk uppföljning", "Avslutning"]
    assert Dagordningspunkt.objects.of(forbund).count() == 3
    handelse = Handelse.objects.get(action="dagordningens mall ändrad")
    assert handelse.user == kansli


# Order and § numbers ----------------------------------------------------------------


def test_items_move_up_and_down_and_the_move_is_recorded(meeting, kansli):
    a, b, c = (
        ArendeFactory(sammantrade=meeting, number=n, title=t)
        for n, t in [(1, "A"), (2, "B"), (3, "C")]
    )

    assert workflow.move_item(arende=c, step=-1, user=kansli)
    assert titles(meeting) == ["A", "C", "B"]
    assert not workflow.move_item(arende=a, step=-1, user=kansli)  # already first

    workflow.reorder(sammantrade=meeting, order=[b.pk, a.pk, c.pk], user=kansli)
    assert titles(meeting) == ["B", "A", "C"]
    handelse = Handelse.objects.filter(action="dagordningen ordnad om").first()
    assert handelse.changes["dagordning"] == [
        ["§ 1 A", "§ 2 C", "§ 3 B"],
        ["§ 1 B", "§ 2 A", "§ 3 C"],
    ]


def test_an_order_that_is_not_the_agendas_is_refused(meeting, kansli, forbund):
    a = ArendeFactory(sammantrade=meeting, number=1)
    other = ArendeFactory(sammantrade=SammantradeFactory(forbund=forbund), number=1)
    with pytest.raises(MeetingError):
        workflow.reorder(sammantrade=meeting, order=[a.pk, other.pk], user=kansli)


def test_a_held_meetings_agenda_does_not_move(meeting, kansli):
    a = ArendeFactory(sammantrade=meeting, number=1)
    ArendeFactory(sammantrade=meeting, number=2)
    workflow.mark_held(sammantrade=meeting, user=kansli)
    with pytest.raises(MeetingError, match="genomfört"):
        workflow.move_item(arende=a, step=1, user=kansli)


def test_paragraf_numbers_run_through_the_year(forbund, kansli):
    march = SammantradeFactory(forbund=forbund, date=datetime.date(2026, 3, 10))
    june = SammantradeFactory(forbund=forbund, date=datetime.date(2026, 6, 9))
    next_year = SammantradeFactory(forbund=forbund, date=datetime.date(2027, 2, 2))
    for meeting, count in ((march, 4), (june, 3), (next_year, 2)):
        for n in range(1, count + 1):
            ArendeFactory(sammantrade=meeting, number=n)

    workflow.mark_held(sammantrade=march, user=kansli)
    workflow.mark_held(sammantrade=june, user=kansli)
    workflow.number_paragrafer(next_year)

    def paragrafer(meeting):
        return list(meeting.arenden.order_by("number").values_list("paragraf", flat=True))

    assert paragrafer(march) == [1, 2, 3, 4]
    assert paragrafer(june) == [5, 6, 7]
    assert paragrafer(next_year) == [1, 2]
    march.refresh_from_db()
    assert march.status == Sammantrade.Status.GENOMFORT
    assert Handelse.objects.filter(action="mötet genomfört").count() == 2


def test_paragraf_numbers_follow_an_earlier_meeting_not_yet_numbered(forbund):
    march = SammantradeFactory(forbund=forbund, date=datetime.date(2026, 3, 10))
    ArendeFactory(sammantrade=march, number=1)
    ArendeFactory(sammantrade=march, number=2)
    june = SammantradeFactory(forbund=forbund, date=datetime.date(2026, 6, 9))
    ArendeFactory(sammantrade=june, number=1)
    workflow.number_paragrafer(june)
    assert june.arenden.get().paragraf == 3


# Attendance and quorum --------------------------------------------------------------


def test_quorum_is_more_than_half_of_the_regular_seats(meeting, item, board):
    attend(meeting, board["heby"], board["tierp"])
    q = quorum(item)
    assert (q.seats, q.required, len(q.present_voting), q.has_quorum) == (4, 3, 2, False)

    attend(meeting, board["heby"], board["tierp"], board["region"])
    assert quorum(item).has_quorum


def test_a_present_deputy_counts_only_when_serving(meeting, item, board):
    attend(meeting, board["tierp"], board["region"], board["heby_ers"])
    assert not quorum(item).has_quorum  # the deputy is there, but serves for nobody

    attend(meeting, board["tierp"], board["region"], serving={board["heby_ers"]: board["heby"]})
    q = quorum(item)
    assert q.has_quorum
    assert board["heby_ers"] in q.present_voting


def test_a_member_with_jav_does_not_count_on_that_item(meeting, item, board, styrelse):
    other = ArendeFactory(sammantrade=meeting, number=2)
    attend(meeting, board["heby"], board["tierp"], board["region"])
    workflow.declare_jav(
        arende=item, ledamot=board["heby"], reason="Chef för verksamheten", user=styrelse
    )

    q = quorum(item)
    assert not q.has_quorum
    assert q.jav == [board["heby"]]
    assert quorum(other).has_quorum
    handelse = Handelse.objects.get(action="jäv anmält")
    assert handelse.changes["jäv"] == "§ 1 Ansökan Steget vidare: Anna Heby – Chef för verksamheten"


def test_a_deputy_serves_only_for_a_regular_member_of_its_own_member(meeting, board):
    with pytest.raises(MeetingError, match="samma medlem"):
        attend(meeting, board["region"], serving={board["heby_ers"]: board["tierp"]})
    with pytest.raises(MeetingError, match="som är närvarande"):
        attend(meeting, board["heby"], serving={board["heby_ers"]: board["heby"]})
    assert not meeting.narvaro.exists()


def test_attendance_is_saved_with_others_present_and_recorded(meeting, board):
    attend(meeting, board["tierp"], serving={board["heby_ers"]: board["heby"]})

    rows = {row.ledamot.name: row for row in meeting.narvaro.all()}
    assert rows["Bo Tierp"].present
    assert not rows["Anna Heby"].present
    assert rows["Eva Ersättare"].serving_for == board["heby"]
    assert "Gammal Ledamot" not in rows
    assert meeting.protokoll.ovriga_narvarande == "Lena Lind, förbundschef"
    handelse = Handelse.objects.get(action="närvaro registrerad")
    assert handelse.changes["närvaro"][0] == ""
    assert set(handelse.changes["närvaro"][1].split(", ")) == {
        "Bo Tierp",
        "Eva Ersättare (tjänstgör för Anna Heby)",
    }


# Decisions --------------------------------------------------------------------------


def test_a_decision_without_quorum_is_refused_with_a_reason(meeting, item, board, kansli):
    attend(meeting, board["heby"], board["tierp"])
    with pytest.raises(MeetingError) as refused:
        workflow.decide(arende=item, outcome="avslas", user=kansli)
    assert "inte beslutför i § 1: 2 av 4 ordinarie platser" in str(refused.value)
    assert "minst 3 behövs" in str(refused.value)
    assert not Beslut.objects.exists()


def test_a_partly_granted_application_gets_its_amounts(meeting, item, board, ansokan, kansli):
    attend(meeting, board["heby"], board["tierp"], board["region"])
    beslut = workflow.decide(
        arende=item,
        outcome="delvis",
        amounts={2027: Decimal("400000"), 2028: Decimal("0")},
        conditions="Slutrapport senast 2028-02-28.",
        reservations="Bo Tierp reserverade sig till förmån för bifall.",
        user=kansli,
    )
    assert beslut.outcome == Beslut.Outcome.DELVIS
    assert beslut.subject == ansokan
    assert beslut.date == meeting.date
    assert beslut.diarienummer == "2026/14"
    assert (
        beslut.text == "Styrelsen beslutar att delvis bevilja ansökan med 400\u00a0000 kr för 2027."
    )
    assert [(b.year, b.amount) for b in beslut.belopp.all()] == [(2027, Decimal("400000"))]
    assert beslut.reservations.startswith("Bo Tierp")
    handelse = Handelse.objects.get(action="beslut § 1")
    assert "Beviljas delvis" in handelse.changes["beslut"]


def test_a_withdrawn_application_cannot_be_granted(meeting, item, board, ansokan, kansli):
    ansokan.status = ansokan.Status.ATERTAGEN
    ansokan.save()
    attend(meeting, board["heby"], board["tierp"], board["region"])
    with pytest.raises(MeetingError, match="återtagen"):
        workflow.decide(arende=item, outcome="beviljas", amounts={2027: 1}, user=kansli)
    assert workflow.decide(arende=item, outcome="avslas", user=kansli).outcome == "avslas"


def test_a_grant_needs_an_amount(meeting, item, board, kansli):
    attend(meeting, board["heby"], board["tierp"], board["region"])
    with pytest.raises(MeetingError, match="belopp"):
        workflow.decide(arende=item, outcome="beviljas", amounts={2027: None}, user=kansli)


def test_an_information_item_has_no_decision(meeting, board, kansli):
    info = ArendeFactory(sammantrade=meeting, number=2, kind=Arende.Kind.INFORMATION)
    attend(meeting, board["heby"], board["tierp"], board["region"])
    with pytest.raises(MeetingError, match="informationsärende"):
        workflow.decide(arende=info, outcome="avslas", user=kansli)


def test_a_postponed_application_moves_to_the_next_meeting(
    meeting, next_meeting, item, board, ansokan, kansli
):
    with transaction.atomic():
        add_item(next_meeting, title="Mötets öppnande", standing="oppnande")
        add_item(next_meeting, title="Mötets avslutande", standing="avslutning")
    attend(meeting, board["heby"], board["tierp"], board["region"])

    workflow.decide(arende=item, outcome="bordlaggs", user=kansli)

    new = next_meeting.arenden.get(postponed_from=item)
    assert titles(next_meeting) == ["Mötets öppnande", "Ansökan Steget vidare", "Mötets avslutande"]
    assert new.diarienummer == "2026/14"
    ansokan.refresh_from_db()
    assert ansokan.arende == new
    assert item.beslut.text == "Styrelsen beslutar att bordlägga ärendet till nästa sammanträde."
    assert Handelse.objects.filter(action="bordlagd", subject_id=ansokan.pk).exists()
    # The application is now the next meeting's subject.
    assert subjects_for([new])[new.pk].obj == ansokan
    assert subjects_for([item]) == {}
    # The postponed decision stands: it is decided at the next meeting.
    with pytest.raises(MeetingError, match="bordlagt"):
        workflow.decide(arende=item, outcome="avslas", user=kansli)


def test_postponing_needs_a_next_meeting(meeting, item, board, kansli):
    attend(meeting, board["heby"], board["tierp"], board["region"])
    with pytest.raises(MeetingError, match="inget kommande sammanträde"):
        workflow.decide(arende=item, outcome="bordlaggs", user=kansli)
    assert not Beslut.objects.exists()


def test_jav_cannot_be_declared_after_the_decision(meeting, item, board, kansli):
    attend(meeting, board["heby"], board["tierp"], board["region"])
    workflow.decide(arende=item, outcome="avslas", user=kansli)
    with pytest.raises(MeetingError, match="redan beslutat"):
        workflow.declare_jav(arende=item, ledamot=board["tierp"], reason="Släkt", user=kansli)
    assert not Jav.objects.exists()


def test_a_signed_meeting_refuses_every_change(meeting, item, board, kansli):
    attend(meeting, board["heby"], board["tierp"], board["region"])
    Sammantrade.objects.filter(pk=meeting.pk).update(status=Sammantrade.Status.JUSTERAT)
    meeting.refresh_from_db()
    for change in (
        lambda: workflow.decide(arende=item, outcome="avslas", user=kansli),
        lambda: workflow.declare_jav(arende=item, ledamot=board["heby"], reason="x", user=kansli),
        lambda: attend(meeting, board["heby"]),
        lambda: workflow.add_standing_items(sammantrade=meeting, user=kansli),
        lambda: workflow.mark_held(sammantrade=meeting, user=kansli),
    ):
        with pytest.raises(MeetingError, match="justerat"):
            change()


def test_the_subject_of_an_application_item(item, ansokan):
    subject = subjects_for([item])[item.pk]
    assert subject.title == "2026/14 Steget vidare"
    assert subject.applicant == "Heby"
    assert subject.asked == {2027: Decimal("500000"), 2028: Decimal("300000")}
    assert subject.proposed == {2027: Decimal("400000"), 2028: Decimal("250000")}
    assert subject.conditions == "Slutrapport senast 2028-02-28."
    assert "Deltagande medlemmar: Tierp." in subject.summary
