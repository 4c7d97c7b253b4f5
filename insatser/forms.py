"""Forms for the kansli's insats pages: the insats and its grants per year."""

from django import forms
from django.forms import inlineformset_factory

from finsam.concurrency import GuardedForm, GuardedFormSet, GuardedRow
from finsam.forms import DateInput, KronorField
from finsam.hardening import FORMSET_LIMITS, ModelForm
from finsam.models import Malgrupp, Medlem

from .models import Anslag, Insats

YEAR_ERRORS = {
    "invalid": "Ange året med fyra siffror, t.ex. 2027.",
    "min_value": "Ange ett år från 2000 och framåt.",
    "max_value": "Ange ett år före 2100.",
}


def year_field(label="År", required=True):
    """A year of a grant, an amount asked or a round: four digits, 2000–2099."""
    return forms.IntegerField(
        label=label, min_value=2000, max_value=2100, required=required, error_messages=YEAR_ERRORS
    )


class InsatsForm(GuardedForm, ModelForm):
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


class AnslagForm(GuardedRow, ModelForm):
    year = year_field()
    amount = KronorField(label="Beviljat belopp (kr)", min_value=0, max_digits=12)

    class Meta:
        model = Anslag
        fields = ["year", "amount"]

    @property
    def row_label(self):
        """The row in labels and the error summary ("Beviljat belopp 2027 (kr)")."""
        return str(self.instance.year) if self.instance.pk else ""


class BaseAnslagFormSet(GuardedFormSet, forms.BaseInlineFormSet):
    def row_label(self, anslag):
        return str(anslag.year)

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
    **FORMSET_LIMITS,
)
