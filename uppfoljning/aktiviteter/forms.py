from django import forms

from finsam.concurrency import GuardedForm, RevisionForm
from finsam.forms import DateInput
from finsam.hardening import ModelForm
from insatser.models import Insats

from ..models import Aktivitet

MAX_PARTICIPANTS = 100_000


class CountField(forms.IntegerField):
    """A number of participants: a whole number, zero or more."""

    default_error_messages = {
        "required": "Ange antalet (0 om inga).",
        "invalid": "Ange antalet som ett heltal, t.ex. 12.",
        "min_value": "Antalet kan inte vara negativt.",
        "max_value": f"Antalet kan vara högst {MAX_PARTICIPANTS:,}.".replace(",", " "),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_PARTICIPANTS)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {"inputmode": "numeric"}

    def to_python(self, value):
        if isinstance(value, str) and not value.strip().isdigit() and value.strip():
            stripped = value.strip()
            if not (stripped.startswith("-") and stripped[1:].isdigit()):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class AktivitetForm(GuardedForm, ModelForm):
    participants_women = CountField(label="Deltagare, kvinnor")
    participants_men = CountField(label="Deltagare, män")

    class Meta:
        model = Aktivitet
        fields = [
            "date",
            "title",
            "kind",
            "organiser",
            "participants_women",
            "participants_men",
            "insats",
            "description",
        ]
        widgets = {"date": DateInput(), "participants_women": forms.TextInput()}
        error_messages = {
            "date": {"required": "Ange datum.", "invalid": "Ange ett datum."},
            "title": {"required": "Ange en rubrik."},
            "kind": {"required": "Välj typ av aktivitet."},
        }

    def __init__(self, *args, forbund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["insats"].queryset = Insats.objects.of(forbund).order_by("name")
        self.fields["insats"].required = False
        self.fields["insats"].empty_label = "Ingen insats"
        self.fields["participants_women"].widget = forms.TextInput(attrs={"inputmode": "numeric"})
        self.fields["participants_men"].widget = forms.TextInput(attrs={"inputmode": "numeric"})


class DeleteForm(RevisionForm):
    """Confirming a deletion: the guards only."""
