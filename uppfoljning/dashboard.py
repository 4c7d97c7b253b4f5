"""What needs the kansli's attention on the start page.

Each check is a small function of an `Overview` (what the start page fetches
once: the next meeting, the members, the open insatser, this and next year's
budgets) returning the items it finds; `attention(...)` runs them all.
The page asks the same number of queries whatever the förbund's size.
"""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Count, Exists, F, Func, OuterRef, Q, Subquery
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


@dataclass
class Overview:
    """What the kansli's start page and its checks share, each fetched once.

    `medlemmar` carry `contribution` (this year's amount, or None); `open_insatser` (not
    ended) carry their owner, `others` (taking-part members besides the owner)
    and `granted` (whether this year has a grant).
    """

    forbund: object
    today: datetime.date
    next_meeting: object
    medlemmar: list
    open_insatser: list
    budgets: dict  # year -> the year's latest budget, for this year and the next
    figures: dict  # waiting applications, overdue reports, this year's granted total

    @classmethod
    def load(cls, forbund, today, next_meeting):
        year = today.year
        paid = Medlemsavgift.objects.filter(medlem=OuterRef("pk"), year=year).values("amount")
        granted = Anslag.objects.filter(insats=OuterRef("pk"), year=year)
        insatser = (
            Insats.objects.of(forbund)
            .exclude(status=Insats.Status.AVSLUTAD)
            .annotate(
                others=Count("deltagare", filter=~Q(deltagare=F("agare"))),
                granted=Exists(granted),
            )
            .select_related("agare")
        )
        budgets = {}
        for budget in Budget.objects.of(forbund).filter(year__in=[year, year + 1]):
            budgets.setdefault(budget.year, budget)  # newest version first
        return cls(
            figures=_figures(forbund, today),
            forbund=forbund,
            today=today,
            next_meeting=next_meeting,
            medlemmar=list(Medlem.objects.of(forbund).annotate(contribution=Subquery(paid[:1]))),
            open_insatser=list(insatser),
            budgets=budgets,
        )

    @property
    def running(self):
        return [i for i in self.open_insatser if i.status == Insats.Status.PAGAENDE]


def _scalar(rows, function, field="pk"):
    """One figure from rows of the förbund (`OuterRef("pk")`), as a subquery."""
    return Subquery(rows.order_by().annotate(x=Func(field, function=function)).values("x"))


def _figures(forbund, today):
    """Three of the page's figures in one query."""
    waiting = Ansokan.objects.filter(
        forbund=OuterRef("pk"),
        status__in=[
            Ansokan.Status.INSKICKAD,
            Ansokan.Status.BEREDNING,
            Ansokan.Status.KLAR_FOR_BESLUT,
        ],
    )
    overdue = Rapport.objects.filter(
        insats__forbund=OuterRef("pk"),
        due_date__lt=today,
        status__in=[Rapport.Status.DUE, Rapport.Status.UTKAST, Rapport.Status.ATERFORVISAD],
    )
    granted = Anslag.objects.filter(insats__forbund=OuterRef("pk"), year=today.year)
    return (
        type(forbund)
        .objects.filter(pk=forbund.pk)
        .values(
            waiting=_scalar(waiting, "COUNT"),
            overdue=_scalar(overdue, "COUNT"),
            granted=_scalar(granted, "SUM", "amount"),
        )
        .get()
    )


def _next_meeting_notice(overview):
    meeting, today = overview.next_meeting, overview.today
    if (
        meeting
        and meeting.status == Sammantrade.Status.PLANERAT
        and meeting.date <= today + datetime.timedelta(days=NOTICE_DAYS)
    ):
        yield Attention(
            f"Kallelsen till sammanträdet {meeting.date:%Y-%m-%d} är inte skickad.",
            meeting.get_absolute_url(),
        )


def _budget_for_next_year(overview):
    if overview.today.month < 9:
        return
    year = overview.today.year + 1
    if year not in overview.budgets:
        yield Attention(
            f"Budget för {year} är inte påbörjad; styrelsen fastställer den i november.",
            reverse("budget_index", args=[overview.forbund.slug]),
        )


def _missing_contributions(overview):
    year = overview.today.year
    missing = sum(m.contribution is None for m in overview.medlemmar)
    if missing:
        yield Attention(
            f"{missing} medlemmar saknar medlemsavgift för {year}.",
            reverse("medlemsavgifter_edit", args=[overview.forbund.slug, year]),
        )


def _insatser_with_one_member(overview):
    for insats in overview.open_insatser:
        if insats.others == 0:
            yield Attention(
                f"{insats.name} ({insats.agare.display_name}): "
                "minst två medlemmar ska delta i en insats.",
                insats.get_absolute_url(),
                "danger",
            )


def _insatser_ending(overview):
    today = overview.today
    last = today + datetime.timedelta(days=ENDING_DAYS)
    for insats in overview.running:
        if insats.end and today <= insats.end <= last:
            yield Attention(
                f"{insats.name} ({insats.agare.display_name}) slutar {insats.end:%Y-%m-%d}; "
                "slutrapport ska lämnas.",
                insats.get_absolute_url(),
                "info",
            )


def _running_without_grant(overview):
    for insats in overview.running:
        if not insats.granted:
            yield Attention(
                f"{insats.name} ({insats.agare.display_name}) pågår men har inget beviljat "
                f"belopp för {overview.today.year}.",
                insats.get_absolute_url(),
            )


def _applications_waiting(overview):
    if waiting := overview.figures["waiting"]:
        url = reverse("ansokan_list", args=[overview.forbund.slug])
        yield Attention(f"{waiting} ansökningar väntar på beredning eller beslut.", url, "info")


def _reports_overdue(overview):
    if overdue := overview.figures["overdue"]:
        url = reverse("rapport_late_list", args=[overview.forbund.slug])
        yield Attention(f"{overdue} rapporter är försenade.", url, "danger")


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


def attention(forbund, today, overview=None):
    if overview is None:
        meeting = Sammantrade.objects.of(forbund).upcoming(today).first()
        overview = Overview.load(forbund, today, meeting)
    return [item for check in CHECKS for item in check(overview)]


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
