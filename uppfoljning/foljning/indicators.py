"""The board's key figures for a förbund and a period, and the plan's result targets met or not.

Only approved reports count, and only those whose period lies in the chosen
one. New and ended participants (and why they ended) add up over the
period's reports; active participants and the structural goals come from
each insats's latest approved report in the period (they are a state, not a
flow). Activities count by their date.

Every figure is aggregated in the database: the number of queries is the
same whatever the number of insatser and reports (`load` asks about ten).
What is published goes through `uppfoljning.rojande`: counts of participants
as grids (the insatser add up to the förbund, women and men to the total),
shares with `rojande.share`. The number of activities and of structural
goals counts no persons and is shown as it is.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum, When
from django.utils import timezone

from budget.models import Resultatmal, Verksamhetsplan
from insatser.models import Insats

from .. import rojande
from ..models import Aktivitet, Deltagarantal, Malbedomning, Rapport, RapportMal

C = Deltagarantal.Category
I = Resultatmal.Indicator  # noqa: E741
U = Resultatmal.Unit
HIDDEN = rojande.HIDDEN

PERIODS = {
    "hittills": "året hittills",
    "h1": "första halvåret",
    "h2": "andra halvåret",
    "ar": "helåret",
}
DEFAULT_PERIOD = "hittills"
# The PDF to the board is for a half-year or a whole year.
PDF_PERIODS = ("h1", "h2", "ar")

REASONS = [C.TILL_ARBETE, C.TILL_STUDIER, C.TILL_ARBETSSOKANDE, C.TILL_REHABPLAN, C.OVRIGT]
WORK_OR_STUDIES = (C.TILL_ARBETE, C.TILL_STUDIER)
ASSESSED = (RapportMal.Bedomning.UPPNATT, RapportMal.Bedomning.DELVIS, RapportMal.Bedomning.EJ)

# Whether a target is met, in words (never in colour only).
UPPNATT, EJ_UPPNATT, KAN_INTE = "uppnatt", "ej_uppnatt", "kan_inte"
STATUS_LABELS = {UPPNATT: "Uppnått", EJ_UPPNATT: "Ej uppnått", KAN_INTE: "Kan inte bedömas"}

SHARE_INDICATORS = {
    I.ANDEL_ARBETE_STUDIER: (WORK_OR_STUDIES, "i arbete eller studier"),
    I.ANDEL_PLAN: ((C.TILL_REHABPLAN,), "med plan för vidare rehabilitering"),
}
DEFAULT_UNIT = {
    I.ANDEL_ARBETE_STUDIER: U.PROCENT,
    I.ANDEL_PLAN: U.PROCENT,
    I.ANDEL_STRUKTURMAL: U.PROCENT,
    I.ANTAL_AKTIVITETER: U.ANTAL,
    I.ANTAL_AKTIVITETSDELTAGARE: U.ANTAL,
}


def current_date():
    return timezone.localdate()


def assessment_period(period):
    """The period kansli assesses a manual target for, seen from `period`.

    Assessments are for the board's periods: a half-year or the year. The year
    so far is assessed as the half-year it ends in (the whole year once it is over).
    """
    if period.key != "hittills":
        return period.key
    if period.end.month == 12 and period.end.day == 31:
        return "ar"
    return "h1" if period.end.month <= 6 else "h2"


@dataclass(frozen=True)
class Period:
    year: int
    key: str
    start: datetime.date
    end: datetime.date

    @classmethod
    def of(cls, year, key, today):
        if key not in PERIODS:
            raise ValueError(key)
        first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        if key == "h1":
            return cls(year, key, first, datetime.date(year, 6, 30))
        if key == "h2":
            return cls(year, key, datetime.date(year, 7, 1), last)
        if key == "hittills":
            return cls(year, key, first, min(today, last))
        return cls(year, key, first, last)

    @property
    def name(self):
        return PERIODS[self.key]

    @property
    def label(self):
        """ "2026, första halvåret (2026-01-01–2026-06-30)"."""
        if self.end < self.start:
            return f"{self.year}, {self.name} (inte påbörjat)"
        return f"{self.year}, {self.name} ({self.start:%Y-%m-%d}–{self.end:%Y-%m-%d})"

    @property
    def slug(self):
        return f"{self.year}-{self.key}"


@dataclass
class Cell:
    """One published figure and, where it is compared with a target, whether it is met."""

    value: object  # an int, a Decimal (percent), HIDDEN, or None (no base)
    status: str | None = None  # UPPNATT, EJ_UPPNATT, KAN_INTE; None: not compared

    @property
    def hidden(self):
        return self.value == HIDDEN

    @property
    def status_label(self):
        return STATUS_LABELS.get(self.status, "")


@dataclass
class Line:
    """A row of a table: the förbund or one insats, with its cells."""

    label: str
    cells: list
    insats: object = None
    owner: str = ""

    @property
    def is_forbund(self):
        return self.insats is None and not self.owner


@dataclass
class Target:
    """One result target of the plan as measured for the period."""

    resultatmal: object
    unit: str = ""
    by_gender: bool = False
    measurable: bool = False
    lines: list = field(default_factory=list)  # the förbund first, then the insatser
    bedomning: object = None  # kansli's Malbedomning, for a manual target
    note: str = ""

    @property
    def manual(self):
        return self.resultatmal.indicator == I.MANUELL

    @property
    def status(self):
        """The förbund's status: its total (or only) cell's."""
        if self.manual:
            if self.bedomning is None or self.bedomning.met is None:
                return KAN_INTE
            return UPPNATT if self.bedomning.met else EJ_UPPNATT
        return self.lines[0].cells[-1].status if self.lines else KAN_INTE

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def percent(self):
        return self.unit == U.PROCENT


def compare(value, target):
    """UPPNATT where `value` reaches `target`; KAN_INTE without a value or a target."""
    if target is None or value is None or value == HIDDEN:
        return KAN_INTE
    return UPPNATT if Decimal(value) >= target else EJ_UPPNATT


def plan_of_year(forbund, year):
    """The year's plan: its adopted or published version, else its draft."""
    draft_last = Case(
        When(status=Verksamhetsplan.Status.UTKAST, then=1), default=0, output_field=IntegerField()
    )
    return (
        Verksamhetsplan.objects.of(forbund).of_year(year).order_by(draft_last, "-version").first()
    )


