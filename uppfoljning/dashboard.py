"""What needs the kansli's attention on the start page.

Each check is a small function of (forbund, today) returning the items it
finds; `attention(forbund, today)` runs them all. Every check is one or two
queries, whatever the förbund's size.
"""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Count, F, Q
from django.urls import reverse

from budget.models import Avsnitt, Budget, Medlemsavgift, Risk, Verksamhetsplan
from finsam.history import summary
from finsam.models import Handelse, Ledamot, Medlem, Sammantrade
from insatser.models import Anslag, Ansokan, Insats

from .models import Rapport

NOTICE_DAYS = 14
ENDING_DAYS = 90


@dataclass(frozen=True)
class Attention:
    text: str
    url: str
    level: str = "warning"  # Bootstrap colour: warning, info, danger


def _next_meeting_notice(forbund, today):
    meeting = Sammantrade.objects.of(forbund).upcoming(today).first()
    if (
        meeting
        and meeting.status == Sammantrade.Status.PLANERAT
        and meeting.date <= today + datetime.timedelta(days=NOTICE_DAYS)
    ):
        yield Attention(
            f"Kallelsen till sammanträdet {meeting.date:%Y-%m-%d} är inte skickad.",
            meeting.get_absolute_url(),
        )


def _budget_for_next_year(forbund, today):
    if today.month < 9:
        return
    year = today.year + 1
    if not Budget.objects.of(forbund).filter(year=year).exists():
        yield Attention(
            f"Budget för {year} är inte påbörjad; styrelsen fastställer den i november.",
            reverse("budget_index", args=[forbund.slug]),
        )


def _missing_contributions(forbund, today):
    year = today.year
    missing = (
        Medlem.objects.of(forbund)
        .exclude(pk__in=Medlemsavgift.objects.of(forbund).filter(year=year).values("medlem"))
        .count()
    )
    if missing and Medlem.objects.of(forbund).exists():
        yield Attention(
            f"{missing} medlemmar saknar medlemsavgift för {year}.",
            reverse("medlemsavgifter_edit", args=[forbund.slug, year]),
        )


def _insatser_with_one_member(forbund, today):
    lonely = (
        Insats.objects.of(forbund)
        .exclude(status=Insats.Status.AVSLUTAD)
        .annotate(others=Count("deltagare", filter=~Q(deltagare=F("agare"))))
        .filter(others=0)
        .select_related("agare")
    )
    for insats in lonely:
        yield Attention(
            f"{insats.name} ({insats.agare.display_name}): "
            "minst två medlemmar ska delta i en insats.",
            insats.get_absolute_url(),
            "danger",
        )


def _insatser_ending(forbund, today):
    ending = (
        Insats.objects.of(forbund)
        .running()
        .filter(end__gte=today, end__lte=today + datetime.timedelta(days=ENDING_DAYS))
        .select_related("agare")
    )
    for insats in ending:
        yield Attention(
            f"{insats.name} ({insats.agare.display_name}) slutar {insats.end:%Y-%m-%d}; "
            "slutrapport ska lämnas.",
            insats.get_absolute_url(),
            "info",
        )


def _running_without_grant(forbund, today):
    granted = Anslag.objects.of(forbund).filter(year=today.year).values("insats")
    missing = Insats.objects.of(forbund).running().exclude(pk__in=granted).select_related("agare")
    for insats in missing:
        yield Attention(
            f"{insats.name} ({insats.agare.display_name}) pågår men har inget beviljat belopp "
            f"för {today.year}.",
            insats.get_absolute_url(),
        )


def _applications_waiting(forbund, today):
    waiting = (
        Ansokan.objects.of(forbund)
        .filter(
            status__in=[
                Ansokan.Status.INSKICKAD,
                Ansokan.Status.BEREDNING,
                Ansokan.Status.KLAR_FOR_BESLUT,
            ]
        )
        .count()
    )
    if waiting:
        yield Attention(f"{waiting} ansökningar väntar på beredning eller beslut.", "", "info")


def _reports_overdue(forbund, today):
    overdue = (
        Rapport.objects.of(forbund)
        .filter(due_date__lt=today, status__in=[Rapport.Status.DUE, Rapport.Status.UTKAST])
        .count()
    )
    if overdue:
        yield Attention(f"{overdue} rapporter är försenade.", "", "danger")


CHECKS = [
    _next_meeting_notice,
    _budget_for_next_year,
    _missing_contributions,
    _insatser_with_one_member,
    _running_without_grant,
    _insatser_ending,
    _applications_waiting,
    _reports_overdue,
]


def attention(forbund, today):
    return [item for check in CHECKS for item in check(forbund, today)]


# Latest events -----------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    handelse: Handelse
    summary: str  # "Ändrad: Namn, Beviljat belopp 2027"
    url: str  # "" where the object is gone or has no page


# The subjects of events, loaded per kind with what their URLs need: one query a kind.
_SUBJECTS = [
    Medlem.objects.select_related("forbund"),
    Ledamot.objects.select_related("medlem__forbund"),
    Sammantrade.objects.select_related("forbund"),
    Insats.objects.select_related("forbund"),
    Budget.objects.select_related("forbund"),
    Verksamhetsplan.objects.select_related("forbund"),
    Avsnitt.objects.select_related("plan__forbund"),
    Risk.objects.select_related("plan__forbund"),
]


def latest_events(forbund, limit=15):
    """The förbund's latest events, each with what changed and a link to its object."""
    events = (
        Handelse.objects.of(forbund)
        .select_related("user", "subject_type")
        .prefetch_related(GenericPrefetch("subject", [qs.all() for qs in _SUBJECTS]))[:limit]
    )
    return [Event(h, summary(h), _subject_url(h.subject)) for h in events]


def _subject_url(subject):
    """Where the object's history shows to every reader of the start page."""
    if subject is None:
        return ""
    if isinstance(subject, Ledamot):
        return subject.medlem.get_absolute_url()  # a seat's history is on its member's page
    if isinstance(subject, Avsnitt):
        return f"{subject.plan.get_absolute_url()}#avsnitt-{subject.key}"
    if isinstance(subject, Budget):
        return f"{subject.get_absolute_url()}?version={subject.version}"
    if isinstance(subject, Risk):
        return reverse("risk_list", args=[subject.plan.forbund.slug, subject.plan.year])
    get_url = getattr(subject, "get_absolute_url", None)
    return get_url() if get_url else ""
