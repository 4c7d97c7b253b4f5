"""The report pages."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from finsam import history
from finsam.access import forbund_view
from finsam.lists.views import list_view

from ..models import Rapport
from .lists import SenaRapporterFilterSet, SenaRapporterTable
from .permissions import DETAIL_ROLES, LATE_LIST_ROLES, visible_reports
from .reminders import OPEN
from .workflow import counts


def current_date():
    return timezone.localdate()


def late_reports(request, today):
    """The open reports past their due date, of the förbund, that the role may see."""
    rapporter = Rapport.objects.of(request.forbund).filter(status__in=OPEN, due_date__lt=today)
    return visible_reports(rapporter, request.roll)


@forbund_view(LATE_LIST_ROLES)
def rapport_late_list(request):
    today = current_date()
    rapporter = late_reports(request, today).select_related("insats__agare")
    return list_view(
        request,
        rapporter.order_by("due_date", "insats__name", "pk"),
        SenaRapporterTable,
        SenaRapporterFilterSet,
        template="uppfoljning/rapporter/late_list.html",
        filename=f"forsenade-rapporter-{request.forbund.slug}",
        context_name="rapporter",
        context={"today": today},
        table_kwargs={"today": today},
    )


@forbund_view(DETAIL_ROLES)
def rapport_detail(request, pk):
    rapporter = visible_reports(Rapport.objects.of(request.forbund), request.roll)
    rapport = get_object_or_404(
        rapporter.select_related("insats__agare", "submitted_by").prefetch_related(
            "deltagarantal", "mal"
        ),
        pk=pk,
    )
    return render(
        request,
        "uppfoljning/rapporter/detail.html",
        {
            "rapport": rapport,
            "insats": rapport.insats,
            "counts": list(counts(rapport).values()),
            "historik": history.for_page(request, rapport, insats=rapport.insats),
        },
    )
