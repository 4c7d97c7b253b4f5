"""Who may do what with the minutes and the decision register (see finsam/permissions.py)."""

from finsam.permissions import EDITORS, KANSLI, READERS, STYRELSE

# The minutes page and the register of decisions: kansli, the board, the revisor.
MINUTES_READERS = READERS
DECISION_READERS = READERS
# Kansli names the chair and the checkers, and makes the PDF.
MINUTES_EDITORS = EDITORS
# A board member signs, and only as the seat the minutes name (see workflow.seats_to_sign).
SIGNERS = frozenset({STYRELSE})
SETTINGS_EDITORS = frozenset({KANSLI})


def can_sign(roll, protokoll, user):
    from .workflow import seats_to_sign

    return roll.kind in SIGNERS and bool(seats_to_sign(protokoll, user))


def is_public(protokoll):
    """The anslagstavla shows signed minutes that are posted, nothing else."""
    return protokoll.posted_at is not None and protokoll.sammantrade.is_frozen