@dataclass
class Raw:
    """The exact figures, before röjandekontroll; kept away from templates."""

    insatser: list  # with an approved report in the period, by name
    sums: dict  # (insats_id, category) -> [women, men]; new, ended, reasons: the sum
    active: dict  # insats_id -> [women, men], from the latest approved report
    goals: dict  # insats_id -> [reached, assessed], from the latest approved report
    activities: dict  # insats_id or None -> [count, women, men]
    activity_insatser: list  # with an activity in the period, by name

    def pair(self, insats_id, categories):
        women = sum(self.sums.get((insats_id, c), (0, 0))[0] for c in categories)
        men = sum(self.sums.get((insats_id, c), (0, 0))[1] for c in categories)
        return [women, men]

    def total(self, categories):
        pairs = [self.pair(i.pk, categories) for i in self.insatser]
        return [sum(p[0] for p in pairs), sum(p[1] for p in pairs)]


def _load_raw(forbund, period):
    reports = Rapport.objects.of(forbund).filter(
        status=Rapport.Status.GODKAND,
        period_start__gte=period.start,
        period_end__lte=period.end,
    )
    in_period = Q(
        rapport__status=Rapport.Status.GODKAND,
        rapport__period_start__gte=period.start,
        rapport__period_end__lte=period.end,
    )
    latest = (
        reports.filter(insats=OuterRef("rapport__insats"))
        .order_by("-period_end", "-pk")
        .values("pk")[:1]
    )
    counts = Deltagarantal.objects.of(forbund).order_by()
    sums = {
        (row["rapport__insats_id"], row["category"]): [row["w"] or 0, row["m"] or 0]
        for row in counts.filter(in_period)
        .exclude(category=C.AKTIVA)
        .values("rapport__insats_id", "category")
        .annotate(w=Sum("women"), m=Sum("men"))
    }
    active = {
        row["rapport__insats_id"]: [row["w"] or 0, row["m"] or 0]
        for row in counts.filter(category=C.AKTIVA, rapport=Subquery(latest))
        .values("rapport__insats_id")
        .annotate(w=Sum("women"), m=Sum("men"))
    }
    goals = {
        row["rapport__insats_id"]: [row["reached"], row["assessed"]]
        for row in RapportMal.objects.of(forbund)
        .order_by()
        .filter(rapport=Subquery(latest))
        .values("rapport__insats_id")
        .annotate(
            reached=Count("pk", filter=Q(bedomning=RapportMal.Bedomning.UPPNATT)),
            assessed=Count("pk", filter=Q(bedomning__in=ASSESSED)),
        )
    }
    aktiviteter = Aktivitet.objects.of(forbund).filter(date__range=(period.start, period.end))
    activities = {
        row["insats_id"]: [row["n"], row["w"] or 0, row["m"] or 0]
        for row in aktiviteter.order_by()
        .values("insats_id")
        .annotate(n=Count("pk"), w=Sum("participants_women"), m=Sum("participants_men"))
    }
    insatser = list(
        Insats.objects.of(forbund)
        .filter(
            Exists(reports.filter(insats=OuterRef("pk")))
            | Exists(aktiviteter.filter(insats=OuterRef("pk")))
        )
        .annotate(reported=Exists(reports.filter(insats=OuterRef("pk"))))
        .select_related("agare")
        .order_by("name", "pk")
    )
    return Raw(
        insatser=[i for i in insatser if i.reported],
        sums=sums,
        active=active,
        goals=goals,
        activities=activities,
        activity_insatser=[i for i in insatser if i.pk in activities],
    )


