"""The plan's and the budget table's PDFs: ask for one, follow it, download it.

Kansli asks for a PDF; the readers of its subject (kansli, styrelse, revisor,
and an insatsägare once the plan or budget is published) follow and download
it. The panel on the plan and budget pages loads from here with htmx, and a
document on its way polls its own status every 2 s until it is done.
"""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from finsam import generation
from finsam.access import forbund_view
from finsam.documents import DokumentError, archived_copy, download_name, of_subject
from finsam.models import Dokument
from finsam.permissions import EDITORS, EVERYONE, INSATSAGARE, READERS, can_edit

from .models import Budget, Verksamhetsplan
from .plan.content import is_adopted, plan_html
from .tasks import start_budget_pdf, start_plan_pdf

PUBLISHED = {Budget: Budget.Status.PUBLICERAD, Verksamhetsplan: Verksamhetsplan.Status.PUBLICERAD}


def may_read(roll, subject):
    """Kansli, styrelse and revisor read; an insatsägare only a published plan or budget."""
    if roll.kind in READERS:
        return True
    published = PUBLISHED.get(type(subject))
    return roll.kind == INSATSAGARE and published is not None and subject.status == published


def _readable(request, subject):
    if subject is None:
        raise Http404
    if not may_read(request.roll, subject):
        raise PermissionDenied
    return subject


def _latest_readable(request, versions):
    """The latest version the role may read: 404 if there is none, 403 if not yet."""
    subject = versions.visible_to(request.roll).order_by("-version").first()
    if subject is None:
        raise PermissionDenied if versions.exists() else Http404
    return subject


def _get_plan(request, year):
    plans = Verksamhetsplan.objects.of(request.forbund).of_year(year)
    return _latest_readable(request, plans.select_related("forbund", "beslut"))


def _get_budget(request, year, version=None):
    budgets = Budget.objects.of(request.forbund).of_year(year).select_related("forbund", "beslut")
    if version is None:
        return _latest_readable(request, budgets)
    # "²" passes str.isdigit() but not int(); 30 digits pass int() but not the database.
    if not re.fullmatch(r"[0-9]{1,5}", str(version)):
        raise Http404
    return _readable(request, budgets.filter(version=int(version)).first())


def _panel(
    request, subject, *, kind, create_url, panel_url, panel_id, adopted, error="", preview_url=""
):
    documents = of_subject(subject, kind).select_related("created_by")
    if not can_edit(request.roll):
        documents = documents.filter(status=Dokument.Status.DONE)
    archived = archived_copy(subject, kind) if adopted else None
    context = {
        "subject": subject,
        "documents": documents,
        "can_create": can_edit(request.roll) and archived is None,
        "archived": archived,
        "adopted": adopted,
        "create_url": create_url,
        "panel_url": panel_url,
        "panel_id": panel_id,
        "preview_url": preview_url,
        "error": error,
    }
    return render(request, "finsam/_dokument_panel.html", context)


def _plan_panel(request, plan, error=""):
    slug = request.forbund.slug
    return _panel(
        request,
        plan,
        kind=Dokument.Kind.VERKSAMHETSPLAN,
        create_url=reverse("plan_pdf_create", args=[slug, plan.year]),
        panel_url=reverse("plan_documents", args=[slug, plan.year]),
        panel_id="plan-pdf",
        preview_url=reverse("plan_preview", args=[slug, plan.year]),
        adopted=is_adopted(plan),
        error=error,
    )


def _budget_panel(request, budget, error=""):
    slug = request.forbund.slug
    query = f"?version={budget.version}"
    return _panel(
        request,
        budget,
        kind=Dokument.Kind.BUDGETTABELL,
        create_url=reverse("budget_pdf_create", args=[slug, budget.year]) + query,
        panel_url=reverse("budget_documents", args=[slug, budget.year]) + query,
        panel_id="budget-pdf",
        adopted=budget.is_frozen,
        error=error,
    )


def _start(request, start, subject, panel, back):
    """Queue the PDF; answer htmx with the panel, a plain form with a redirect."""
    error = ""
    try:
        start(subject, user=request.user)
    except DokumentError as exc:
        error = str(exc)
    if request.htmx:
        return panel(request, subject, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "PDF:en är beställd; den visas i listan när den är klar.")
    return back


@forbund_view(EDITORS)
@require_POST
def plan_pdf_create(request, year):
    plan = _get_plan(request, year)
    back = redirect("plan_detail", request.forbund.slug, plan.year)
    return _start(request, start_plan_pdf, plan, _plan_panel, back)


@forbund_view(EVERYONE)
def plan_documents(request, year):
    return _plan_panel(request, _get_plan(request, year))


@forbund_view(EVERYONE)
def plan_preview(request, year):
    """The print HTML in the browser: the same template as the PDF (cached per generation)."""
    plan = _get_plan(request, year)
    return HttpResponse(
        generation.fragment(request, "plan_preview", lambda: plan_html(plan), plan, plan.beslut)
    )


@forbund_view(EDITORS)
@require_POST
def budget_pdf_create(request, year):
    budget = _get_budget(request, year, request.GET.get("version"))
    back = redirect(f"{budget.get_absolute_url()}?version={budget.version}")
    return _start(request, start_budget_pdf, budget, _budget_panel, back)


@forbund_view(EVERYONE)
def budget_documents(request, year):
    return _budget_panel(request, _get_budget(request, year, request.GET.get("version")))


def _get_dokument(request, pk):
    dokument = get_object_or_404(Dokument.objects.of(request.forbund), pk=pk)
    _readable(request, dokument.subject)
    return dokument


@forbund_view(EVERYONE)
def dokument_status(request, pk):
    """One document's row in the panel; htmx polls it while it is on its way."""
    return render(request, "finsam/_dokument.html", {"dokument": _get_dokument(request, pk)})


@forbund_view(EVERYONE)
def dokument_download(request, pk):
    dokument = _get_dokument(request, pk)
    if dokument.status != Dokument.Status.DONE or not dokument.file:
        raise Http404
    return FileResponse(
        dokument.file.open("rb"),
        as_attachment=True,
        filename=download_name(dokument),
        content_type="application/pdf",
    )
