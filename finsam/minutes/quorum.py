"""Quorum per item, as the minutes state it.

TODO(merge): use finsam.meetings.workflow.quorum — part B's function computes
the same rule for the decision form; the lead keeps one of them.
"""

from dataclasses import dataclass, field

from finsam.models import Jav, Ledamot, Narvaro


@dataclass
class Quorum:
    seats: int
    present_voting: int
    jav: list = field(default_factory=list)

    @property
    def required(self):
        """More than half of the regular seats."""
        return self.seats // 2 + 1

    @property
    def has_quorum(self):
        return self.present_voting >= self.required


def voting(sammantrade):
    """The seats that vote at the meeting: regular members present, deputies serving."""
    rows = Narvaro.objects.filter(sammantrade=sammantrade, present=True).select_related("ledamot")
    return [
        row.ledamot
        for row in rows
        if row.ledamot.kind == Ledamot.Kind.ORDINARIE or row.serving_for_id is not None
    ]


def regular_seats(sammantrade):
    seats = Ledamot.objects.of(sammantrade.forbund_id).current(sammantrade.date)
    return seats.filter(kind=Ledamot.Kind.ORDINARIE).count()


def quorum(arende, *, seats=None, voters=None):
    """> half of the regular seats present, counting serving deputies, minus those with jäv."""
    sammantrade = arende.sammantrade
    seats = regular_seats(sammantrade) if seats is None else seats
    voters = voting(sammantrade) if voters is None else voters
    jav = [j.ledamot for j in Jav.objects.filter(arende=arende).select_related("ledamot")]
    jav_ids = {ledamot.pk for ledamot in jav}
    present = sum(1 for ledamot in voters if ledamot.pk not in jav_ids)
    return Quorum(seats=seats, present_voting=present, jav=jav)
