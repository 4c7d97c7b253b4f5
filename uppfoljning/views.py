from django.db.models import Case, Prefetch, Q, Subquery, Sum, When
from django.shortcuts import render
from django.utils import timezone

from budget.tables import budget_remaining
from finsam.access import forbund_view
from finsam.models import Arende, Sammantrade
from finsam.permissions import INSATSAGARE, KANSLI, STYRELSE
from insatser.ansokan.permissions import visible as visible_ansokningar
from insatser.models import Ansokan, Insats

from .dashboard import Overview, attention, latest_events
from .models import Rapport
from .rapporter.permissions import visible_reports
from .rapporter.reminders import OPEN as OPEN_RAPPORT

OPEN_ANSOKAN = [
    Ansokan.Status.KOMPLETTERING,
    Ansokan.Status.UTKAST,
    Ansokan.Status.INSKICKAD,
    Ansokan.Status.BEREDNING,
    Ansokan.Status.KLAR_FOR_BESLUT,
]


@forbund_view()
def home(request):
    """The start page: what each role needs first."""
    forbund, roll = request.forbund, request.roll
    today = timezone.localdate()
    meetings = Sammantrade.objects.of(forbund).prefetch_related(
        Prefetch("arenden", queryset=Arende.objects.order_by("number"))
    )
    if roll.kind == INSATSAGARE:
        context = {"today": today, "next_meeting": meetings.upcoming(today).first()}
        insatser = (
            Insats.objects.of(forbund)
            .visible_to(roll)
            .select_related("agare")
            .annotate(grant=Sum("anslag__amount", filter=Q(anslag__year=today.year)))
        )
        context["insatser"] = insatser
        # Part A: the member's applications not yet decided, those asked to complete first.
        open_ones = visible_ansokningar(Ansokan.objects.of(forbund), roll).filter(
            status__in=OPEN_ANSOKAN
        )
        context["ansokningar"] = sorted(
            open_ones.order_by("-created_at"), key=lambda a: OPEN_ANSOKAN.index(a.status)
        )
        # The reports to hand in: open, for a period that has ended, returned ones first.
        context["rapporter"] = (
            visible_reports(Rapport.objects.of(forbund), roll)
            .filter(status__in=OPEN_RAPPORT, period_end__lt=today)
            .select_related("insats")
            .order_by(
                Case(When(status=Rapport.Status.ATERFORVISAD, then=0), default=1),
                "due_date",
                "pk",
            )
        )
        return render(request, "uppfoljning/home_insatsagare.html", context)

    # Built only when the page's cached fragment is not at hand (finsam/generation.py).
    loader = _board_panels if roll.kind == STYRELSE else _panels
    context = {"panels": lambda: loader(forbund, roll, today, meetings)}
    template = "home_styrelse" if roll.kind == STYRELSE else "home"
    return render(request, f"uppfoljning/{template}.html", context)


def _board_panels(forbund, roll, today, meetings):
    """The year's meetings and the next one, wherever it falls, in one query."""
    next_one = meetings.upcoming(today).order_by("date", "start_time").values("pk")[:1]
    fetched = list(meetings.filter(Q(date__year=today.year) | Q(pk__in=Subquery(next_one))))
    upcoming = [m for m in fetched if m.date >= today]
    return {
        "today": today,
        "meetings": [m for m in fetched if m.date.year == today.year],
        "next_meeting": upcoming[0] if upcoming else None,
    }


def _panels(forbund, roll, today, meetings):
    """The kansli's and the revisor's start page: the board's panels, figures and events."""
    context = _board_panels(forbund, roll, today, meetings)
    overview = Overview.load(forbund, today, context["next_meeting"])
    budget = overview.budgets.get(today.year)
    context.update(
        {
            "attention": attention(forbund, today, overview) if roll.kind == KANSLI else [],
            "medlemmar": len(overview.medlemmar),
            "running": len(overview.running),
            "granted": overview.figures["granted"],
            "budget": budget,
            # The members' contributions and the year's grants are the Overview's.
            "remaining": budget_remaining(budget, overview.medlemmar, overview.figures["granted"])
            if budget
            else None,
            "handelser": latest_events(forbund),
        }
    )
    return context
