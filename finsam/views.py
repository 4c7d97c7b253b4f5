from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, ProtectedError, Q, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from . import history
from .access import forbund_view
from .concurrency import Conflict, Replayed, already_saved, lock, replayed
from .forms import ArendeFormSet, LedamotForm, MedlemForm, SammantradeForm
from .lists.collation import swedish
from .lists.views import filtered, list_view
from .meetings.forms import StandingChoiceForm
from .meetings.views import may_declare_jav, meeting_context
from .meetings.workflow import add_standing_items, number_paragrafer
from .models import Arende, Beslut, Handelse, Ledamot, Medlem, Roll, Sammantrade
from .permissions import EDITORS, READERS, can_edit
from .tables import (
    LedamotFilterSet,
    LedamotTable,
    MedlemFilterSet,
    MedlemTable,
    SammantradeFilterSet,
    SammantradeTable,
)


@login_required
def start(request):
    """After login: straight into the user's förbund, or a choice between several."""
    roller = Roll.objects.filter(user=request.user).select_related("forbund")
    if len(roller) == 1:
        return redirect("home", roller[0].forbund.slug)
    return render(request, "finsam/start.html", {"roller": roller})


def _render(request, template, context):
    context["kan_andra"] = can_edit(request.roll)
    return render(request, template, context)


def _changes(form, created):
    """{field: [before, after]}: every field of a new object, the changed ones of an old."""
    return history.form_changes(form, created=created)


def _url(replay, fallback, request):
    """Where the first post of a form went: its object's page, else the list."""
    if replay.subject is not None:
        return replay.subject.get_absolute_url()
    return reverse(fallback, args=[request.forbund.slug])


def _record(request, obj, created, changes):
    Handelse.record(
        forbund=request.forbund,
        user=request.user,
        subject=obj,
        action="skapad" if created else "ändrad",
        changes=changes,
    )


# Members ----------------------------------------------------------------------

# The law's three payers; the kommuner share their part by an agreed key.
MEDLEM_GROUPS = [
    (
        "Staten",
        "Försäkringskassan och Arbetsförmedlingen: 50 % av medlemsavgifterna",
        Medlem.STATE_KINDS,
    ),
    ("Region", "25 % av medlemsavgifterna", (Medlem.Kind.REGION,)),
    (
        "Kommuner",
        "25 % av medlemsavgifterna, fördelat enligt överenskommen nyckel",
        (Medlem.Kind.KOMMUN,),
    ),
]


@forbund_view(READERS)
def medlem_list(request):
    today = timezone.localdate()
    current = Q(ledamoter__mandate_start__lte=today, ledamoter__mandate_end__gte=today)
    medlemmar = (
        Medlem.objects.of(request.forbund)
        .annotate(antal_ledamoter=Count("ledamoter", filter=current))
        .order_by("order", swedish("name"), "pk")
    )
    context = {
        "groups": MEDLEM_GROUPS,
        "antal_ledamoter": Ledamot.objects.of(request.forbund).current(today).count(),
    }
    return list_view(
        request,
        medlemmar,
        MedlemTable,
        MedlemFilterSet,
        template="finsam/medlem_list.html",
        filename=f"medlemmar-{request.forbund.slug}",
        context=context,
        context_name="medlemmar",
    )


@forbund_view(READERS)
def medlem_detail(request, pk):
    medlem = get_object_or_404(Medlem.objects.of(request.forbund), pk=pk)

    def load_parts():
        """The seats, insatser and history: built only when the page's cached fragment
        (finsam/generation.py, keyed by the member's row) is not at hand."""
        # The insatser it takes part in come with their owners, joined: one query, not two.
        # (Insats by its relation: finsam imports no higher app.)
        insats = Medlem._meta.get_field("deltar_i_insatser").related_model
        taking_part = Prefetch("deltar_i_insatser", queryset=insats.objects.select_related("agare"))
        prefetch_related_objects([medlem], "agda_insatser", taking_part)
        return {
            "ledamoter": medlem.ledamoter.order_by("-mandate_start", "-kind", "name"),
            # The member's own events and its board seats'.
            "historik": history.for_page(request, medlem, Ledamot.objects.filter(medlem=medlem)),
        }

    context = {"medlem": medlem, "load_parts": load_parts}
    return _render(request, "finsam/medlem_detail.html", context)


