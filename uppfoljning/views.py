from django.db.models import Prefetch, Q, Sum
from django.shortcuts import render
from django.utils import timezone

from budget.models import Budget
from budget.tables import budget_table
from finsam.access import forbund_view
from finsam.models import Arende, Medlem, Sammantrade
from finsam.permissions import INSATSAGARE, KANSLI, STYRELSE
from insatser.models import Anslag, Insats

from .dashboard import attention, latest_events
from .models import Rapport


@forbund_view()
def home(request):
    """The start page: what each role needs first."""
    forbund, roll = request.forbund, request.roll
    today = timezone.localdate()
    meetings = Sammantrade.objects.of(forbund).prefetch_related(
        Prefetch("arenden", queryset=Arende.objects.order_by("number"))
    )
    context = {
        "today": today,
        "next_meeting": meetings.upcoming(today).first(),
    }
    if roll.kind == INSATSAGARE:
        insatser = (
            Insats.objects.of(forbund)
            .visible_to(roll)
            .select_related("agare")
            .annotate(grant=Sum("anslag__amount", filter=Q(anslag__year=today.year)))
        )
        context["insatser"] = insatser
        context["rapporter"] = (
            Rapport.objects.of(forbund)
            .filter(insats__in=insatser.values("pk"))
            .exclude(status=Rapport.Status.GODKAND)
            .select_related("insats")
        )
        return render(request, "uppfoljning/home_insatsagare.html", context)

    context["meetings"] = meetings.of_year(today.year)
    if roll.kind == STYRELSE:
        return render(request, "uppfoljning/home_styrelse.html", context)

    budget = Budget.objects.of(forbund).filter(year=today.year).first()
    context.update(
        {
            "attention": attention(forbund, today) if roll.kind == KANSLI else [],
            "medlemmar": Medlem.objects.of(forbund).count(),
            "running": Insats.objects.of(forbund).running().count(),
            "granted": Anslag.objects.of(forbund)
            .filter(year=today.year)
            .aggregate(total=Sum("amount"))["total"],
            "budget": budget,
            "table": budget_table(budget) if budget else None,
            "handelser": latest_events(forbund),
        }
    )
    return render(request, "uppfoljning/home.html", context)
