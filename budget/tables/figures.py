"""The figures and rows of a budget table: what the builder (build.py) fills in."""

from dataclasses import dataclass, field, replace
from decimal import Decimal

from finsam.templatetags.finsam import belopp

from ..models import Budget, Budgetrad

ZERO = Decimal("0")


@dataclass(frozen=True)
class Figures:
    """Budget, outcome so far and forecast of a line or a sum."""

    budget: Decimal = ZERO
    outcome: Decimal = ZERO
    forecast: Decimal = ZERO

    def __add__(self, other):
        return Figures(
            self.budget + other.budget,
            self.outcome + other.outcome,
            self.forecast + other.forecast,
        )

    def __sub__(self, other):
        return Figures(
            self.budget - other.budget,
            self.outcome - other.outcome,
            self.forecast - other.forecast,
        )


def _total(lines):
    return sum((x.figures for x in lines), Figures())


@dataclass(frozen=True)
class Row:
    """One printed row. `style` is the CSS class of the row in `table-belopp`:
    rubrik, rad, kolumnrubrik, underrubrik, summa, slutsumma.

    `outcome` and `forecast` are the Utfall and Prognos columns (None: an
    empty cell); `forecast_from_budget` marks a forecast nobody typed, where
    the budget figure stands in."""

    label: str
    amount: Decimal | None = None
    owner: str = ""
    style: str = "rad"
    level: int = 0
    outcome: Decimal | None = None
    forecast: Decimal | None = None
    forecast_from_budget: bool = False
    published: Decimal | None = None  # the figure as published/adopted, where one is recorded
    section: str = ""  # intakt, kostnad or "" (the closing lines)

    @property
    def differs(self):
        return self.published is not None and self.published != self.amount

    @property
    def printed(self):
        """The figure an adopted budget's PDF prints: as adopted where recorded."""
        return self.amount if self.published is None else self.published

    @classmethod
    def of(cls, line, owner="", level=1):
        return cls(
            line.name,
            line.amount,
            owner=owner,
            level=level,
            outcome=line.outcome,
            forecast=line.figures.forecast,
            forecast_from_budget=line.forecast is None,
        )

    @classmethod
    def total(cls, label, figures, style="summa", level=0, published=None):
        return cls(
            label,
            figures.budget,
            style=style,
            level=level,
            outcome=figures.outcome,
            forecast=figures.forecast,
            published=published,
        )

    def signed(self, sign):
        """The row as printed with the costs' sign (-1: costs with a minus)."""
        if sign == 1:
            return self

        def flip(value):
            return None if value is None else -value

        return replace(
            self,
            amount=flip(self.amount),
            outcome=flip(self.outcome),
            forecast=flip(self.forecast),
            published=flip(self.published),
        )


@dataclass(frozen=True)
class Difference:
    """A published/adopted figure that is not the sum of its parts."""

    place: str  # the row's label
    published: Decimal  # as stored: costs without a sign
    computed: Decimal
    adopted: bool  # the budget is adopted: "fastställda", else "publicerade"
    closing: bool = False  # a closing line: computed from the table, not summed
    sign: int = 1  # -1: a cost in a table that prints costs with a minus

    @property
    def difference(self):
        return self.computed - self.published

    def text(self, unit):
        """In words a board member reads: "S:a kostnader: I den fastställda budgeten står
        2 450 tkr; raderna summerar till 2 440 tkr, 10 tkr mindre."."""
        which = "fastställda" if self.adopted else "publicerade"
        diff_unit = unit if belopp(abs(self.difference), unit) not in ("0", "-0") else "kr"
        more = "mer" if self.difference > 0 else "mindre"
        parts = "räknat ur raderna blir det" if self.closing else "raderna summerar till"
        published, computed = self.sign * self.published, self.sign * self.computed
        return (
            f"{self.place}: I den {which} budgeten står {belopp(published, unit)} {unit}; "
            f"{parts} {belopp(computed, unit)} {unit}, "
            f"{belopp(abs(self.difference), diff_unit)} {diff_unit} {more}."
        )


class _HasFigures:
    @property
    def figures(self):
        forecast = self.amount if self.forecast is None else self.forecast
        return Figures(self.amount, self.outcome or ZERO, forecast)


@dataclass(frozen=True)
class Line(_HasFigures):
    name: str
    amount: Decimal
    budgetrad: Budgetrad | None = None
    outcome: Decimal | None = None
    forecast: Decimal | None = None


@dataclass(frozen=True)
class InsatsLine(_HasFigures):
    """A grant of the year; its outcome is the sum of the insats's approved claims."""

    name: str
    owner: str
    amount: Decimal
    insats_id: int
    outcome: Decimal | None = None
    forecast = None  # a grant's forecast is the grant


