"""The budget table and the contribution split, computed from their parts.

`budget_table(budget)` gives every figure of the budget table the way the
förbund's plan prints it (INTÄKTER, KOSTNADER, the insatser by name and owner,
the result and what remains to decide on), in Decimal kronor, in three
queries whatever the number of lines and insatser: the lines, the members'
contributions for the year, the year's grants with their insats, owner and
approved payment claims. Pages, the PDF, the Excel file and the start page
render `table.rows`; tests and summaries read the totals.

Beside the budget each row carries the outcome so far (utfall: the approved
claims of an insats, typed figures on other lines) and the forecast for the
year (prognos: typed, else the budget figure itself).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum

from finsam.models import Medlem
from finsam.sorting import swedish_key
from finsam.templatetags.finsam import belopp
from insatser.models import Anslag, Insats, Rekvisition

from .models import Budget, Budgetrad

ZERO = Decimal("0")
Group = Budgetrad.Group
Source = Budgetrad.Source

SAMVERKAN_GROUPS = (Group.INSATSER, Group.OVRIGA_SAMVERKANSINSATSER, Group.EJ_BESLUTADE)


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
    def total(cls, label, figures, style="summa", level=0):
        return cls(
            label,
            figures.budget,
            style=style,
            level=level,
            outcome=figures.outcome,
            forecast=figures.forecast,
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
    forecast_previous_year: Decimal = ZERO
    remaining: Decimal = ZERO
    contributions: Decimal = ZERO  # the income lines of group Medlemsavgifter
    # Income lines of group Eget kapital: equity the budget spends, already part of
    # the opening equity, so counted once (in the result) and not again.
    equity_used: Figures = field(default_factory=Figures)

    income: Figures = field(default_factory=Figures)
    costs: Figures = field(default_factory=Figures)
    result_figures: Figures = field(default_factory=Figures)
    remaining_forecast: Decimal = ZERO

    @property
    def forecast_label(self):
        year = self.budget.year - 1
        if self.forecast_previous_year > 0:
            return f"Prognostiserat överskott {year}"
        if self.forecast_previous_year < 0:
            return f"Prognostiserat underskott {year}"
        return f"Prognostiserat resultat {year}"

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


def budget_remaining(budget, members, granted):
    """`budget_table(budget, members).remaining`, the start page's figure, without
    reading the year's grants one by one: `granted` is their total, which the page
    has already. An adopted budget counts with the amounts it was adopted with.
    """
    frozen = budget.frozen_sources
    if frozen is not None:
        names = frozen.get("namn", {})
        if any(pk not in names for pk in frozen["anslag"]):
            # Adopted before the names were kept: the table may leave a grant out.
            return budget_table(budget, members).remaining
        granted = sum((Decimal(amount) for amount in frozen["anslag"].values()), ZERO)
    total = InsatsLine("", "", granted or ZERO, 0)
    return budget_table(budget, members, grants=[total]).remaining


def budget_table(budget, members=None, grants=None):
    """Every figure of the budget's table, from its lines and the database.

    `members`, if the page has them already: the förbund's members, each with
    `contribution`, its amount for the budget's year or None; then they are not
    counted again. `grants` (InsatsLines), where the caller knows them, for the
    year's grants otherwise read from the database.
    """
    table = BudgetTable(
        budget=budget,
        previous_surplus=budget.previous_surplus,
        forecast_previous_year=budget.forecast_previous_year,
    )
    lines = list(Budgetrad.objects.filter(budget=budget).order_by("order", "pk"))
    table.has_medlemsavgifter_line = any(r.source == Source.MEDLEMSAVGIFTER for r in lines)
    table.has_insatser_line = any(r.source == Source.INSATSER for r in lines)

    year = budget.year
    frozen = budget.frozen_sources  # an adopted budget counts with the amounts it was adopted with
    if table.has_medlemsavgifter_line:
        if members is None:
            _load_contributions(table, budget.forbund_id, year)
        else:
            _count_contributions(table, members)
        if frozen:
            table.medlemsavgifter_total = Decimal(frozen["medlemsavgifter"])
    if not table.has_insatser_line:
        grants = []
    elif grants is None:
        grants = _load_grants(budget.forbund_id, year, frozen)
    table.has_outcome = any(
        r.source != Source.INSATSER and (r.outcome is not None or r.forecast is not None)
        for r in lines
    ) or any(g.outcome is not None for g in grants)

    income_rows, cost_rows = [], []
    samverkan_at = None  # where the Samverkansinsatser block goes among the cost rows
    for rad in lines:
        if rad.group in SAMVERKAN_GROUPS:
            if samverkan_at is None:
                samverkan_at = len(cost_rows)
            _add_samverkan_line(table, rad, grants)
            continue
        line = _line(table, rad, grants)
        if rad.section == Budgetrad.Section.INTAKT:
            table.income_lines.append(line)
            income_rows.append(Row.of(line))
            if rad.group == Group.MEDLEMSAVGIFTER:
                table.contributions += line.amount
            elif rad.group == Group.EGET_KAPITAL:
                table.equity_used = table.equity_used + line.figures
        else:
            table.cost_lines.append(line)
            cost_rows.append(Row.of(line))

    insatser = _total(table.insatser_lines) + _total(table.insats_lines)
    ovriga = _total(table.ovriga_lines)
    ej_beslutade = _total(table.ej_beslutade_lines)
    samverkan = insatser + ovriga + ej_beslutade
    table.income = _total(table.income_lines)
    table.costs = _total(table.cost_lines) + samverkan
    table.result_figures = table.income - table.costs

    table.insatser_total = insatser.budget
    table.ovriga_total = ovriga.budget
    table.ej_beslutade_total = ej_beslutade.budget
    table.samverkan_total = samverkan.budget
    table.income_total = table.income.budget
    table.cost_total = table.costs.budget
    table.result = table.result_figures.budget
    # The opening equity already holds the equity used as income: only the rest of
    # the result adds to it (or takes from it).
    earlier = table.previous_surplus + table.forecast_previous_year
    table.remaining = table.result - table.equity_used.budget + earlier
    table.remaining_forecast = table.result_figures.forecast - table.equity_used.forecast + earlier

    if samverkan_at is not None:
        cost_rows[samverkan_at:samverkan_at] = _samverkan_rows(table, insatser, ovriga, samverkan)
    table.rows = [
        Row("Intäkter", style="rubrik"),
        *income_rows,
        Row.total("S:a intäkter", table.income),
        Row("Kostnader", style="rubrik"),
        *cost_rows,
        Row.total("S:a kostnader", table.costs),
        Row.total("Årets beräknade resultat", table.result_figures),
        Row(
            "Över-/underskott från tidigare år",
            table.previous_surplus,
            forecast=table.previous_surplus,
        ),
        Row(
            table.forecast_label,
            table.forecast_previous_year,
            forecast=table.forecast_previous_year,
        ),
        Row(
            "Kvarvarande beslutsutrymme",
            table.remaining,
            style="slutsumma",
            forecast=table.remaining_forecast,
        ),
    ]
    return table


def _load_contributions(table, forbund_id, year):
    this_year = Q(avgifter__year=year)
    figures = Medlem.objects.of(forbund_id).aggregate(
        members=Count("pk", distinct=True),
        paying=Count("avgifter", filter=this_year),
        total=Sum("avgifter__amount", filter=this_year),
    )
    table.members = figures["members"]
    table.members_with_contribution = figures["paying"]
    table.medlemsavgifter_total = figures["total"] or ZERO


def _count_contributions(table, members):
    """As `_load_contributions`, from members already fetched (one contribution a year each)."""
    amounts = [m.contribution for m in members if m.contribution is not None]
    table.members = len(members)
    table.members_with_contribution = len(amounts)
    table.medlemsavgifter_total = sum(amounts, ZERO)


def _load_grants(forbund_id, year, frozen=None):
    """The year's grants, each with the approved claims of its insats whose period ends
    in the year, in one query.

    `frozen` is an adopted budget's `frozen_sources`: its grants ({insats id:
    amount}) and the insatser's and owners' names as they were adopted; the
    insatser are then read for their outcome only (and for the names of a
    budget adopted before the names were kept).
    """
    # Plain values, not model instances: a national förbund has dozens of grants a year.
    if frozen is not None:
        amounts, names = frozen["anslag"], frozen.get("namn", {})
        insatser = {
            pk: (name, short_name or owner, outcome)
            for pk, name, short_name, owner, outcome in Insats.objects.of(forbund_id)
            .filter(pk__in=[int(pk) for pk in amounts])
            .annotate(outcome=_approved_claims(year, OuterRef("pk")))
            .values_list("pk", "name", "agare__short_name", "agare__name", "outcome")
        }
        grants = []
        for pk, amount in amounts.items():
            insats = insatser.get(int(pk))
            text = names.get(pk)
            if text is None and insats is None:
                continue  # neither a kept name nor the insats: nothing to show it by
            name = text["insats"] if text else insats[0]
            owner = text["agare"] if text else insats[1]
            outcome = insats[2] if insats else None
            grants.append(InsatsLine(name, owner, Decimal(amount), int(pk), outcome))
    else:
        anslag = (
            Anslag.objects.of(forbund_id)
            .of_year(year)
            .annotate(outcome=_approved_claims(year, OuterRef("insats")))
            .values_list(
                "insats__name",
                "insats__agare__short_name",
                "insats__agare__name",
                "amount",
                "insats_id",
                "outcome",
            )
        )
        grants = [
            InsatsLine(name, short_name or owner, amount, insats_id, outcome)
            for name, short_name, owner, amount, insats_id, outcome in anslag
        ]
    grants.sort(key=lambda g: (swedish_key(g.owner), g.insats_id))
    return grants


def _approved_claims(year, insats):
    approved = (
        Rekvisition.objects.filter(
            insats=insats,
            status=Rekvisition.Status.GODKAND,
            period_end__year=year,
        )
        .order_by()
        .values("insats")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Subquery(approved, output_field=DecimalField(max_digits=14, decimal_places=2))


def _line(table, rad, grants):
    if rad.source == Source.MEDLEMSAVGIFTER:
        amount = table.medlemsavgifter_total
    elif rad.source == Source.INSATSER:
        amount = sum((g.amount for g in grants), ZERO)
    else:
        amount = rad.amount
    return Line(rad.name, amount, rad, outcome=rad.outcome, forecast=rad.forecast)


def _add_samverkan_line(table, rad, grants):
    if rad.source == Source.INSATSER:
        table.insats_lines.extend(grants)
        return
    line = _line(table, rad, grants)
    if rad.group == Group.INSATSER:
        table.insatser_lines.append(line)
    elif rad.group == Group.OVRIGA_SAMVERKANSINSATSER:
        table.ovriga_lines.append(line)
    else:
        table.ej_beslutade_lines.append(line)


def _samverkan_rows(table, insatser, ovriga, samverkan):
    rows = [Row.total(str(Group.INSATSER.label), samverkan, style="rad", level=1)]
    if table.insats_lines or table.insatser_lines:
        if table.insats_lines:
            rows.append(Row("Namn på insats", owner="Insatsägare", style="kolumnrubrik", level=2))
            rows += [Row.of(g, owner=g.owner, level=2) for g in table.insats_lines]
        rows += [Row.of(x, level=2) for x in table.insatser_lines]
        rows.append(Row.total("S:a samverkansinsatser", insatser, level=2))
    if table.ovriga_lines:
        rows.append(Row("Övriga samverkansinsatser", style="underrubrik", level=2))
        rows += [Row.of(x, level=2) for x in table.ovriga_lines]
        rows.append(Row.total("S:a övr samverkansinsatser", ovriga, level=2))
    rows += [Row.of(x, level=2) for x in table.ej_beslutade_lines]
    return rows


@dataclass(frozen=True)
class SplitPart:
    """One payer group of the law's split: its amount and the share it should pay."""

    label: str
    amount: Decimal
    expected_share: Decimal
    total: Decimal

    TOLERANCE = Decimal("1")

    @property
    def expected_amount(self):
        return self.total * self.expected_share

    @property
    def share(self):
        return self.amount / self.total if self.total else ZERO

    @property
    def ok(self):
        return abs(self.amount - self.expected_amount) <= self.TOLERANCE

    @property
    def share_percent(self):
        """The actual share as Swedish text with one decimal: "51,1"."""
        return f"{self.share * 100:.1f}".replace(".", ",")

    @property
    def expected_percent(self):
        return f"{self.expected_share * 100:.0f}"

    @property
    def warning(self):
        """A Swedish sentence where the part breaks the law's split, else ""."""
        if self.ok or not self.total:
            return ""
        return (
            f"{self.label} ska enligt lagen betala {self.expected_percent} % av "
            f"{belopp(self.total, 'kr')} kr, alltså {belopp(self.expected_amount, 'kr')} kr, "
            f"men betalar {belopp(self.amount, 'kr')} kr ({self.share_percent} %)."
        )


