"""The year's Verksamhetsplan in the browser: read it, write its texts, goals and risks, adopt it.

Kansli edits; styrelse and revisor read; an insatsägare reads a plan only
once it is published. An adopted plan is frozen: its pages say so and every
edit is refused.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from finsam import history
from finsam.access import forbund_view
from finsam.concurrency import Conflict, Replayed, already_saved
from finsam.models import Handelse
from finsam.permissions import EDITORS, EVERYONE, INSATSAGARE, can_edit, can_read_forbund

from ..models import Avsnitt, Budget, Risk, Verksamhetsplan, risk_matrix
from .content import plan_context
from .forms import (
    AdoptForm,
    ArshjulNoterForm,
    ArshjulspostFormSet,
    AvsnittForm,
    DispositionForm,
    MalEditor,
    RiskForm,
)


def current_year():
    return timezone.localdate().year


def _get_plan(request, year):
    """The year's plan (its latest version the role may read): 404 if none, 403 if not yet."""
    plans = (
        Verksamhetsplan.objects.of(request.forbund)
        .of_year(year)
        .select_related("forbund", "beslut")
    )
    plan = plans.visible_to(request.roll).order_by("-version").first()
    if plan is None and plans.exists():
        raise PermissionDenied
    if plan is None:
        raise Http404
    return plan


def _frozen(request, plan):
    """The answer to an edit of an adopted plan: a Swedish message and no form."""
    status = 403 if request.method == "POST" else 200
    return render(request, "budget/plan/frozen.html", {"plan": plan}, status=status)


class _Adopted(Exception):
    """The plan was adopted between reading the page's plan and saving it."""


def _lock_open(plan):
    """Lock the plan until the commit; raise _Adopted if it is adopted by now.

    The page checked `is_frozen` when it read the plan, but the board's
    adoption may have committed since: asked again under the lock, the
    answer holds until this save commits (adopting takes the same lock).
    """
    if type(plan).objects.select_for_update().get(pk=plan.pk).is_frozen:
        raise _Adopted


def _adopted(request, plan):
    plan.refresh_from_db()
    return _frozen(request, plan)


def _data(request):
    """The posted data, or None: an empty POST is still a POST to validate."""
    return request.POST if request.method == "POST" else None


def _changes(form):
    return history.form_changes(form)


# The plans ----------------------------------------------------------------------


@forbund_view(EVERYONE)
def plan_index(request):
    plans = Verksamhetsplan.objects.of(request.forbund)
    year = current_year()
    # In the autumn the kansli writes next year's plan; a förbund new to the
    # system may need this year's too.
    free_years = [y for y in (year, year + 1) if not plans.of_year(y).exists()]
    if request.method == "POST":
        if not can_edit(request.roll):
            raise PermissionDenied
        return _start_plan(request, free_years)
    context = {
        "plans": plans.visible_to(request.roll).select_related("beslut"),
        "free_years": free_years,
        "can_edit": can_edit(request.roll),
    }
    return render(request, "budget/plan/index.html", context)


def _start_plan(request, free_years):
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = None
    if year not in free_years:
        messages.error(request, "Välj ett år som ännu inte har någon verksamhetsplan.")
        return redirect("plan_index", request.forbund.slug)
    try:
        plan = Verksamhetsplan.start_from_previous(
            forbund=request.forbund, year=year, user=request.user
        )
    except (ValidationError, IntegrityError):
        messages.error(request, f"Det finns redan en verksamhetsplan för {year}.")
        return redirect("plan_index", request.forbund.slug)
    messages.success(request, f"Verksamhetsplan {year} är skapad som utkast.")
    return redirect(plan)


@forbund_view(EVERYONE)
def plan_detail(request, year):
    """The plan as its reader meets it: the kansli's texts and what the system knows."""
    plan = _get_plan(request, year)
    roles = {
        "can_edit": can_edit(request.roll) and not plan.is_frozen,
        "is_kansli": can_edit(request.roll),
        "is_reader": can_read_forbund(request.roll),
    }

    def load_chapters():
        """The chapters and the history: built only when the page's cached fragment
        (finsam/generation.py, keyed by the plan's row) is not at hand."""
        context = plan_context(plan)
        budget = context["budget"]
        if (
            budget
            and request.roll.kind == INSATSAGARE
            and budget.status != Budget.Status.PUBLICERAD
        ):
            context.update(budget=None, table=None)
        # The plan's own events (goals, deleted parts) and its sections' and risks'.
        context["historik"] = history.for_page(
            request,
            plan,
            Avsnitt.objects.filter(plan=plan),
            Risk.objects.filter(plan=plan),
        )
        return {**context, **roles}

    context = {"plan": plan, "load_chapters": load_chapters, "beslut": plan.beslut, **roles}
    return render(request, "budget/plan/detail.html", context)


