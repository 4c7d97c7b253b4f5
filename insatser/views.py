from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch, Sum, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from finsam import history
from finsam.access import forbund_view
from finsam.concurrency import Conflict, Replayed, already_saved
from finsam.lists.collation import swedish
from finsam.lists.views import filtered, list_view
from finsam.models import Handelse
from finsam.permissions import EDITORS, EVERYONE, can_edit

from . import decisions
from .forms import AnslagFormSet, InsatsForm
from .lists import InsatsFilterSet, InsatsTable
from .models import Anslag, Insats
from .rekvisitioner import permissions as rekvisition_perm
from .rekvisitioner import workflow as rekvisition_workflow


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
        .order_by(swedish("name"), "pk")
    )
    filterset = filtered(request, insatser, InsatsFilterSet)
    filterset.is_valid()  # cleans the fields: the valid ones are in cleaned_data
    year = filterset.form.cleaned_data.get("ar") or current_year()
    with_grants = filterset.qs.with_grants(grant_now=year, grant_next=year + 1)
    # Asked only when the table is built (not when it is served from the page cache).
    totals = SimpleLazyObject(
        lambda: with_grants.aggregate(now=Sum("grant_now"), next=Sum("grant_next"))
    )
    return list_view(
        request,
        insatser,
        InsatsTable,
        InsatsFilterSet,
        template="insatser/insats_list.html",
        filename=f"insatser-{request.forbund.slug}",
        context_name="insatser",
        context={
            "year": year,
            "next_year": year + 1,
            "total_now": SimpleLazyObject(lambda: totals["now"] or 0),
        },
        table_kwargs={"year": year, "totals": totals},
        filterset=filterset,
        annotate=lambda rows: rows.with_grants(grant_now=year, grant_next=year + 1),
        cache="insatser",
    )


@forbund_view(EVERYONE)
def insats_detail(request, pk):
    insatser = (
        Insats.objects.of(request.forbund)
        .visible_to(request.roll)
        .select_related("agare", "malgrupp", "ansokan")
    )
    insats = get_object_or_404(insatser, pk=pk)

    def load_page():
        """What the page shows of the insats: built only when the page's cached fragment
        (finsam/generation.py, keyed by the insats's row) is not at hand."""
        grants = Anslag.objects.select_related("beslut__arende__sammantrade")
        prefetch_related_objects([insats], "deltagare", Prefetch("anslag", queryset=grants))
        anslag = list(insats.anslag.all())
        return {
            "anslag": anslag,
            "anslag_total": sum(a.amount for a in anslag),
            "beslutsbrev": insats.ansokan and decisions.latest_letter(insats.ansokan),
            "can_claim": rekvisition_perm.can_claim(request.roll, insats),
            "rekvisition_summaries": rekvisition_workflow.summaries(insats),
            "historik": history.for_page(request, insats, insats=insats),
        }

    context = {
        "insats": insats,
        "can_edit": can_edit(request.roll),
        "can_register_claim": rekvisition_perm.can_register(request.roll),
        "load_page": load_page,
        # Read before the generations: in the fragment's key by their rows.
        "rows": [insats.agare, insats.malgrupp, insats.ansokan],
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
        try:
            with transaction.atomic():
                form.claim(request.forbund)
                insats = form.save()
                form.remember(insats)
                formset.instance = insats
                formset.save()
                Handelse.record(
                    forbund=request.forbund,
                    user=request.user,
                    subject=insats,
                    action="skapad" if creating else "ändrad",
                    changes=_changes(form, formset, creating),
                )
        except Replayed as replay:
            url = replay.subject or reverse("insats_list", args=[request.forbund.slug])
            return already_saved(request, url)
        except Conflict:
            form.show_conflict(request, [formset])
        else:
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