@forbund_view(EDITORS)
def medlem_create(request):
    return _medlem_form(request, Medlem())


@forbund_view(EDITORS)
def medlem_edit(request, pk):
    return _medlem_form(request, get_object_or_404(Medlem.objects.of(request.forbund), pk=pk))


def _medlem_form(request, medlem):
    created = medlem.pk is None
    namn = medlem.name  # before the form writes the user's input into the instance
    rubrik = "Ny medlem" if created else f"Ändra {namn}"
    form = MedlemForm(request.POST or None, instance=medlem, forbund=request.forbund)
    valid = request.method == "POST" and form.is_valid()
    if request.method == "POST" and not valid and (replay := replayed(form, request.forbund)):
        # The same form again, refused only because the first post took the name.
        return already_saved(request, _url(replay, "medlem_list", request))
    if valid:
        try:
            with transaction.atomic():
                form.claim(request.forbund)
                medlem = form.save()
                form.remember(medlem)
                _record(request, medlem, created, _changes(form, created))
        except Replayed as replay:
            return already_saved(request, _url(replay, "medlem_list", request))
        except Conflict:
            form.show_conflict(request)
        except IntegrityError:
            # Someone saved the same name in the meantime.
            form.add_error("name", "Förbundet har redan en medlem med det namnet.")
        else:
            messages.success(request, f"Medlemmen {medlem} är sparad.")
            return redirect("medlem_detail", request.forbund.slug, medlem.pk)
    context = {"form": form, "medlem": medlem, "namn": namn, "rubrik": rubrik}
    return _render(request, "finsam/medlem_form.html", context)


# Board ------------------------------------------------------------------------


@forbund_view(READERS)
def ledamot_list(request):
    seats = (
        Ledamot.objects.of(request.forbund)
        .select_related("medlem")
        .order_by("medlem__order", swedish("medlem__name"), "-kind", "-mandate_start", "name")
    )
    filterset = filtered(request, seats, LedamotFilterSet)
    chairs = Ledamot.objects.of(request.forbund).exclude(chair_role="").select_related("medlem")
    if not filterset.all_shown:
        chairs = chairs.current()
    context = {
        "alla": filterset.all_shown,
        "presidium": sorted(chairs, key=_chair_order),
        "today": timezone.localdate(),
    }
    return list_view(
        request,
        seats,
        LedamotTable,
        LedamotFilterSet,
        template="finsam/ledamot_list.html",
        filename=f"styrelsen-{request.forbund.slug}",
        context=context,
        context_name="ledamoter",
        filterset=filterset,
        cache="styrelsen",
    )


def _chair_order(seat):
    return (list(Ledamot.ChairRole).index(seat.chair_role), -seat.mandate_start.toordinal())


@forbund_view(EDITORS)
def ledamot_create(request):
    initial = {"medlem": request.GET.get("medlem")}
    return _ledamot_form(request, Ledamot(), initial)


@forbund_view(EDITORS)
def ledamot_edit(request, pk):
    seat = get_object_or_404(Ledamot.objects.of(request.forbund), pk=pk)
    return _ledamot_form(request, seat)