@dataclass(frozen=True)
class ContributionSplit:
    total: Decimal
    parts: list[SplitPart]

    @property
    def ok(self):
        return all(p.ok for p in self.parts)


def contribution_split(avgifter):
    """The law's split of the contributions: state 50 %, region 25 %, kommuner 25 %.

    `avgifter` are Medlemsavgift rows of one year with `medlem` loaded.
    """
    sums = {"state": ZERO, "region": ZERO, "kommun": ZERO}
    for avgift in avgifter:
        kind = avgift.medlem.kind
        key = "state" if kind in Medlem.STATE_KINDS else kind
        sums[key] += avgift.amount
    total = sum(sums.values(), ZERO)
    labels = {
        "state": ("Staten (Försäkringskassan och Arbetsförmedlingen)", Decimal("0.50")),
        "region": ("Regionen", Decimal("0.25")),
        "kommun": ("Kommunerna", Decimal("0.25")),
    }
    return ContributionSplit(
        total=total,
        parts=[SplitPart(label, sums[key], share, total) for key, (label, share) in labels.items()],
    )


@dataclass(frozen=True)
class KeyShare:
    """A kommun's contribution against its share by the förbund's key."""

    medlem: Medlem
    key_share: Decimal | None  # percent of the kommuner's part
    amount: Decimal
    kommuner_total: Decimal

    # A key share is kept to four decimals of a percent, so the amount it gives
    # is exact only to ±0.00005 % of the kommuner's part; whole kronor add 1 kr.
    KEY_PRECISION = Decimal("0.0000005")

    @property
    def tolerance(self):
        return Decimal("1") + self.kommuner_total * self.KEY_PRECISION

    @property
    def key_share_text(self):
        return "" if self.key_share is None else percent(self.key_share)

    @property
    def expected_amount(self):
        return self.kommuner_total * (self.key_share or ZERO) / 100

    @property
    def difference(self):
        return self.amount - self.expected_amount

    @property
    def ok(self):
        return abs(self.difference) <= self.tolerance

    @property
    def warning(self):
        if self.ok:
            return ""
        name = self.medlem.name
        if self.key_share is None:
            return (
                f"{name} har ingen andel i fördelningsnyckeln men betalar "
                f"{belopp(self.amount, 'kr')} kr."
            )
        return (
            f"{name} ska enligt fördelningsnyckeln betala {percent(self.key_share)} % av "
            f"kommunernas {belopp(self.kommuner_total, 'kr')} kr, alltså "
            f"{belopp(self.expected_amount, 'kr')} kr, men betalar "
            f"{belopp(self.amount, 'kr')} kr."
        )


