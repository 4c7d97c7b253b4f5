"""The application's life: submit, numbers, snapshot, late, completion, agenda, withdraw."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from finsam.models import Arende, Handelse, Lopnummer
from insatser.ansokan import workflow
from insatser.models import Ansokan
from tests.factories import AnsokanFactory, SammantradeFactory

S = Ansokan.Status
pytestmark = pytest.mark.django_db


def _at(monkeypatch, when):
    monkeypatch.setattr(timezone, "now", lambda: when)


def actions(ansokan):
    return list(
        Handelse.objects.filter(subject_id=ansokan.pk, subject_type__model="ansokan")
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )


def test_submit_gives_a_number_a_received_time_and_a_snapshot(draft, agare, monkeypatch):
    when = timezone.make_aware(datetime.datetime(2026, 5, 10, 14, 30))
    _at(monkeypatch, when)
    with transaction.atomic():
        workflow.submit(draft, agare)
    draft.refresh_from_db()
    assert draft.status == S.INSKICKAD
    assert draft.diarienummer == "2026/1"
    assert draft.received_at == when
    assert draft.late is False
    assert draft.submitted["title"] == draft.title
    assert draft.submitted["belopp"] == [{"year": 2027, "amount": "500000.00"}]
    assert draft.submitted["deltagare"] == ["Tierps kommun"]
    assert actions(draft) == ["inskickad"]


def test_numbers_run_per_forbund_and_year_without_gaps(forbund, heby, tierp, agare):
    numbers = []
    for _ in range(3):
        ansokan = AnsokanFactory(forbund=forbund, agare=heby, deltagare=[tierp])
        with transaction.atomic():
            workflow.submit(ansokan, agare)
        numbers.append(ansokan.diarienummer)
    year = timezone.localdate().year
    assert numbers == [f"{year}/1", f"{year}/2", f"{year}/3"]
    assert Lopnummer.objects.get(series="ansokan", year=year).last == 3


def test_a_refused_submission_gives_its_number_back(forbund, heby, tierp, agare):
    incomplete = AnsokanFactory(forbund=forbund, agare=heby, deltagare=[tierp], contact_email="")
    with pytest.raises(workflow.Incomplete) as refused, transaction.atomic():
        workflow.submit(incomplete, agare)
    assert "Ange kontaktpersonens e-post." in refused.value.problems
    complete = AnsokanFactory(forbund=forbund, agare=heby, deltagare=[tierp])
    with transaction.atomic():
        workflow.submit(complete, agare)
    assert complete.diarienummer.endswith("/1")


def test_submitting_twice_gives_one_submission(submitted, agare):
    number = submitted.diarienummer
    with pytest.raises(workflow.NotAllowed), transaction.atomic():
        workflow.submit(submitted, agare)
    submitted.refresh_from_db()
    assert submitted.diarienummer == number
    assert actions(submitted) == ["inskickad"]


def test_late_application_is_marked_not_refused(draft, agare, monkeypatch):
    _at(monkeypatch, timezone.make_aware(datetime.datetime(2026, 5, 13, 9, 0)))
    with transaction.atomic():
        workflow.submit(draft, agare)
    assert draft.late is True
    assert draft.status == S.INSKICKAD


def test_one_member_is_too_few(forbund, heby, agare):
    alone = AnsokanFactory(forbund=forbund, agare=heby)
    assert any("Minst två medlemmar" in p for p in workflow.problems(alone))


def test_kansli_registers_with_the_letters_date_and_the_original(
    forbund, heby, tierp, kansli, omgang
):
    ansokan = AnsokanFactory(
        forbund=forbund,
        agare=heby,
        deltagare=[tierp],
        omgang=omgang,
        registered_by_kansli=True,
        received_on=datetime.date(2026, 5, 11),
    )
    assert any("originalet" in p for p in workflow.problems(ansokan))
    ansokan.bilagor.create(
        name="brev.pdf", content_type="application/pdf", size=10, sha256="0" * 64, original=True
    )
    with transaction.atomic():
        workflow.submit(ansokan, kansli)
    assert timezone.localtime(ansokan.received_at).date() == datetime.date(2026, 5, 11)
    assert ansokan.diarienummer == "2026/1"
    assert ansokan.late is False
    assert actions(ansokan) == ["registrerad av kansliet"]


def test_snapshot_stays_as_submitted_when_the_proposal_changes(submitted, kansli):
    belopp = submitted.belopp.get()
    belopp.proposed = 100
    belopp.save()
    submitted.proposal = "Bevilja delvis."
    submitted.save()
    submitted.refresh_from_db()
    assert submitted.submitted["belopp"] == [{"year": 2027, "amount": "500000.00"}]


def test_completion_back_and_forth_each_step_on_history(submitted, kansli, agare):
    with transaction.atomic():
        workflow.request_completion(submitted, kansli, "Bifoga budgeten.")
    assert submitted.status == S.KOMPLETTERING
    with transaction.atomic():
        workflow.answer_completion(submitted, agare, "Budgeten är bifogad.")
    assert submitted.status == S.BEREDNING
    with transaction.atomic():
        workflow.request_completion(submitted, kansli, "Och målen?")
    with transaction.atomic():
        workflow.answer_completion(submitted, agare, "Se mål 1.")
    assert [k.answer for k in submitted.kompletteringar.all()] == [
        "Budgeten är bifogad.",
        "Se mål 1.",
    ]
    assert actions(submitted) == [
        "inskickad",
        "komplettering begärd",
        "komplettering besvarad",
        "komplettering begärd",
        "komplettering besvarad",
    ]


def test_answer_without_request_is_refused(submitted, agare):
    with pytest.raises(workflow.NotAllowed), transaction.atomic():
        workflow.answer_completion(submitted, agare, "Svar")


def test_ready_needs_a_proposal_then_goes_on_the_agenda(submitted, kansli, forbund):
    with pytest.raises(workflow.NotAllowed), transaction.atomic():
        workflow.mark_ready(submitted, kansli)
    submitted.proposal = "Bevilja 500 000 kr för 2027."
    submitted.save()
    with transaction.atomic():
        workflow.mark_ready(submitted, kansli)
    assert submitted.status == S.KLAR_FOR_BESLUT
    meeting = SammantradeFactory(forbund=forbund, date=datetime.date(2026, 9, 15))
    with transaction.atomic():
        item = workflow.put_on_agenda(submitted, kansli, meeting)
    submitted.refresh_from_db()
    assert submitted.arende == item
    assert item.diarienummer == submitted.diarienummer
    assert Arende.objects.filter(sammantrade=meeting).count() == 1
    with pytest.raises(workflow.NotAllowed), transaction.atomic():
        workflow.put_on_agenda(submitted, kansli, meeting)
    assert actions(submitted)[-2:] == ["klar för beslut", "satt på dagordningen"]


def test_a_frozen_meeting_takes_no_item(submitted, kansli, forbund):
    submitted.proposal = "Bevilja."
    submitted.status = S.BEREDNING
    submitted.save()
    meeting = SammantradeFactory(forbund=forbund, status="justerat")
    with pytest.raises(workflow.NotAllowed), transaction.atomic():
        workflow.put_on_agenda(submitted, kansli, meeting)


def test_withdraw_not_after_decision(submitted, agare, forbund):
    from tests.factories import BeslutFactory

    submitted.beslut = BeslutFactory(forbund=forbund)
    submitted.status = S.BEVILJAD
    submitted.save()
    with pytest.raises(workflow.NotAllowed), transaction.atomic():
        workflow.withdraw(submitted, agare)


def test_withdraw(submitted, agare):
    with transaction.atomic():
        workflow.withdraw(submitted, agare, "Vi har fått annan finansiering.")
    assert submitted.status == S.ATERTAGEN
    event = Handelse.objects.filter(action="återtagen").get()
    assert event.reason == "Vi har fått annan finansiering."


def test_a_note_is_not_on_the_applications_history(submitted, kansli):
    with transaction.atomic():
        workflow.add_note(submitted, kansli, "Ring Heby.")
    assert "beredningsanteckning" not in actions(submitted)
    assert Handelse.objects.filter(action="beredningsanteckning").count() == 1


def _on_agenda(ansokan, kansli, meeting):
    ansokan.proposal = "Bevilja 500 000 kr för 2027."
    ansokan.status = S.KLAR_FOR_BESLUT
    ansokan.save()
    with transaction.atomic():
        return workflow.put_on_agenda(ansokan, kansli, meeting)


def test_withdrawn_before_the_notice_the_item_leaves_the_agenda(submitted, kansli, agare, forbund):
    meeting = SammantradeFactory(forbund=forbund, date=datetime.date(2026, 9, 15))
    Arende.objects.create(
        sammantrade=meeting, number=1, title="Mötets öppnande", standing="oppnande"
    )
    Arende.objects.create(sammantrade=meeting, number=2, title="Övriga frågor", standing="ovrigt")
    _on_agenda(submitted, kansli, meeting)
    with transaction.atomic():
        workflow.withdraw(submitted, agare, "Annan finansiering.")
    submitted.refresh_from_db()
    assert submitted.arende is None
    assert list(meeting.arenden.order_by("number").values_list("number", "title")) == [
        (1, "Mötets öppnande"),
        (2, "Övriga frågor"),
    ]


def test_withdrawn_after_the_notice_the_item_stays_marked(submitted, kansli, agare, forbund):
    meeting = SammantradeFactory(forbund=forbund, date=datetime.date(2026, 9, 15))
    item = _on_agenda(submitted, kansli, meeting)
    meeting.status = meeting.Status.KALLAT
    meeting.save()
    with transaction.atomic():
        workflow.withdraw(submitted, agare)
    item.refresh_from_db()
    assert item.title.endswith("– utgår: återtagen")
    event = Handelse.objects.filter(action="återtagen").get()
    assert "utgår från dagordningen" in event.changes["dagordning"]


def test_moved_to_another_meeting_the_first_item_goes(submitted, kansli, forbund):
    first = SammantradeFactory(forbund=forbund, date=datetime.date(2026, 9, 15))
    second = SammantradeFactory(forbund=forbund, date=datetime.date(2026, 10, 20))
    _on_agenda(submitted, kansli, first)
    with transaction.atomic():
        item = workflow.put_on_agenda(submitted, kansli, second)
    submitted.refresh_from_db()
    assert submitted.arende == item
    assert not first.arenden.exists()
