"""What the printed "Verksamhetsplan och budget" holds, gathered in a fixed number of queries.

`plan_context(plan)` collects everything the print template needs: the
förbund and its members with their contributions, the board of the plan's
year, the target groups, the goals with their result targets, the year's
meetings as the annual cycle, the kansli's text sections, the risk register
with its matrix, and the table of the year's budget. It makes the same
number of queries with 10 insatser or 2 000. `plan_html(plan)` renders it;
the PDF and the preview in the browser show the same HTML.

The chapters print in the plan's own outline (budget.plan.outline): its
Avsnitt rows in order, text sections and the chapters the system fills. A
chapter with nothing to print is left out of the PDF (`printed`) and
flagged on the plan page; nothing in the PDF reads as a placeholder.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import F, FilteredRelation, OuterRef, Prefetch, Q, Subquery
from django.template.loader import render_to_string
from django.utils import timezone

from finsam.models import Arende, Ledamot, Malgrupp, Medlem, Sammantrade

from ..models import (
    MONTHS,
    Arshjulspost,
    Avsnitt,
    Budget,
    Mal,
    Medlemsavgift,
    Resultatmal,
    Risk,
    Verksamhetsplan,
    risk_matrix,
)
from ..tables import budget_table
from .outline import chapters, standard_chapters

# Agenda items that are part of every meeting, not what the year decides.
ROUTINE_ITEMS = (
    "val av justerare",
    "justering",
    "mötets öppnande",
    "godkännande av dagordning",
    "fastställande av dagordning",
    "föregående protokoll",
    "övriga frågor",
    "mötets avslutande",
)


@dataclass
class BoardRow:
    medlem: Medlem
    ordinarie: list = field(default_factory=list)
    ersattare: list = field(default_factory=list)


@dataclass
class CycleRow:
    """A row of the annual cycle: a meeting and what it decides, or an item of the plan's own
    ("Maj–juni: dialog med medlemmarna om nästa års budget")."""

    month: str
    sort: tuple
    meeting: Sammantrade | None = None
    decisions: list = field(default_factory=list)
    text: str = ""


def _members(forbund, year):
    contribution = Medlemsavgift.objects.filter(medlem=OuterRef("pk"), year=year).values("amount")
    return list(Medlem.objects.of(forbund).annotate(contribution=Subquery(contribution[:1])))


def _board(forbund, year, members):
    """The seats of the plan's year, a row per member: regular and deputy."""
    seats = Ledamot.objects.of(forbund).overlapping(
        datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    )
    rows = {m.pk: BoardRow(m) for m in members}
    chairs = []
    for seat in seats.order_by("kind", "mandate_start", "name"):
        row = rows.get(seat.medlem_id)
        if row is None:
            continue
        seat.medlem = row.medlem
        (row.ordinarie if seat.kind == Ledamot.Kind.ORDINARIE else row.ersattare).append(seat)
        if seat.chair_role:
            chairs.append(seat)
    order = list(Ledamot.ChairRole.values)
    chairs.sort(key=lambda s: order.index(s.chair_role))
    return list(rows.values()), chairs


def _annual_cycle(forbund, plan):
    """The year's meetings with the titles of their decision items, in one query (a row per
    meeting and decision item; a meeting without any comes once), and the plan's own items,
    in month order (within a month the meetings first)."""
    decided = FilteredRelation("arenden", condition=Q(arenden__kind=Arende.Kind.BESLUT))
    rows = (
        Sammantrade.objects.of(forbund)
        .of_year(plan.year)
        .annotate(beslut_arende=decided, decision=F("beslut_arende__title"))
        .order_by("date", "start_time", "pk", "beslut_arende__number")
    )
    cycle = []
    for meeting in rows:
        if not cycle or cycle[-1].meeting.pk != meeting.pk:
            month = MONTHS[meeting.date.month - 1].capitalize()
            cycle.append(CycleRow(month, (meeting.date.month, 0, len(cycle)), meeting))
        title = meeting.decision
        if title is not None and not title.lower().startswith(ROUTINE_ITEMS):
            cycle[-1].decisions.append(title)
    for i, item in enumerate(Arshjulspost.objects.filter(plan=plan)):
        cycle.append(CycleRow(item.months, (item.month, 1, i), text=item.text))
    cycle.sort(key=lambda row: row.sort)
    return cycle


