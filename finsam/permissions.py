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
