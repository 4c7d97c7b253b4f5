"""The delegated decision on an application, and the decision letter's download.

The panel (templates/insatser/ansokan/_beslut_panel.html) is its own page here,
and the application's page includes it where part A leaves room for it.
"""

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse

from finsam.access import forbund_view
from finsam.concurrency import Conflict, Replayed, RevisionForm, already_saved
from finsam.documents import download_name
from finsam.forms import KronorField
from finsam.minutes.register import DecisionLinks
from finsam.models import Beslut, Dokument
from finsam.permissions import EDITORS, EVERYONE, INSATSAGARE, READERS

from . import decisions
from .models import Ansokan


class DelegatedDecisionForm(RevisionForm):
    outcome = forms.ChoiceField(
        label="Beslut",
        choices=[(value, Beslut.Outcome(value).label) for value in decisions.DELEGATED_OUTCOMES],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label="Beslutstext",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Lämnas tom: en standardtext med beloppen skrivs.",
    )
    conditions = forms.CharField(
        label="Villkor", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, data=None, *, instance, **kwargs):
        super().__init__(data, instance=instance, **kwargs)
        self.years = []
        for row in instance.belopp.all():
            name = f"belopp_{row.year}"
            self.fields[name] = KronorField(
                label=f"Beviljat {row.year} (kr)",
                required=False,
                min_value=0,
                initial=row.proposed if row.proposed is not None else row.amount,
                help_text=f"Sökt {row.amount:,.0f} kr".replace(",", " "),
            )
            self.years.append((row.year, name, row.amount))
        if not self.is_bound:
            self.initial.setdefault("conditions", instance.proposal_conditions)

    def clean(self):
        cleaned = super().clean()
        for year, name, asked in self.years:
            amount = cleaned.get(name)
            if amount is not None and amount > asked:
                self.add_error(name, f"Mer än det sökta beloppet för {year}.")
        return cleaned

    def amounts(self):
        return {year: self.cleaned_data.get(name) for year, name, _ in self.years}


def _ansokan(request, pk):
    return get_object_or_404(
        Ansokan.objects.of(request.forbund).select_related("forbund", "beslut"), pk=pk
    )


def panel_context(request, ansokan, form=None):
    """The context the panel needs (also for part A's application page)."""
    may_decide = (
        request.roll.kind in EDITORS
        and ansokan.status == Ansokan.Status.KLAR_FOR_BESLUT
        and not ansokan.beslut_id
        and decisions.within_delegation(ansokan)
    )
    if may_decide and form is None:
        form = DelegatedDecisionForm(instance=ansokan)
    return {
        "ansokan": ansokan,
        "beslut": ansokan.beslut,
        "letter": (letter := decisions.latest_letter(ansokan)),
        "letter_pending": letter is None and decisions.letter_pending(ansokan),
        "delegation_form": form if may_decide else None,
        "total_asked": decisions.total_asked(ansokan),
        "delegation_limit": ansokan.forbund.delegation_limit,
        "within_delegation": decisions.within_delegation(ansokan),
        "report_at": decisions.next_meeting_to_report(ansokan.forbund),
    }


@forbund_view(EDITORS)
def ansokan_delegated_decision(request, pk):
    ansokan = _ansokan(request, pk)
    form = None
    if request.method == "POST":
        form = DelegatedDecisionForm(request.POST, instance=ansokan)
        if form.is_valid():
            here = reverse("ansokan_delegated_decision", args=[request.forbund.slug, pk])
            try:
                with transaction.atomic():
                    form.claim(request.forbund)
                    decisions.decide_delegated(
                        ansokan,
                        user=request.user,
                        outcome=form.cleaned_data["outcome"],
                        amounts=form.amounts(),
                        text=form.cleaned_data["text"],
                        conditions=form.cleaned_data["conditions"],
                    )
                    form.remember(ansokan)
            except Replayed:
                return already_saved(request, here)
            except Conflict:
                form.show_conflict(request)
            except decisions.DecisionError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request, "Delegationsbeslutet är fattat; beslutsbrevet skickas till sökanden."
                )
                return redirect(here)
    context = panel_context(request, ansokan, form)
    return render(request, "insatser/ansokan/beslut_page.html", context)


def may_read_letter(roll, ansokan):
    if roll.kind in READERS:
        return True
    return roll.kind == INSATSAGARE and ansokan.agare_id == roll.medlem_id


@forbund_view(EVERYONE)
def ansokan_letter(request, pk):
    ansokan = _ansokan(request, pk)
    if not may_read_letter(request.roll, ansokan):
        raise Http404 if request.roll.kind == INSATSAGARE else PermissionDenied
    letter = decisions.latest_letter(ansokan)
    if letter is None or not letter.file:
        raise Http404
    return FileResponse(
        letter.file.open("rb"),
        as_attachment=True,
        filename=download_name(letter),
        content_type="application/pdf",
    )


def decision_links(rows):
    """finsam.minutes.register's provider: the application behind each decision, its letter."""
    rows = list(rows)
    by_arende = {b.arende_id: b.pk for b in rows if b.arende_id}
    delegated = {b.subject_id: b.pk for b in rows if b.delegated and b.subject_id}
    found = {}
    on_items = Ansokan.objects.filter(arende_id__in=by_arende)
    applications = on_items | Ansokan.objects.filter(pk__in=delegated)
    applications = list(applications.select_related("forbund"))
    # Which of them have a letter, in one query (not one per row).
    with_letter = set(
        Dokument.objects.filter(
            subject_type=ContentType.objects.get_for_model(Ansokan),
            subject_id__in=[a.pk for a in applications],
            kind=Dokument.Kind.BESLUTSBREV,
            status=Dokument.Status.DONE,
        ).values_list("subject_id", flat=True)
    )
    for ansokan in applications:
        pk = by_arende.get(ansokan.arende_id) or delegated.get(ansokan.pk)
        if pk is None:
            continue
        slug = ansokan.forbund.slug
        try:
            url = ansokan.get_absolute_url()
        except NoReverseMatch:  # the application pages are part A's
            url = ""
        found[pk] = DecisionLinks(
            title=str(ansokan),
            url=url,
            letter_url=(
                reverse("ansokan_letter", args=[slug, ansokan.pk])
                if ansokan.pk in with_letter
                else ""
            ),
        )
    return found
