from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode

from finsam import generation, history
from finsam.access import forbund_view
from finsam.concurrency import (
    Conflict,
    Replayed,
    RevisionForm,
    already_saved,
    conflict_message,
    lock,
)
from finsam.forms import ReasonForm
from finsam.models import Handelse, Medlem
from finsam.permissions import EDITORS, EVERYONE, READERS, can_edit

from .excel import MIME_TYPE, budget_workbook
from .forms import AdoptForm, BudgetForm, BudgetradFormSet, MedlemsavgiftForm, OutcomeFormSet
from .models import Budget, Budgetrad, Medlemsavgift
from .tables import budget_table, contribution_split, key_split
from .versions import start_from_previous

UNITS = ("tkr", "kr")


def current_year():
    return timezone.localdate().year


def _get_budget(request, year):
    """The year's budget that counts (its highest version), or 404."""
    budget = Budget.objects.of(request.forbund).select_related("forbund").latest_version(year)
    if budget is None:
        raise Http404
    return budget


def _visible_versions(request, year):
    """The year's versions the user may read, newest first.

    404 where the year has no budget; 403 for an insatsägare while none is published.
    """
    budgets = Budget.objects.of(request.forbund).of_year(year)
    versions = list(
        budgets.visible_to(request.roll).select_related("forbund", "beslut").order_by("-version")
    )
    if not versions:
        if budgets.exists():
            raise PermissionDenied
        raise Http404
    return versions


def _chosen_version(request, versions):
    """`?version=N` among the readable versions, else the newest."""
    if "version" not in request.GET:
        return versions[0]
    for budget in versions:
        if str(budget.version) == request.GET["version"]:
            return budget
    raise Http404


def _unit(request):
    """The förbund's unit, or `?enhet=kr`/`?enhet=tkr` for this one view."""
    unit = request.GET.get("enhet")
    return unit if unit in UNITS else request.forbund.display_unit


def _may_see_outcome(request):
    """Outcome is live figures of every member's insatser: not for an insatsägare.

    An insatsägare sees the published budget as it was published, without the
    Utfall and Prognos columns (its own insatser's claims are on their pages).
    """
    return request.roll.kind in READERS


def _show_outcome(request, table):
    if not _may_see_outcome(request):
        return False
    return table.has_outcome or request.GET.get("utfall") == "1"


@forbund_view(EVERYONE)
def budget_index(request):
    """The current year's budget, else the latest year's; kansli may start one."""
    budgets = Budget.objects.of(request.forbund).visible_to(request.roll)
    year = current_year()
    if request.method == "POST":
        if not can_edit(request.roll):
            raise PermissionDenied
        return _start_budget(request)
    budget = budgets.latest_version(year) or budgets.order_by("-year", "-version").first()
    if budget is not None:
        return redirect(budget)
    if request.roll.kind not in READERS:
        raise PermissionDenied  # an insatsägare while no budget is published
    context = {"year": year, "can_edit": can_edit(request.roll)}
    return render(request, "budget/budget_none.html", context)


def _start_budget(request):
    """A new year's budget: empty, or from the year before (`fran=forra`)."""
    try:
        year = int(request.POST.get("year") or current_year())
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        messages.error(request, "Ange ett år mellan 2000 och 2100.")
        return redirect("budget_index", request.forbund.slug)
    budgets = Budget.objects.of(request.forbund)
    try:
        if request.POST.get("fran") == "forra":
            budget = start_from_previous(forbund=request.forbund, year=year, user=request.user)
            messages.success(
                request,
                f"Budget {year} är skapad som utkast från budget {year - 1}. "
                "Se över över-/underskottet från tidigare år och prognosen.",
            )
        elif budgets.of_year(year).exists():
            raise ValidationError(f"Det finns redan en budget för {year}.")
        else:
            budget = Budget.create_empty(forbund=request.forbund, year=year, user=request.user)
            messages.success(request, f"Budget {year} är skapad som utkast.")
    except (ValidationError, IntegrityError) as error:
        existing = budgets.latest_version(year)
        if existing is not None:
            # Someone (maybe this very click, twice) started it already.
            messages.info(request, f"Budget {year} finns redan.")
            return redirect(existing)
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("budget_index", request.forbund.slug)
    return redirect(budget)


