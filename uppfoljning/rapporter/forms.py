"""The report form: participant counts, reasons for ending, goals, texts and money.

A draft is saved with whatever is filled in, as long as every number is a
number; sending in checks the rest (workflow.placed_problems).
"""

from django import forms
from django.core.validators import DecimalValidator
from django.forms import inlineformset_factory

from finsam.concurrency import FOREIGN_ROW, GuardedForm, GuardedFormSet, GuardedRow
from finsam.forms import CHOOSE, KronorField
from finsam.hardening import FORMSET_LIMITS, Form, ModelForm

from ..aktiviteter.forms import CountField
from ..models import Deltagarantal, Rapport, RapportMal
from .workflow import REASONS, counts

C = Deltagarantal.Category
# The counts of the grid, each by women and men and "varav 16–29 år".
GRID = (C.NYA, C.AKTIVA, C.AVSLUTADE)
GRID_LABELS = {
    C.NYA: "Nya deltagare",
    C.AKTIVA: "Aktiva vid periodens slut",
    C.AVSLUTADE: "Avslutade deltagare",
}
REASON_LABELS = {
    C.TILL_ARBETE: "Till arbete",
    C.TILL_STUDIER: "Till studier",
    C.TILL_ARBETSSOKANDE: "Till arbetssökande",
    C.TILL_REHABPLAN: "Till vidare rehabilitering med plan",
    C.OVRIGT: "Annat",
}
# A reason's field as the error summary and a screen reader name it.
REASON_FIELD_LABELS = {
    C.TILL_ARBETE: "Avslutade till arbete",
    C.TILL_STUDIER: "Avslutade till studier",
    C.TILL_ARBETSSOKANDE: "Avslutade till arbetssökande",
    C.TILL_REHABPLAN: "Avslutade till vidare rehabilitering med plan",
    C.OVRIGT: "Avslutade av annan orsak",
}
GENDERS = (("women", "kvinnor"), ("men", "män"))


