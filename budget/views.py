from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from finsam.access import forbund_view
from finsam.models import Handelse, Medlem
from finsam.permissions import EDITORS, READERS, can_edit

from .forms import BudgetForm, BudgetradFormSet, MedlemsavgiftForm
from .models import Budget, Medlemsavgift
from .tables import budget_table, contribution_split


def current_year():
    return timezone.localdate().year


def _get_budget(request, year):
    """The year's budget that counts (its highest version), or 404."""
    budget = Budget.objects.of(request.forbund).latest_version(year)
    if budget is None:
        raise Http404
    return budget


@forbund_view(READERS)
def budget_index(request):
    """The current year's budget, else the latest year's; kansli may start one."""
    budgets = Budget.objects.of(request.forbund)
    year = current_year()
    if request.method == "POST":
        if not can_edit(request.roll):
            raise PermissionDenied
        budget = budgets.latest_version(year)
        if budget is None:
            budget = Budget.create_empty(forbund=request.forbund, year=year, user=request.user)
            messages.success(request, f"Budget {year} är skapad som utkast.")
        return redirect(budget)
    budget = budgets.latest_version(year) or budgets.order_by("-year", "-version").first()
    if budget is not None:
        return redirect(budget)
    context = {"year": year, "can_edit": can_edit(request.roll)}
    return render(request, "budget/budget_none.html", context)


@forbund_view(READERS)
def budget_detail(request, year):
    budgets = Budget.objects.of(request.forbund)
    versions = list(budgets.of_year(year).order_by("-version"))
    if not versions:
        raise Http404
    budget = versions[0]
    if "version" in request.GET:
        chosen = [b for b in versions if str(b.version) == request.GET["version"]]
        if not chosen:
            raise Http404
        budget = chosen[0]
    context = {
        "budget": budget,
        "table": budget_table(budget),
        "versions": versions,
        "is_latest": budget == versions[0],
        "years": sorted(set(budgets.values_list("year", flat=True))),
        "can_edit": can_edit(request.roll),
    }
    return render(request, "budget/budget_detail.html", context)


@forbund_view(EDITORS)
def budget_edit(request, year):
    budget = _get_budget(request, year)
    if budget.is_frozen:
        # An adopted budget is a decided document: a change is a new version.
        status = 403 if request.method == "POST" else 200
        return render(request, "budget/budget_edit.html", {"budget": budget}, status=status)
    data = request.POST if request.method == "POST" else None
    form = BudgetForm(data, instance=budget)
    formset = BudgetradFormSet(data, instance=budget, prefix="rader")
    if request.method == "POST" and all([form.is_valid(), formset.is_valid()]):
        with transaction.atomic():
            form.save()
            formset.save()
            Handelse.record(
                forbund=request.forbund,
                user=request.user,
                subject=budget,
                action="ändrad",
                changes=_changes(form, formset),
            )
        messages.success(request, f"Budget {budget.year} är sparad.")
        return redirect(budget)
    context = {"budget": budget, "form": form, "formset": formset}
    return render(request, "budget/budget_edit.html", context)


def _changes(form, formset):
    changes = {name: str(form.cleaned_data[name]) for name in form.changed_data}
    saved = formset.new_objects + [obj for obj, _fields in formset.changed_objects]
    if saved:
        changes["rader"] = {r.name: "" if r.amount is None else str(r.amount) for r in saved}
    if formset.deleted_objects:
        changes["borttagna rader"] = [r.name for r in formset.deleted_objects]
    return changes


@forbund_view(READERS)
def medlemsavgifter_edit(request, year):
    """Kansli writes each member's contribution for the year; readers see them."""
    editable = can_edit(request.roll)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    medlemmar = Medlem.objects.of(request.forbund)
    avgifter = list(
        Medlemsavgift.objects.of(request.forbund).of_year(year).select_related("medlem")
    )
    current = {a.medlem_id: a.amount for a in avgifter}
    data = request.POST if request.method == "POST" else None
    form = MedlemsavgiftForm(data, medlemmar=medlemmar, current=current)
    if data is not None and form.is_valid():
        changed = Medlemsavgift.set_for_year(
            forbund=request.forbund, year=year, amounts=form.amounts(), user=request.user
        )
        messages.success(request, f"Medlemsavgifterna för {year} är sparade ({changed} ändrade).")
        return redirect("medlemsavgifter_edit", request.forbund.slug, year)
    context = {
        "year": year,
        "form": form,
        "avgifter": avgifter,
        "current": current,
        "split": contribution_split(avgifter),
        "editable": editable,
        "budget": Budget.objects.of(request.forbund).latest_version(year),
    }
    return render(request, "budget/medlemsavgifter.html", context)