@dataclass
class BudgetTable:
    budget: Budget
    income_lines: list[Line] = field(default_factory=list)
    cost_lines: list[Line] = field(default_factory=list)  # outside Samverkansinsatser
    insatser_lines: list[Line] = field(default_factory=list)  # typed lines of group insatser
    insats_lines: list[InsatsLine] = field(default_factory=list)  # the year's grants
    ovriga_lines: list[Line] = field(default_factory=list)
    ej_beslutade_lines: list[Line] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    medlemsavgifter_total: Decimal = ZERO
    members: int = 0
    members_with_contribution: int = 0
    has_medlemsavgifter_line: bool = False
    has_insatser_line: bool = False
    has_outcome: bool = False  # any typed outcome or forecast, or any approved claim

    income_total: Decimal = ZERO
    insatser_total: Decimal = ZERO
    ovriga_total: Decimal = ZERO
    ej_beslutade_total: Decimal = ZERO
    samverkan_total: Decimal = ZERO
    cost_total: Decimal = ZERO
    result: Decimal = ZERO
    previous_surplus: Decimal = ZERO
    forecast_previous_year: Decimal | None = None  # None: no forecast given, the line left out
    remaining: Decimal = ZERO
    contributions: Decimal = ZERO  # the income lines of group Medlemsavgifter
    # Income lines of group Eget kapital: equity the budget spends, already part of
    # the opening equity, so counted once (in the result) and not again.
    equity_used: Figures = field(default_factory=Figures)

    income: Figures = field(default_factory=Figures)
    costs: Figures = field(default_factory=Figures)
    result_figures: Figures = field(default_factory=Figures)
    remaining_forecast: Decimal = ZERO
    differences: list[Difference] = field(default_factory=list)
    costs_negative: bool = False

    @property
    def forecast_label(self):
        year = self.budget.year - 1
        if self.forecast_previous_year is None:
            return f"Prognostiserat resultat {year}"
        if self.forecast_previous_year > 0:
            return f"Prognostiserat överskott {year}"
        if self.forecast_previous_year < 0:
            return f"Prognostiserat underskott {year}"
        return f"Prognostiserat resultat {year}"

    @property
    def has_published(self):
        """Whether any sum line has a figure as published/adopted beside it."""
        return any(r.published is not None for r in self.rows)

    def difference_texts(self, unit):
        """Each published figure that is not the sum of its parts, in words, in `unit`."""
        return [d.text(unit) for d in self.differences]

    @property
    def medlemsavgifter_warning(self):
        """A Swedish warning when the year's contributions are (partly) missing."""
        if not self.has_medlemsavgifter_line or not self.members:
            return ""
        year = self.budget.year
        if self.members_with_contribution == 0:
            return (
                f"Medlemsavgifterna för {year} är inte inlagda: raden Medlemsavgifter "
                "visar 0 tills de förs in."
            )
        missing = self.members - self.members_with_contribution
        if missing:
            return (
                f"{missing} av {self.members} medlemmar saknar medlemsavgift för {year}; "
                "raden Medlemsavgifter räknar bara med de inlagda."
            )
        return ""

    @property
    def equity(self):
        """Eget kapital vid årets slut: the opening equity (earlier surplus and last year's
        forecast) and the year's result, less the equity the result takes in as income."""
        return self.remaining

    @property
    def equity_ceiling_percent(self):
        return self.budget.forbund.equity_ceiling_percent

    @property
    def equity_ceiling_percent_text(self):
        return percent(self.equity_ceiling_percent)

    @property
    def equity_ceiling(self):
        """The förbund's ceiling: its percentage of the year's contributions."""
        return self.contributions * self.equity_ceiling_percent / 100

    @property
    def equity_above_ceiling(self):
        return self.contributions > 0 and self.equity > self.equity_ceiling

    def equity_warning(self, unit):
        """A Swedish warning when the equity at year end is above the ceiling or below zero."""
        if self.equity < 0:
            return (
                f"Eget kapital vid årets slut blir negativt ({belopp(self.equity, unit)} "
                f"{unit}): budgeten förbrukar mer än förbundets kapital."
            )
        if not self.equity_above_ceiling:
            return ""
        return (
            f"Eget kapital {belopp(self.equity, unit)} {unit} överstiger taket "
            f"{percent(self.equity_ceiling_percent)} % av medlemsavgifterna "
            f"({belopp(self.equity_ceiling, unit)} {unit})."
        )


def percent(value):
    """A percentage as Swedish text without needless decimals: 20, 12,5, 6,4512."""
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")