def _report_counts(forbund, period):
    """How many of the period's reports are approved, and how many are not (yet)."""
    return (
        Rapport.objects.of(forbund)
        .filter(period_start__gte=period.start, period_end__lte=period.end)
        .aggregate(
            approved=Count("pk", filter=Q(status=Rapport.Status.GODKAND)),
            submitted=Count("pk", filter=Q(status=Rapport.Status.INSKICKAD)),
            not_approved=Count("pk", filter=~Q(status=Rapport.Status.GODKAND)),
        )
    )


# Publishing: röjandekontroll on every count -----------------------------------


def _line(insats, cells):
    return Line(insats.name, cells, insats=insats, owner=insats.agare.display_name)


def _grid_lines(insatser, pairs, extra=None):
    """The förbund's line and each insats's, [women, men, total] as published.

    `pairs` are the insatser's [women, men] (and `extra`'s, a row that is no
    insats, e.g. activities without one); the förbund is their sum.
    """
    rows = [list(p) for p in pairs] + ([list(extra[1])] if extra else [])
    if not rows:
        return Line("Förbundet", [Cell(0), Cell(0), Cell(0)]), []
    g = rojande.grid(rows)
    forbund = Line("Förbundet", [Cell(v) for v in [*g.col_totals, g.total]])
    lines = [
        _line(insats, [Cell(v) for v in row])
        for insats, row in zip(insatser, g.rows(), strict=False)
    ]
    if extra:
        lines.append(Line(extra[0], [Cell(v) for v in g.rows()[-1]], owner="–"))
    return forbund, lines


