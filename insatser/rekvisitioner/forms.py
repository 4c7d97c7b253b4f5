from decimal import Decimal

from django import forms
from django.utils import timezone

from finsam.concurrency import GuardedForm
from finsam.forms import DateInput, KronorField
from finsam.hardening import Form, ModelForm

from ..models import Rekvisition


class AmountField(KronorField):
    """A claimed amount: more than zero, in kronor and öre, no exponent."""

    default_error_messages = {
        "invalid": "Ange beloppet i kronor med siffror, t.ex. 45 000 eller 45 000,50.",
        "min_value": "Beloppet måste vara större än noll.",
        "max_digits": "Beloppet är för stort.",
        "max_whole_digits": "Beloppet är för stort.",
        "max_decimal_places": "Ange högst två decimaler (öre).",
        "required": "Ange beloppet.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("min_value", Decimal("0.01"))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and any(c in value for c in "eEnN"):
            # "1e3", "NaN", "inf": not how anyone writes an amount.
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class RekvisitionForm(GuardedForm, ModelForm):
    amount = AmountField(label="Belopp (kr)")

    class Meta:
        model = Rekvisition
        fields = ["period_start", "period_end", "amount"]
        widgets = {"period_start": DateInput(), "period_end": DateInput()}
        error_messages = {
            "period_start": {
                "required": "Ange periodens första dag.",
                "invalid": "Ange ett datum.",
            },
            "period_end": {"required": "Ange periodens sista dag.", "invalid": "Ange ett datum."},
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end:
            if end < start:
                self.add_error("period_end", "Periodens slut kan inte vara före dess början.")
            elif start.year != end.year:
                self.add_error("period_end", "Perioden ska ligga inom ett och samma år.")
        return cleaned


class BeslutForm(Form):
    """Kansli's decision on a claim: approve, or reject with a reason."""

    GODKANN, AVSLA = "godkann", "avsla"

    decision = forms.ChoiceField(
        label="Beslut",
        choices=[(GODKANN, "Godkänn"), (AVSLA, "Avslå")],
        widget=forms.RadioSelect,
        error_messages={"required": "Välj godkänn eller avslå."},
    )
    reason = forms.CharField(
        label="Motivering (krävs vid avslag)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.AVSLA and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Skriv varför rekvisitionen avslås.")
        return cleaned


class RegistreraForm(RekvisitionForm):
    """Kansli registers a claim that came by post or e-mail: also the day it came in."""

    received_on = forms.DateField(
        label="Inkom (datum enligt brevet eller e-posten)",
        widget=DateInput(),
        error_messages={
            "required": "Ange vilken dag rekvisitionen kom in.",
            "invalid": "Ange ett datum.",
        },
    )

    field_order = ["received_on", "period_start", "period_end", "amount"]

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("Dagen rekvisitionen kom in kan inte ligga i framtiden.")
        return day