@forbund_view(EVERYONE)
def budget_detail(request, year):
    # Every budget the role may read, in one query: this year's versions and the years' links.
    readable = list(
        Budget.objects.of(request.forbund)
        .visible_to(request.roll)
        .select_related("forbund", "beslut")
        .order_by("-version")
    )
    versions = [b for b in readable if b.year == year] or _visible_versions(request, year)
    budget = _chosen_version(request, versions)
    editable = can_edit(request.roll)
    unit = _unit(request)
    # The table and the history are cached per generation (finsam/generation.py), by
    # the budget's row, for the role: the rest of the page is built every time.
    parts = generation.value(
        request,
        "budget_detail",
        lambda: {"table": budget_table(budget), "historik": history.for_page(request, budget)},
        budget,
        budget.beslut,
    )
    table, historik = parts["table"], parts["historik"]
    is_latest = budget == versions[0]
    years = sorted({b.year for b in readable})
    context = {
        "budget": budget,
        "table": table,
        "unit": unit,
        "show_outcome": _show_outcome(request, table),
        "may_see_outcome": _may_see_outcome(request),
        "equity_warning": table.equity_warning(unit),
        "versions": versions,
        "is_latest": is_latest,
        "years": years,
        "can_edit": editable,
        "can_read_contributions": request.roll.kind in READERS,
        "next_year": year + 1 if editable and is_latest and year == years[-1] else None,
        "links": _view_links(request, budget, unit),
        "historik": historik,
    }
    context["suggested_surplus"] = _suggested_surplus(budget, historik) if editable else None
    return render(request, "budget/budget_detail.html", context)


def _suggested_surplus(budget, historik=None):
    """The budget this draft was started from, while its surplus is still the copied suggestion.

    The start is among the budget's events in its Historik, unless that shows
    only the latest ones: then it is looked up.
    """
    if budget.status != Budget.Status.UTKAST:
        return None
    if historik is not None and not historik.truncated:
        events = (entry.handelse for entry in historik)
        started = next((h for h in events if h.action == Budget.STARTED_FROM_PREVIOUS), None)
    else:
        started = (
            Handelse.objects.of(budget.forbund_id)
            .filter(
                subject_type=ContentType.objects.get_for_model(Budget),
                subject_id=budget.pk,
                action=Budget.STARTED_FROM_PREVIOUS,
            )
            .first()
        )
    if started and started.changes.get("previous_surplus") == str(budget.previous_surplus):
        return started.changes.get("från", "")
    return None


def _view_links(request, budget, unit):
    """Query strings of the page and the Excel file for this version, unit and columns."""
    base = {}
    if "version" in request.GET:
        base["version"] = budget.version
    if request.GET.get("utfall") == "1":
        base["utfall"] = "1"
    other_unit = "kr" if unit == "tkr" else "tkr"

    def query(**extra):
        params = {**base, **extra}
        return f"?{urlencode(params)}" if params else ""

    return {
        "other_unit": other_unit,
        "other_unit_query": query(enhet=other_unit),
        "excel_query": query(enhet=unit),
        "outcome_query": query(utfall="1", enhet=unit),
    }


@forbund_view(EVERYONE)
def budget_excel(request, year):
    """The table as an Excel file, with the rows, unit and columns of the page."""
    budget = _chosen_version(request, _visible_versions(request, year))
    unit = _unit(request)

    def build():
        table = budget_table(budget)
        return budget_workbook(table, unit=unit, show_outcome=_show_outcome(request, table))

    # The file is cached per generation (finsam/generation.py), by the budget's row and
    # the query string (version, unit, outcome), for the role.
    content = generation.value(
        request, "budget_excel", build, budget, budget.beslut, unit, sorted(request.GET.lists())
    )
    response = HttpResponse(content, content_type=MIME_TYPE)
    filename = f"budget-{request.forbund.slug}-{budget.year}-v{budget.version}-{unit}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _Adopted(Exception):
    """The budget was adopted between reading the page's budget and saving it."""


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
        try:
            with transaction.atomic():
                # Adopted since the page read it (the board's decision committed
                # meanwhile)? Its lines are decided now: save nothing.
                if Budget.objects.select_for_update().get(pk=budget.pk).is_frozen:
                    raise _Adopted
                form.claim(request.forbund)
                form.save()
                formset.save()
                Handelse.record(
                    forbund=request.forbund,
                    user=request.user,
                    subject=budget,
                    action="ändrad",
                    changes=_changes(form, formset),
                )
        except _Adopted:
            budget.refresh_from_db()
            return render(request, "budget/budget_edit.html", {"budget": budget}, status=403)
        except Replayed:
            return already_saved(request, budget.get_absolute_url())
        except Conflict:
            form.show_conflict(request, [formset])
        else:
            messages.success(request, f"Budget {budget.year} är sparad.")
            return redirect(budget)
    context = {
        "budget": budget,
        "form": form,
        "formset": formset,
        "suggested_surplus": _suggested_surplus(budget),
    }
    return render(request, "budget/budget_edit.html", context)


