from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from finsam import history
from finsam.access import forbund_view
from finsam.models import Handelse
from finsam.permissions import EDITORS, EVERYONE, can_edit

from .forms import AnslagFormSet, InsatsFilter, InsatsForm
from .models import Anslag, Insats


def current_year():
    return timezone.localdate().year


def _get_insats(request, pk):
    """The insats, if the user may see it: another member's insats is 404 to an insatsägare."""
    insatser = Insats.objects.of(request.forbund).visible_to(request.roll)
    return get_object_or_404(insatser, pk=pk)


@forbund_view(EVERYONE)
def insats_list(request):
    insatser = (
        Insats.objects.of(request.forbund)
        .visible_to(request.roll)
        .select_related("agare")
        .order_by("name", "pk")
    )
    filter_form = InsatsFilter(request.GET or None)
    year = current_year()
    if filter_form.is_valid():
        if status := filter_form.cleaned_data["status"]:
            insatser = insatser.filter(status=status)
        if filter_form.cleaned_data["ar"]:
            year = filter_form.cleaned_data["ar"]
            insatser = insatser.active_in(year)
    insatser = list(insatser.with_grants(grant_now=year, grant_next=year + 1))
    context = {
        "insatser": insatser,
        "filter_form": filter_form,
        "year": year,
        "next_year": year + 1,
        "total_now": sum(i.grant_now or 0 for i in insatser),
        "total_next": sum(i.grant_next or 0 for i in insatser),
        "can_edit": can_edit(request.roll),
    }
    return render(request, "insatser/insats_list.html", context)


@forbund_view(EVERYONE)
def insats_detail(request, pk):
    insatser = (
        Insats.objects.of(request.forbund)
        .visible_to(request.roll)
        .select_related("agare", "malgrupp", "ansokan")
        .prefetch_related(
            "deltagare", Prefetch("anslag", queryset=Anslag.objects.select_related("beslut"))
        )
    )
    insats = get_object_or_404(insatser, pk=pk)
    anslag = list(insats.anslag.all())
    context = {
        "insats": insats,
        "anslag": anslag,
        "anslag_total": sum(a.amount for a in anslag),
        "can_edit": can_edit(request.roll),
        "historik": history.for_page(request, insats, insats=insats),
    }
    return render(request, "insatser/insats_detail.html", context)


@forbund_view(EDITORS)
def insats_create(request):
    return _edit(request, Insats(forbund=request.forbund))


@forbund_view(EDITORS)
def insats_edit(request, pk):
    return _edit(request, _get_insats(request, pk))


def _edit(request, insats):
    creating = insats.pk is None
    data = request.POST if request.method == "POST" else None
    form = InsatsForm(data, instance=insats, forbund=request.forbund)
    formset = AnslagFormSet(data, instance=insats, prefix="anslag")
    # Validate both, so that every bad field is marked at once.
    if request.method == "POST" and all([form.is_valid(), formset.is_valid()]):
        with transaction.atomic():
            insats = form.save()
            formset.instance = insats
            formset.save()
            Handelse.record(
                forbund=request.forbund,
                user=request.user,
                subject=insats,
                action="skapad" if creating else "ändrad",
                changes=_changes(form, formset, creating),
            )
        messages.success(request, f"Insatsen {insats.name} är sparad.")
        return redirect(insats)
    context = {"form": form, "formset": formset, "insats": insats, "creating": creating}
    return render(request, "insatser/insats_form.html", context)


def _changes(form, formset, creating):
    """The insats's fields [before, after], and its grants by year: {"anslag": {"2027": [...]}}."""
    changes = history.form_changes(form, created=creating)
    grants = {}
    for grant_form in formset.forms:
        if grant_form in formset.deleted_forms or not grant_form.has_changed():
            continue
        grant = grant_form.instance
        before = grant_form.initial.get("amount")  # None in a new row
        grants[str(grant.year)] = [_amount(before), _amount(grant.amount)]
    if grants:
        changes["anslag"] = grants
    if formset.deleted_objects:
        changes["anslag borttagna"] = [a.year for a in formset.deleted_objects]
    return changes


def _amount(value):
    return None if value is None else str(value)
