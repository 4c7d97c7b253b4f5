"""The application's pages: the applicant's form and list, kansli's inbox and preparation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from finsam import generation, history
from finsam.access import forbund_view
from finsam.concurrency import Conflict, Replayed, already_saved, replayed
from finsam.lists.views import list_view
from finsam.permissions import EDITORS, EVERYONE, INSATSAGARE, KANSLI

from ..decision_views import panel_context
from ..models import Ansokan, Ansokningsomgang, Bilaga
from . import permissions as perm
from . import room, tasks, workflow
from .forms import (
    AgendaForm,
    AnsokanForm,
    BeloppFormSet,
    BilagaForm,
    MalFormSet,
    MedfinansieringFormSet,
    OmgangForm,
    ProposalForm,
    TextForm,
    WithdrawForm,
)
from .lists import AnsokanFilterSet, AnsokanTable, annotated

APPLICANTS = frozenset({INSATSAGARE, KANSLI})
S = Ansokan.Status


def _get(request, pk):
    """The application, if the role may know of it.

    An insatsägare gets 404 for another member's application (never a hint that
    it exists); the förbund's own readers get 403 for a draft that is not theirs.
    """
    rows = Ansokan.objects.of(request.forbund).select_related("agare", "omgang", "arende")
    if request.roll.kind == INSATSAGARE:
        return get_object_or_404(perm.visible(rows, request.roll), pk=pk)
    ansokan = get_object_or_404(rows, pk=pk)
    _refuse_unless(perm.can_see(request.roll, ansokan))
    return ansokan


def _refuse_unless(allowed):
    if not allowed:
        raise PermissionDenied


def _post_only(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


def _open_round(forbund, today):
    """The round an application now is for: the next deadline, else the latest one
    (whose deadline has passed: an application is then late, not refused)."""
    rounds = Ansokningsomgang.objects.of(forbund)
    upcoming = rounds.filter(deadline__gte=today).order_by("deadline").first()
    return upcoming or rounds.order_by("-deadline").first()


# The list ------------------------------------------------------------------------


@forbund_view(EVERYONE)
def ansokan_list(request):
    rows = perm.visible(Ansokan.objects.of(request.forbund), request.roll)
    counted = rows
    rows = annotated(rows.select_related("agare", "omgang")).order_by(
        "-received_at", "-created_at", "pk"
    )
    today = timezone.localdate()

    def head():
        counts = counted.order_by().values_list("status").annotate(n=Count("pk", distinct=True))
        counts = dict(counts)
        return {
            "by_status": [
                (value, str(label), counts[value])
                for value, label in S.choices
                if counts.get(value)
            ],
            "omgang": _open_round(request.forbund, today),
        }

    context = {
        # Cached per generation with the table (finsam/generation.py), for the role.
        **generation.value(request, "ansokan_list_head", head),
        "today": today,
        "kan_ansoka": perm.can_create(request.roll),
        "is_kansli": request.roll.kind == KANSLI,
        "sokande": request.roll.kind == INSATSAGARE,
    }
    return list_view(
        request,
        rows,
        AnsokanTable,
        AnsokanFilterSet,
        template="insatser/ansokan/list.html",
        filename=f"ansokningar-{request.forbund.slug}",
        context=context,
        context_name="ansokningar",
        cache="ansokningar",
    )


# The form: create, edit a draft, submit ---------------------------------------------


@forbund_view(APPLICANTS)
def ansokan_create(request):
    ansokan = Ansokan(
        forbund=request.forbund,
        registered_by_kansli=request.roll.kind == KANSLI,
        omgang=_open_round(request.forbund, timezone.localdate()),
    )
    if request.roll.kind == INSATSAGARE:
        ansokan.agare_id = request.roll.medlem_id
    return _form(request, ansokan)


@forbund_view(EVERYONE)
def ansokan_edit(request, pk):
    ansokan = _get(request, pk)
    if not perm.can_edit_draft(request.roll, ansokan):
        _refuse_unless(_was_submittable(request.roll, ansokan))
        messages.info(request, "Ansökan är inskickad och kan inte längre ändras.")
        return redirect(ansokan)
    return _form(request, ansokan)


def _form(request, ansokan):
    created = ansokan.pk is None
    data = request.POST if request.method == "POST" else None
    form = AnsokanForm(data, instance=ansokan, forbund=request.forbund, roll=request.roll)
    formsets = [
        BeloppFormSet(data, instance=ansokan, prefix="belopp"),
        MedfinansieringFormSet(
            data,
            instance=ansokan,
            prefix="medfinansiering",
            form_kwargs={"forbund": request.forbund},
        ),
        MalFormSet(data, instance=ansokan, prefix="mal"),
    ]
    valid = data is not None and all([form.is_valid()] + [f.is_valid() for f in formsets])
    if data is not None and not valid and (replay := replayed(form, request.forbund)):
        return already_saved(request, _replay_url(request, replay))
    if valid:
        try:
            with transaction.atomic():
                form.claim(request.forbund)
                if created:
                    ansokan.created_by = request.user
                ansokan = form.save()
                form.remember(ansokan)
                changes = history.form_changes(form, created=created)
                for formset in formsets:
                    formset.instance = ansokan
                    formset.save()
                    if formset.has_changed():
                        name = str(formset.model._meta.verbose_name_plural)
                        changes[name] = "ändrade"
                workflow.record_draft(ansokan, request.user, created, changes)
        except Replayed as replay:
            return already_saved(request, _replay_url(request, replay))
        except Conflict:
            form.show_conflict(request, formsets)
        except IntegrityError:
            form.add_error(None, "Någon annan sparade samtidigt. Inget har sparats; försök igen.")
        else:
            if "skicka_in" in data:
                return _submit(request, ansokan)
            messages.success(request, "Utkastet är sparat. Du kan fortsätta senare.")
            return redirect(ansokan)
    context = {
        "form": form,
        "formsets": formsets,
        "belopp_formset": formsets[0],
        "medfinansiering_formset": formsets[1],
        "mal_formset": formsets[2],
        "ansokan": ansokan,
        "created": created,
        "omgang": ansokan.omgang or _open_round(request.forbund, timezone.localdate()),
        "by_kansli": request.roll.kind == KANSLI,
        "today": timezone.localdate(),
    }
    return render(request, "insatser/ansokan/form.html", context)


def _was_submittable(roll, ansokan):
    """Sent in by this role before: a second press of "Skicka in" is told so, not refused."""
    if ansokan.status == Ansokan.Status.UTKAST:
        return False
    if ansokan.registered_by_kansli:
        return roll.kind == KANSLI
    return perm.is_applicant(roll, ansokan)


def _replay_url(request, replay):
    if replay.subject is not None:
        return replay.subject.get_absolute_url()
    return reverse("ansokan_list", args=[request.forbund.slug])


def _submit(request, ansokan):
    try:
        with transaction.atomic():
            workflow.submit(ansokan, request.user)
    except workflow.Incomplete as incomplete:
        messages.error(
            request,
            "Ansökan är sparad som utkast men inte inskickad: " + " ".join(incomplete.problems),
        )
        return redirect("ansokan_edit", request.forbund.slug, ansokan.pk)
    except workflow.NotAllowed as refused:
        messages.info(request, str(refused))
        return redirect(ansokan)
    late = " Den kom in efter sista ansökningsdag och är markerad som sen." if ansokan.late else ""
    messages.success(
        request, f"Ansökan är inskickad med diarienummer {ansokan.diarienummer}.{late}"
    )
    return redirect(ansokan)


@forbund_view(EVERYONE)
def ansokan_submit(request, pk):
    ansokan = _get(request, pk)
    _refuse_unless(
        perm.can_submit(request.roll, ansokan) or _was_submittable(request.roll, ansokan)
    )
    if response := _post_only(request):
        return response
    return _submit(request, ansokan)


# The page ----------------------------------------------------------------------------


@forbund_view(EVERYONE)
def ansokan_detail(request, pk):
    ansokan = _get(request, pk)
    roll = request.roll
    data = ansokan.submitted or workflow.snapshot(ansokan)
    is_kansli = roll.kind == KANSLI
    context = {
        "ansokan": ansokan,
        "data": data,
        "belopp": list(ansokan.belopp.all()),
        "bilagor": list(ansokan.bilagor.all()),
        "kompletteringar": list(ansokan.kompletteringar.select_related("asked_by", "answered_by")),
        "anteckningar": (
            list(ansokan.anteckningar.select_related("user")) if perm.can_read_notes(roll) else None
        ),
        "show_proposal": roll.kind != INSATSAGARE,
        "room": (
            room.for_ansokan(ansokan)
            if roll.kind != INSATSAGARE and ansokan.proposal and ansokan.status != S.UTKAST
            else []
        ),
        "can_edit": perm.can_edit_draft(roll, ansokan),
        "can_submit": perm.can_submit(roll, ansokan),
        "can_withdraw": perm.can_withdraw(roll, ansokan),
        "can_answer": perm.can_answer(roll, ansokan),
        "can_prepare": perm.can_prepare(roll, ansokan),
        "can_add_attachment": perm.can_add_attachment(roll, ansokan),
        "is_kansli": is_kansli,
        "problems": workflow.problems(ansokan) if ansokan.status == "utkast" else [],
        "historik": (
            history.for_page(request, ansokan, insats=ansokan)
            if perm.can_read_history(roll, ansokan)
            else None
        ),
        "today": timezone.localdate(),
    }
    if ansokan.status != S.UTKAST:
        # The decision, its letter, or (kansli, within the limit) the delegated decision.
        context.update(panel_context(request, ansokan), beslut_panel=True)
    return render(request, "insatser/ansokan/detail.html", context)


# Attachments ---------------------------------------------------------------------


@forbund_view(EVERYONE)
def ansokan_bilaga_add(request, pk):
    ansokan = _get(request, pk)
    _refuse_unless(perm.can_add_attachment(request.roll, ansokan))
    original_choice = request.roll.kind == KANSLI
    form = BilagaForm(request.POST or None, request.FILES or None, original_choice=original_choice)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            workflow.add_attachment(
                ansokan,
                request.user,
                form.cleaned_data["file"],
                original=bool(form.cleaned_data.get("original")),
            )
        messages.success(request, "Bilagan är sparad.")
        return redirect(ansokan)
    context = {"ansokan": ansokan, "form": form}
    return render(request, "insatser/ansokan/bilaga_form.html", context)


@forbund_view(EVERYONE)
def ansokan_bilaga(request, pk, bilaga):
    ansokan = _get(request, pk)
    _refuse_unless(perm.can_read_attachment(request.roll, ansokan))
    row = get_object_or_404(Bilaga.objects.filter(ansokan=ansokan), pk=bilaga)
    try:
        handle = row.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=row.name, content_type=row.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# The applicant's steps -----------------------------------------------------------


@forbund_view(EVERYONE)
def ansokan_withdraw(request, pk):
    ansokan = _get(request, pk)
    _refuse_unless(perm.can_withdraw(request.roll, ansokan))
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                workflow.withdraw(ansokan, request.user, form.cleaned_data["reason"])
        except workflow.NotAllowed as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, "Ansökan är återtagen.")
        return redirect(ansokan)
    return render(request, "insatser/ansokan/withdraw.html", {"ansokan": ansokan, "form": form})


@forbund_view(EVERYONE)
def ansokan_answer(request, pk):
    ansokan = _get(request, pk)
    _refuse_unless(perm.can_answer(request.roll, ansokan))
    open_request = ansokan.kompletteringar.filter(answered_at__isnull=True).last()
    form = TextForm(request.POST or None, label="Svar på begäran om komplettering")
    if request.method == "POST" and form.is_valid():
        return _step(
            request,
            ansokan,
            lambda: workflow.answer_completion(ansokan, request.user, form.cleaned_data["text"]),
            "Svaret är skickat till kansliet.",
        )
    context = {
        "ansokan": ansokan,
        "form": form,
        "begaran": open_request,
        "rubrik": "Svara på begäran om komplettering",
        "knapp": "Skicka svaret",
    }
    return render(request, "insatser/ansokan/text_form.html", context)


def _step(request, ansokan, action, success):
    """Run one workflow step in a transaction; tell the person the outcome."""
    try:
        with transaction.atomic():
            action()
    except workflow.NotAllowed as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, success)
    return redirect(ansokan)


# Kansli's preparation --------------------------------------------------------------


def _prepared(request, pk):
    ansokan = _get(request, pk)
    _refuse_unless(perm.can_prepare(request.roll, ansokan))
    return ansokan


@forbund_view(EDITORS)
def ansokan_note(request, pk):
    ansokan = _get(request, pk)
    form = TextForm(request.POST or None, label="Beredningsanteckning (syns bara för kansliet)")
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            workflow.add_note(ansokan, request.user, form.cleaned_data["text"])
        messages.success(request, "Anteckningen är sparad.")
        return redirect(ansokan)
    context = {
        "ansokan": ansokan,
        "form": form,
        "rubrik": "Ny beredningsanteckning",
        "knapp": "Spara anteckningen",
    }
    return render(request, "insatser/ansokan/text_form.html", context)


@forbund_view(EDITORS)
def ansokan_request(request, pk):
    ansokan = _prepared(request, pk)
    form = TextForm(request.POST or None, label="Vad behöver sökanden komplettera?")
    if request.method == "POST" and form.is_valid():
        base_url = request.build_absolute_uri("/")
        try:
            with transaction.atomic():
                asked = workflow.request_completion(
                    ansokan, request.user, form.cleaned_data["text"]
                )
                tasks.send_completion_request.delay_on_commit(asked.pk, base_url)
        except workflow.NotAllowed as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, "Begäran om komplettering är skickad till sökanden.")
        return redirect(ansokan)
    context = {
        "ansokan": ansokan,
        "form": form,
        "rubrik": "Begär komplettering",
        "knapp": "Skicka begäran",
    }
    return render(request, "insatser/ansokan/text_form.html", context)


@forbund_view(EDITORS)
def ansokan_start(request, pk):
    ansokan = _prepared(request, pk)
    if response := _post_only(request):
        return response
    return _step(
        request,
        ansokan,
        lambda: workflow.start_preparation(ansokan, request.user),
        "Beredningen är påbörjad.",
    )


@forbund_view(EDITORS)
def ansokan_ready(request, pk):
    ansokan = _prepared(request, pk)
    if response := _post_only(request):
        return response
    return _step(
        request,
        ansokan,
        lambda: workflow.mark_ready(ansokan, request.user),
        "Ansökan är klar för beslut.",
    )


@forbund_view(EDITORS)
def ansokan_proposal(request, pk):
    ansokan = _prepared(request, pk)
    form = ProposalForm(request.POST or None, instance=ansokan)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.claim(request.forbund)
                ansokan = form.save()
                form.remember(ansokan)
                changes = history.form_changes(form, created=False)
                for name in list(changes):
                    if name.startswith("proposed_"):
                        del changes[name]
                if amounts := form.save_amounts():
                    changes["föreslaget belopp"] = amounts
                workflow.proposal_saved(ansokan, request.user, changes)
        except Replayed as replay:
            return already_saved(request, _replay_url(request, replay))
        except Conflict:
            form.show_conflict(request)
        else:
            messages.success(request, "Förslaget till beslut är sparat.")
            return redirect(ansokan)
    context = {"ansokan": ansokan, "form": form, "room": room.for_ansokan(ansokan)}
    return render(request, "insatser/ansokan/proposal_form.html", context)


@forbund_view(EDITORS)
def ansokan_agenda(request, pk):
    ansokan = _prepared(request, pk)
    form = AgendaForm(request.POST or None, forbund=request.forbund, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        meeting = form.cleaned_data["sammantrade"]
        return _step(
            request,
            ansokan,
            lambda: workflow.put_on_agenda(ansokan, request.user, meeting),
            f"Ansökan står på dagordningen för {meeting}.",
        )
    return render(request, "insatser/ansokan/agenda_form.html", {"ansokan": ansokan, "form": form})


# Rounds ------------------------------------------------------------------------------


@forbund_view(EDITORS)
def omgang_list(request):
    omgangar = Ansokningsomgang.objects.of(request.forbund).order_by("-deadline")
    rows = [(o, perm.visible(o.ansokningar.all(), request.roll).count()) for o in omgangar]
    return render(request, "insatser/ansokan/omgang_list.html", {"rows": rows})


@forbund_view(EDITORS)
def omgang_create(request):
    return _omgang_form(request, Ansokningsomgang(forbund=request.forbund))


@forbund_view(EDITORS)
def omgang_edit(request, pk):
    omgang = get_object_or_404(Ansokningsomgang.objects.of(request.forbund), pk=pk)
    return _omgang_form(request, omgang)


def _omgang_form(request, omgang):
    created = omgang.pk is None
    form = OmgangForm(request.POST or None, instance=omgang, forbund=request.forbund)
    url = reverse("ansokan_omgangar", args=[request.forbund.slug])
    valid = request.method == "POST" and form.is_valid()
    if request.method == "POST" and not valid and replayed(form, request.forbund):
        return already_saved(request, url)
    if valid:
        try:
            with transaction.atomic():
                form.claim(request.forbund)
                omgang = form.save()
                form.remember(omgang)
                workflow.record_round(
                    omgang, request.user, created, history.form_changes(form, created=created)
                )
        except Replayed:
            return already_saved(request, url)
        except Conflict:
            form.show_conflict(request)
        except IntegrityError:
            form.add_error("title", "Det finns redan en omgång med det namnet.")
        else:
            messages.success(request, f"Omgången {omgang} är sparad.")
            return redirect(url)
    context = {
        "form": form,
        "omgang": omgang,
        "created": created,
        "historik": None if created else history.for_page(request, omgang),
    }
    return render(request, "insatser/ansokan/omgang_form.html", context)
