"""The minutes page (make, sign), the public anslagstavla, the delegation limit setting."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from finsam import history
from finsam.access import forbund_view
from finsam.concurrency import Conflict, Replayed, already_saved
from finsam.documents import download_name
from finsam.models import Dokument, Forbund, Handelse, Protokoll, Sammantrade
from finsam.permissions import can_edit

from . import workflow
from .content import minutes_context
from .forms import DelegationLimitForm, ProtokollForm, SignForm
from .permissions import (
    MINUTES_EDITORS,
    MINUTES_READERS,
    SETTINGS_EDITORS,
    SIGNERS,
    can_sign,
    is_public,
)


def _meeting(request, pk):
    return get_object_or_404(
        Sammantrade.objects.of(request.forbund).select_related("forbund"), pk=pk
    )


def _page(request, sammantrade, *, form=None, sign_form=None, error=""):
    protokoll = Protokoll.objects.filter(sammantrade=sammantrade).first()
    documents = workflow.documents_of(protokoll) if protokoll else Dokument.objects.none()
    current = workflow.current_document(protokoll) if protokoll else None
    may_sign = (
        protokoll is not None
        and current is not None
        and current.status == Dokument.Status.DONE
        and not sammantrade.is_frozen
        and can_sign(request.roll, protokoll, request.user)
    )
    if may_sign and sign_form is None:
        sign_form = SignForm(instance=protokoll, initial={"checksum": current.checksum})
    editable = can_edit(request.roll) and not sammantrade.is_frozen
    if editable and form is None and not (protokoll and protokoll.signaturer.exists()):
        form = ProtokollForm(instance=sammantrade)
    context = minutes_context(sammantrade, protokoll) if protokoll is not None else {}
    context |= {
        "sammantrade": sammantrade,
        "protokoll": protokoll,
        "documents": documents if can_edit(request.roll) else documents.filter(status="done"),
        "current": current,
        "signers": workflow.signers(protokoll) if protokoll else [],
        "signaturer": protokoll.signaturer.select_related("ledamot", "user") if protokoll else [],
        "waiting": workflow.waiting_for(protokoll) if protokoll else [],
        "can_generate": editable and workflow.can_generate(sammantrade, protokoll),
        "form": form if editable else None,
        "sign_form": sign_form if may_sign else None,
        "error": error,
        "kan_andra": can_edit(request.roll),
        "historik": history.for_page(request, sammantrade),
    }
    return render(request, "finsam/minutes/protokoll_detail.html", context)


@forbund_view(MINUTES_READERS)
def protokoll_detail(request, pk):
    return _page(request, _meeting(request, pk))


@forbund_view(MINUTES_EDITORS)
def protokoll_edit(request, pk):
    sammantrade = _meeting(request, pk)
    if request.method != "POST":
        return redirect("protokoll_detail", request.forbund.slug, sammantrade.pk)
    form = ProtokollForm(request.POST, instance=sammantrade)
    if sammantrade.is_frozen:
        messages.error(request, "Protokollet är justerat och kan inte längre ändras.")
        return redirect("protokoll_detail", request.forbund.slug, sammantrade.pk)
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                form.claim(request.forbund)
                workflow.set_participants(
                    workflow.protokoll_of(sammantrade),
                    ordforande=data["ordforande"],
                    justerare=data["justerare"],
                    sekreterare=data["sekreterare"],
                    ovriga_narvarande=data["ovriga_narvarande"],
                    user=request.user,
                )
                form.remember(sammantrade)
        except Replayed:
            return already_saved(
                request, reverse("protokoll_detail", args=[request.forbund.slug, pk])
            )
        except Conflict:
            form.show_conflict(request)
        except (workflow.MinutesError, ValidationError) as exc:
            error = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        else:
            messages.success(request, "Protokollets uppgifter är sparade.")
            return redirect("protokoll_detail", request.forbund.slug, sammantrade.pk)
    return _page(request, sammantrade, form=form, error=error)


@forbund_view(MINUTES_EDITORS)
@require_POST
def protokoll_pdf_create(request, pk):
    sammantrade = _meeting(request, pk)
    try:
        workflow.start_minutes_pdf(sammantrade, user=request.user)
    except (workflow.MinutesError, ValidationError) as exc:
        messages.error(request, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, "Protokollet skapas som PDF; det visas här när det är klart.")
    return redirect("protokoll_detail", request.forbund.slug, sammantrade.pk)


@forbund_view(SIGNERS)
@require_POST
def protokoll_sign(request, pk):
    sammantrade = _meeting(request, pk)
    protokoll = get_object_or_404(Protokoll, sammantrade=sammantrade)
    if not workflow.signers(protokoll) or not any(
        ledamot.user_id == request.user.pk for ledamot, _ in workflow.signers(protokoll)
    ):
        raise PermissionDenied
    form = SignForm(request.POST, instance=protokoll)
    if not form.is_valid():
        return _page(request, sammantrade, sign_form=form)
    try:
        with transaction.atomic():
            form.claim(request.forbund)
            workflow.sign(protokoll, user=request.user, checksum=form.cleaned_data["checksum"])
            form.remember(protokoll)
    except Replayed:
        return already_saved(request, reverse("protokoll_detail", args=[request.forbund.slug, pk]))
    except workflow.MinutesError as exc:
        messages.error(request, str(exc))
    else:
        sammantrade.refresh_from_db()
        if sammantrade.is_frozen:
            messages.success(
                request, "Du har justerat protokollet. Alla har justerat: det är anslaget."
            )
        else:
            messages.success(request, "Du har justerat protokollet.")
    return redirect("protokoll_detail", request.forbund.slug, sammantrade.pk)


@forbund_view(MINUTES_READERS)
def protokoll_download(request, pk, dokument):
    sammantrade = _meeting(request, pk)
    protokoll = get_object_or_404(Protokoll, sammantrade=sammantrade)
    row = get_object_or_404(workflow.documents_of(protokoll), pk=dokument)
    return _file(row)


def _file(dokument):
    if dokument.status != Dokument.Status.DONE or not dokument.file:
        raise Http404
    return FileResponse(
        dokument.file.open("rb"),
        as_attachment=False,
        filename=download_name(dokument),
        content_type="application/pdf",
    )


# The anslagstavla: public, no login ---------------------------------------------


def _posted(forbund):
    return (
        Protokoll.objects.of(forbund)
        .filter(posted_at__isnull=False, sammantrade__status__in=Sammantrade.FROZEN_STATUSES)
        .select_related("sammantrade", "dokument")
        .order_by("-sammantrade__date")
    )


def anslagstavla(request, forbund):
    forbund = get_object_or_404(Forbund, slug=forbund)
    rows = []
    for protokoll in _posted(forbund):
        rows.append((protokoll, _public_document(protokoll)))
    return render(request, "finsam/minutes/anslagstavla.html", {"forbund": forbund, "rows": rows})


def _public_document(protokoll):
    """The archived PDF/A copy once made, else the signed PDF."""
    archive = protokoll.dokument
    if archive is not None and archive.status == Dokument.Status.DONE and archive.file:
        return archive
    signed = protokoll.signaturer.select_related("dokument").first()
    return signed.dokument if signed else None


def anslagstavla_pdf(request, forbund, pk):
    forbund = get_object_or_404(Forbund, slug=forbund)
    protokoll = get_object_or_404(_posted(forbund), pk=pk)
    if not is_public(protokoll):
        raise Http404
    dokument = _public_document(protokoll)
    if dokument is None:
        raise Http404
    return _file(dokument)


# Settings ------------------------------------------------------------------------


@forbund_view(SETTINGS_EDITORS)
def delegation_limit_edit(request):
    forbund = request.forbund
    before = forbund.delegation_limit
    form = DelegationLimitForm(request.POST or None, instance=forbund)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.claim(forbund)
                form.save()
                form.remember(forbund)
                Handelse.record(
                    forbund=forbund,
                    user=request.user,
                    subject=forbund,
                    action="delegationsgräns ändrad",
                    changes={"delegationsgräns": [str(before), str(forbund.delegation_limit)]},
                )
        except Replayed:
            return already_saved(request, reverse("delegation_limit_edit", args=[forbund.slug]))
        messages.success(request, "Delegationsgränsen är sparad.")
        return redirect("delegation_limit_edit", forbund.slug)
    return render(
        request,
        "finsam/minutes/delegation_limit.html",
        {"form": form, "kan_andra": True, "historik": history.for_page(request, forbund)},
    )
