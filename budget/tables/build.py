"""The budget table built from the budget's tree of lines and blocks.

`budget_table(budget)` gives every figure of the budget table the way the
förbund's plan prints it, in Decimal kronor, in three queries whatever the
number of lines and insatser: the lines, the members' contributions for the
year, the year's grants with their insats, owner and approved payment claims.
Pages, the PDF, the Excel file and the start page render `table.rows`; tests
and summaries read the totals.

The layout is data (Budgetrad.kind, parent, sum_label, total_on_heading): the
builder walks the tree and prints each block's heading, its lines and blocks,
and its sum line; nothing here knows a group's place in the table. The
section (Intäkter/Kostnader) of a top-level line or block follows its group.
Then come the closing lines the budget names (Budget.closing).

Beside the budget each row carries the outcome so far (utfall: the approved
claims of an insats, typed figures on other lines) and the forecast for the
year (prognos: typed, else the budget figure itself).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum

from finsam.models import Medlem
from insatser.models import Anslag, Insats, Rekvisition

from ..models import Budgetrad, Medlemsavgift
from .figures import ZERO, BudgetTable, Difference, Figures, InsatsLine, Line, Row

Group = Budgetrad.Group
Source = Budgetrad.Source
Per = Budgetrad.Per
INTAKT = Budgetrad.Section.INTAKT

# The closing lines a budget may print (Budget.closing[*]["line"]) and their
# default labels; without Budget.closing the first four, in this order.
CLOSING_LINES = {
    "resultat": "Årets beräknade resultat",
    "tidigare": "Över-/underskott från tidigare år",
    "prognos": "",  # Prognostiserat över-/underskott/resultat {år}, from the sign
    "kvar": "Kvarvarande beslutsutrymme",
    "eget_kapital": "Prognos eget kapital",
}
DEFAULT_CLOSING = ["resultat", "tidigare", "prognos", "kvar"]
STATE_LABEL = "Staten"


def _total(lines):
    return sum((x.figures for x in lines), Figures())


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
        costs_negative=budget.costs_negative,
    )
    lines = list(Budgetrad.objects.filter(budget=budget).order_by("order", "pk"))
    leaves = [r for r in lines if not r.is_block]
    table.has_medlemsavgifter_line = any(r.source == Source.MEDLEMSAVGIFTER for r in leaves)
    table.has_insatser_line = any(r.source == Source.INSATSER for r in leaves)
    split = any(r.source == Source.MEDLEMSAVGIFTER and r.per for r in leaves)

    year = budget.year
    frozen = budget.frozen_sources  # an adopted budget counts with the amounts it was adopted with
    payers = []
    if table.has_medlemsavgifter_line:
        if members is None and split:
            members = _members_with_contribution(budget.forbund_id, year)
        if members is None:
            _load_contributions(table, budget.forbund_id, year)
        else:
            _count_contributions(table, members)
        if frozen:
            table.medlemsavgifter_total = Decimal(frozen["medlemsavgifter"])
        if split:
            payers = _frozen_members(members, frozen)
    if not table.has_insatser_line:
        grants = []
    elif grants is None:
        grants = _load_grants(budget.forbund_id, year, frozen)
    table.has_outcome = any(
        r.source != Source.INSATSER and (r.outcome is not None or r.forecast is not None)
        for r in leaves
    ) or any(g.outcome is not None for g in grants)

    builder = _Builder(table, lines, grants, payers)
    income_rows, table.income = builder.section(INTAKT)
    cost_rows, table.costs = builder.section(Budgetrad.Section.KOSTNAD)
    table.result_figures = table.income - table.costs

    by_group = builder.by_group
    insatser = by_group[Group.INSATSER]
    ovriga = by_group[Group.OVRIGA_SAMVERKANSINSATSER]
    ej_beslutade = by_group[Group.EJ_BESLUTADE]
    table.contributions = by_group[Group.MEDLEMSAVGIFTER].budget
    table.equity_used = by_group[Group.EGET_KAPITAL]
    table.insatser_total = insatser.budget
    table.ovriga_total = ovriga.budget
    table.ej_beslutade_total = ej_beslutade.budget
    table.samverkan_total = (insatser + ovriga + ej_beslutade).budget
    table.income_total = table.income.budget
    table.cost_total = table.costs.budget
    table.result = table.result_figures.budget
    # The opening equity already holds the equity used as income: only the rest of
    # the result adds to it (or takes from it).
    earlier = table.previous_surplus + (table.forecast_previous_year or ZERO)
    table.remaining = table.result - table.equity_used.budget + earlier
    table.remaining_forecast = table.result_figures.forecast - table.equity_used.forecast + earlier

    sign = -1 if budget.costs_negative else 1
    income_sum = builder.checked(
        Row.total("S:a intäkter", table.income, published=budget.income_published), sign=1
    )
    cost_sum = builder.checked(
        Row.total("S:a kostnader", table.costs, published=budget.cost_published), sign=sign
    )
    table.rows = [
        Row("Intäkter", style="rubrik"),
        *income_rows,
        income_sum,
        Row("Kostnader", style="rubrik"),
        *[row.signed(sign) for row in cost_rows],
        cost_sum.signed(sign),
        *_closing_rows(table, builder),
    ]
    table.differences = builder.differences
    return table


def _closing_rows(table, builder):
    """The closing lines the budget names, each with its label; a line whose value
    is not known (no forecast for last year) is left out, never printed as 0."""
    budget = table.budget
    year = budget.year - 1
    known = {
        "resultat": (table.result_figures, "summa"),
        "tidigare": (Figures(table.previous_surplus, ZERO, table.previous_surplus), "rad"),
        "prognos": (
            None
            if table.forecast_previous_year is None
            else Figures(table.forecast_previous_year, ZERO, table.forecast_previous_year),
            "rad",
        ),
        "kvar": (Figures(table.remaining, ZERO, table.remaining_forecast), "slutsumma"),
        "eget_kapital": (Figures(table.remaining, ZERO, table.remaining_forecast), "slutsumma"),
    }
    rows = []
    for item in budget.closing or [{"line": key} for key in DEFAULT_CLOSING]:
        key = item["line"]
        figures, style = known[key]
        if figures is None:
            continue
        label = item.get("label") or CLOSING_LINES[key] or table.forecast_label
        label = label.replace("{år}", str(year))
        published = item.get("published")
        row = Row.total(
            label,
            figures,
            style=style,
            published=None if published in (None, "") else Decimal(published),
        )
        if key != "resultat":  # only the result has an outcome to show
            row = Row(
                row.label,
                row.amount,
                style=style,
                forecast=row.forecast,
                published=row.published,
            )
        rows.append(builder.checked(row, closing=True, sign=1))
    return rows


class _Builder:
    """Walks the tree of lines and blocks; collects rows, sums and differences."""

    def __init__(self, table, lines, grants, payers):
        self.table = table
        self.grants = grants
        self.payers = payers
        self.children = defaultdict(list)
        for rad in lines:
            self.children[rad.parent_id].append(rad)
        self.by_group = defaultdict(Figures)
        self.differences = []
        self.adopted = table.budget.is_frozen
        self.sign = 1  # of the section being built (-1: costs printed with a minus)

    def section(self, section):
        costs = section == Budgetrad.Section.KOSTNAD
        self.sign = -1 if costs and self.table.budget.costs_negative else 1
        rows, total = [], Figures()
        for rad in self.children[None]:
            if rad.section == section:
                node_rows, figures = self.node(rad, 0)
                rows += node_rows
                total = total + figures
        return rows, total

    def checked(self, row, closing=False, sign=None):
        if row.differs:
            self.differences.append(
                Difference(
                    row.label,
                    row.published,
                    row.amount,
                    self.adopted,
                    closing,
                    self.sign if sign is None else sign,
                )
            )
        return row

    def node(self, rad, depth):
        if rad.is_block:
            return self.block(rad, depth)
        level = min(depth + 1, 2)
        if rad.source == Source.INSATSER:
            return self.grant_rows(rad, level)
        line = _line(self.table, rad, self.grants)
        self._count(rad, line)
        if rad.source == Source.MEDLEMSAVGIFTER and rad.per:
            return self.payer_rows(rad, level), line.figures
        return [Row.of(line, owner=rad.owner, level=level)], line.figures

    def block(self, rad, depth):
        rows, total = [], Figures()
        for child in self.children[rad.pk]:
            child_rows, figures = self.node(child, depth + 1)
            rows += child_rows
            total = total + figures
        if not rows and not rad.total_on_heading:
            return [], total  # an empty block prints nothing
        level = min(depth + 1, 2)
        head = []
        published_on_heading = None if rad.sum_label else rad.published
        if rad.name and rad.total_on_heading:
            head.append(
                self.checked(
                    Row.total(
                        rad.name, total, style="rad", level=level, published=published_on_heading
                    )
                )
            )
        elif rad.name:
            head.append(Row(rad.name, style="underrubrik", level=level))
        tail = []
        if rad.sum_label:
            tail.append(
                self.checked(Row.total(rad.sum_label, total, level=level, published=rad.published))
            )
        return head + rows + tail, total

    def grant_rows(self, rad, level):
        table = self.table
        table.insats_lines.extend(self.grants)
        total = _total(self.grants)
        self.by_group[rad.group] = self.by_group[rad.group] + total
        if not self.grants:
            return [], total
        rows = []
        if rad.name:
            owner = "Insatsägare" if rad.show_owner else ""
            rows.append(Row(rad.name, owner=owner, style="kolumnrubrik", level=level))
        rows += [
            Row.of(g, owner=g.owner if rad.show_owner else "", level=level) for g in self.grants
        ]
        return rows, total

    def payer_rows(self, rad, level):
        """The contributions as one row per payer or per member, named from the members."""
        if rad.per == Per.MEDLEM:
            parts = [(m.name, m.contribution) for m in self.payers if m.contribution is not None]
        else:
            state = [m for m in self.payers if m.kind in Medlem.STATE_KINDS]
            parts = []
            paying = [m for m in state if m.contribution is not None]
            if paying:
                label = " och ".join(m.name for m in state)
                parts.append((label, sum((m.contribution for m in paying), ZERO)))
            for kind in (Medlem.Kind.REGION, Medlem.Kind.KOMMUN):
                parts += [
                    (m.name, m.contribution)
                    for m in self.payers
                    if m.kind == kind and m.contribution is not None
                ]
        return [Row(name, amount, level=level, forecast=amount) for name, amount in parts]

    def _count(self, rad, line):
        table = self.table
        self.by_group[rad.group] = self.by_group[rad.group] + line.figures
        if rad.section == INTAKT:
            table.income_lines.append(line)
        elif rad.group == Group.INSATSER:
            table.insatser_lines.append(line)
        elif rad.group == Group.OVRIGA_SAMVERKANSINSATSER:
            table.ovriga_lines.append(line)
        elif rad.group == Group.EJ_BESLUTADE:
            table.ej_beslutade_lines.append(line)
        else:
            table.cost_lines.append(line)


def _members_with_contribution(forbund_id, year):
    """The förbund's members in order, each with `contribution` for the year or None."""
    amount = Medlemsavgift.objects.filter(medlem=OuterRef("pk"), year=year).values("amount")[:1]
    return list(
        Medlem.objects.of(forbund_id)
        .annotate(contribution=Subquery(amount))
        .order_by("order", "pk")
    )


@dataclass(frozen=True)
class _Payer:
    name: str
    kind: str
    contribution: Decimal | None


def _frozen_members(members, frozen):
    """The members as payers, with an adopted budget's contributions where it kept them
    per member (the caller's members are not changed)."""
    kept = (frozen or {}).get("avgifter")
    return [
        _Payer(
            m.name,
            m.kind,
            m.contribution
            if kept is None
            else (Decimal(kept[str(m.pk)]) if str(m.pk) in kept else None),
        )
        for m in members
    ]


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
            .annotate(outcome=approved_claims(year, OuterRef("pk")))
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
            .annotate(outcome=approved_claims(year, OuterRef("insats")))
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
    # In the order they were written (the förbund file's order, then as created).
    grants.sort(key=lambda g: g.insats_id)
    return grants


def approved_claims(year, insats):
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