def _cycle_heading(cycle):
    """The third column's heading: what the rows hold."""
    kinds = {row.meeting.kind for row in cycle if row.meeting is not None}
    if all(row.meeting is not None for row in cycle) and kinds == {Sammantrade.Kind.STYRELSEMOTE}:
        return "Styrelsen beslutar om"
    return "Vad som händer"


def plan_context(plan):
    """Everything the print template needs, in a constant number of queries.

    `plan` comes with its förbund and decision loaded (`select_related`).
    """
    forbund, year = plan.forbund, plan.year
    members = _members(forbund, year)
    board, chairs = _board(forbund, year, members)
    malgrupper = list(Malgrupp.objects.of(forbund))
    targets = Prefetch("resultatmal", queryset=Resultatmal.objects.order_by("pk"))
    goals = list(Mal.objects.filter(plan=plan).prefetch_related(targets))
    risks = list(Risk.objects.filter(plan=plan))
    sections = list(Avsnitt.objects.filter(plan=plan).order_by("order", "pk"))
    sections = sections or standard_chapters(plan)
    budget = plan_budget(plan)
    contributions = [m.contribution for m in members if m.contribution is not None]
    cycle = _annual_cycle(forbund, plan)
    table = budget_table(budget, members if budget.year == year else None) if budget else None
    filled = {
        "medlemmar": bool(members),
        "styrelsen": any(row.ordinarie or row.ersattare for row in board),
        "malgrupper": bool(malgrupper),
        "mal": bool(goals),
        "arshjul": bool(cycle or plan.arshjul_noter),
        "risker": bool(risks),
        "budget": table is not None,
    }
    outline = chapters(sections, filled)
    return {
        "plan": plan,
        "forbund": forbund,
        "year": year,
        "unit": forbund.display_unit,
        "title": f"Verksamhetsplan och budget {year}",
        "adopted": is_adopted(plan),
        "adopted_on": plan.beslut.date if plan.beslut_id else None,
        "generated_on": timezone.localdate(),
        "chapters": outline,
        "printed": [chapter for chapter in outline if not chapter.empty],
        "members": members,
        "contributions_total": sum(contributions) if contributions else None,
        "has_contributions": bool(contributions),
        "board": board,
        "chairs": chairs,
        "malgrupper": [g for g in malgrupper if not g.prioritized],
        "prioriterade": [g for g in malgrupper if g.prioritized],
        "goals": goals,
        "cycle": cycle,
        "cycle_heading": _cycle_heading(cycle),
        "cycle_notes": plan.arshjul_noter,
        "risks": risks,
        "matrix": risk_matrix(risks) if risks else None,
        "budget": budget,
        "table": table,
    }


def plan_budget(plan):
    """The budget version the plan prints.

    A draft plan prints the year's latest version, draft or not (only kansli
    and the board read a draft plan). An adopted or published plan prints the
    budget version adopted with it: the latest adopted version whose decision
    is not later than the plan's, never a later draft. None if the year has
    no adopted budget.
    """
    budgets = Budget.objects.of(plan.forbund).of_year(plan.year).select_related("forbund")
    if not is_adopted(plan):
        return budgets.order_by("-version").first()
    adopted = budgets.filter(status__in=[Budget.Status.FASTSTALLD, Budget.Status.PUBLICERAD])
    adopted = adopted.select_related("beslut").order_by("-version")
    if plan.beslut_id:
        with_plan = adopted.filter(beslut__date__lte=plan.beslut.date).first()
        if with_plan is not None:
            return with_plan
    return adopted.first()


def is_adopted(plan):
    return plan.status in (Verksamhetsplan.Status.FASTSTALLD, Verksamhetsplan.Status.PUBLICERAD)


def plan_html(plan):
    return render_to_string("print/verksamhetsplan.html", plan_context(plan))


def load_plan(forbund, pk):
    return Verksamhetsplan.objects.of(forbund).select_related("forbund", "beslut").get(pk=pk)


def budget_context(budget):
    """The budget table's own document: one table, its status and decision."""
    return {
        "budget": budget,
        "forbund": budget.forbund,
        "year": budget.year,
        "unit": budget.forbund.display_unit,
        "title": f"Budget {budget.year}",
        "table": budget_table(budget),
        "generated_on": timezone.localdate(),
    }


def budget_html(budget):
    return render_to_string("print/budgettabell.html", budget_context(budget))


def load_budget(forbund, pk):
    return Budget.objects.of(forbund).select_related("forbund", "beslut").get(pk=pk)