def _ledamot_form(request, seat, initial=None):
    created = seat.pk is None
    rubrik = "Ny ledamot" if created else f"Ändra {seat.name}, {seat.medlem.display_name}"
    form = LedamotForm(
        request.POST or None, instance=seat, initial=initial, forbund=request.forbund
    )
    valid = request.method == "POST" and form.is_valid()
    if request.method == "POST" and not valid and replayed(form, request.forbund):
        # The same form again, refused only because the first post saved the seat.
        return already_saved(request, reverse("ledamot_list", args=[request.forbund.slug]))
    if valid:
        try:
            with transaction.atomic():
                # Seats are checked, then saved: one at a time per förbund, so
                # that two people cannot both become chair for the same period.
                lock(request.forbund)
                form.claim(request.forbund)
                if form.chair_is_free():
                    seat = form.save()
                    form.remember(seat)
                    _record(request, seat, created, _changes(form, created))
                else:
                    transaction.set_rollback(True)
        except Replayed:
            return already_saved(request, reverse("ledamot_list", args=[request.forbund.slug]))
        except Conflict:
            form.show_conflict(request)
        except IntegrityError:
            # Someone saved the same seat in the meantime.
            form.add_error("name", Ledamot.SEAT_TAKEN)
        else:
            if not form.errors:
                messages.success(request, f"Ledamoten {seat.name} är sparad.")
                return redirect("ledamot_list", request.forbund.slug)
    context = {
        "form": form,
        "ledamot": seat,
        "rubrik": rubrik,
        "historik": None if created else history.for_page(request, seat),
    }
    return _render(request, "finsam/ledamot_form.html", context)


# Meetings ---------------------------------------------------------------------


@forbund_view(READERS)
def sammantrade_list(request):
    today = timezone.localdate()
    # An aggregate drops Meta.ordering: order again.
    meetings = (
        Sammantrade.objects.of(request.forbund)
        .annotate(antal_arenden=Count("arenden"))
        .order_by("date", "start_time")
    )
    filterset = filtered(request, meetings, SammantradeFilterSet, defaults={"ar": today.year})
    filterset.is_valid()  # cleans the fields: the valid ones are in cleaned_data
    year = filterset.form.cleaned_data.get("ar") or today.year
    next_meeting = meetings.upcoming(today).first()
    return list_view(
        request,
        meetings,
        SammantradeTable,
        SammantradeFilterSet,
        template="finsam/sammantrade_list.html",
        filename=f"sammantraden-{request.forbund.slug}",
        context={"year": year, "next_meeting": next_meeting},
        context_name="sammantraden",
        filterset=filterset,
        table_kwargs={"next_meeting": next_meeting},
    )


@forbund_view(READERS)
def sammantrade_detail(request, pk):
    sammantrade = get_object_or_404(Sammantrade.objects.of(request.forbund), pk=pk)

    def load_meeting():
        """The documents, attendance, agenda and history: built only when the page's
        cached fragment (finsam/generation.py, keyed by the meeting's row and whether
        this user may declare jäv) is not at hand."""
        return {
            "arenden": sammantrade.arenden.select_related("beslut").order_by("number"),
            "delegationsbeslut": sammantrade.anmalda_delegationsbeslut.all(),
            "historik": history.for_page(request, sammantrade),
            **meeting_context(request, sammantrade),
        }

    sent = sammantrade.kallelse_utskick.filter(sent_at__isnull=False)
    context = {
        "sammantrade": sammantrade,
        "load_meeting": load_meeting,
        # The user's own: in the fragment's key, not in the fragment.
        "jav": may_declare_jav(request, sammantrade),
        "open": sammantrade.status in (Sammantrade.Status.PLANERAT, Sammantrade.Status.KALLAT),
        "utskick": SimpleLazyObject(sent.count),
    }
    return _render(request, "finsam/sammantrade_detail.html", context)


@forbund_view(EDITORS)
def sammantrade_create(request):
    return _sammantrade_form(request, Sammantrade(forbund=request.forbund))


@forbund_view(EDITORS)
def sammantrade_edit(request, pk):
    sammantrade = get_object_or_404(Sammantrade.objects.of(request.forbund), pk=pk)
    if sammantrade.is_frozen:
        if request.method == "POST":
            messages.error(request, "Protokollet är justerat. Sammanträdet kan inte längre ändras.")
            return redirect(sammantrade)
        return _render(request, "finsam/sammantrade_frozen.html", {"sammantrade": sammantrade})
    return _sammantrade_form(request, sammantrade)


