"""The meeting's forms: agenda template, attendance, jäv, decision. They validate, nothing more."""

from django import forms
from django.core.validators import MinValueValidator

from ..concurrency import RevisionForm
from ..forms import KronorField
from ..hardening import FORMSET_LIMITS, Form
from ..models import Arende, Beslut, Ledamot, StandingItem
from .workflow import check_attendance, seats


class TemplateRowForm(Form):
    title = forms.CharField(label="Rubrik", max_length=300)
    standing = forms.ChoiceField(label="Stående punkt", choices=StandingItem.choices)
    kind = forms.ChoiceField(label="Typ", choices=Arende.Kind.choices)
    order = forms.IntegerField(label="Ordning", min_value=1, max_value=999)


class BaseTemplateFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.has_changed() and not self._should_delete_form(f)]
        standing = [f.cleaned_data.get("standing") for f in kept if f.is_valid()]
        twice = {s for s in standing if standing.count(s) > 1}
        if twice:
            labels = ", ".join(str(StandingItem(s).label) for s in sorted(twice))
            raise forms.ValidationError(f"Varje stående punkt finns en gång i mallen: {labels}.")

    def rows(self):
        """The kept rows as dicts, in the order given."""
        kept = [
            f.cleaned_data
            for f in self.forms
            if f.has_changed() and f.cleaned_data and not self._should_delete_form(f)
        ]
        kept.sort(key=lambda row: row["order"])
        return [{k: row[k] for k in ("title", "standing", "kind")} for row in kept]


TemplateFormSet = forms.formset_factory(
    TemplateRowForm, formset=BaseTemplateFormSet, extra=1, can_delete=True, **FORMSET_LIMITS
)


class MoveForm(Form):
    """The agenda's order: one item up or down (buttons), or a whole new order (drag)."""

    flytta = forms.RegexField(regex=r"^\d{1,18}:(upp|ner)$", required=False, max_length=30)
    ordning = forms.RegexField(regex=r"^\d{1,18}(,\d{1,18})*$", required=False, max_length=4000)

    def clean(self):
        data = super().clean()
        if not data.get("flytta") and not data.get("ordning"):
            raise forms.ValidationError("Välj ett ärende att flytta.")
        return data


class AttendanceForm(RevisionForm):
    """Present or not, per seat; a deputy may serve for an absent regular member of its member."""

    ovriga_narvarande = forms.CharField(
        label="Övriga närvarande",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="En per rad: namn och roll, t.ex. förbundschef eller sekreterare.",
    )

    def __init__(self, data=None, *, instance, protokoll=None, **kwargs):
        self.seats = seats(instance)
        rows = {row.ledamot_id: row for row in instance.narvaro.all()}
        super().__init__(data, instance=instance, **kwargs)
        regular = [s for s in self.seats if s.kind == Ledamot.Kind.ORDINARIE]
        self.rows = []
        for seat in self.seats:
            row = rows.get(seat.pk)
            present = forms.BooleanField(label=f"{seat.name} närvarande", required=False)
            self.fields[f"n{seat.pk}"] = present
            self.initial[f"n{seat.pk}"] = bool(row and row.present)
            serving = None
            if seat.kind == Ledamot.Kind.ERSATTARE:
                choices = [("", "Tjänstgör inte")] + [
                    (str(r.pk), f"Tjänstgör för {r.name}")
                    for r in regular
                    if r.medlem_id == seat.medlem_id
                ]
                serving = forms.TypedChoiceField(
                    label=f"{seat.name} tjänstgör för",
                    choices=choices,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                )
                self.fields[f"t{seat.pk}"] = serving
                self.initial[f"t{seat.pk}"] = row.serving_for_id if row else None
            self.rows.append((seat, self[f"n{seat.pk}"], self[f"t{seat.pk}"] if serving else None))
        if protokoll is not None:
            self.initial["ovriga_narvarande"] = protokoll.ovriga_narvarande
        self.fields["ovriga_narvarande"] = self.fields.pop("ovriga_narvarande")  # last

    def present(self):
        return {seat.pk for seat in self.seats if self.cleaned_data.get(f"n{seat.pk}")}

    def serving(self):
        return {
            seat.pk: self.cleaned_data[f"t{seat.pk}"]
            for seat in self.seats
            if self.cleaned_data.get(f"t{seat.pk}")
        }

    def clean(self):
        data = super().clean()
        for error in check_attendance(self.instance, self.present(), self.serving()):
            self.add_error(None, error)
        return data