def _changes(form, formset):
    """The budget's fields [before, after]; its lines' amounts by name, [before, after]."""
    changes = history.form_changes(form)
    amounts, other = {}, []
    for line_form in formset.forms:
        if line_form in formset.deleted_forms or not line_form.has_changed():
            continue
        new = line_form.instance in formset.new_objects
        name = line_form.cleaned_data.get("name", "")
        if new or "amount" in line_form.changed_data:
            before = None if new else line_form.initial.get("amount")
            after = line_form.cleaned_data.get("amount")
            amounts[name] = [_amount(before), _amount(after)]
        else:
            other.append(name)
    if amounts:
        changes["rader"] = amounts
    if other:
        changes["ändrade rader"] = other
    if formset.deleted_objects:
        changes["borttagna rader"] = [r.name for r in formset.deleted_objects]
    return changes


def _amount(value):
    return None if value is None else str(value)


@forbund_view(EDITORS)
def budget_outcome(request, year):
    """Outcome so far and forecast per line: typed during the year, adopted budget or not."""
    budget = _get_budget(request, year)
    lines = (
        Budgetrad.objects.filter(budget=budget, kind=Budgetrad.Kind.RAD)
        .exclude(source=Budgetrad.Source.INSATSER)
        .order_by("order", "pk")
    )
    data = request.POST if request.method == "POST" else None
    guard = RevisionForm(data, instance=budget, prefix="budget")
    formset = OutcomeFormSet(data, queryset=lines, prefix="utfall")
    if data is not None and all([guard.is_valid(), formset.is_valid()]):
        try:
            with transaction.atomic():
                guard.claim(request.forbund)
                changed = budget.set_outcome(figures=_figures(formset, lines), user=request.user)
        except Replayed:
            return already_saved(request, f"{budget.get_absolute_url()}?utfall=1")
        except Conflict:
            guard.show_conflict(request, [formset])
        else:
            messages.success(
                request,
                f"Utfall och prognos för {budget.year} är sparade ({changed} rader ändrade).",
            )
            return redirect(f"{budget.get_absolute_url()}?utfall=1")
    table = budget_table(budget)
    context = {"budget": budget, "guard": guard, "formset": formset, "table": table}
    return render(request, "budget/budget_outcome.html", context)


def _figures(formset, lines):
    """{line: (outcome, forecast)} from the forms, for this budget's lines only.

    The forms' instances already hold the new figures: compare with fresh rows.
    A row id that is not one of the lines is refused by the formset.
    """
    saved = {rad.pk: rad for rad in lines.all()}
    return {
        saved[form.instance.pk]: (form.cleaned_data["outcome"], form.cleaned_data["forecast"])
        for form in formset.forms
        if form.instance.pk in saved
    }