@forbund_view(EDITORS)
def plan_adopt(request, year):
    plan = _get_plan(request, year)
    if plan.is_frozen:
        return _frozen(request, plan)
    form = AdoptForm(_data(request), forbund=request.forbund, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                beslut = form.chosen_beslut()
                plan.adopt(beslut=beslut, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"Verksamhetsplan {plan.year} är fastställd.")
        return redirect(plan)
    return render(request, "budget/plan/adopt.html", {"plan": plan, "form": form})


@forbund_view(EDITORS)
def plan_publish(request, year):
    plan = _get_plan(request, year)
    if request.method == "POST":
        try:
            plan.publish(by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, f"Verksamhetsplan {plan.year} är publicerad; insatsägarna kan läsa den."
            )
    return redirect(plan)


# Text sections --------------------------------------------------------------------


@forbund_view(EDITORS)
def avsnitt_create(request, year):
    plan = _get_plan(request, year)
    last = plan.avsnitt.order_by("-order").first()
    avsnitt = Avsnitt(plan=plan, order=(last.order + 10) if last else 10)
    return _avsnitt_form(request, plan, avsnitt)


@forbund_view(EDITORS)
def avsnitt_edit(request, year, pk):
    plan = _get_plan(request, year)
    avsnitt = get_object_or_404(Avsnitt.objects.of(request.forbund).filter(plan=plan), pk=pk)
    return _avsnitt_form(request, plan, avsnitt)


def _avsnitt_form(request, plan, avsnitt):
    return _plan_part_form(
        request,
        plan,
        AvsnittForm,
        avsnitt,
        name="avsnitt",
        saved=lambda obj: f"Avsnittet ”{obj.title}” är sparat.",
        next_url=lambda obj: f"{plan.get_absolute_url()}#avsnitt-{obj.key}",
    )


def _plan_part_form(request, plan, form_class, obj, *, name, saved, next_url):
    """Create or change one part of a plan (a section, a risk), recorded; never in a frozen plan."""
    if plan.is_frozen:
        return _frozen(request, plan)
    created = obj.pk is None
    form = form_class(_data(request), instance=obj)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                # New parts of a plan one at a time: a section's key is the first free one.
                _lock_open(plan)
                form.claim(request.forbund)
                obj = form.save()
                form.remember(obj)
                Handelse.record(
                    forbund=request.forbund,
                    user=request.user,
                    subject=obj,
                    action="skapad" if created else "ändrad",
                    changes={"plan": str(plan), **_changes(form)},
                )
        except _Adopted:
            return _adopted(request, plan)
        except Replayed as replay:
            return already_saved(request, next_url(replay.subject) if replay.subject else plan)
        except Conflict:
            form.show_conflict(request)
        else:
            messages.success(request, saved(obj))
            return redirect(next_url(obj))
    context = {
        "plan": plan,
        name: obj,
        "form": form,
        "created": created,
        "historik": None if created else history.for_page(request, obj),
    }
    return render(request, f"budget/plan/{name}_form.html", context)


@forbund_view(EDITORS)
def avsnitt_delete(request, year, pk):
    plan = _get_plan(request, year)
    avsnitt = get_object_or_404(Avsnitt.objects.of(request.forbund).filter(plan=plan), pk=pk)
    return _plan_part_delete(
        request,
        plan,
        avsnitt,
        name="avsnitt",
        action="avsnitt borttaget",
        changes={"avsnitt": avsnitt.title, "text": avsnitt.body},
        done=f"Avsnittet ”{avsnitt.title}” är borttaget.",
        next_url=plan.get_absolute_url(),
    )


def _plan_part_delete(request, plan, obj, *, name, action, changes, done, next_url):
    """Delete a part of a plan once confirmed, recorded on the plan; never in a frozen plan."""
    if plan.is_frozen:
        return _frozen(request, plan)
    if request.method == "POST":
        try:
            with transaction.atomic():
                _lock_open(plan)
                Handelse.record(
                    forbund=request.forbund,
                    user=request.user,
                    subject=plan,
                    action=action,
                    changes=changes,
                )
                obj.delete()
        except _Adopted:
            return _adopted(request, plan)
        messages.success(request, done)
        return redirect(next_url)
    return render(request, f"budget/plan/{name}_delete.html", {"plan": plan, name: obj})


# The outline -------------------------------------------------------------------------


@forbund_view(EDITORS)
def disposition_edit(request, year):
    """The plan's outline: the chapters' order, system chapters left out or added."""
    plan = _get_plan(request, year)
    if plan.is_frozen:
        return _frozen(request, plan)
    form = DispositionForm(_data(request), instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                _lock_open(plan)
                form.claim(request.forbund)
                changes = form.save()
                form.remember(plan)
                Handelse.record(
                    forbund=request.forbund,
                    user=request.user,
                    subject=plan,
                    action="disposition ändrad",
                    changes=changes,
                )
        except _Adopted:
            return _adopted(request, plan)
        except Replayed:
            return already_saved(request, plan.get_absolute_url())
        except Conflict:
            form.show_conflict(request)
        else:
            messages.success(request, f"Dispositionen för verksamhetsplan {plan.year} är sparad.")
            return redirect(plan)
    context = {
        "plan": plan,
        "form": form,
        "historik": history.for_page(request, plan),
    }
    return render(request, "budget/plan/disposition_form.html", context)


# The annual cycle's own items ----------------------------------------------------------


@forbund_view(EDITORS)
def arshjul_edit(request, year):
    """The annual cycle's items that are not meetings, and its footnotes."""
    plan = _get_plan(request, year)
    if plan.is_frozen:
        return _frozen(request, plan)
    data = _data(request)
    form = ArshjulNoterForm(data, instance=plan, prefix="plan")
    items = ArshjulspostFormSet(data, instance=plan, prefix="post")
    if data is not None and all([form.is_valid(), items.is_valid()]):
        try:
            with transaction.atomic():
                _lock_open(plan)
                form.claim(request.forbund)
                form.save()
                items.save()
                changes = _changes(form)
                if items.new_objects:
                    changes["nya poster"] = [str(p) for p in items.new_objects]
                if items.changed_objects:
                    changes["ändrade poster"] = [str(p) for p, _f in items.changed_objects]
                if items.deleted_objects:
                    changes["borttagna poster"] = [str(p) for p in items.deleted_objects]
                Handelse.record(
                    forbund=request.forbund,
                    user=request.user,
                    subject=plan,
                    action="årshjul ändrat",
                    changes=changes,
                )
        except _Adopted:
            return _adopted(request, plan)
        except Replayed:
            return already_saved(request, plan.get_absolute_url())
        except Conflict:
            form.show_conflict(request, [items])
        else:
            messages.success(request, f"Årshjulet i verksamhetsplan {plan.year} är sparat.")
            return redirect(plan)
    context = {"plan": plan, "form": form, "items": items}
    return render(request, "budget/plan/arshjul_form.html", context)


# Goals and result targets ------------------------------------------------------------


@forbund_view(EDITORS)
def mal_edit(request, year):
    plan = _get_plan(request, year)
    if plan.is_frozen:
        return _frozen(request, plan)
    data = _data(request)
    editor = MalEditor(data, plan=plan)
    error = ""
    if data is not None and editor.is_valid():
        try:
            with transaction.atomic():
                _lock_open(plan)
                editor.guard.claim(request.forbund)
                changes = editor.save()
                Handelse.record(
                    forbund=request.forbund,
                    user=request.user,
                    subject=plan,
                    action="mål ändrade",
                    changes=changes,
                )
        except _Adopted:
            return _adopted(request, plan)
        except Replayed:
            return already_saved(request, f"{plan.get_absolute_url()}#mal")
        except Conflict:
            editor.guard.show_conflict(request, editor.formsets)
        except IntegrityError:
            error = "Målen ändrades samtidigt av någon annan. Inget har sparats; försök igen."
        else:
            messages.success(request, f"Målen i verksamhetsplan {plan.year} är sparade.")
            return redirect(f"{plan.get_absolute_url()}#mal")
    context = {"plan": plan, "editor": editor, "error": error}
    return render(request, "budget/plan/mal_form.html", context)


# The risk register -------------------------------------------------------------------


@forbund_view(EVERYONE)
def risk_list(request, year):
    plan = _get_plan(request, year)
    risker = list(plan.risker.all())
    context = {
        "plan": plan,
        "risker": risker,
        "matrix": risk_matrix(risker),
        "can_edit": can_edit(request.roll) and not plan.is_frozen,
        "historik": history.for_page(request, plan.risker.all()),
    }
    return render(request, "budget/plan/risker.html", context)


@forbund_view(EDITORS)
def risk_create(request, year):
    plan = _get_plan(request, year)
    last = plan.risker.order_by("-order").first()
    return _risk_form(request, plan, Risk(plan=plan, order=(last.order + 1) if last else 1))


@forbund_view(EDITORS)
def risk_edit(request, year, pk):
    plan = _get_plan(request, year)
    risk = get_object_or_404(Risk.objects.of(request.forbund).filter(plan=plan), pk=pk)
    return _risk_form(request, plan, risk)


def _risk_form(request, plan, risk):
    return _plan_part_form(
        request,
        plan,
        RiskForm,
        risk,
        name="risk",
        saved=lambda obj: f"Risken ”{obj.risk}” är sparad.",
        next_url=lambda obj: reverse("risk_list", args=[request.forbund.slug, plan.year]),
    )


@forbund_view(EDITORS)
def risk_delete(request, year, pk):
    plan = _get_plan(request, year)
    risk = get_object_or_404(Risk.objects.of(request.forbund).filter(plan=plan), pk=pk)
    return _plan_part_delete(
        request,
        plan,
        risk,
        name="risk",
        action="risk borttagen",
        changes={
            "risk": risk.risk,
            "sannolikhet": risk.likelihood,
            "konsekvens": risk.consequence,
        },
        done=f"Risken ”{risk.risk}” är borttagen.",
        next_url=reverse("risk_list", args=[request.forbund.slug, plan.year]),
    )
