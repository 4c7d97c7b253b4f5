"""The report pages: the list, one report, its form, and kansli's approval or return."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Case, When
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from finsam import history
from finsam.access import forbund_view
from finsam.concurrency import Conflict, Replayed, already_saved, replayed
from finsam.lists.views import list_view

from ..models import Rapport
from . import permissions as perm
from . import workflow
from .forms import GoalFormSet, RapportForm, ReturnForm
from .lists import RapportFilterSet, RapportTable, SenaRapporterFilterSet, SenaRapporterTable
from .permissions import DETAIL_ROLES, LATE_LIST_ROLES, visible_reports
from .reminders import OPEN
from .workflow import counts

S = Rapport.Status


def current_date():
    return timezone.localdate()


def _get(request, pk):
    """The report, if the role may know of it: another member's is 404, never a hint."""
    rapporter = visible_reports(Rapport.objects.of(request.forbund), request.roll)
    return get_object_or_404(
        rapporter.select_related("insats__agare", "insats__forbund", "submitted_by"), pk=pk
    )


def _post_only(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


def late_reports(request, today):
    """The open reports past their due date, of the förbund, that the role may see."""
    rapporter = Rapport.objects.of(request.forbund).filter(status__in=OPEN, due_date__lt=today)
    return visible_reports(rapporter, request.roll)


@forbund_view(perm.LIST_ROLES)
def rapport_list(request):
    rapporter = visible_reports(Rapport.objects.of(request.forbund), request.roll)
    # Unsorted, the reports whose period has ended come first, the latest first.
    ended_first = Case(When(period_end__lt=current_date(), then=0), default=1)
    return list_view(
        request,
        rapporter.select_related("insats__agare").order_by(
            ended_first, "-period_end", "insats__name", "pk"
        ),
        RapportTable,
        RapportFilterSet,
        template="uppfoljning/rapporter/list.html",
        filename=f"rapporter-{request.forbund.slug}",
        context_name="rapporter",
        context={"kan_se_sena": request.roll.kind in LATE_LIST_ROLES},
    )


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
    return _detail(request, rapport)


def _detail(request, rapport, return_form=None):
    roll = request.roll
    can_decide = perm.can_decide(roll, rapport)
    return render(
        request,
        "uppfoljning/rapporter/detail.html",
        {
            "rapport": rapport,
            "insats": rapport.insats,
            "counts": list(counts(rapport).values()),
            "can_edit": perm.can_edit(roll, rapport),
            "can_decide": can_decide,
            "return_form": return_form or (ReturnForm() if can_decide else None),
            "problems": (
                workflow.problems(rapport, current_date())
                if perm.can_edit(roll, rapport) and rapport.status != S.DUE
                else []
            ),
            "historik": history.for_page(request, rapport, insats=rapport.insats),
        },
    )


# The form --------------------------------------------------------------------------


@forbund_view(perm.FORM_ROLES)
def rapport_edit(request, pk):
    rapport = _get(request, pk)
    if not perm.can_edit(request.roll, rapport):
        form = RapportForm(request.POST or None, instance=rapport)
        if request.method == "POST" and replayed(form, request.forbund):
            return already_saved(request, rapport.get_absolute_url())
        messages.info(request, "Rapporten är inskickad och kan inte ändras nu.")
        return redirect(rapport)
    if request.method == "GET":
        workflow.add_goals(rapport)
    return _form(request, rapport)


def _form(request, rapport):
    data = request.POST if request.method == "POST" else None
    form = RapportForm(data, instance=rapport)
    goals = GoalFormSet(data, instance=rapport, prefix="mal") if _structural(rapport) else None
    formsets = [goals] if goals is not None else []
    submitting = data is not None and "skicka_in" in data
    on_behalf = perm.on_behalf(request.roll)
    valid = data is not None and all([form.is_valid()] + [f.is_valid() for f in formsets])
    if data is not None and not valid and replayed(form, request.forbund):
        return already_saved(request, rapport.get_absolute_url())
    incomplete = None
    if valid:
        try:
            with transaction.atomic():
                form.claim(request.forbund)
                was_due = rapport.status == S.DUE
                rapport = form.save()
                changes = form.without_counts(history.form_changes(form))
                changes.update(form.save_counts())
                if goals is not None:
                    goals.save()
                    changes.update(goals.changes())
                if changes or was_due or not submitting:
                    workflow.draft_saved(rapport, request.user, changes, on_behalf=on_behalf)
                if submitting:
                    workflow.submit(
                        rapport, request.user, today=current_date(), on_behalf=on_behalf
                    )
                form.remember(rapport)
        except Replayed:
            return already_saved(request, rapport.get_absolute_url())
        except Conflict:
            form.show_conflict(request, formsets)
        except IntegrityError:
            form.add_error(None, "Någon annan sparade samtidigt. Inget har sparats; försök igen.")
        except workflow.Incomplete as refused:
            incomplete = refused
            _place(form, goals, refused.where)
        except workflow.NotAllowed as refused:
            messages.info(request, str(refused))
            return redirect(rapport)
        else:
            if submitting:
                messages.success(
                    request, f"Rapporten är inskickad med diarienummer {rapport.diarienummer}."
                )
            else:
                messages.success(request, "Utkastet är sparat. Du kan fortsätta senare.")
            return redirect(rapport)
        rapport.refresh_from_db()  # the transaction was undone: as it is stored
    context = {
        "rapport": rapport,
        "insats": rapport.insats,
        "form": form,
        "goals": goals,
        "formsets": formsets,
        "incomplete": incomplete,
        "on_behalf": on_behalf,
        "today": current_date(),
    }
    return render(request, "uppfoljning/rapporter/form.html", context)


def _structural(rapport):
    return rapport.insats.kind == rapport.insats.Kind.STRUKTUR


def _place(form, goals, where):
    """Each problem of a refused submit beside its field (or at the top of the form)."""
    by_goal = {f.instance.pk: f for f in goals.forms} if goals is not None else {}
    for place, message in where:
        if isinstance(place, tuple) and place[1] in by_goal:
            by_goal[place[1]].add_error("bedomning", message)
        elif isinstance(place, str) and place in form.fields:
            form.add_error(place, message)
        else:
            form.add_error(None, message)


# Kansli: approve or return ---------------------------------------------------------


def _decided(request, pk):
    """The report, and an answer where it is not (or no longer) sent in for a decision."""
    rapport = _get(request, pk)
    if perm.can_decide(request.roll, rapport):
        return rapport, None
    if rapport.status in (S.GODKAND, S.ATERFORVISAD):
        # The same button pressed twice: the first press decided.
        messages.info(request, f"Rapporten är redan {rapport.get_status_display().lower()}.")
    else:
        messages.info(request, "Bara en inskickad rapport kan godkännas eller återförvisas.")
    return rapport, redirect(rapport)


@forbund_view(perm.DECIDE_ROLES)
def rapport_approve(request, pk):
    if response := _post_only(request):
        return response
    rapport, answered = _decided(request, pk)
    if answered:
        return answered
    try:
        with transaction.atomic():
            workflow.approve(rapport, request.user)
    except workflow.NotAllowed as refused:
        messages.info(request, str(refused))
    else:
        ended = " Insatsen är avslutad." if rapport.kind == Rapport.Kind.SLUT else ""
        messages.success(request, f"Rapporten är godkänd.{ended}")
    return redirect(rapport)


@forbund_view(perm.DECIDE_ROLES)
def rapport_return(request, pk):
    rapport, answered = _decided(request, pk)
    if answered:
        return answered
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                workflow.return_report(rapport, request.user, form.cleaned_data["comment"])
        except workflow.NotAllowed as refused:
            messages.info(request, str(refused))
        else:
            messages.success(request, "Rapporten är återförvisad till insatsägaren.")
        return redirect(rapport)
    return render(
        request,
        "uppfoljning/rapporter/return_form.html",
        {"rapport": rapport, "insats": rapport.insats, "form": form},
    )