class MoneyField(KronorField):
    """Kronor, written out: "1e3" is not how anyone writes an amount."""

    MESSAGES = {
        "max_digits": "Beloppet är för stort.",
        "max_whole_digits": "Beloppet är för stort.",
        "max_decimal_places": "Ange beloppet med högst två decimaler (ören).",
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for validator in self.validators:
            if isinstance(validator, DecimalValidator):
                validator.messages = {**validator.messages, **self.MESSAGES}

    def to_python(self, value):
        if isinstance(value, str) and any(c in value for c in "eE"):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class ReportCount(CountField):
    """A count in the report: left empty it is 0."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):  # "−1" as a word processor writes it: still negative
            value = value.replace("\u2212", "-")
        return super().to_python(value)

    def clean(self, value):
        result = super().clean(value)
        return 0 if result is None else result


def field_name(category, attr):
    return f"{category}_{attr}"


def _label(category, attr):
    row = GRID_LABELS[category] if category in GRID else REASON_FIELD_LABELS[category]
    gender = dict(GENDERS)[attr.removeprefix("young_")]
    if attr.startswith("young_"):
        return f"{row}, {gender} 16–29 år"
    return f"{row}, {gender}"


def _attrs(category):
    if category in GRID:
        return ("women", "men", "young_women", "young_men")
    return ("women", "men")


class RapportForm(GuardedForm, ModelForm):
    money_used = MoneyField(
        label="Förbrukade medel under perioden (kr)",
        min_value=0,
        max_digits=12,
        required=False,
    )

    class Meta:
        model = Rapport
        fields = ["jamstalldhet", "deviations", "goal_progress", "money_used"]
        widgets = {
            "jamstalldhet": forms.Textarea(attrs={"rows": 4}),
            "deviations": forms.Textarea(attrs={"rows": 3}),
            "goal_progress": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "jamstalldhet": "Hur insatsen har arbetat med jämställdhet",
            "deviations": "Avvikelser från planen",
            "goal_progress": "Måluppfyllelse",
        }
        help_texts = {
            "jamstalldhet": "Krävs när rapporten skickas in.",
            "deviations": "Vad som inte blev som planerat, och varför.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_names = []
        rows = counts(self.instance) if self.instance.pk else {}
        for category in C.values:
            for attr in _attrs(category):
                name = field_name(category, attr)
                self.fields[name] = ReportCount(label=_label(category, attr))
                self.count_names.append(name)
                row = rows.get(category)
                self.initial.setdefault(name, getattr(row, attr) if row else 0)

    def clean(self):
        cleaned = super().clean()
        for category in GRID:
            for attr, gender in GENDERS:
                count = cleaned.get(field_name(category, attr))
                young = cleaned.get(field_name(category, f"young_{attr}"))
                if count is not None and young is not None and young > count:
                    self.add_error(
                        field_name(category, f"young_{attr}"),
                        f"Varav 16–29 år ({young}) kan inte vara fler än "
                        f"{GRID_LABELS[category].lower()}, {gender} ({count}).",
                    )
        return cleaned

    # What the template shows -----------------------------------------------

    def _number(self, name):
        """The field's value as a number, where it is one (for the totals)."""
        if self.is_bound:
            if name in getattr(self, "cleaned_data", {}):
                return self.cleaned_data[name]
            raw = (self.data.get(self.add_prefix(name)) or "").strip()
            if raw == "":
                return 0
            return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
        return self.get_initial_for_field(self.fields[name], name)

    def _total(self, category):
        women = self._number(field_name(category, "women"))
        men = self._number(field_name(category, "men"))
        return None if women is None or men is None else women + men

    def grid(self):
        """The counts' rows: (label, women, men, total, young women, young men)."""
        return [
            {
                "category": category,
                "label": GRID_LABELS[category],
                "women": self[field_name(category, "women")],
                "men": self[field_name(category, "men")],
                "total": self._total(category),
                "young_women": self[field_name(category, "young_women")],
                "young_men": self[field_name(category, "young_men")],
            }
            for category in GRID
        ]

    def reasons(self):
        return [
            {
                "category": category,
                "label": REASON_LABELS[category],
                "women": self[field_name(category, "women")],
                "men": self[field_name(category, "men")],
                "total": self._total(category),
            }
            for category in REASONS
        ]

    def reason_sums(self):
        """The reasons added up, by women and men (None where one is not a number)."""
        sums = {}
        for attr, _gender in GENDERS:
            values = [self._number(field_name(c, attr)) for c in REASONS]
            sums[attr] = None if None in values else sum(values)
        both = None if None in sums.values() else sums["women"] + sums["men"]
        return {**sums, "total": both}

    def text_fields(self):
        return [self[name] for name in ("jamstalldhet", "deviations", "goal_progress")]

    # Saving -------------------------------------------------------------------

    def save_counts(self):
        """The counts into their rows: {label: "before → after"} of those that changed."""
        rows = {row.category: row for row in self.instance.deltagarantal.all()}
        changes = {}
        for category in C.values:
            row = rows.get(category) or Deltagarantal(rapport=self.instance, category=category)
            changed = False
            for attr in _attrs(category):
                name = field_name(category, attr)
                before, after = getattr(row, attr), self.cleaned_data[name]
                if before != after:
                    changes[self.fields[name].label] = f"{before} → {after}"
                    setattr(row, attr, after)
                    changed = True
            if changed or (row.pk is None and category in GRID):
                row.save()
        return changes

    def without_counts(self, changes):
        """history.form_changes() without the counts: save_counts() says them by label."""
        return {key: value for key, value in changes.items() if key not in self.count_names}


class RapportMalForm(GuardedRow, ModelForm):
    comment = forms.CharField(
        label="Kommentar",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = RapportMal
        fields = ["bedomning", "comment"]
        labels = {"bedomning": "Bedömning"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bedomning"].choices = [("", CHOOSE), *RapportMal.Bedomning.choices]
        self.fields["bedomning"].error_messages["invalid_choice"] = "Välj en bedömning i listan."

    @property
    def row_label(self):
        return f"mål ”{self.instance.text[:40]}”" if self.instance.pk else ""


class _Goals(GuardedFormSet, forms.BaseInlineFormSet):
    """The goals are the application's: assessed here, never added."""

    def row_label(self, row):
        return row.text[:40]

    def clean(self):
        super().clean()
        if any(form.has_changed() for form in self.extra_forms):
            raise forms.ValidationError(FOREIGN_ROW, code="foreign_row")

    def changes(self):
        """{"Mål …": {field: [before, after]}} of the goals whose assessment changed."""
        result = {}
        for form in self.forms:
            if not form.has_changed():
                continue
            row = {}
            for name in form.changed_data:
                field = form.fields[name]
                before = _shown(field, form.initial.get(name))
                row[str(field.label)] = f"{before} → {_shown(field, form.cleaned_data.get(name))}"
            result[f"Mål ”{form.instance.text[:40]}”"] = row
        return result


def _shown(field, value):
    if not value:
        return "–"
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    return value


GoalFormSet = inlineformset_factory(
    Rapport,
    RapportMal,
    form=RapportMalForm,
    formset=_Goals,
    fields=["bedomning", "comment"],
    extra=0,
    can_delete=False,
    **FORMSET_LIMITS,
)


class ReturnForm(Form):
    comment = forms.CharField(
        label="Vad ska insatsägaren rätta?",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Skriv en kommentar om vad som ska rättas."},
    )
