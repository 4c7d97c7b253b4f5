"""Demo stage: the October board meeting is held, its minutes made, signed and posted.

Called from the demo command after the förbund files (and the other parts'
stages) are loaded. `add_items(meeting)` is the applications' app's part:
it puts applications on the agenda with their decisions (the demo of
insatser.decisions). Then: attendance, a jäv, the chair and a minutes checker
sign the minutes PDF with their own logins, and the minutes are posted.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from finsam.documents import generate
from finsam.models import Jav, Ledamot, Narvaro, Roll, Sammantrade, User

from . import workflow
from .tasks import build

HELD = datetime.date(2026, 10, 22)
CHECKER = "Kjell Nordin"  # "Val av justerare" in the förbund file
ABSENT, SERVING = "Peter Lindgren", "Maria Sundqvist"  # Håbo: the deputy serves
JAV = ("Ingrid Falk", "Ledamot i socialnämnden i Heby kommun, som söker medlen")
DELEGATION_LIMIT = Decimal("100000")


@transaction.atomic
def run(forbund, *, password, url, add_items=None):
    """Returns the login table's rows: (what, username, address)."""
    meeting = Sammantrade.objects.of(forbund).filter(date=HELD).first()
    if meeting is None or meeting.status != Sammantrade.Status.GENOMFORT:
        return []
    forbund.delegation_limit = DELEGATION_LIMIT
    forbund.save(update_fields=["delegation_limit"])
    seats = {seat.name: seat for seat in Ledamot.objects.of(forbund).current(HELD)}
    chair = next(s for s in seats.values() if s.chair_role == Ledamot.ChairRole.ORDFORANDE)
    checker = seats[CHECKER]
    checker_user = _checker_user(forbund, checker, password)
    kansli = User.objects.filter(roller__forbund=forbund, roller__kind=Roll.Kind.KANSLI).first()

    for seat in seats.values():
        if seat.kind == Ledamot.Kind.ORDINARIE:
            Narvaro.objects.create(sammantrade=meeting, ledamot=seat, present=seat.name != ABSENT)
    Narvaro.objects.create(
        sammantrade=meeting, ledamot=seats[SERVING], present=True, serving_for=seats[ABSENT]
    )
    items = add_items(meeting) if add_items else []
    if items:
        Jav.objects.create(arende=items[0], ledamot=seats[JAV[0]], reason=JAV[1])

    protokoll = workflow.protokoll_of(meeting)
    workflow.set_participants(
        protokoll,
        ordforande=chair,
        justerare=[checker],
        sekreterare="Karin Kansli, förbundschef",
        ovriga_narvarande="Rolf Revisor, förtroendevald revisor",
        user=kansli,
    )
    dokument = workflow.start_minutes_pdf(meeting, user=kansli)
    dokument = generate(dokument.pk, build)  # now: the signatures need its checksum
    for user in (chair.user, checker_user):
        if user is not None:
            workflow.sign(protokoll, user=user, checksum=dokument.checksum)
    return [
        (f"Styrelse (justerare) – {forbund.name}", checker_user.username, f"{url}/{forbund.slug}/")
    ]


def _checker_user(forbund, seat, password):
    user, _ = User.objects.get_or_create(username="justerare")
    user.first_name, _, user.last_name = seat.name.partition(" ")
    user.email = "justerare@example.org"
    user.is_active = True
    user.set_password(password)
    user.save()
    Roll.objects.update_or_create(user=user, forbund=forbund, defaults={"kind": Roll.Kind.STYRELSE})
    seat.user = user
    seat.save(update_fields=["user"])
    return user