@dataclass(frozen=True)
class KeySplit:
    """The kommuner's part split by the förbund's key (Medlem.key_share)."""

    kommuner_total: Decimal
    rows: list[KeyShare]

    SUM_TOLERANCE = Decimal("0.01")  # percentage points, for rounded population keys

    @property
    def applies(self):
        """The check is made only where the förbund keeps a key."""
        return any(r.key_share is not None for r in self.rows)

    @property
    def share_sum(self):
        return sum((r.key_share or ZERO for r in self.rows), ZERO)

    @property
    def share_sum_text(self):
        return percent(self.share_sum)

    @property
    def sum_warning(self):
        if not self.applies or abs(self.share_sum - 100) <= self.SUM_TOLERANCE:
            return ""
        return f"Fördelningsnyckelns andelar summerar till {percent(self.share_sum)} %, inte 100 %."

    @property
    def warnings(self):
        if not self.applies:
            return []
        found = [self.sum_warning] if self.sum_warning else []
        return found + [r.warning for r in self.rows if r.warning]


def key_split(kommuner, avgifter):
    """Each kommun's contribution against the key: kommunernas del × key_share / 100.

    `kommuner` are the förbund's kommun members; `avgifter` the year's
    Medlemsavgift rows. The kommuner's part is what they pay together, so
    this check is apart from the law's 25 % (which `contribution_split` checks).
    """
    paid = {a.medlem_id: a.amount for a in avgifter}
    total = sum((paid.get(m.pk, ZERO) for m in kommuner), ZERO)
    return KeySplit(
        kommuner_total=total,
        rows=[KeyShare(m, m.key_share, paid.get(m.pk, ZERO), total) for m in kommuner],
    )
