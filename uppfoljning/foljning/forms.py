from django import forms
from django.core.validators import MaxValueValidator

from finsam.concurrency import GuardedForm
from finsam.hardening import Form, ModelForm

from ..models import Malbedomning
from .indicators import PERIODS

FIRST_YEAR = 2000


class PeriodForm(Form):
    """The period picker (GET): a year and a part of it."""

    ar = forms.IntegerField(
        label="År",
        required=False,
        min_value=FIRST_YEAR,
        error_messages={
            "invalid": "Ange året med fyra siffror, t.ex. 2026.",
            "min_value": f"Året kan vara tidigast {FIRST_YEAR}.",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
    )
    period = forms.ChoiceField(
        label="Period",
        required=False,
        choices=[(key, label.capitalize()) for key, label in PERIODS.items()],
        error_messages={"invalid_choice": "Välj en av perioderna i listan."},
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        last = today.year + 1
        self.fields["ar"].max_value = last
        self.fields["ar"].validators.append(
            MaxValueValidator(last, message=f"Året kan vara högst {last}.")
        )


MET_CHOICES = [("unknown", "Kan inte bedömas"), ("true", "Uppnått"), ("false", "Ej uppnått")]


class MalbedomningForm(GuardedForm, ModelForm):
    met = forms.NullBooleanField(
        label="Bedömning",
        required=False,
        widget=forms.RadioSelect(choices=MET_CHOICES),
    )

    class Meta:
        model = Malbedomning
        fields = ["met", "text"]
        labels = {"text": "Kansliets bedömning"}
        help_texts = {"text": "Vad har gjorts under perioden, och når förbundet målet?"}
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}
