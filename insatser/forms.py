"""Forms for the kansli's insats pages: the insats and its grants per year."""

from decimal import Decimal

from django import forms
from django.forms import inlineformset_factory

from finsam.forms import DateInput
from finsam.models import Malgrupp, Medlem

from .models import Anslag, Insats


class KronorField(forms.DecimalField):
    """An amount in kronor as people type it: "2 753 000", "450000,50", "−518 000"."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})
    default_error_messages = {
        "invalid": "Ange beloppet i kronor med siffror, t.ex. 450 000.",
        "min_value": "Beloppet kan inte vara negativt.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        # DecimalField would add step/min attributes meant for a number input.
        return {}

    def to_python(self, value):
        if isinstance(value, str):
            for space in (" ", "\u00a0", "\u202f"):
                value = value.replace(space, "")
            value = value.replace("\u2212", "-").replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value):
        """Whole kronor with spaces between thousands, as people read them: "4 495 000"."""
        if isinstance(value, Decimal) and value == value.to_integral_value():
            return f"{int(value):,}".replace(",", " ")
        return value


class InsatsFilter(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Alla")] + Insats.Status.choices,
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    ar = forms.IntegerField(
        label="Aktiv under år",
        min_value=2000,
        max_value=2100,
        required=False,
        error_messages={"invalid": "Ange ett år med fyra siffror."},
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
    )


class InsatsForm(forms.ModelForm):
    class Meta:
        model = Insats
        fields = [
            "name",
            "agare",
            "deltagare",
            "kind",
            "malgrupp",
            "start",
            "end",
            "status",
            "description",
        ]
        widgets = {
            "deltagare": forms.CheckboxSelectMultiple,
            "start": DateInput(),
            "end": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, forbund, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.forbund = forbund
        medlemmar = Medlem.objects.of(forbund)
        self.fields["agare"].queryset = medlemmar
        self.fields["deltagare"].queryset = medlemmar
        self.fields["deltagare"].help_text = (
            "Kryssa i de medlemmar som deltar utöver insatsägaren. "
            "Minst två medlemmar ska delta i en insats."
        )
        self.fields["malgrupp"].queryset = Malgrupp.objects.of(forbund)

    def clean(self):
        cleaned = super().clean()
        agare, deltagare = cleaned.get("agare"), cleaned.get("deltagare")
        if agare and deltagare and agare in deltagare:
            self.add_error(
                "deltagare",
                f"{agare.display_name} är insatsägare och deltar redan; "
                "ta bort krysset vid den här.",
            )
        return cleaned


class AnslagForm(forms.ModelForm):
    year = forms.IntegerField(
        label="År",
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": "Ange året med fyra siffror, t.ex. 2026.",
            "min_value": "Ange ett år från 2000 och framåt.",
            "max_value": "Ange ett år före 2100.",
        },
    )
    amount = KronorField(label="Beviljat belopp (kr)", min_value=0, max_digits=12)

    class Meta:
        model = Anslag
        fields = ["year", "amount"]


class BaseAnslagFormSet(forms.BaseInlineFormSet):
    def clean(self):
        # Replaces Django's formset-wide unique check, whose message is generic:
        # a repeated year is named on the row itself.
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.errors:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            year = form.cleaned_data.get("year")
            if year is None:
                continue
            if year in seen:
                form.add_error("year", f"{year} finns redan på en annan rad; ett belopp per år.")
            seen.add(year)


AnslagFormSet = inlineformset_factory(
    Insats,
    Anslag,
    form=AnslagForm,
    formset=BaseAnslagFormSet,
    fields=["year", "amount"],
    extra=2,
    can_delete=True,
)
