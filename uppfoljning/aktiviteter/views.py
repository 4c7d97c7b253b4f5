"""Competence activities: kansli registers, changes and deletes; readers list them."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from finsam import history
from finsam.access import forbund_view
from finsam.concurrency import Conflict, Replayed, already_saved
from finsam.lists.views import filtered, list_view
from finsam.models import Handelse

from ..models import Aktivitet
from . import permissions as perm
from .forms import AktivitetForm, DeleteForm
from .lists import AktivitetFilterSet, AktivitetTable


def _list_url(request):
    return reverse("aktivitet_list", args=[request.forbund.slug])


@forbund_view(perm.READ)
def aktivitet_list(request):
    rows = Aktivitet.objects.of(request.forbund).select_related("insats").order_by("-date", "-pk")
    filterset = filtered(request, rows, AktivitetFilterSet)
    totals = filterset.qs.aggregate(women=Sum("participants_women"), men=Sum("participants_men"))
    return list_view(
        request,
        rows,
        AktivitetTable,
        AktivitetFilterSet,
        template="uppfoljning/aktiviteter/list.html",
        filename=f"aktiviteter-{request.forbund.slug}",
        context_name="aktiviteter",
        context={
            "kan_andra": perm.can_edit(request.roll),
            "women": totals["women"] or 0,
            "men": totals["men"] or 0,
        },
        filterset=filterset,
    )


@forbund_view(perm.EDIT)
def aktivitet_create(request):
    return _edit(request, Aktivitet(forbund=request.forbund))


@forbund_view(perm.EDIT)
def aktivitet_edit(request, pk):
    return _edit(request, get_object_or_404(Aktivitet.objects.of(request.forbund), pk=pk))


def _edit(request, aktivitet):
    creating = aktivitet.pk is None
    form = AktivitetForm(request.POST or None, instance=aktivitet, forbund=request.forbund)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.claim(request.forbund)
                aktivitet = form.save()
                form.remember(aktivitet)
                Handelse.record(
                    forbund=request.forbund,
                    user=request.user,
                    subject=aktivitet,
                    action="skapad" if creating else "ändrad",
                    changes=history.form_changes(form, created=creating),
                )
        except Replayed:
            return already_saved(request, _list_url(request))
        except Conflict:
            form.show_conflict(request, [])
        else:
            messages.success(request, f"Aktiviteten {aktivitet.title} är sparad.")
            return redirect(_list_url(request))
    context = {
        "form": form,
        "aktivitet": aktivitet,
        "creating": creating,
        "historik": None if creating else history.for_page(request, aktivitet),
    }
    return render(request, "uppfoljning/aktiviteter/form.html", context)


@forbund_view(perm.EDIT)
def aktivitet_delete(request, pk):
    aktivitet = get_object_or_404(Aktivitet.objects.of(request.forbund), pk=pk)
    form = DeleteForm(request.POST or None, instance=aktivitet)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.claim(request.forbund)
                Handelse.record(
                    forbund=request.forbund,
                    user=request.user,
                    subject=aktivitet,
                    action="borttagen",
                    changes={
                        "rubrik": [aktivitet.title, None],
                        "datum": [str(aktivitet.date), None],
                        "deltagare": [
                            f"{aktivitet.participants_women} kvinnor, "
                            f"{aktivitet.participants_men} män",
                            None,
                        ],
                    },
                )
                aktivitet.delete()
        except Replayed:
            return already_saved(request, _list_url(request))
        except Conflict:
            form.show_conflict(request, [])
        else:
            messages.success(request, f"Aktiviteten {aktivitet.title} är borttagen.")
            return redirect(_list_url(request))
    return render(
        request, "uppfoljning/aktiviteter/delete.html", {"form": form, "aktivitet": aktivitet}
    )
