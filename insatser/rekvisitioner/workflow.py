"""Every change of a payment claim's state, each one function, each recorded (Handelse).

Call inside a transaction (the views do). Submitting locks the year's grant
row (Anslag) first, so that two claims sent in at the same moment are
checked one after the other and cannot together exceed the grant.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from finsam.models import Handelse, Lopnummer

from ..models import Anslag, Rekvisition

S = Rekvisition.Status
SERIES = "rekvisition"
ZERO = Decimal("0")


class NotAllowed(Exception):
    """The claim cannot be made or changed; str() says why, in Swedish."""


@dataclass
class Summary:
    """Granted, claimed (sent in or approved), approved and remaining for one insats and year."""

    year: int
    granted: Decimal
    claimed: Decimal
    approved: Decimal

    @property
    def remaining(self):
        return self.granted - self.claimed


def claim_year(rekvisition):
    """The grant year a claim draws on: the year its period ends (as the budget's outcome)."""
    return rekvisition.period_end.year


def summary(insats, year):
    grant = Anslag.objects.filter(insats=insats, year=year).values_list("amount", flat=True)
    sums = Rekvisition.objects.filter(insats=insats, period_end__year=year).aggregate(
        claimed=Sum("amount", filter=Q(status__in=[S.INSKICKAD, S.GODKAND])),
        approved=Sum("amount", filter=Q(status=S.GODKAND)),
    )
    return Summary(
        year=year,
        granted=grant.first() or ZERO,
        claimed=sums["claimed"] or ZERO,
        approved=sums["approved"] or ZERO,
    )


def summaries(insats):
    """One Summary per year with a grant or a claim, oldest first."""
    years = set(insats.anslag.values_list("year", flat=True))
    years |= {d.year for d in insats.rekvisitioner.values_list("period_end", flat=True)}
    return [summary(insats, year) for year in sorted(years)]


def _require_transaction():
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("The claim workflow needs a transaction.")


def _record(rekvisition, user, action, reason="", changes=None):
    Handelse.record(
        forbund=rekvisition.insats.forbund,
        user=user,
        subject=rekvisition,
        action=action,
        reason=reason,
        changes=changes,
    )


def submit(rekvisition, user, *, received_on=None):
    """Send in a new claim: refused beyond what remains of the year's grant.

    A claim that came by post or e-mail is registered by kansli
    (`rekvisition.registered_by_kansli`) with `received_on`, the date it came in.
    """
    _require_transaction()
    if rekvisition.registered_by_kansli and received_on is None:
        raise NotAllowed("Ange vilken dag rekvisitionen kom in.")
    if received_on is not None and received_on > timezone.localdate():
        raise NotAllowed("Rekvisitionen kan inte ha kommit in ett datum som inte har varit.")
    insats = rekvisition.insats
    year = claim_year(rekvisition)
    if rekvisition.period_start.year != year:
        raise NotAllowed("En rekvisition gäller en period inom ett och samma år.")
    grant = Anslag.objects.select_for_update().filter(insats=insats, year=year).first()
    if grant is None:
        raise NotAllowed(f"Insatsen har inget beviljat belopp för {year}.")
    remaining = summary(insats, year).remaining
    if rekvisition.amount > remaining:
        raise NotAllowed(
            f"Beloppet är större än det som återstår av det beviljade beloppet för {year}"
            f" ({_kr(remaining)} kr)."
        )
    rekvisition.status = S.INSKICKAD
    if received_on is None:
        rekvisition.received_at = timezone.now()
    else:  # the day on the letter; noon, so that it is that day in every time zone here
        noon = datetime.datetime.combine(received_on, datetime.time(12))
        rekvisition.received_at = timezone.make_aware(noon)
    number = Lopnummer.next(insats.forbund, SERIES, year)
    rekvisition.diarienummer = Lopnummer.format(year, number, SERIES)
    rekvisition.save()
    changes = {
        "belopp": [None, str(rekvisition.amount)],
        "period": [None, f"{rekvisition.period_start}–{rekvisition.period_end}"],
    }
    if received_on is not None:
        changes["inkom"] = f"{received_on:%Y-%m-%d}"
    action = "registrerad av kansliet" if rekvisition.registered_by_kansli else "inskickad"
    _record(rekvisition, user, action, changes=changes)
    return rekvisition


def _locked(rekvisition):
    _require_transaction()
    fresh = Rekvisition.objects.select_for_update().get(pk=rekvisition.pk)
    rekvisition.status, rekvisition.approved_at = fresh.status, fresh.approved_at
    if rekvisition.status != S.INSKICKAD:
        raise NotAllowed(f"Rekvisitionen är redan {rekvisition.get_status_display().lower()}.")
    return rekvisition


def approve(rekvisition, user):
    _locked(rekvisition)
    rekvisition.status = S.GODKAND
    rekvisition.approved_at = timezone.now()
    rekvisition.save(update_fields=["status", "approved_at"])
    _record(rekvisition, user, "godkänd", changes={"status": ["Inskickad", "Godkänd"]})
    return rekvisition


def reject(rekvisition, user, reason):
    if not reason.strip():
        raise NotAllowed("Skriv varför rekvisitionen avslås.")
    _locked(rekvisition)
    rekvisition.status = S.AVSLAGEN
    rekvisition.reason = reason.strip()
    rekvisition.save(update_fields=["status", "reason"])
    _record(
        rekvisition, user, "avslagen", reason=reason, changes={"status": ["Inskickad", "Avslagen"]}
    )
    return rekvisition


def _kr(amount):
    return f"{amount:,.0f}".replace(",", " ")
