"""The budget table and the contribution split, computed from their parts.

`budget_table(budget)` gives every figure of the budget table the way the
förbund's plan prints it (INTÄKTER, KOSTNADER, the insatser by name and owner,
the result and what remains to decide on), in Decimal kronor, in three
queries whatever the number of lines and insatser: the lines, the members'
contributions for the year, the year's grants with their insats and owner.
Pages, the PDF and the start page render `table.rows`; tests and summaries
read the totals.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from finsam.models import Medlem
from finsam.sorting import swedish_key
from finsam.templatetags.finsam import belopp
from insatser.models import Anslag

from .models import Budget, Budgetrad

ZERO = Decimal("0")
Group = Budgetrad.Group
Source = Budgetrad.Source

SAMVERKAN_GROUPS = (Group.INSATSER, Group.OVRIGA_SAMVERKANSINSATSER, Group.EJ_BESLUTADE)


@dataclass(frozen=True)
class Row:
    """One printed row. `style` is the CSS class of the row in `table-belopp`:
    rubrik, rad, kolumnrubrik, underrubrik, summa, slutsumma."""

    label: str
    amount: Decimal | None = None
    owner: str = ""
    style: str = "rad"
    level: int = 0


@dataclass(frozen=True)
class Line:
    name: str
    amount: Decimal
    budgetrad: Budgetrad | None = None


@dataclass(frozen=True)
class InsatsLine:
    name: str
    owner: str
    amount: Decimal
    anslag: Anslag


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


def budget_table(budget):
    """Every figure of the budget's table, from its lines and the database."""
    table = BudgetTable(
        budget=budget,
        previous_surplus=budget.previous_surplus,
        forecast_previous_year=budget.forecast_previous_year,
    )
    lines = list(Budgetrad.objects.filter(budget=budget).order_by("order", "pk"))
    table.has_medlemsavgifter_line = any(r.source == Source.MEDLEMSAVGIFTER for r in lines)
    table.has_insatser_line = any(r.source == Source.INSATSER for r in lines)

    year = budget.year
    if table.has_medlemsavgifter_line:
        _load_contributions(table, budget.forbund_id, year)
    grants = _load_grants(budget.forbund_id, year) if table.has_insatser_line else []

    income_rows, cost_rows = [], []
    samverkan_at = None  # where the Samverkansinsatser block goes among the cost rows
    for rad in lines:
        if rad.group in SAMVERKAN_GROUPS:
            if samverkan_at is None:
                samverkan_at = len(cost_rows)
            _add_samverkan_line(table, rad, grants)
            continue
        amount = _amount(table, rad, grants)
        line = Line(rad.name, amount, rad)
        if rad.section == Budgetrad.Section.INTAKT:
            table.income_lines.append(line)
            income_rows.append(Row(rad.name, amount, level=1))
        else:
            table.cost_lines.append(line)
            cost_rows.append(Row(rad.name, amount, level=1))

    table.insatser_total = sum((x.amount for x in table.insatser_lines), ZERO) + sum(
        (x.amount for x in table.insats_lines), ZERO
    )
    table.ovriga_total = sum((x.amount for x in table.ovriga_lines), ZERO)
    table.ej_beslutade_total = sum((x.amount for x in table.ej_beslutade_lines), ZERO)
    table.samverkan_total = table.insatser_total + table.ovriga_total + table.ej_beslutade_total
    table.income_total = sum((x.amount for x in table.income_lines), ZERO)
    table.cost_total = sum((x.amount for x in table.cost_lines), ZERO) + table.samverkan_total
    table.result = table.income_total - table.cost_total
    table.remaining = table.result + table.previous_surplus + table.forecast_previous_year

    if samverkan_at is not None:
        cost_rows[samverkan_at:samverkan_at] = _samverkan_rows(table)
    table.rows = [
        Row("Intäkter", style="rubrik"),
        *income_rows,
        Row("S:a intäkter", table.income_total, style="summa"),
        Row("Kostnader", style="rubrik"),
        *cost_rows,
        Row("S:a kostnader", table.cost_total, style="summa"),
        Row("Årets beräknade resultat", table.result, style="summa"),
        Row("Över-/underskott från tidigare år", table.previous_surplus),
        Row(table.forecast_label, table.forecast_previous_year),
        Row("Kvarvarande beslutsutrymme", table.remaining, style="slutsumma"),
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


def _load_grants(forbund_id, year):
    grants = [
        InsatsLine(a.insats.name, a.insats.agare.display_name, a.amount, a)
        for a in Anslag.objects.of(forbund_id).of_year(year).select_related("insats__agare")
    ]
    grants.sort(key=lambda g: (swedish_key(g.owner), g.anslag.insats_id))
    return grants


def _amount(table, rad, grants):
    if rad.source == Source.MEDLEMSAVGIFTER:
        return table.medlemsavgifter_total
    if rad.source == Source.INSATSER:
        return sum((g.amount for g in grants), ZERO)
    return rad.amount


def _add_samverkan_line(table, rad, grants):
    if rad.source == Source.INSATSER:
        table.insats_lines.extend(grants)
        return
    line = Line(rad.name, _amount(table, rad, grants), rad)
    if rad.group == Group.INSATSER:
        table.insatser_lines.append(line)
    elif rad.group == Group.OVRIGA_SAMVERKANSINSATSER:
        table.ovriga_lines.append(line)
    else:
        table.ej_beslutade_lines.append(line)


def _samverkan_rows(table):
    rows = [Row(str(Group.INSATSER.label), table.samverkan_total, level=1)]
    if table.insats_lines or table.insatser_lines:
        if table.insats_lines:
            rows.append(Row("Namn på insats", owner="Insatsägare", style="kolumnrubrik", level=2))
            rows += [Row(g.name, g.amount, owner=g.owner, level=2) for g in table.insats_lines]
        rows += [Row(x.name, x.amount, level=2) for x in table.insatser_lines]
        rows.append(Row("S:a samverkansinsatser", table.insatser_total, style="summa", level=2))
    if table.ovriga_lines:
        rows.append(Row("Övriga samverkansinsatser", style="underrubrik", level=2))
        rows += [Row(x.name, x.amount, level=2) for x in table.ovriga_lines]
        rows.append(Row("S:a övr samverkansinsatser", table.ovriga_total, style="summa", level=2))
    rows += [Row(x.name, x.amount, level=2) for x in table.ej_beslutade_lines]
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
