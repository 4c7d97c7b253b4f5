"""The reporting schedule: which Rapport rows an insats owes, and their creation.

Periodic reports follow the calendar (quarters or half-years, the förbund's
`report_interval`), each due `report_due_days` after the period's end. An insats
with an end date always owes a final report (Slutrapport) covering its whole run;
it replaces the periodic report of the period the insats ends in.

Creating is idempotent: the unique constraint on (insats, kind, period_start)
and `ignore_conflicts` make a second run, or two runs at once, create nothing twice.

When an insats's dates change, `sync_reports_for` follows them: the reports the
new period owes are created, and those still `due` (not started) that it no
longer owes are removed or get the new period end and due date. A report the
insatsägare has started (draft) or sent in is never touched.
"""

import datetime

from django.utils import timezone

from finsam.models import Forbund
from insatser.models import Insats

from ..models import Rapport


def _period_of(day, months):
    """The calendar period (first day, last day) of `months` months containing `day`."""
    first_month = (day.month - 1) // months * months + 1
    start = datetime.date(day.year, first_month, 1)
    next_month = first_month + months
    if next_month > 12:
        after = datetime.date(day.year + 1, next_month - 12, 1)
    else:
        after = datetime.date(day.year, next_month, 1)
    return start, after - datetime.timedelta(days=1)


def schedule(insats, today):
    """The reports `insats` owes as unsaved Rapport objects, in order.

    Without an end date the schedule runs up to the period containing `today`.
    An insats without a start date owes nothing yet.
    """
    if insats.start is None:
        return []
    forbund = insats.forbund
    halvar = forbund.report_interval == Forbund.ReportInterval.HALVAR
    months = 6 if halvar else 3
    kind = Rapport.Kind.HALVAR if halvar else Rapport.Kind.KVARTAL
    due = datetime.timedelta(days=forbund.report_due_days)
    horizon = insats.end or today
    reports = []
    period_start, period_end = _period_of(insats.start, months)
    while period_start <= horizon:
        if insats.end is not None and period_end >= insats.end:
            break  # the final report covers the last period
        reports.append(
            Rapport(
                insats=insats,
                kind=kind,
                period_start=period_start,
                period_end=period_end,
                due_date=period_end + due,
            )
        )
        period_start, period_end = _period_of(period_end + datetime.timedelta(days=1), months)
    if insats.end is not None:
        reports.append(
            Rapport(
                insats=insats,
                kind=Rapport.Kind.SLUT,
                period_start=insats.start,
                period_end=insats.end,
                due_date=insats.end + due,
            )
        )
    return reports


def create_reports_for(insats, today=None):
    """Create the reports `insats` owes that do not exist yet; the number created."""
    today = today or timezone.localdate()
    wanted = schedule(insats, today)
    if not wanted:
        return 0
    existing = set(Rapport.objects.filter(insats=insats).values_list("kind", "period_start"))
    missing = [r for r in wanted if (r.kind, r.period_start) not in existing]
    if not missing:
        return 0
    Rapport.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def sync_reports_for(insats, today=None):
    """Make the not-started reports of `insats` follow its dates; (created, changed, deleted)."""
    today = today or timezone.localdate()
    wanted = {(r.kind, r.period_start): r for r in schedule(insats, today)}
    due = Rapport.objects.filter(insats=insats, status=Rapport.Status.DUE)
    gone, changed = [], []
    for rapport in due:
        target = wanted.get((rapport.kind, rapport.period_start))
        if target is None:
            gone.append(rapport.pk)
        elif (rapport.period_end, rapport.due_date) != (target.period_end, target.due_date):
            rapport.period_end, rapport.due_date = target.period_end, target.due_date
            changed.append(rapport)
    if gone:
        Rapport.objects.filter(pk__in=gone, status=Rapport.Status.DUE).delete()
    if changed:
        Rapport.objects.bulk_update(changed, ["period_end", "due_date"])
    return create_reports_for(insats, today), len(changed), len(gone)


def create_due_reports(today=None):
    """Create the missing reports of every running insats; the number attempted."""
    today = today or timezone.localdate()
    created = 0
    running = Insats.objects.filter(status=Insats.Status.PAGAENDE).select_related("forbund")
    for insats in running.iterator(chunk_size=200):
        created += create_reports_for(insats, today)
    return created