def _transition(request, year, move, done):
    """Run one life-cycle step on the year's latest version; POST only, kansli only.

    A hidden `version` says which version the page showed: if another user made
    a new version meanwhile, nothing happens and the user is told.
    """
    budget = _get_budget(request, year)
    if request.method != "POST":
        return redirect(budget)
    shown = request.POST.get("version")
    if shown and shown != str(budget.version):
        messages.error(
            request,
            f"Budgeten har fått version {budget.version} sedan sidan visades; "
            "inget är ändrat. Se över den senaste versionen.",
        )
        return redirect(budget)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reason"]))
        return redirect(budget)
    reason = form.cleaned_data["reason"]
    try:
        result = move(budget, reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(budget)
    messages.success(request, done.format(year=budget.year))
    return redirect(result or budget)


@forbund_view(EDITORS)
def budget_propose(request, year):
    return _transition(
        request,
        year,
        lambda b, reason: b.propose(by=request.user, reason=reason),
        "Budget {year} är framlagd som förslag till styrelsen.",
    )


@forbund_view(EDITORS)
def budget_publish(request, year):
    return _transition(
        request,
        year,
        lambda b, reason: b.publish(by=request.user, reason=reason),
        "Budget {year} är publicerad.",
    )


@forbund_view(EDITORS)
def budget_new_version(request, year):
    return _transition(
        request,
        year,
        lambda b, reason: b.new_version(by=request.user, reason=reason),
        "En ny version av budget {year} är skapad som utkast; den fastställda versionen "
        "finns kvar som den var.",
    )


@forbund_view(EDITORS)
def budget_adopt(request, year):
    """förslag → fastställd: the kansli records the board's decision."""
    budget = _get_budget(request, year)
    if budget.status != Budget.Status.FORSLAG:
        messages.error(
            request,
            f"Budgeten är {budget.get_status_display().lower()}; bara ett förslag kan fastställas.",
        )
        return redirect(budget)
    data = request.POST if request.method == "POST" else None
    form = AdoptForm(data, forbund=request.forbund, year=budget.year)
    if data is not None and form.is_valid():
        try:
            budget.adopt(
                by=request.user,
                beslut=form.cleaned_data["beslut"],
                date=form.cleaned_data["date"],
                text=form.cleaned_data["text"],
                diarienummer=form.cleaned_data["diarienummer"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Budget {budget.year} är fastställd.")
            return redirect(budget)
    return render(request, "budget/budget_adopt.html", {"budget": budget, "form": form})


def _save_medlemsavgifter(request, year, form):
    """Save the year's contributions unless someone changed them since the form was shown.

    Returns how many changed, or None (and tells the user) on a conflict. The
    förbund's row lock makes the check and the write one step.
    """
    with transaction.atomic():
        lock(request.forbund)
        form.claim(request.forbund)
        now = Medlemsavgift.objects.of(request.forbund).of_year(year)
        fresh = MedlemsavgiftForm(
            medlemmar=form.medlemmar, current={a.medlem_id: a.amount for a in now}
        )
        if changes := form.changes_since_shown(fresh):
            transaction.set_rollback(True)
            form.rebase(fresh)
            messages.error(request, conflict_message(changes))
            return None
        return Medlemsavgift.set_for_year(
            forbund=request.forbund, year=year, amounts=form.amounts(), user=request.user
        )


@forbund_view(READERS)
def medlemsavgifter_edit(request, year):
    """Kansli writes each member's contribution for the year; readers see them."""
    editable = can_edit(request.roll)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    medlemmar = list(Medlem.objects.of(request.forbund))
    avgifter = list(
        Medlemsavgift.objects.of(request.forbund).of_year(year).select_related("medlem")
    )
    current = {a.medlem_id: a.amount for a in avgifter}
    data = request.POST if request.method == "POST" else None
    form = MedlemsavgiftForm(data, medlemmar=medlemmar, current=current)
    if data is not None and form.is_valid():
        try:
            changed = _save_medlemsavgifter(request, year, form)
        except Replayed:
            return already_saved(request, request.path)
        if changed is not None:
            messages.success(
                request, f"Medlemsavgifterna för {year} är sparade ({changed} ändrade)."
            )
            return redirect("medlemsavgifter_edit", request.forbund.slug, year)
    kommuner = [m for m in medlemmar if m.kind == Medlem.Kind.KOMMUN]
    context = {
        "year": year,
        "form": form,
        "avgifter": avgifter,
        "current": current,
        "split": contribution_split(avgifter),
        "keys": key_split(kommuner, avgifter),
        "editable": editable,
        # One unit on the page: the kansli types kronor, so it reads kronor too.
        "unit": "kr" if editable else request.forbund.display_unit,
        "budget": Budget.objects.of(request.forbund).latest_version(year),
    }
    return render(request, "budget/medlemsavgifter.html", context)
