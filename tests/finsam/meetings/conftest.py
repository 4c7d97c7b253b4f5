import datetime
from decimal import Decimal

import pytest

from finsam.models import Ledamot
from insatser.models import Ansokan, AnsokanBelopp
from tests.factories import ArendeFactory, LedamotFactory, MedlemFactory, SammantradeFactory

SEPTEMBER = datetime.date(2026, 9, 15)
NOVEMBER = datetime.date(2026, 11, 18)


@pytest.fixture
def enkoping(forbund):
    return MedlemFactory(forbund=forbund, name="Enköpings kommun", short_name="Enköping", order=4)


@pytest.fixture
def board(forbund, heby, tierp, region, enkoping, styrelse):
    """Four regular seats (quorum: 3), a deputy for Heby and one for Tierp.

    The `styrelse` user sits in Heby's regular seat.
    """
    seats = {
        "heby": LedamotFactory(medlem=heby, name="Anna Heby", email="anna@heby.se", user=styrelse),
        "tierp": LedamotFactory(medlem=tierp, name="Bo Tierp", email="bo@tierp.se"),
        "region": LedamotFactory(medlem=region, name="Cia Region", email="cia@region.se"),
        "enkoping": LedamotFactory(medlem=enkoping, name="Dan Enköping"),  # no e-mail
        "heby_ers": LedamotFactory(
            medlem=heby, name="Eva Ersättare", kind=Ledamot.Kind.ERSATTARE, email="eva@heby.se"
        ),
        "tierp_ers": LedamotFactory(
            medlem=tierp, name="Finn Ersättare", kind=Ledamot.Kind.ERSATTARE
        ),
    }
    # A seat whose mandate ended before the meeting does not count.
    LedamotFactory(
        medlem=heby,
        name="Gammal Ledamot",
        mandate_start=datetime.date(2019, 1, 1),
        mandate_end=datetime.date(2022, 12, 31),
    )
    return seats


@pytest.fixture
def meeting(forbund):
    return SammantradeFactory(forbund=forbund, date=SEPTEMBER, location="Kansliet")


@pytest.fixture
def next_meeting(forbund):
    return SammantradeFactory(forbund=forbund, date=NOVEMBER)


@pytest.fixture
def item(meeting):
    return ArendeFactory(
        sammantrade=meeting, number=1, title="Ansökan Steget vidare", diarienummer="2026/14"
    )


@pytest.fixture
def ansokan(forbund, heby, tierp, item):
    """An application ready for decision, on `item`: 500 000 asked for 2027, 400 000 proposed."""
    ansokan = Ansokan.objects.create(
        forbund=forbund,
        diarienummer="2026/14",
        title="Steget vidare",
        agare=heby,
        kind="individ",
        status=Ansokan.Status.KLAR_FOR_BESLUT,
        description="Stöd till unga vuxna som står långt från arbetsmarknaden.",
        proposal="Kansliet föreslår att ansökan beviljas delvis.",
        proposal_conditions="Slutrapport senast 2028-02-28.",
        arende=item,
    )
    ansokan.deltagare.add(tierp)
    AnsokanBelopp.objects.create(
        ansokan=ansokan, year=2027, amount=Decimal("500000"), proposed=Decimal("400000")
    )
    AnsokanBelopp.objects.create(
        ansokan=ansokan, year=2028, amount=Decimal("300000"), proposed=Decimal("250000")
    )
    return ansokan


def attend(meeting, *seats, serving=None):
    """Record who was present (seats), and deputies serving {deputy: regular}."""
    from finsam.meetings.workflow import record_attendance

    serving = serving or {}
    present = {s.pk for s in seats} | {d.pk for d in serving}
    record_attendance(
        sammantrade=meeting,
        present=present,
        serving={d.pk: r.pk for d, r in serving.items()},
        ovriga="Lena Lind, förbundschef",
        user=None,
    )
