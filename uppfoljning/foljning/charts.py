"""Charts as SVG, drawn on the server: the same markup in the page and in the PDF.

A chart here is geometry only (bars, labels, target marks in SVG user units);
`templates/uppfoljning/foljning/_chart.html` draws it, with a <title>, and its
figures as a table beside it. The values are the published ones: a hidden
value (``..``) gets no bar, only its label, and no bar gives it away by its
length either.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from .indicators import HIDDEN, SHARE_INDICATORS, I, U

PERCENT_INDICATORS = {*SHARE_INDICATORS, I.ANDEL_STRUKTURMAL}
SHORT_LABELS = {  # beside the bars; the table under the chart has the whole name
    I.ANDEL_ARBETE_STUDIER: "Arbete eller studier",
    I.ANDEL_PLAN: "Plan för rehabilitering",
    I.ANDEL_STRUKTURMAL: "Uppnådda strukturmål",
}
GENDERS = ("women", "men", "total")

WIDTH = 640
LABEL_WIDTH = 190  # the group labels, left of the bars
PLOT_LEFT = LABEL_WIDTH + 10
PLOT_RIGHT = WIDTH - 70  # room for the value label after the longest bar
BAR = 14
GAP = 3
GROUP_GAP = 16
TOP = 34  # the legend
LABEL_CHARS = 30

SERIES = {  # key: (label in the legend, short label at the bar, fill)
    "women": ("Kvinnor", "K", "#6a2c83"),
    "men": ("Män", "M", "#1c6e8c"),
    "total": ("Totalt", "Tot", "#4d4d4d"),
}


@dataclass
class Bar:
    series: str
    x: float
    y: float
    width: float
    text: str  # the value as published, with its series: "K 62 %", "M .."
    fill: str
    text_x: float
    height: int = BAR


@dataclass
class Group:
    label: str  # shortened to fit
    full_label: str
    y: float  # the middle of the group
    values: list  # [(series label, formatted value)], for the table beside the chart
    target: str = ""  # the target formatted, if any
    target_x: float | None = None
    top: float = 0
    bottom: float = 0


@dataclass
class Chart:
    id: str
    title: str
    unit: str  # "procent" or "antal"
    groups: list = field(default_factory=list)
    bars: list = field(default_factory=list)
    ticks: list = field(default_factory=list)  # [(x, label)]
    legend: list = field(default_factory=list)  # [(x, fill, label)]
    height: int = 0
    width: int = WIDTH
    plot_left: int = PLOT_LEFT
    plot_right: int = PLOT_RIGHT
    series_labels: list = field(default_factory=list)

    @property
    def has_target(self):
        return any(g.target for g in self.groups)


def formatted(value, unit):
    """A published figure as text: `62 %`, `1 204`, `..`, `–` (no base)."""
    if value is None or value == "":
        return "–"
    if value == HIDDEN:
        return HIDDEN
    number = f"{int(Decimal(value)):,}".replace(",", "\u00a0")
    return f"{number}\u00a0%" if unit == U.PROCENT else number


def _shorten(text, chars=LABEL_CHARS):
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def bar_chart(*, id, title, unit, groups, series):
    """A horizontal bar chart: `groups` are (label, {series: value}, target or None).

    A label may be a pair (whole name, short name beside the bars).
    """
    numbers = [
        Decimal(v) for _label, values, _t in groups for v in values.values() if _drawn(v)
    ] + [Decimal(t) for _label, _values, t in groups if t is not None]
    top = Decimal(100) if unit == U.PROCENT else max(numbers, default=Decimal(0))
    top = max(top, Decimal(1))
    scale = (PLOT_RIGHT - PLOT_LEFT) / float(top)

    chart = Chart(id=id, title=title, unit=unit, series_labels=[SERIES[s][0] for s in series])
    x = PLOT_LEFT
    for key in series:
        label, _short, fill = SERIES[key]
        chart.legend.append((x, fill, label))
        x += 16 + 9 * len(label) + 18
    y = TOP
    for label, values, target in groups:
        label, short = label if isinstance(label, tuple) else (label, label)
        group = Group(
            label=_shorten(short),
            full_label=label,
            y=0,
            values=[(SERIES[s][0], formatted(values.get(s), unit)) for s in series],
            target=formatted(target, unit) if target is not None else "",
            top=y - GAP,
        )
        for key in series:
            if key not in values:
                continue  # not by gender: the total only
            _label, short, fill = SERIES[key]
            value = values.get(key)
            width = float(Decimal(value)) * scale if _drawn(value) else 0.0
            chart.bars.append(
                Bar(
                    series=key,
                    x=PLOT_LEFT,
                    y=y,
                    width=round(width, 1),
                    text=f"{short} {formatted(value, unit)}",
                    fill=fill,
                    text_x=round(PLOT_LEFT + width + 4, 1),
                )
            )
            y += BAR + GAP
        group.bottom = y
        group.y = round((group.top + y) / 2, 1)
        if target is not None:
            group.target_x = round(PLOT_LEFT + float(Decimal(target)) * scale, 1)
        chart.groups.append(group)
        y += GROUP_GAP
    chart.height = int(y + 22)
    steps = 5
    chart.ticks = [
        (
            round(PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * n / steps, 1),
            formatted(top * n / steps, unit),
        )
        for n in range(steps + 1)
    ]
    return chart


def _drawn(value):
    return value is not None and value != HIDDEN and value != ""


def shares_chart(figures):
    """The plan's share targets (percent) for the förbund: women, men and all, and the target.

    Without such targets in the plan, the key shares themselves, without a target.
    """
    groups = []
    for target in figures.targets:
        shown = target.measurable and target.percent and target.lines
        if shown and target.resultatmal.indicator in PERCENT_INDICATORS:
            cells = target.lines[0].cells
            goal = target.resultatmal.target
            r = target.resultatmal
            label = (
                f"{r.number} {r.get_indicator_display()}",
                f"{r.number} {SHORT_LABELS[r.indicator]}",
            )
            if target.by_gender:
                values = dict(zip(GENDERS, (c.value for c in cells), strict=True))
            else:
                values = {"total": cells[0].value}
            groups.append((label, values, goal))
    if not groups:
        for label, line, _lines in figures.shares:
            values = dict(zip(GENDERS, (c.value for c in line.cells), strict=True))
            groups.append((label, values, None))
    return bar_chart(
        id="diagram-andelar",
        title=f"Andelar för förbundet mot planens målvärden, {figures.period.label}",
        unit=U.PROCENT,
        groups=groups,
        series=["women", "men", "total"],
    )


def participants_chart(figures):
    """Active participants at the period's end per insats, women and men."""
    _label, _forbund, lines = figures.participants[1]
    groups = [
        (line.label, {"women": line.cells[0].value, "men": line.cells[1].value}, None)
        for line in lines
    ]
    return bar_chart(
        id="diagram-deltagare",
        title=f"Aktiva deltagare vid periodens slut per insats och kön, {figures.period.label}",
        unit=U.ANTAL,
        groups=groups,
        series=["women", "men"],
    )


def charts(figures):
    return [shares_chart(figures), participants_chart(figures)]