def _sammantrade_form(request, sammantrade):
    created = sammantrade.pk is None
    rubrik = "Nytt sammanträde" if created else f"Ändra {sammantrade}"
    data = request.POST if request.method == "POST" else None
    form = SammantradeForm(data, instance=sammantrade)
    formset = ArendeFormSet(
        data,
        instance=sammantrade,
        prefix="arenden",
        queryset=Arende.objects.select_related("beslut").order_by("number"),
        initial=_next_numbers(sammantrade),
    )
    standing = StandingChoiceForm(data, prefix="mall") if created else None
    error = ""
    checks = [form.is_valid(), formset.is_valid()] + ([standing.is_valid()] if standing else [])
    valid = data is not None and all(checks)
    if data is not None and not valid and (replay := replayed(form, request.forbund)):
        # The same form again, refused only because the first post saved its items.
        return already_saved(request, _url(replay, "sammantrade_list", request))
    if valid:
        try:
            with transaction.atomic():
                form.claim(request.forbund)
                changes = _save_sammantrade(form, formset, created)
                form.remember(form.instance)
                _record(request, form.instance, created, changes)
                if standing and standing.cleaned_data["staende"]:
                    add_standing_items(sammantrade=form.instance, user=request.user)
                if form.instance.notice_sent_at:  # the agenda is out: its § numbers too
                    number_paragrafer(form.instance)
        except Replayed as replay:
            return already_saved(request, _url(replay, "sammantrade_list", request))
        except Conflict:
            form.show_conflict(request, [formset])
        except ProtectedError:
            error = (
                "Ett beslut som andra uppgifter hänvisar till (t.ex. en ansökan eller ett "
                "anslag) kan inte tas bort. Inget har sparats."
            )
        except IntegrityError:
            error = (
                "Dagordningen ändrades samtidigt av någon annan. Inget har sparats; försök igen."
            )
        else:
            messages.success(request, f"{form.instance} är sparat.")
            return redirect(form.instance)
    context = {
        "form": form,
        "formset": formset,
        "standing": standing,
        "sammantrade": sammantrade,
        "ny": created,
        "rubrik": rubrik,
        "error": error,
    }
    return _render(request, "finsam/sammantrade_form.html", context)


def _next_numbers(sammantrade):
    """Suggested § numbers for the empty rows, after the last one in use."""
    last = 0
    if sammantrade.pk:
        last = max(sammantrade.arenden.values_list("number", flat=True), default=0)
    return [{"number": last + i} for i in range(1, ArendeFormSet.extra + 1)]


# Numbers a renumbered item holds for a moment, above any the form allows (999),
# so that swapping § 2 and § 3 never meets the unique constraint half-way.
_PARKED_NUMBER = 30000


def _save_sammantrade(form, formset, created):
    """Save the meeting, its agenda and the decisions; the caller holds the transaction."""
    form.save()
    changes = _changes(form, created)
    arenden = formset.save(commit=False)
    agenda = {"nya": [], "ändrade": [], "borttagna": []}
    for arende in formset.deleted_objects:
        agenda["borttagna"].append(str(arende))
        arende.delete()
    for i, (arende, fields) in enumerate(formset.changed_objects):
        if "number" in fields:
            Arende.objects.filter(pk=arende.pk).update(number=_PARKED_NUMBER + i)
    for arende, _fields in formset.changed_objects:
        agenda["ändrade"].append(str(arende))
    for arende in arenden:
        if arende.pk is None:
            agenda["nya"].append(str(arende))
        arende.save()
    if not created and "date" in form.changed_data:
        # A decision is dated the meeting's day.
        Beslut.objects.filter(arende__sammantrade=form.instance).update(date=form.instance.date)
    agenda = {key: value for key, value in agenda.items() if value}
    if agenda:
        changes["dagordning"] = agenda
    return changes
