"""Decisions applied to applications: the insats and its grants, the letter and its mail,
and the director's delegated decision."""

import datetime
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from finsam.minutes import workflow
from finsam.models import Beslut, BeslutBelopp, Dokument, Roll
from insatser import decisions
from insatser.models import Ansokan, AnsokanBelopp, Insats
from tests.factories import MalgruppFactory, RollFactory, SammantradeFactory, UserFactory
from tests.finsam.minutes.builders import board, held_meeting, signer

# The letters' content with the tasks in the test's thread (eager_tasks); the
# letter made and mailed by a real worker: the last test here.
pytestmark = pytest.mark.usefixtures("media", "eager_tasks")


def application(
    forbund, agare, *others, status=Ansokan.Status.KLAR_FOR_BESLUT, asked=None, dnr="2026/14"
):
    ansokan = Ansokan.objects.create(
        forbund=forbund,
        diarienummer=dnr,
        title="Unga vuxna i arbete",
        agare=agare,
        kind=Ansokan._meta.get_field("kind").choices[0][0],
        status=status,
        start=datetime.date(2027, 1, 1),
        end=datetime.date(2028, 12, 31),
        contact_name="Kim Kontakt",
        contact_email="kim@heby.example.se",
    )
    ansokan.deltagare.set(others)
    ansokan.malgrupper.add(MalgruppFactory(forbund=forbund, name="Unga vuxna"))
    for year, amount in (asked or {2027: Decimal("300000"), 2028: Decimal("300000")}).items():
        AnsokanBelopp.objects.create(ansokan=ansokan, year=year, amount=amount)
    return ansokan


def pdf_text(dokument):
    with dokument.file.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def seats(forbund, heby, tierp, region):
    return board(forbund, heby, tierp, region)


@pytest.fixture
def meeting(forbund, seats):
    return held_meeting(forbund, seats)


@pytest.fixture
def ansokan(forbund, heby, region, meeting):
    ansokan = application(forbund, heby, region)
    ansokan.arende = meeting.arenden.get(number=3)
    ansokan.save(update_fields=["arende"])
    return ansokan


def sign_minutes(meeting, seats, kansli, capture):
    chair = signer(meeting.forbund, seats["Eva Granqvist"], "ordforanden")
    checker = signer(meeting.forbund, seats["Jonas Ekberg"], "justeraren")
    protokoll = workflow.protokoll_of(meeting)
    workflow.set_participants(
        protokoll,
        ordforande=seats["Eva Granqvist"],
        justerare=[seats["Jonas Ekberg"]],
        sekreterare="",
        ovriga_narvarande="",
        user=kansli,
    )
    with capture(execute=True):
        dokument = workflow.start_minutes_pdf(meeting, user=kansli)
    dokument.refresh_from_db()
    for user in (chair, checker):
        with capture(execute=True):
            workflow.sign(protokoll, user=user, checksum=dokument.checksum)


def test_signed_minutes_make_the_granted_application_an_insats(
    ansokan, meeting, seats, kansli, region, smtp_inbox, django_capture_on_commit_callbacks
):
    sign_minutes(meeting, seats, kansli, django_capture_on_commit_callbacks)
    ansokan.refresh_from_db()
    beslut = meeting.arenden.get(number=3).beslut
    assert ansokan.status == Ansokan.Status.DELVIS_BEVILJAD
    assert ansokan.beslut == beslut
    insats = Insats.objects.get(ansokan=ansokan)
    assert insats.name == "Unga vuxna i arbete"
    assert insats.agare == ansokan.agare
    assert list(insats.deltagare.all()) == [region]
    assert insats.malgrupp.name == "Unga vuxna"
    grants = list(insats.anslag.values_list("year", "amount", "beslut"))
    assert grants == [(2027, Decimal("250000"), beslut.pk), (2028, Decimal("200000"), beslut.pk)]


def test_the_applicant_gets_the_letter_with_the_amounts(
    ansokan, meeting, seats, kansli, forbund, heby, smtp_inbox, django_capture_on_commit_callbacks
):
    owner = UserFactory(username="hanna", email="hanna@heby.example.se")
    RollFactory(user=owner, forbund=forbund, kind=Roll.Kind.INSATSAGARE, medlem=heby)
    sign_minutes(meeting, seats, kansli, django_capture_on_commit_callbacks)
    letter = decisions.latest_letter(ansokan)
    assert letter.kind == Dokument.Kind.BESLUTSBREV
    text = pdf_text(letter)
    assert "Beslut: Beviljas delvis" in text
    assert "250 000" in text and "200 000" in text and "300 000" in text
    assert "Diarienummer 2026/14" in text
    assert "2026-09-17 § 43" in text
    (message,) = smtp_inbox.wait_for(1)
    assert sorted(message["To"].split(", ")) == ["hanna@heby.example.se", "kim@heby.example.se"]
    assert "2026/14" in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert "Beviljas delvis" in body and "2027: 250" in body
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"


