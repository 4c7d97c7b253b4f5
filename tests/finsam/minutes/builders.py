"""A held board meeting to write minutes of: seats, attendance, jäv, decisions."""

import datetime
from decimal import Decimal

from finsam.models import Arende, Beslut, BeslutBelopp, Jav, Ledamot, Narvaro, Roll, Sammantrade
from tests.factories import LedamotFactory, MedlemFactory, SammantradeFactory, UserFactory

DAY = datetime.date(2026, 9, 17)


def board(forbund, heby, tierp, region):
    """Four member organisations, a regular member and a deputy each."""
    enkoping = MedlemFactory(forbund=forbund, name="Enköpings kommun", short_name="Enköping")
    seats = {}
    for medlem, regular, deputy in [
        (region, "Eva Granqvist", "Patrik Öhman"),
        (heby, "Ingrid Falk", "Nils Åkesson"),
        (tierp, "Bengt Mattsson", "Helena Forsberg"),
        (enkoping, "Jonas Ekberg", "Sara Holmgren"),
    ]:
        seats[regular] = LedamotFactory(medlem=medlem, name=regular)
        seats[deputy] = LedamotFactory(medlem=medlem, name=deputy, kind=Ledamot.Kind.ERSATTARE)
    return seats


def signer(forbund, seat, username):
    user = UserFactory(username=username, email=f"{username}@example.org")
    Roll.objects.create(user=user, forbund=forbund, kind=Roll.Kind.STYRELSE)
    seat.user = user
    seat.save(update_fields=["user"])
    return user


def held_meeting(forbund, seats):
    """Held on DAY: three regulars present, Tierp's deputy serving; Ingrid Falk jäv on § 3."""
    meeting = SammantradeFactory(
        forbund=forbund, date=DAY, location="Förbundets kansli", status=Sammantrade.Status.GENOMFORT
    )
    for name in ("Eva Granqvist", "Ingrid Falk", "Jonas Ekberg"):
        Narvaro.objects.create(sammantrade=meeting, ledamot=seats[name], present=True)
    Narvaro.objects.create(sammantrade=meeting, ledamot=seats["Bengt Mattsson"], present=False)
    Narvaro.objects.create(
        sammantrade=meeting,
        ledamot=seats["Helena Forsberg"],
        present=True,
        serving_for=seats["Bengt Mattsson"],
    )
    Narvaro.objects.create(sammantrade=meeting, ledamot=seats["Nils Åkesson"], present=True)
    Arende.objects.create(
        sammantrade=meeting,
        number=1,
        paragraf=41,
        title="Mötets öppnande",
        standing="oppnande",
        kind=Arende.Kind.INFORMATION,
    )
    val = Arende.objects.create(
        sammantrade=meeting, number=2, paragraf=42, title="Val av justerare", standing="justerare"
    )
    Beslut.objects.create(
        forbund=forbund, arende=val, date=DAY, text="Styrelsen utser Jonas Ekberg att justera."
    )
    item = Arende.objects.create(
        sammantrade=meeting,
        number=3,
        paragraf=43,
        title="Ansökan Unga vuxna i arbete",
        diarienummer="2026/14",
    )
    Jav.objects.create(arende=item, ledamot=seats["Ingrid Falk"], reason="Anställd hos sökanden")
    beslut = Beslut.objects.create(
        forbund=forbund,
        arende=item,
        date=DAY,
        text="Styrelsen beviljar delvis ansökan Unga vuxna i arbete.",
        outcome=Beslut.Outcome.DELVIS,
        conditions="Insatsen rapporterar kvartalsvis.",
        reservations="Jonas Ekberg reserverar sig till förmån för bifall.",
        diarienummer="2026/14",
    )
    BeslutBelopp.objects.create(beslut=beslut, year=2027, amount=Decimal("250000"))
    BeslutBelopp.objects.create(beslut=beslut, year=2028, amount=Decimal("200000"))
    return meeting
