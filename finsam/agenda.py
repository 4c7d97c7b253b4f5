"""A meeting's agenda: where an item goes, and what an item is about.

The agenda does not know its items' kinds. A higher app (insatser, for
applications) registers a provider that tells, for a set of items, which of
them are its subjects and how each shows itself (`Subject`). The meeting
page, the notice and the minutes ask `subjects_for(items)`.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from .models import Arende, Sammantrade, StandingItem

# The slots of a board meeting, in order. Items of a kind come in their slot;
# applications (no standing kind) take the ANSOKNINGAR slot.
SLOT_ORDER = list(StandingItem.values)
_SLOT_OF_REGULAR = SLOT_ORDER.index(StandingItem.ANSOKNINGAR)

# Numbers a renumbered item holds for a moment, above any a form allows, so that
# moving items never meets the unique (sammantrade, number) half-way.
PARKED_NUMBER = 30000


@dataclass
class Subject:
    """What an agenda item is about, as its owning app shows it."""

    title: str
    url: str = ""
    applicant: str = ""
    summary: list[str] = field(default_factory=list)
    asked: dict[int, Decimal] = field(default_factory=dict)
    proposed: dict[int, Decimal] = field(default_factory=dict)
    proposal: str = ""
    conditions: str = ""
    obj: object = None
    # Why nothing can be granted any more (e.g. "Ansökan är återtagen."), or "".
    closed: str = ""


_providers = []


def register_subjects(provider):
    """`provider(items, roll)` → {item.pk: Subject} for the items that are its subjects."""
    if provider not in _providers:
        _providers.append(provider)


def subjects_for(items, roll=None):
    found = {}
    items = list(items)
    for provider in _providers:
        found.update(provider(items, roll))
    return found


def slot_of(item):
    return SLOT_ORDER.index(item.standing) if item.standing else _SLOT_OF_REGULAR


def add_item(sammantrade: Sammantrade, *, title, standing="", kind=Arende.Kind.BESLUT, **fields):
    """Put a new item in its slot on the agenda (after the slot's last item), renumbering after it.

    Call inside a transaction; the meeting row is locked so that two items
    added at once both get their place.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("add_item() needs a transaction.")
    Sammantrade.objects.select_for_update().filter(pk=sammantrade.pk).first()
    new = Arende(sammantrade=sammantrade, title=title, standing=standing, kind=kind, **fields)
    items = list(sammantrade.arenden.order_by("number"))
    position = len(items)
    for i, item in enumerate(items):
        if slot_of(item) > slot_of(new):
            position = i
            break
    ordered = items[:position] + [new] + items[position:]
    renumber(sammantrade, ordered)
    return new


def renumber(sammantrade, ordered):
    """Give the items numbers 1, 2, 3 … in the order given (new items are saved)."""
    moving = [item for i, item in enumerate(ordered, 1) if item.pk and item.number != i]
    for j, item in enumerate(moving):
        Arende.objects.filter(pk=item.pk).update(number=PARKED_NUMBER + j)
    for i, item in enumerate(ordered, 1):
        if item.pk is None:
            item.number = i
            item.save()
        elif item.number != i or item in moving:
            item.number = i
            Arende.objects.filter(pk=item.pk).update(number=i)


def withdraw_item(arende, note):
    """Take an undecided item off its meeting's agenda.

    Before the notice the item goes and the rest close up; once the notice is
    out the agenda the board has read stays as it is, and the item is marked
    as withdrawn ("utgår") instead. Returns what was done, for the audit trail.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("withdraw_item() needs a transaction.")
    sammantrade = Sammantrade.objects.select_for_update().get(pk=arende.sammantrade_id)
    if arende.beslut_or_none is not None or sammantrade.status not in (
        Sammantrade.Status.PLANERAT,
        Sammantrade.Status.KALLAT,
    ):
        return ""
    if sammantrade.status == Sammantrade.Status.PLANERAT:
        arende.delete()
        renumber(sammantrade, list(sammantrade.arenden.order_by("number")))
        return f"borttagen från dagordningen för {sammantrade}"
    suffix = f" – utgår: {note}"
    if not arende.title.endswith(suffix):
        arende.title = f"{arende.title}{suffix}"[:300]
        arende.save(update_fields=["title"])
    return f"utgår från dagordningen för {sammantrade}"
