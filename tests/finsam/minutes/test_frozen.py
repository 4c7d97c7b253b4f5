"""Signed minutes freeze their meeting: every model and method of it refuses a change."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction

from finsam import agenda
from finsam.forms import SammantradeForm
from finsam.minutes import workflow
from finsam.minutes.frozen import MeetingFrozen
from finsam.models import (
    Arende,
    Beslut,
    BeslutBelopp,
    Jav,
    Justering,
    Narvaro,
    Protokoll,
    Sammantrade,
)
from tests.factories import SammantradeFactory


@pytest.fixture
def frozen(meeting, protokoll, chair, seats, media, kansli):
    """The meeting with a signature and its status justerat."""
    dokument = workflow.start_minutes_pdf(meeting, user=kansli)
    Justering.objects.create(
        protokoll=protokoll,
        ledamot=seats["Eva Granqvist"],
        role=Justering.Role.ORDFORANDE,
        user=chair,
        dokument=dokument,
        checksum="a" * 64,
    )
    meeting.status = Sammantrade.Status.JUSTERAT
    meeting.save()
    return meeting


def _item(meeting):
    return meeting.arenden.get(number=3)


def _beslut(meeting):
    return _item(meeting).beslut


CHANGES = {
    # the meeting
    "sammantrade.save": lambda m, s: _save(m, location="Stadshuset"),
    "sammantrade.delete": lambda m, s: m.delete(),
    "sammantrade.queryset.update": lambda m, s: Sammantrade.objects.filter(pk=m.pk).update(
        location="Stadshuset"
    ),
    "sammantrade.queryset.delete": lambda m, s: Sammantrade.objects.filter(pk=m.pk).delete(),
    "sammantrade.back_to_held": lambda m, s: _save(m, status=Sammantrade.Status.GENOMFORT),
    "sammantrade.form": lambda m, s: _form_save(m),
    # its items
    "arende.save": lambda m, s: _save(_item(m), title="Ändrad"),
    "arende.create": lambda m, s: Arende.objects.create(sammantrade=m, number=9, title="Ny"),
    "arende.delete": lambda m, s: _item(m).delete(),
    "arende.queryset.update": lambda m, s: Arende.objects.filter(sammantrade=m).update(title="X"),
    "arende.queryset.delete": lambda m, s: Arende.objects.filter(sammantrade=m).delete(),
    "arende.set_beslut": lambda m, s: _item(m).set_beslut("Ett annat beslut."),
    "arende.set_beslut_remove": lambda m, s: _item(m).set_beslut(""),
    "arende.move_out": lambda m, s: _save(
        _item(m), sammantrade=SammantradeFactory(forbund=m.forbund)
    ),
    "agenda.add_item": lambda m, s: _atomic(lambda: agenda.add_item(m, title="Ny punkt")),
    "agenda.renumber": lambda m, s: _atomic(
        lambda: agenda.renumber(m, list(m.arenden.order_by("-number")))
    ),
    # its decisions and their amounts
    "beslut.save": lambda m, s: _save(_beslut(m), text="Ändrat"),
    "beslut.create": lambda m, s: Beslut.objects.create(
        forbund=m.forbund, arende=m.arenden.get(number=1), date=m.date, text="Nytt"
    ),
    "beslut.delete": lambda m, s: _beslut(m).delete(),
    "beslut.queryset.update": lambda m, s: Beslut.objects.filter(arende__sammantrade=m).update(
        outcome="avslas"
    ),
    "beslut.queryset.delete": lambda m, s: Beslut.objects.filter(arende__sammantrade=m).delete(),
    "belopp.save": lambda m, s: _save(_beslut(m).belopp.first(), amount=Decimal(1)),
    "belopp.create": lambda m, s: BeslutBelopp.objects.create(
        beslut=_beslut(m), year=2029, amount=Decimal(5)
    ),
    "belopp.delete": lambda m, s: _beslut(m).belopp.first().delete(),
    "belopp.queryset.update": lambda m, s: BeslutBelopp.objects.filter(
        beslut__arende__sammantrade=m
    ).update(amount=Decimal(0)),
    # attendance
    "narvaro.save": lambda m, s: _save(m.narvaro.filter(present=False).first(), present=True),
    "narvaro.create": lambda m, s: Narvaro.objects.create(
        sammantrade=m, ledamot=s["Sara Holmgren"], present=True
    ),
    "narvaro.delete": lambda m, s: m.narvaro.first().delete(),
    "narvaro.queryset.update": lambda m, s: Narvaro.objects.filter(sammantrade=m).update(
        present=False
    ),
    "narvaro.queryset.delete": lambda m, s: Narvaro.objects.filter(sammantrade=m).delete(),
    # jäv
    "jav.save": lambda m, s: _save(Jav.objects.get(arende__sammantrade=m), reason="Annat"),
    "jav.create": lambda m, s: Jav.objects.create(
        arende=_item(m), ledamot=s["Jonas Ekberg"], reason="Ny"
    ),
    "jav.delete": lambda m, s: Jav.objects.get(arende__sammantrade=m).delete(),
    "jav.queryset.delete": lambda m, s: Jav.objects.filter(arende__sammantrade=m).delete(),
    # the minutes and their signatures
    "protokoll.save": lambda m, s: _save(m.protokoll, sekreterare="Någon annan"),
    "protokoll.delete": lambda m, s: m.protokoll.delete(),
    "protokoll.justerare.add": lambda m, s: m.protokoll.justerare.add(s["Ingrid Falk"]),
    "protokoll.justerare.clear": lambda m, s: m.protokoll.justerare.clear(),
    "protokoll.queryset.update": lambda m, s: Protokoll.objects.filter(sammantrade=m).update(
        notes="x"
    ),
    "protokoll.set_participants": lambda m, s: workflow.set_participants(
        m.protokoll,
        ordforande=s["Ingrid Falk"],
        justerare=[],
        sekreterare="",
        ovriga_narvarande="",
        user=None,
    ),
    "justering.create": lambda m, s: Justering.objects.create(
        protokoll=m.protokoll,
        ledamot=s["Jonas Ekberg"],
        role=Justering.Role.JUSTERARE,
        user=s["Eva Granqvist"].user,
        dokument=Justering.objects.first().dokument,
        checksum="b" * 64,
    ),
    "justering.delete": lambda m, s: Justering.objects.first().delete(),
    "justering.queryset.delete": lambda m, s: Justering.objects.filter(
        protokoll__sammantrade=m
    ).delete(),
}


def _save(obj, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()


def _atomic(fn):
    with transaction.atomic():
        return fn()


def _form_save(meeting):
    data = {"kind": meeting.kind, "date": "2026-09-18", "status": meeting.status, "location": ""}
    form = SammantradeForm(data, instance=meeting)
    assert form.is_valid(), form.errors
    form.save()


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_a_frozen_meeting_refuses(frozen, seats, change):
    frozen.refresh_from_db()
    snapshot = _snapshot(frozen)
    with pytest.raises(MeetingFrozen), transaction.atomic():
        CHANGES[change](frozen, seats)
    assert _snapshot(frozen) == snapshot


@pytest.mark.parametrize("change", ["arende.save", "narvaro.save", "beslut.save", "jav.save"])
def test_the_same_changes_work_before_the_minutes_are_signed(meeting, protokoll, seats, change):
    CHANGES[change](meeting, seats)


def _snapshot(meeting):
    meeting = Sammantrade.objects.get(pk=meeting.pk)
    return (
        (meeting.status, meeting.location, meeting.date),
        list(Arende.objects.filter(sammantrade=meeting).values_list("number", "title")),
        list(Beslut.objects.filter(arende__sammantrade=meeting).values_list("text", "outcome")),
        list(
            BeslutBelopp.objects.filter(beslut__arende__sammantrade=meeting).values_list("amount")
        ),
        list(Narvaro.objects.filter(sammantrade=meeting).values_list("ledamot", "present")),
        list(Jav.objects.filter(arende__sammantrade=meeting).values_list("ledamot", "reason")),
        list(Justering.objects.filter(protokoll__sammantrade=meeting).values_list("pk")),
        list(Protokoll.objects.filter(sammantrade=meeting).values_list("sekreterare")),
        list(meeting.protokoll.justerare.values_list("pk", flat=True)),
    )


def test_publishing_moves_only_the_status_on(frozen):
    frozen.status = Sammantrade.Status.PUBLICERAT
    frozen.save(update_fields=["status"])
    frozen.refresh_from_db()
    assert frozen.status == Sammantrade.Status.PUBLICERAT


def test_the_archive_copy_and_the_posting_date_are_set_after_signing(frozen):
    protokoll = frozen.protokoll
    protokoll.posted_at = datetime.date(2026, 9, 25)
    protokoll.save(update_fields=["posted_at"])
    protokoll.refresh_from_db()
    assert protokoll.posted_at == datetime.date(2026, 9, 25)


def test_delegated_decisions_are_not_frozen_with_a_meeting(frozen, forbund):
    beslut = Beslut.objects.create(
        forbund=forbund, date=frozen.date, text="Delegation", delegated=True, reported_at=frozen
    )
    beslut.text = "Ändrad"
    beslut.save()


def test_the_meeting_form_page_refuses_a_frozen_meeting(client, kansli, frozen):
    client.force_login(kansli)
    response = client.post(f"/uppsala/sammantraden/{frozen.pk}/andra/", {"location": "X"})
    assert response.status_code == 302
    frozen.refresh_from_db()
    assert frozen.location == "Förbundets kansli"


def test_the_minutes_page_refuses_changes_after_signing(client, kansli, frozen, seats):
    client.force_login(kansli)
    url = f"/uppsala/sammantraden/{frozen.pk}/protokoll/"
    page = client.get(url).content.decode()
    assert "Skapa protokoll (PDF)" not in page
    response = client.post(
        f"{url}andra/",
        {"ordforande": seats["Ingrid Falk"].pk, "justerare": [seats["Jonas Ekberg"].pk]},
    )
    assert response.status_code == 302
    assert frozen.protokoll.ordforande == seats["Eva Granqvist"]
    assert client.post(f"{url}pdf/").status_code == 302
    assert workflow.documents_of(frozen.protokoll).count() == 1
