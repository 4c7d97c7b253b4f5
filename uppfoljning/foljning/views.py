"""The board's follow-up page, kansli's assessments of manual targets, the PDF and the Excel."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from budget.models import Resultatmal
from finsam import history
from finsam.access import forbund_view
from finsam.concurrency import CONFLICT, REVISION, Conflict, Replayed, already_saved
from finsam.documents import DokumentError, of_subject
from finsam.excel import MIME_TYPE
from finsam.models import Dokument, Handelse

from ..models import Malbedomning
from . import indicators
from . import permissions as perm
from .document import content_context
from .excel import workbook
from .forms import MalbedomningForm, PeriodForm
from .indicators import PDF_PERIODS, PERIODS
from .tasks import start_uppfoljning_pdf

BAD_PERIOD = "Perioden kunde inte visas: {}. Sidan visar i stället {}."


def chosen_period(request, data=None, *, quiet=False):
    """The period asked for (GET, or `data`), validated; a bad one falls back to the default.

    Returns (period, form); the form carries its errors beside its fields, and
    unless `quiet` a message says what is shown instead.
    """
    today = indicators.current_date()
    data = request.GET if data is None else data
    year, key = today.year, indicators.DEFAULT_PERIOD
    form = PeriodForm(
        data if ("ar" in data or "period" in data) else None,
        initial={"ar": year, "period": key},
        today=today,
    )
    if form.is_bound:
        if form.is_valid():
            year = form.cleaned_data["ar"] or year
            key = form.cleaned_data["period"] or key
        else:
            if "ar" not in form.errors and form.cleaned_data.get("ar"):
                year = form.cleaned_data["ar"]
            if "period" not in form.errors and form.cleaned_data.get("period"):
                key = form.cleaned_data["period"]
            problems = "; ".join(e for errors in form.errors.values() for e in errors)
            fallback = indicators.Period.of(year, key, today)
            if not quiet:
                messages.error(request, BAD_PERIOD.format(problems.rstrip("."), fallback.label))
    return indicators.Period.of(year, key, today), form


def _query(period):
    return urlencode({"ar": period.year, "period": period.key})


def _documents(request):
    documents = of_subject(request.forbund, Dokument.Kind.UPPFOLJNING).select_related("created_by")
    if not perm.can_edit(request.roll):
        documents = documents.filter(status=Dokument.Status.DONE)
    return documents


def _panel_context(request, figures, error=""):
    key = figures.period.key
    return {
        "figures": figures,
        "documents": _documents(request),
        "can_edit": perm.can_edit(request.roll),
        "pdf_periods": [(k, PERIODS[k]) for k in PDF_PERIODS],
        "pdf_default": key if key in PDF_PERIODS else "ar",
        "error": error,
    }


@forbund_view(perm.READ)
def uppfoljning_index(request):
    period, form = chosen_period(request)
    figures = indicators.load(request.forbund, period)
    context = content_context(figures)
    context.update(_panel_context(request, figures))
    today = indicators.current_date()
    assess = indicators.Period.of(period.year, indicators.assessment_period(period), today)
    context.update(
        {
            "period_form": form,
            "query": _query(period),
            "assess_period": assess,
            "assess_query": _query(assess),
            "print": False,
        }
    )
    return render(request, "uppfoljning/foljning/index.html", context)


@forbund_view(perm.READ)
def uppfoljning_excel(request):
    period, _form = chosen_period(request, quiet=True)  # a file: no page to say it on
    figures = indicators.load(request.forbund, period)
    response = HttpResponse(workbook(figures), content_type=MIME_TYPE)
    name = f"uppfoljning-{request.forbund.slug}-{period.slug}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@forbund_view(perm.EDIT)
@require_POST
def uppfoljning_pdf_create(request):
    period, form = chosen_period(request, request.POST, quiet=True)
    error = ""
    if form.is_bound and not form.is_valid():
        error = "PDF:en kunde inte beställas: ange ett år och en period ur listan."
    elif period.key not in PDF_PERIODS:
        error = "PDF:en till styrelsen görs för ett halvår eller ett helt år; välj en av dem."
    else:
        try:
            start_uppfoljning_pdf(request.forbund, period, user=request.user)
        except DokumentError as exc:
            error = str(exc)
    if request.htmx:
        figures = indicators.load(request.forbund, period)
        return render(
            request,
            "uppfoljning/foljning/_pdf_panel.html",
            _panel_context(request, figures, error),
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "PDF:en är beställd; den visas i listan när den är klar.")
    return redirect(f"{reverse('uppfoljning_index', args=[request.forbund.slug])}?{_query(period)}")


@forbund_view(perm.EDIT)
def uppfoljning_bedomning(request, pk):
    """Kansli's assessment of a manual result target for the period (GET ?ar=&period=)."""
    resultatmal = get_object_or_404(
        Resultatmal.objects.of(request.forbund).select_related("mal__plan"), pk=pk
    )
    if resultatmal.indicator != Resultatmal.Indicator.MANUELL:
        raise Http404
    period, _form = chosen_period(request)
    if period.year != resultatmal.mal.plan.year:
        raise Http404
    if period.key not in PDF_PERIODS:  # the year so far: the half-year it ends in
        key = indicators.assessment_period(period)
        period = indicators.Period.of(period.year, key, indicators.current_date())
    existing = (
        Malbedomning.objects.of(request.forbund)
        .filter(resultatmal=resultatmal, period_start=period.start, period_end=period.end)
        .first()
    )
    bedomning = existing or Malbedomning(
        resultatmal=resultatmal, period_start=period.start, period_end=period.end
    )
    creating = bedomning.pk is None
    back_url = f"{reverse('uppfoljning_index', args=[request.forbund.slug])}?{_query(period)}"
    form = MalbedomningForm(request.POST or None, instance=bedomning)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.claim(request.forbund)
                if not creating and not form.cleaned_data.get(REVISION):
                    raise Conflict  # the form was for a new one: someone has saved one since
                bedomning = form.save()
                form.remember(bedomning)
                Handelse.record(
                    forbund=request.forbund,
                    user=request.user,
                    subject=bedomning,
                    action="skapad" if creating else "ändrad",
                    changes=history.form_changes(form, created=creating),
                )
        except Replayed:
            return already_saved(request, back_url)
        except IntegrityError:  # two first saves at once: the other one is saved
            messages.error(
                request, f"{CONFLICT}. Inget har sparats; läs bedömningen och spara igen."
            )
            return redirect(request.get_full_path())
        except Conflict:
            form.show_conflict(request, [])
        else:
            messages.success(request, f"Bedömningen av {resultatmal.number} är sparad.")
            return redirect(back_url)
    context = {
        "form": form,
        "resultatmal": resultatmal,
        "period": period,
        "back_url": back_url,
        "historik": None if creating else history.for_page(request, bedomning),
    }
    return render(request, "uppfoljning/foljning/bedomning_form.html", context)
