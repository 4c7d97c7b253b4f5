"""Who may do what at a meeting. The meeting's views ask here.

Kansli prepares and records everything; the board and the revisor read the
meetings and their papers; a board member declares jäv for its own seat
(kansli may record it for any seat, as told by the member).
"""

from ..models import Ledamot
from ..permissions import EDITORS, KANSLI, READERS, STYRELSE

__all__ = ["EDITORS", "READERS", "JAV_ROLES", "jav_seats", "can_declare_jav"]

JAV_ROLES = frozenset({KANSLI, STYRELSE})


def jav_seats(roll, user, sammantrade):
    """The seats on whose behalf this user may declare jäv at the meeting."""
    seats = Ledamot.objects.of(sammantrade.forbund).current(sammantrade.date)
    if roll.kind == KANSLI:
        return seats
    if roll.kind == STYRELSE:
        return seats.filter(user=user)
    return seats.none()


def can_declare_jav(roll, user, sammantrade):
    return jav_seats(roll, user, sammantrade).exists()


def can_manage(roll):
    return roll.kind in EDITORS
