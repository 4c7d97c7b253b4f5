"""Demo applications on a meeting's agenda (finsam.meetings.demo calls `place`)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from finsam.agenda import add_item
from finsam.models import Lopnummer, Medlem

from .models import Ansokan, AnsokanBelopp

RECEIVED = datetime.datetime(2026, 5, 8, 10, 0)

# title, owner, taking part, kind, asked 2027, proposed 2027, description
APPLICATIONS = [
    (
        "Steget vidare",
        "Heby kommun",
        ["Arbetsförmedlingen"],
        "individ",
        Decimal("650000"),
        Decimal("500000"),
        "Stöd till unga vuxna i Heby som står långt från arbete och studier, med en "
        "samordnare från kommunen och en handläggare från Arbetsförmedlingen.",
    ),
    (
        "Tillsammans mot arbete",
        "Tierps kommun",
        ["Försäkringskassan", "Region Uppsala"],
        "struktur",
        Decimal("900000"),
        Decimal("900000"),
        "Gemensam kartläggning och ett arbetssätt för personer med sjukersättning som "
        "vill pröva arbete, mellan kommunen, Försäkringskassan och regionen.",
    ),
]


def place(meeting):
    """Applications ready for decision on the meeting's agenda; made when there are none."""
    forbund = meeting.forbund
    waiting = list(
        Ansokan.objects.of(forbund).filter(
            status=Ansokan.Status.KLAR_FOR_BESLUT, arende__isnull=True
        )[:4]
    )
    if not waiting and not Ansokan.objects.of(forbund).filter(arende__sammantrade=meeting):
        waiting = [_make(forbund, *row) for row in APPLICATIONS]
    for ansokan in waiting:
        ansokan.arende = add_item(
            meeting, title=f"Ansökan {ansokan.title}", diarienummer=ansokan.diarienummer
        )
        ansokan.save(update_fields=["arende"])


def _make(forbund, title, owner, partners, kind, asked, proposed, description):
    members = Medlem.objects.of(forbund)
    number = Lopnummer.next(forbund, "ansokan", RECEIVED.year)
    ansokan = Ansokan.objects.create(
        forbund=forbund,
        diarienummer=Lopnummer.format(RECEIVED.year, number),
        title=title,
        agare=members.get(name=owner),
        kind=kind,
        start=datetime.date(2027, 1, 1),
        end=datetime.date(2027, 12, 31),
        description=description,
        status=Ansokan.Status.KLAR_FOR_BESLUT,
        received_at=timezone.make_aware(RECEIVED),
        contact_name="Kontaktperson",
        proposal=f"Kansliet föreslår att styrelsen beviljar {int(proposed):,} kr för 2027.".replace(
            ",", " "
        ),
        proposal_conditions="Rapportering enligt förbundets uppföljningsplan.",
    )
    ansokan.deltagare.set(members.filter(name__in=partners))
    AnsokanBelopp.objects.create(ansokan=ansokan, year=2027, amount=asked, proposed=proposed)
    return ansokan
