"""The room to decide beside a proposal: how much of each year's budget is left.

insatser cannot read the budget (budget depends on insatser, not the other
way), so the budget app registers the function that knows (budget/room.py,
registered in budget/apps.py ready()): `fn(forbund, year)` → the remaining
room to decide that year in kronor, or None where the year has no budget.
"""

from dataclasses import dataclass
from decimal import Decimal

_providers = []


def register_room(fn):
    if fn not in _providers:
        _providers.append(fn)


def remaining(forbund, year):
    for fn in _providers:
        value = fn(forbund, year)
        if value is not None:
            return value
    return None


@dataclass
class Room:
    year: int
    proposed: Decimal | None
    before: Decimal | None

    @property
    def after(self):
        if self.before is None:
            return None
        return self.before - (self.proposed or Decimal(0))

    @property
    def exceeded(self):
        return self.after is not None and self.after < 0


def for_ansokan(ansokan):
    """One Room per year the application touches, before and after a yes to its proposal."""
    rows = []
    for belopp in ansokan.belopp.all():
        proposed = belopp.proposed if belopp.proposed is not None else belopp.amount
        rows.append(Room(belopp.year, proposed, remaining(ansokan.forbund, belopp.year)))
    return rows
