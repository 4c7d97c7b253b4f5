"""The meeting's pages: agenda template and order, notice, attendance, jäv, decisions.

Each view finds its objects in the förbund (404 otherwise), asks
finsam.meetings.permissions, calls one workflow function and redirects.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from .. import documents
from ..access import forbund_view
from ..agenda import subjects_for
from ..concurrency import Conflict, Replayed, RevisionForm, already_saved, conflict_message
from ..models import Arende, Dokument, Jav, Ledamot, Protokoll, Sammantrade
from . import workflow
from .forms import AttendanceForm, BeslutForm, JavForm, MoveForm, TemplateFormSet
from .notice import amount_rows
from .permissions import EDITORS, JAV_ROLES, READERS, can_manage, jav_seats
from .workflow import MeetingError


def _meeting(request, pk):
    return get_object_or_404(Sammantrade.objects.of(request.forbund), pk=pk)


def _item(request, pk, arende_pk):
    sammantrade = _meeting(request, pk)
    arende = get_object_or_404(sammantrade.arenden.select_related("sammantrade"), pk=arende_pk)
    return sammantrade, arende


def _post_only(request):
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def _guarded_save(request, form, action, done_url):
    """Claim the form's key (and revision), run `action()`; messages for the user.

    Returns a response when done or replayed, else None (the page is shown again).
    """
    try:
        with transaction.atomic():
            form.claim(request.forbund)
            result = action()
            form.remember(form.instance)
    except Replayed:
        return already_saved(request, done_url)
    except Conflict:
        messages.error(request, conflict_message([]))
        return None
    except MeetingError as error:
        messages.error(request, str(error))
        return None
    return result or redirect(done_url)


# The agenda template ----------------------------------------------------------


@forbund_view(EDITORS)
def dagordningsmall(request):
    forbund = request.forbund
    data = request.POST if request.method == "POST" else None
    initial = [
        {"title": p.title, "standing": p.standing, "kind": p.kind, "order": i}
        for i, p in enumerate(workflow.agenda_template(forbund), 1)
    ]
    guard = RevisionForm(data, instance=forbund, prefix="mall")
    formset = TemplateFormSet(data, initial=initial, prefix="punkter")
    if data is not None and guard.is_valid() and formset.is_valid():

        def save():
            workflow.save_template(forbund=forbund, rows=formset.rows(), user=request.user)
            messages.success(request, "Dagordningens mall är sparad.")

        if response := _guarded_save(request, guard, save, request.path):
            return response
    return render(
        request,
        "finsam/meetings/dagordningsmall.html",
        {"guard": guard, "formset": formset, "is_default": not forbund.dagordningsmall.exists()},
    )


# Order of the items -----------------------------------------------------------


@forbund_view(EDITORS)
def dagordning(request, pk):
    sammantrade = _meeting(request, pk)
    if request.method == "POST":
        form = MoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Välj ett ärende att flytta.")
            return redirect("sammantrade_dagordning", request.forbund.slug, pk)
        try:
            if move := form.cleaned_data["flytta"]:
                arende_pk, direction = move.split(":")
                arende = get_object_or_404(sammantrade.arenden, pk=int(arende_pk))
                step = -1 if direction == "upp" else 1
                workflow.move_item(arende=arende, step=step, user=request.user)
                messages.success(request, f"{arende.title} är flyttat.")
            else:
                order = [int(p) for p in form.cleaned_data["ordning"].split(",")]
                workflow.reorder(sammantrade=sammantrade, order=order, user=request.user)
                messages.success(request, "Dagordningen är ordnad om.")
        except MeetingError as error:
            messages.error(request, str(error))
        return redirect("sammantrade_dagordning", request.forbund.slug, pk)
    items = list(sammantrade.arenden.order_by("number"))
    return render(
        request,
        "finsam/meetings/dagordning.html",
        {
            "sammantrade": sammantrade,
            "arenden": items,
            "order": ",".join(str(a.pk) for a in items),
            "movable": sammantrade.status
            in (Sammantrade.Status.PLANERAT, Sammantrade.Status.KALLAT),
        },
    )


@forbund_view(EDITORS)
def standing_items(request, pk):
    if refused := _post_only(request):
        return refused
    sammantrade = _meeting(request, pk)
    try:
        added = workflow.add_standing_items(sammantrade=sammantrade, user=request.user)
    except MeetingError as error:
        messages.error(request, str(error))
    else:
        if added:
            messages.success(request, f"Stående punkter tillagda: {', '.join(added)}.")
        else:
            messages.info(request, "Dagordningen har redan alla stående punkter.")
    return redirect("sammantrade_dagordning", request.forbund.slug, pk)


# Notice and the meeting held ------------------------------------------------------


@forbund_view(EDITORS)
def kallelse(request, pk):
    if refused := _post_only(request):
        return refused
    sammantrade = _meeting(request, pk)
    try:
        dokument = workflow.send_notice(
            sammantrade=sammantrade, user=request.user, base_url=request.build_absolute_uri("/")
        )
    except (MeetingError, documents.DokumentError) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Kallelsen (version {dokument.version}) skapas och publiceras för styrelsen. "
            "Ledamöter med e-postadress får en länk, en gång.",
        )
    return redirect(sammantrade)


@forbund_view(EDITORS)
def genomfort(request, pk):
    if refused := _post_only(request):
        return refused
    sammantrade = _meeting(request, pk)
    try:
        workflow.mark_held(sammantrade=sammantrade, user=request.user)
    except MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Mötet är genomfört.")
    return redirect(sammantrade)


# Attendance -------------------------------------------------------------------


@forbund_view(EDITORS)
def narvaro(request, pk):
    sammantrade = _meeting(request, pk)
    protokoll = Protokoll.objects.filter(sammantrade=sammantrade).first()
    data = request.POST if request.method == "POST" else None
    form = AttendanceForm(data, instance=sammantrade, protokoll=protokoll)
    if data is not None and form.is_valid():

        def save():
            workflow.record_attendance(
                sammantrade=sammantrade,
                present=form.present(),
                serving=form.serving(),
                ovriga=form.cleaned_data["ovriga_narvarande"],
                user=request.user,
            )
            messages.success(request, "Närvaron är sparad.")

        if response := _guarded_save(request, form, save, sammantrade.get_absolute_url()):
            return response
    return render(
        request, "finsam/meetings/narvaro.html", {"sammantrade": sammantrade, "form": form}
    )


# Jäv ----------------------------------------------------------------------------


@forbund_view(JAV_ROLES)
def jav(request, pk, arende_pk):
    sammantrade, arende = _item(request, pk, arende_pk)
    seats = jav_seats(request.roll, request.user, sammantrade)
    if not seats.exists():
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = JavForm(data, instance=arende, seats=seats)
    if data is not None and form.is_valid():

        def save():
            workflow.declare_jav(
                arende=arende,
                ledamot=form.cleaned_data["ledamot"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
            messages.success(request, f"Jävet i {workflow.label(arende)} är anmält.")

        if response := _guarded_save(request, form, save, sammantrade.get_absolute_url()):
            return response
    declared = arende.jav.select_related("ledamot").filter(ledamot__in=seats)
    return render(
        request,
        "finsam/meetings/jav_form.html",
        {"sammantrade": sammantrade, "arende": arende, "form": form, "declared": declared},
    )


@forbund_view(JAV_ROLES)
def jav_withdraw(request, pk, arende_pk, jav_pk):
    sammantrade, arende = _item(request, pk, arende_pk)
    seats = jav_seats(request.roll, request.user, sammantrade)
    if not seats.exists():
        raise PermissionDenied
    if refused := _post_only(request):
        return refused
    found = get_object_or_404(Jav.objects.filter(arende=arende, ledamot__in=seats), pk=jav_pk)
    try:
        workflow.withdraw_jav(jav=found, user=request.user)
    except MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Jävet är återtaget.")
    return redirect("sammantrade_jav", request.forbund.slug, pk, arende_pk)


# Decisions ----------------------------------------------------------------------


@forbund_view(EDITORS)
def beslut(request, pk, arende_pk):
    sammantrade, arende = _item(request, pk, arende_pk)
    subject = subjects_for([arende], request.roll).get(arende.pk)
    data = request.POST if request.method == "POST" else None
    form = BeslutForm(data, instance=arende, subject=subject)
    quorum = workflow.quorum(arende)
    if data is not None and form.is_valid():

        def save():
            workflow.decide(
                arende=arende,
                outcome=form.cleaned_data["outcome"],
                text=form.cleaned_data["text"],
                amounts=form.amounts(),
                conditions=form.cleaned_data["conditions"],
                reservations=form.cleaned_data["reservations"],
                user=request.user,
            )
            messages.success(request, f"Beslutet i {workflow.label(arende)} är sparat.")

        if response := _guarded_save(request, form, save, sammantrade.get_absolute_url()):
            return response
    return render(
        request,
        "finsam/meetings/beslut_form.html",
        {
            "sammantrade": sammantrade,
            "arende": arende,
            "subject": subject,
            "rows": amount_rows(subject),
            "form": form,
            "quorum": quorum,
            "quorum_message": quorum.message(arende),
        },
    )


# The board's upcoming meetings ------------------------------------------------------


@forbund_view(READERS)
def kommande(request):
    today = timezone.localdate()
    # Upcoming, and any earlier meeting not yet held: its papers still matter.
    not_held = Q(status__in=[Sammantrade.Status.PLANERAT, Sammantrade.Status.KALLAT])
    meetings = list(
        Sammantrade.objects.of(request.forbund)
        .filter(Q(date__gte=today) | not_held)
        .annotate(antal=Count("arenden"))
        .order_by("date", "start_time")
    )
    own_seats = Ledamot.objects.of(request.forbund).filter(user=request.user)
    notices = {}
    for dokument in Dokument.objects.of(request.forbund).filter(
        kind=Dokument.Kind.KALLELSE,
        status=Dokument.Status.DONE,
        subject_id__in=[m.pk for m in meetings],
    ):
        notices.setdefault(dokument.subject_id, dokument)  # newest first
    own_jav = {}
    for jav in (
        Jav.objects.filter(arende__sammantrade__in=meetings, ledamot__in=own_seats)
        .select_related("arende", "ledamot")
        .order_by("arende__number")
    ):
        own_jav.setdefault(jav.arende.sammantrade_id, []).append(jav)
    rows = [
        {
            "sammantrade": m,
            "kallelse": notices.get(m.pk),
            "antal": m.antal,
            "jav": own_jav.get(m.pk, []),
        }
        for m in meetings
    ]
    return render(
        request,
        "finsam/meetings/kommande.html",
        {
            "rows": rows,
            "own_seats": list(own_seats.current(today)),
            "kan_andra": can_manage(request.roll),
        },
    )


def may_declare_jav(request, sammantrade):
    """Whether the page offers "Anmäl jäv": kansli for anyone, a board member for a seat."""
    if can_manage(request.roll):
        return True
    return (
        request.roll.kind != "kansli"
        and jav_seats(request.roll, request.user, sammantrade).exists()
    )


def meeting_context(request, sammantrade):
    """What the meeting page shows of the meeting's work (finsam.views.sammantrade_detail)."""
    items = list(
        sammantrade.arenden.select_related("beslut", "postponed_from__sammantrade")
        .prefetch_related("jav__ledamot", "beslut__belopp", "postponed_to__sammantrade")
        .order_by("number")
    )
    subjects = subjects_for(items, request.roll)
    board = workflow.attendance(sammantrade)
    rows = []
    for item in items:
        quorum = workflow.quorum(item, board=board) if item.kind == Arende.Kind.BESLUT else None
        rows.append(
            {
                "arende": item,
                "subject": subjects.get(item.pk),
                "rows": amount_rows(subjects.get(item.pk)),
                "quorum": quorum,
            }
        )
    kallelser = documents.of_subject(sammantrade, Dokument.Kind.KALLELSE)
    return {
        "rows": rows,
        "kallelser": kallelser[:3],
        "kan_anmala_jav": may_declare_jav(request, sammantrade),
        "narvaro": sammantrade.narvaro.select_related("ledamot", "serving_for"),
        "protokoll": Protokoll.objects.filter(sammantrade=sammantrade).first(),
        "open": sammantrade.status in (Sammantrade.Status.PLANERAT, Sammantrade.Status.KALLAT),
        # (How many were sent the notice: the page asks, finsam.views.sammantrade_detail.)
    }
