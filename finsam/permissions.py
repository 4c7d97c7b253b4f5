"""Who may do what in a förbund. Every view asks here; none improvises a check.

A role is a `Roll`: kansli edits everything in its förbund; styrelse and
revisor read; an insatsägare reads only its own member's insatser.
"""

from .models import Roll

KANSLI = Roll.Kind.KANSLI
STYRELSE = Roll.Kind.STYRELSE
INSATSAGARE = Roll.Kind.INSATSAGARE
REVISOR = Roll.Kind.REVISOR

EVERYONE = frozenset(Roll.Kind)
READERS = frozenset({KANSLI, STYRELSE, REVISOR})
EDITORS = frozenset({KANSLI})


def can_edit(roll):
    return roll.kind in EDITORS


def can_read_forbund(roll):
    """Members, board, meetings and budget: all but the insatsägare."""
    return roll.kind in READERS


def can_view_insats(roll, insats):
    if roll.kind == INSATSAGARE:
        return insats.agare_id == roll.medlem_id
    return True


def can_read_history(roll, insats=None):
    """An object's history (the audit trail): the förbund's readers.

    An insatsägare reads the history of its own insatser: their grants and
    changes concern it, and it sees the insats itself. Never another
    member's, and never the history of drafts it may not read (budgets, plans).
    """
    if insats is not None:
        return can_view_insats(roll, insats)
    return roll.kind in READERS