def test_a_refused_application_gets_its_letter_and_no_insats(
    ansokan, meeting, seats, kansli, smtp_inbox, django_capture_on_commit_callbacks
):
    beslut = meeting.arenden.get(number=3).beslut
    beslut.outcome = Beslut.Outcome.AVSLAS
    beslut.save()
    beslut.belopp.all().delete()
    sign_minutes(meeting, seats, kansli, django_capture_on_commit_callbacks)
    ansokan.refresh_from_db()
    assert ansokan.status == Ansokan.Status.AVSLAGEN
    assert not Insats.objects.exists()
    assert "Avslås" in pdf_text(decisions.latest_letter(ansokan))
    smtp_inbox.wait_for(1)


def test_a_decision_is_applied_once(ansokan, meeting, kansli, django_capture_on_commit_callbacks):
    beslut = meeting.arenden.get(number=3).beslut
    with django_capture_on_commit_callbacks(execute=True):
        decisions.apply_decision(beslut, user=kansli)
        assert decisions.apply_decision(beslut, user=kansli) is None
    assert Insats.objects.count() == 1


def test_a_postponed_item_changes_nothing(ansokan, meeting, kansli):
    beslut = meeting.arenden.get(number=3).beslut
    beslut.outcome = Beslut.Outcome.BORDLAGGS
    beslut.save()
    assert decisions.apply_decision(beslut, user=kansli) is None
    ansokan.refresh_from_db()
    assert ansokan.status == Ansokan.Status.KLAR_FOR_BESLUT


def test_nothing_is_applied_before_the_minutes_are_signed(ansokan, meeting):
    assert not Insats.objects.exists()
    ansokan.refresh_from_db()
    assert ansokan.beslut is None


# Delegated decisions -----------------------------------------------------------


@pytest.fixture
def small(forbund, heby, region):
    forbund.delegation_limit = Decimal("100000")
    forbund.save()
    return application(forbund, heby, region, asked={2027: Decimal("80000")}, dnr="2026/20")


def test_the_director_decides_within_the_limit_and_it_is_reported_next_meeting(
    small, forbund, kansli, smtp_inbox, django_capture_on_commit_callbacks
):
    SammantradeFactory(
        forbund=forbund,
        date=datetime.date(2026, 10, 1),
        notice_sent_at=datetime.datetime(2026, 9, 20, tzinfo=datetime.UTC),
    )
    later = SammantradeFactory(forbund=forbund, date=datetime.date(2026, 10, 22))
    with django_capture_on_commit_callbacks(execute=True):
        beslut = decisions.decide_delegated(
            small,
            user=kansli,
            outcome=Beslut.Outcome.BEVILJAS,
            amounts={2027: Decimal("80000")},
            today=datetime.date(2026, 9, 25),
        )
    assert beslut.delegated and beslut.arende is None
    assert beslut.decided_by == kansli
    assert beslut.subject == small
    assert beslut.reported_at == later
    assert list(later.anmalda_delegationsbeslut.all()) == [beslut]
    assert "80\u00a0000 kr enligt delegation" in beslut.text
    small.refresh_from_db()
    assert small.status == Ansokan.Status.BEVILJAD
    assert Insats.objects.get(ansokan=small).anslag.get().beslut == beslut
    smtp_inbox.wait_for(1)


def test_above_the_limit_the_board_decides(small, kansli):
    AnsokanBelopp.objects.create(ansokan=small, year=2028, amount=Decimal("30000"))
    with pytest.raises(decisions.DecisionError, match="styrelsen beslutar"):
        decisions.decide_delegated(
            small, user=kansli, outcome="beviljas", amounts={2027: Decimal("80000")}
        )
    assert not Beslut.objects.exists()


def test_no_delegation_when_the_limit_is_zero(small, forbund, kansli):
    forbund.delegation_limit = 0
    forbund.save()
    small.refresh_from_db()
    assert not decisions.within_delegation(small)
    with pytest.raises(decisions.DecisionError):
        decisions.decide_delegated(small, user=kansli, outcome="avslas", amounts={})


def test_only_an_application_ready_for_decision_is_decided(small, kansli):
    small.status = Ansokan.Status.BEREDNING
    small.save()
    with pytest.raises(decisions.DecisionError, match="inte klar för beslut"):
        decisions.decide_delegated(small, user=kansli, outcome="avslas", amounts={})


