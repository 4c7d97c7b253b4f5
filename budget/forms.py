"""Forms for the kansli's budget pages: the budget, its lines, the contributions."""

from django import forms
from django.forms import inlineformset_factory, modelformset_factory

from finsam.concurrency import GuardedForm, GuardedFormSet, GuardedRow
from finsam.forms import DateInput, KronorField
from finsam.hardening import FORMSET_LIMITS, Form, ModelForm
from finsam.models import Beslut

from .models import Budget, Budgetrad

Group, Source = Budgetrad.Group, Budgetrad.Source

# A derived line only makes sense in its own group: the table sums it there.
SOURCE_GROUP = {Source.MEDLEMSAVGIFTER: Group.MEDLEMSAVGIFTER, Source.INSATSER: Group.INSATSER}


class BudgetForm(GuardedForm, ModelForm):
    previous_surplus = KronorField(
        label="Över-/underskott från tidigare år (kr)",
        help_text="Ett underskott skrivs med minustecken, t.ex. −518 000.",
    )
    forecast_previous_year = KronorField(
        label="Prognostiserat resultat för föregående år (kr)",
        help_text="Ett prognostiserat underskott skrivs med minustecken.",
    )

    class Meta:
        model = Budget
        fields = ["previous_surplus", "forecast_previous_year"]


class BudgetradForm(GuardedRow, ModelForm):
    amount = KronorField(label="Belopp (kr)", required=False)
    order = forms.IntegerField(
        label="Ordning",
        min_value=0,
        max_value=32767,
        initial=0,
        error_messages={"invalid": "Ange ordningen som ett heltal."},
    )

    class Meta:
        model = Budgetrad
        fields = ["group", "name", "source", "amount", "order"]

    @property
    def row_label(self):
        """The row in labels and the error summary ("Beviljat belopp Kansli (kr)")."""
        return self.instance.name if self.instance.pk else ""

    def clean(self):
        cleaned = super().clean()
        source, group = cleaned.get("source"), cleaned.get("group")
        if "amount" in cleaned:  # a bad number already has its message
            amount = cleaned["amount"]
            if source == Source.TYPED and amount is None:
                self.add_error("amount", "Ange ett belopp")
            elif source and source != Source.TYPED and amount is not None:
                self.add_error(
                    "amount",
                    "En rad som räknas fram ur databasen har inget eget belopp; lämna fältet tomt.",
                )
        if source in SOURCE_GROUP and group and group != SOURCE_GROUP[source]:
            self.add_error(
                "group",
                f"”{Source(source).label}” hör till gruppen {SOURCE_GROUP[source].label}.",
            )
        return cleaned


class BaseBudgetradFormSet(GuardedFormSet, forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            source = form.cleaned_data.get("source")
            if source in SOURCE_GROUP:
                if source in seen:
                    form.add_error(
                        "source",
                        f"Budgeten har redan en rad med ”{Source(source).label}”; "
                        "samma belopp skulle räknas två gånger.",
                    )
                seen.add(source)


BudgetradFormSet = inlineformset_factory(
    Budget,
    Budgetrad,
    form=BudgetradForm,
    formset=BaseBudgetradFormSet,
    fields=["group", "name", "source", "amount", "order"],
    extra=3,
    can_delete=True,
    **FORMSET_LIMITS,
)


class OutcomeForm(GuardedRow, ModelForm):
    """A line's outcome so far and forecast for the year: the two figures that may be
    typed during the year, on an adopted budget too."""

    outcome = KronorField(label="Utfall hittills (kr)", required=False)
    forecast = KronorField(label="Prognos för helåret (kr)", required=False)

    class Meta:
        model = Budgetrad
        fields = ["outcome", "forecast"]

    @property
    def row_label(self):
        return self.instance.name


class BaseOutcomeFormSet(GuardedFormSet, forms.BaseModelFormSet):
    pass


OutcomeFormSet = modelformset_factory(
    Budgetrad,
    form=OutcomeForm,
    formset=BaseOutcomeFormSet,
    fields=["outcome", "forecast"],
    extra=0,
    edit_only=True,
    **FORMSET_LIMITS,
)


class BeslutChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        where = f" ({obj.arende})" if obj.arende_id else ""
        return f"{obj.date:%Y-%m-%d}{where}: {obj.text[:80]}"


class AdoptForm(Form):
    """The board's decision that adopts the budget: an existing one, or a new one."""

    beslut = BeslutChoiceField(
        label="Styrelsens beslut",
        queryset=Beslut.objects.none(),
        required=False,
        empty_label="– Nytt beslut (fyll i nedan) –",
    )
    date = forms.DateField(
        label="Beslutsdatum",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "Ange ett giltigt datum, t.ex. 2026-11-26."},
    )
    text = forms.CharField(label="Beslut", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    diarienummer = forms.CharField(label="Diarienummer", required=False, max_length=20)

    def __init__(self, *args, forbund, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beslut"].queryset = (
            Beslut.objects.of(forbund)
            .filter(delegated=False)
            .select_related("arende")
            .order_by("-date", "-pk")
        )
        self.fields["text"].initial = f"Styrelsen fastställer budget för {year}."

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("beslut") is None:
            if not cleaned.get("date") and "date" not in self.errors:
                self.add_error("date", "Ange beslutsdatum, eller välj ett befintligt beslut.")
            if not (cleaned.get("text") or "").strip():
                self.add_error("text", "Skriv beslutet, eller välj ett befintligt beslut.")
        return cleaned


class MedlemsavgiftForm(GuardedForm, Form):
    """One amount per member of the förbund; blank means no contribution that year.

    A member whose field is not in the post at all keeps its contribution: a
    missing field is "unchanged", never "delete". A post without any is refused.
    """

    def __init__(self, *args, medlemmar, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.medlemmar = list(medlemmar)
        for medlem in self.medlemmar:
            self.fields[self.field_name(medlem)] = KronorField(
                label=medlem.name,
                required=False,
                min_value=0,
                max_digits=12,
                initial=current.get(medlem.pk),
            )

    @staticmethod
    def field_name(medlem):
        return f"medlem_{medlem.pk}"

    def rows(self):
        """(member, bound field) pairs, in the members' order."""
        return [(m, self[self.field_name(m)]) for m in self.medlemmar]

    def _posted(self):
        return [m for m in self.medlemmar if self.add_prefix(self.field_name(m)) in self.data]

    def clean(self):
        cleaned = super().clean()
        if self.medlemmar and not self._posted():
            raise forms.ValidationError(
                "Formuläret kom utan belopp; inget är ändrat. Ladda om sidan och försök igen."
            )
        return cleaned

    def amounts(self):
        """{member: amount or None} for the members in the post."""
        return {m: self.cleaned_data[self.field_name(m)] for m in self._posted()}