def _share_cells(count, base):
    """Women's, men's and the total share (percent) as published."""
    return [
        Cell(rojande.share(count[0], base[0])),
        Cell(rojande.share(count[1], base[1])),
        Cell(rojande.share(count[0] + count[1], base[0] + base[1])),
    ]


@dataclass
class KeyFigures:
    """What the follow-up page, its PDF and its Excel show, all of it published."""

    forbund: object
    period: Period
    reports: dict  # approved, submitted, not_approved
    plan: object
    participants: list  # [(category label, förbund Line, [insats Lines])]
    reasons: list  # [Line] per reason, then the sum of ended
    shares: list  # [(label, förbund Line, [insats Lines])], cells women/men/total
    goals: tuple  # (förbund Line, [insats Lines]); cells reached, assessed, share
    activities: tuple  # (förbund Line, [Lines]); cells count, women, men, total
    targets: list  # [Target]


def load(forbund, period):
    raw = _load_raw(forbund, period)
    participants = []
    for label, pairs in [
        ("Nya deltagare", [raw.pair(i.pk, [C.NYA]) for i in raw.insatser]),
        (
            "Aktiva vid periodens slut",
            [raw.active.get(i.pk, [0, 0]) for i in raw.insatser],
        ),
        ("Avslutade deltagare", [raw.pair(i.pk, [C.AVSLUTADE]) for i in raw.insatser]),
    ]:
        participants.append((label, *_grid_lines(raw.insatser, pairs)))

    reason_grid = rojande.grid([raw.total([c]) for c in REASONS])
    reasons = [
        Line(str(c.label), [Cell(v) for v in row])
        for c, row in zip(REASONS, reason_grid.rows(), strict=True)
    ]
    reasons.append(
        Line("Summa avslutade", [Cell(v) for v in [*reason_grid.col_totals, reason_grid.total]])
    )

    shares = []
    for categories, label in SHARE_INDICATORS.values():
        forbund_line = Line(
            "Förbundet", _share_cells(raw.total(categories), raw.total([C.AVSLUTADE]))
        )
        lines = [
            _line(i, _share_cells(raw.pair(i.pk, categories), raw.pair(i.pk, [C.AVSLUTADE])))
            for i in raw.insatser
        ]
        shares.append((f"Andel avslutade {label}", forbund_line, lines))

    goal_lines = []
    reached_all = assessed_all = 0
    for insats in raw.insatser:
        if insats.pk in raw.goals:
            reached, assessed = raw.goals[insats.pk]
            reached_all, assessed_all = reached_all + reached, assessed_all + assessed
            goal_lines.append(_line(insats, _goal_cells(reached, assessed)))
    goals = (Line("Förbundet", _goal_cells(reached_all, assessed_all)), goal_lines)

    without = raw.activities.get(None)
    act_forbund, act_lines = _grid_lines(
        raw.activity_insatser,
        [raw.activities[i.pk][1:] for i in raw.activity_insatser],
        extra=("Utan insats", without[1:]) if without else None,
    )
    counts = [raw.activities[i.pk][0] for i in raw.activity_insatser]
    counts += [without[0]] if without else []
    act_forbund.cells.insert(0, Cell(sum(counts)))
    for line, count in zip(act_lines, counts, strict=True):
        line.cells.insert(0, Cell(count))

    plan = plan_of_year(forbund, period.year)
    figures = KeyFigures(
        forbund=forbund,
        period=period,
        reports=_report_counts(forbund, period),
        plan=plan,
        participants=participants,
        reasons=reasons,
        shares=shares,
        goals=goals,
        activities=(act_forbund, act_lines),
        targets=[],
    )
    figures.targets = _targets(forbund, period, plan, raw, figures)
    return figures


def _goal_cells(reached, assessed):
    share = (Decimal(reached) * 100 / assessed).quantize(Decimal(1)) if assessed else None
    return [Cell(reached), Cell(assessed), Cell(share)]


# The plan's result targets ---------------------------------------------------------