def test_kansli_decides_on_the_panel_page(
    client, kansli, small, smtp_inbox, django_capture_on_commit_callbacks
):
    client.force_login(kansli)
    url = f"/uppsala/ansokningar/{small.pk}/delegationsbeslut/"
    page = client.get(url).content.decode()
    assert "Fatta delegationsbeslut" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"outcome": "delvis", "belopp_2027": "60 000", "conditions": "Rapport i juni."}
        )
    assert response.status_code == 302
    beslut = Beslut.objects.get()
    assert beslut.outcome == Beslut.Outcome.DELVIS
    assert list(BeslutBelopp.objects.values_list("year", "amount")) == [(2027, Decimal("60000"))]
    page = client.get(url).content.decode()
    assert "Ladda ned beslutsbrevet" in page
    smtp_inbox.wait_for(1)


def test_the_panel_refuses_more_than_was_asked(client, kansli, small):
    client.force_login(kansli)
    url = f"/uppsala/ansokningar/{small.pk}/delegationsbeslut/"
    response = client.post(url, {"outcome": "beviljas", "belopp_2027": "90000"})
    assert "Mer än det sökta beloppet" in response.content.decode()
    assert not Beslut.objects.exists()


def test_the_panel_is_kanslis(client, styrelse, small):
    client.force_login(styrelse)
    url = f"/uppsala/ansokningar/{small.pk}/delegationsbeslut/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"outcome": "avslas"}).status_code == 403


def test_the_letter_is_read_by_the_applicant_and_the_readers_only(
    client, small, kansli, agare, other_agare, revisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decisions.decide_delegated(small, user=kansli, outcome="avslas", amounts={})
    url = f"/uppsala/ansokningar/{small.pk}/beslutsbrev.pdf"
    for user, status in ((agare, 200), (revisor, 200), (kansli, 200), (other_agare, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status


def test_the_insats_page_shows_the_decision_behind_each_grant(
    client, kansli, small, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decisions.decide_delegated(
            small, user=kansli, outcome="beviljas", amounts={2027: Decimal("80000")}
        )
    insats = Insats.objects.get()
    client.force_login(kansli)
    page = client.get(f"/uppsala/insatser/{insats.pk}/").content.decode()
    assert "2026/20" in page
    assert "delegationsbeslut" in page
    assert f"/uppsala/ansokningar/{small.pk}/beslutsbrev.pdf" in page


# The register and the limit -------------------------------------------------------


def test_the_register_lists_board_and_delegated_decisions(
    client, styrelse, small, ansokan, meeting, kansli, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decisions.decide_delegated(small, user=kansli, outcome="avslas", amounts={})
    client.force_login(styrelse)
    page = client.get("/uppsala/beslut/").content.decode()
    assert "Styrelsen beviljar delvis ansökan" in page
    assert "avslår ansökan" in page
    assert f"/uppsala/sammantraden/{meeting.pk}/protokoll/" in page
    assert f"/uppsala/ansokningar/{small.pk}/beslutsbrev.pdf" in page
    delegated = client.get("/uppsala/beslut/?typ=delegation").content.decode()
    assert "avslår ansökan" in delegated and "beviljar delvis ansökan" not in delegated
    refused = client.get("/uppsala/beslut/?outcome=delvis").content.decode()
    assert "beviljar delvis ansökan" in refused and "avslår ansökan" not in refused
    by_meeting = client.get(f"/uppsala/beslut/?sammantrade={meeting.pk}").content.decode()
    assert "avslår ansökan" not in by_meeting
    assert "Styrelsen utser" in client.get("/uppsala/beslut/?ar=2026&q=justera").content.decode()
    excel = client.get("/uppsala/beslut/?export=xlsx")
    assert excel.status_code == 200
    assert excel["Content-Disposition"].endswith('.xlsx"')


def test_the_register_is_not_for_the_insatsagare(client, agare):
    client.force_login(agare)
    assert client.get("/uppsala/beslut/").status_code == 403


def test_kansli_sets_the_delegation_limit(client, kansli, forbund):
    client.force_login(kansli)
    response = client.post("/uppsala/installningar/delegation/", {"delegation_limit": "150 000"})
    assert response.status_code == 302
    forbund.refresh_from_db()
    assert forbund.delegation_limit == Decimal("150000")
    page = client.get("/uppsala/installningar/delegation/").content.decode()
    assert "delegationsgräns ändrad" in page.lower()
    register = client.get("/uppsala/beslut/").content.decode()
    assert "Delegationsgräns: 150\u00a0000 kr" in register
    assert "/uppsala/installningar/delegation/" in register
    bad = client.post("/uppsala/installningar/delegation/", {"delegation_limit": "-5"})
    assert "kan inte vara negativ" in bad.content.decode()