class JavForm(RevisionForm):
    ledamot = forms.ModelChoiceField(label="Ledamot", queryset=Ledamot.objects.none())
    reason = forms.CharField(
        label="Skäl",
        max_length=300,
        help_text="Kort, t.ex. ”Är chef för verksamheten som söker.”",
    )

    def __init__(self, data=None, *, instance, seats, **kwargs):
        super().__init__(data, instance=instance, **kwargs)
        self.fields["ledamot"].queryset = seats
        if len(seats) == 1:
            self.initial["ledamot"] = seats[0].pk


BORDLAGGS_CHOICE = [(Beslut.Outcome.BORDLAGGS.value, Beslut.Outcome.BORDLAGGS.label)]


class BeslutForm(RevisionForm):
    outcome = forms.ChoiceField(
        label="Beslut", choices=Beslut.Outcome.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label="Beslutstext",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Lämna tomt för en text efter beslutet, t.ex. ”Styrelsen beslutar att bevilja "
        "ansökan med 450 000 kr för 2027.”",
    )
    conditions = forms.CharField(
        label="Villkor", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    reservations = forms.CharField(
        label="Reservationer",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Vem som reserverade sig, och hur.",
    )

    def __init__(self, data=None, *, instance, subject=None, **kwargs):
        super().__init__(data, instance=instance, **kwargs)
        if subject is None:
            # Not an application: the decision is its text (or it is postponed).
            outcome = self.fields["outcome"]
            outcome.required = False
            outcome.choices = [("", "Beslut enligt beslutstexten"), *BORDLAGGS_CHOICE]
            self.fields["text"].help_text = "T.ex. ”Styrelsen godkänner dagordningen.”"
        beslut = instance.beslut_or_none
        amounts = {b.year: b.amount for b in beslut.belopp.all()} if beslut else {}
        years = sorted(set(subject.asked) | set(subject.proposed)) if subject else []
        years = sorted(set(years) | set(amounts))
        self.years = years
        for year in years:
            name = f"belopp_{year}"
            self.fields[name] = KronorField(
                label=f"Beviljat belopp {year} (kr)",
                required=False,
                validators=[MinValueValidator(0)],
                help_text="För beviljas och beviljas delvis.",
            )
            default = subject.proposed.get(year, subject.asked.get(year)) if subject else None
            self.initial[name] = amounts.get(year, default)
        if beslut is not None:
            self.initial.update(
                outcome=beslut.outcome,
                text=beslut.text,
                conditions=beslut.conditions,
                reservations=beslut.reservations,
            )
        elif subject is not None:
            self.initial["conditions"] = subject.conditions
        for name in ("text", "conditions", "reservations"):
            self.fields[name] = self.fields.pop(name)

    def clean(self):
        data = super().clean()
        if not data.get("outcome") and not (data.get("text") or "").strip():
            self.add_error("text", "Skriv beslutet.")
        return data

    def amount_fields(self):
        return [self[f"belopp_{year}"] for year in self.years]

    def amounts(self):
        return {year: self.cleaned_data.get(f"belopp_{year}") for year in self.years}


class StandingChoiceForm(Form):
    """On a new meeting's form: whether it gets the template's standing items."""

    staende = forms.BooleanField(
        label="Lägg in de stående punkterna från dagordningens mall",
        required=False,
        initial=True,
    )