def _targets(forbund, period, plan, raw, figures):
    if plan is None:
        return []
    resultatmal = list(Resultatmal.objects.of(forbund).filter(mal__plan=plan).select_related("mal"))
    manual = [r.pk for r in resultatmal if r.indicator == I.MANUELL]
    bedomningar = {}
    if manual:
        rows = Malbedomning.objects.of(forbund).filter(resultatmal__in=manual)
        if period.key == "hittills":
            # The latest assessment begun in the year so far: this half-year's, say.
            rows = rows.filter(period_start__gte=period.start, period_start__lte=period.end)
        else:
            rows = rows.filter(period_start=period.start, period_end=period.end)
        for b in rows.order_by("period_end", "period_start"):
            bedomningar[b.resultatmal_id] = b  # the last one of each target wins
    return [_target(r, raw, figures, bedomningar.get(r.pk)) for r in resultatmal]


def _target(resultatmal, raw, figures, bedomning):
    indicator = resultatmal.indicator
    if indicator == I.MANUELL:
        return Target(resultatmal, bedomning=bedomning)
    unit = resultatmal.unit or DEFAULT_UNIT.get(indicator, "")
    target = Target(resultatmal, unit=unit, measurable=True)
    goal = resultatmal.target

    if indicator in SHARE_INDICATORS:
        categories, _label = SHARE_INDICATORS[indicator]
        target.by_gender = True
        if unit == U.PROCENT:
            forbund_line = Line(
                "Förbundet", _share_cells(raw.total(categories), raw.total([C.AVSLUTADE]))
            )
            lines = [
                _line(i, _share_cells(raw.pair(i.pk, categories), raw.pair(i.pk, [C.AVSLUTADE])))
                for i in raw.insatser
            ]
            target.lines = _compared([forbund_line, *lines], goal, every_line=True)
        else:  # a number of ended participants in work or studies, say
            forbund_line, lines = _grid_lines(
                raw.insatser, [raw.pair(i.pk, categories) for i in raw.insatser]
            )
            target.lines = _compared([forbund_line, *lines], goal, every_line=False)
    elif indicator == I.ANDEL_STRUKTURMAL:
        forbund_line, lines = figures.goals
        pick = 2 if unit == U.PROCENT else 0  # the share, or the number reached
        target.lines = _compared(
            [
                Line(x.label, [Cell(x.cells[pick].value)], x.insats, x.owner)
                for x in [forbund_line, *lines]
            ],
            goal,
            every_line=unit == U.PROCENT,
        )
        target.note = "Bedömda mål i insatsernas senaste godkända rapport under perioden."
    elif indicator == I.ANTAL_AKTIVITETER:
        forbund_line, lines = figures.activities
        target.lines = _compared(
            [
                Line(x.label, [Cell(x.cells[0].value)], x.insats, x.owner)
                for x in [forbund_line, *lines]
            ],
            goal if unit == U.ANTAL else None,
            every_line=False,
        )
    elif indicator == I.ANTAL_AKTIVITETSDELTAGARE:
        target.by_gender = True
        forbund_line, lines = figures.activities
        target.lines = _compared(
            [
                Line(x.label, [Cell(c.value) for c in x.cells[1:]], x.insats, x.owner)
                for x in [forbund_line, *lines]
            ],
            goal if unit == U.ANTAL else None,
            every_line=False,
        )
    return target


def _compared(lines, goal, *, every_line):
    """The lines with their cells compared to the target.

    A share is compared on every line and for women, men and all (the target
    holds for each). A number is the förbund's: only its total is compared.
    """
    result = []
    for n, line in enumerate(lines):
        cells = []
        for k, c in enumerate(line.cells):
            compared = every_line or (n == 0 and k == len(line.cells) - 1)
            cells.append(Cell(c.value, compare(c.value, goal) if compared else None))
        result.append(Line(line.label, cells, line.insats, line.owner))
    return result
