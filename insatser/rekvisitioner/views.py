"""Payment claims: the owner claims, kansli approves or rejects, everyone sees the sums."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from finsam import history
from finsam.access import forbund_view
from finsam.concurrency import Conflict, Replayed, already_saved
from finsam.lists.views import filtered, list_view
from finsam.permissions import EVERYONE, INSATSAGARE, KANSLI

from ..models import Insats, Rekvisition
from . import permissions as perm
from . import workflow
from .forms import BeslutForm, RegistreraForm, RekvisitionForm
from .lists import RekvisitionFilterSet, RekvisitionTable


def _refuse_unless(allowed):
    if not allowed:
        raise PermissionDenied


def _get(request, pk):
    """The claim, if the role may know of it: another member's is 404 to an insatsägare."""
    rows = Rekvisition.objects.of(request.forbund).select_related("insats__agare")
    return get_object_or_404(perm.visible(rows, request.roll), pk=pk)


@forbund_view(EVERYONE)
def rekvisition_list(request):
    rows = perm.visible(
        Rekvisition.objects.of(request.forbund).select_related("insats__agare"), request.roll
    ).order_by("-received_at", "-pk")
    filterset = filtered(request, rows, RekvisitionFilterSet)
    filterset.is_valid()
    year = filterset.form.cleaned_data.get("ar") or timezone.localdate().year
    insatser = Insats.objects.of(request.forbund).visible_to(request.roll)
    if chosen := filterset.form.cleaned_data.get("insats"):
        insatser = insatser.filter(pk=chosen.pk)
    sums = [
        (insats, workflow.summary(insats, year))
        for insats in insatser.filter(anslag__year=year).select_related("agare")
    ]
    return list_view(
        request,
        rows,
        RekvisitionTable,
        RekvisitionFilterSet,
        template="insatser/rekvisitioner/list.html",
        filename=f"rekvisitioner-{request.forbund.slug}",
        context_name="rekvisitioner",
        context={"year": year, "sums": sums},
        filterset=filterset,
    )


@forbund_view(EVERYONE)
def rekvisition_detail(request, pk):
    rekvisition = _get(request, pk)
    insats = rekvisition.insats
    context = {
        "rekvisition": rekvisition,
        "insats": insats,
        "summaries": [workflow.summary(insats, workflow.claim_year(rekvisition))],
        "can_decide": perm.can_decide(request.roll)
        and rekvisition.status == Rekvisition.Status.INSKICKAD,
        "historik": history.for_page(request, rekvisition, insats=insats),
    }
    return render(request, "insatser/rekvisitioner/detail.html", context)


@forbund_view({INSATSAGARE})
def rekvisition_create(request, pk):
    insats = get_object_or_404(Insats.objects.of(request.forbund).visible_to(request.roll), pk=pk)
    _refuse_unless(perm.can_claim(request.roll, insats))
    return _claim(request, insats, RekvisitionForm, Rekvisition(insats=insats))


@forbund_view({KANSLI})
def rekvisition_register(request, pk):
    """A claim that came by post or e-mail, registered by kansli for the insats's owner."""
    insats = get_object_or_404(Insats.objects.of(request.forbund), pk=pk)
    _refuse_unless(perm.can_register(request.roll))
    rekvisition = Rekvisition(insats=insats, registered_by_kansli=True)
    return _claim(request, insats, RegistreraForm, rekvisition)


def _claim(request, insats, form_class, rekvisition):
    form = form_class(request.POST or None, instance=rekvisition)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.claim(request.forbund)
                rekvisition = form.save(commit=False)
                workflow.submit(
                    rekvisition, request.user, received_on=form.cleaned_data.get("received_on")
                )
                form.remember(rekvisition)
        except Replayed as replay:
            return already_saved(request, replay.subject or insats.get_absolute_url())
        except Conflict:
            form.show_conflict(request, [])
        except workflow.NotAllowed as refused:
            form.add_error("amount", str(refused))
        else:
            done = "registrerad" if rekvisition.registered_by_kansli else "inskickad"
            messages.success(
                request,
                f"Rekvisitionen är {done} och har fått nummer {rekvisition.diarienummer}.",
            )
            return redirect("rekvisition_detail", request.forbund.slug, rekvisition.pk)
    context = {
        "form": form,
        "insats": insats,
        "summaries": workflow.summaries(insats),
        "by_kansli": rekvisition.registered_by_kansli,
    }
    return render(request, "insatser/rekvisitioner/form.html", context)


@forbund_view({KANSLI})
def rekvisition_decide(request, pk):
    rekvisition = _get(request, pk)
    _refuse_unless(perm.can_decide(request.roll))
    detail = reverse("rekvisition_detail", args=[request.forbund.slug, rekvisition.pk])
    form = BeslutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                if form.cleaned_data["decision"] == BeslutForm.GODKANN:
                    workflow.approve(rekvisition, request.user)
                else:
                    workflow.reject(rekvisition, request.user, form.cleaned_data["reason"])
        except workflow.NotAllowed as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request, f"Rekvisitionen är {rekvisition.get_status_display().lower()}."
            )
        return redirect(detail)
    context = {
        "form": form,
        "rekvisition": rekvisition,
        "insats": rekvisition.insats,
        "summaries": [workflow.summary(rekvisition.insats, workflow.claim_year(rekvisition))],
    }
    return render(request, "insatser/rekvisitioner/decide.html", context)
