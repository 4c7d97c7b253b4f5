"""The application form (the applicant's, and kansli's on its behalf) and the preparation forms."""

from django import forms
from django.forms import inlineformset_factory

from finsam.concurrency import GuardedForm, GuardedFormSet, GuardedRow
from finsam.forms import DateInput, KronorField
from finsam.hardening import FORMSET_LIMITS, Form, ModelForm
from finsam.models import Malgrupp, Medlem, Sammantrade

from ..forms import year_field
from ..models import (
    Ansokan,
    AnsokanBelopp,
    AnsokanMal,
    Ansokningsomgang,
    InsatsKind,
    Medfinansiering,
)
from . import attachments


class MalgruppChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} (prioriterad)" if obj.prioritized else obj.name


class AnsokanForm(GuardedForm, ModelForm):
    """The application. A draft is saved with whatever is filled in; submitting checks it all
    (insatser.ansokan.workflow.problems)."""

    class Meta:
        model = Ansokan
        fields = [
            "title",
            "agare",
            "received_on",
            "deltagare",
            "kind",
            "malgrupper",
            "omgang",
            "start",
            "end",
            "description",
            "expected_women",
            "expected_men",
            "jamstalldhet",
            "tillganglighet",
            "icke_diskriminering",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]
        widgets = {
            "deltagare": forms.CheckboxSelectMultiple,
            "start": DateInput(),
            "end": DateInput(),
            "received_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
            "jamstalldhet": forms.Textarea(attrs={"rows": 3}),
            "tillganglighet": forms.Textarea(attrs={"rows": 3}),
            "icke_diskriminering": forms.Textarea(attrs={"rows": 3}),
            "expected_women": forms.TextInput(attrs={"inputmode": "numeric"}),
            "expected_men": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        labels = {
            "jamstalldhet": "Hur jämställdhet hanteras",
            "tillganglighet": "Hur tillgänglighet hanteras",
            "icke_diskriminering": "Hur icke-diskriminering hanteras",
        }

    def __init__(self, *args, forbund, roll, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.forbund = forbund
        medlemmar = Medlem.objects.of(forbund)
        self.by_kansli = roll.kind == roll.Kind.KANSLI
        if self.by_kansli:
            self.fields["agare"].queryset = medlemmar
            self.fields["agare"].label = "Insatsägare (sökande medlem)"
            self.fields["received_on"].label = "Inkom (datum enligt brevet eller e-posten)"
        else:
            del self.fields["agare"]
            del self.fields["received_on"]
            self.instance.agare_id = roll.medlem_id
        self.fields["deltagare"].queryset = medlemmar.exclude(pk=roll.medlem_id or 0)
        self.fields["deltagare"].label = "Övriga deltagande medlemmar"
        self.fields[
            "deltagare"
        ].help_text = "Minst två medlemmar ska delta i en insats: insatsägaren och minst en till."
        malgrupper = MalgruppChoices(
            queryset=Malgrupp.objects.of(forbund),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="Målgrupper",
            help_text="Förbundets prioriterade målgrupper är markerade.",
        )
        self.fields["malgrupper"] = malgrupper
        self.fields["omgang"].queryset = Ansokningsomgang.objects.of(forbund)
        self.fields["omgang"].empty_label = "Ingen särskild omgång"
        for name in ("expected_women", "expected_men"):
            self.fields[name].min_value = 0
            self.fields[name].max_value = 1_000_000
            self.fields[name].error_messages["invalid"] = "Ange antalet med siffror."
        self.fields["title"].required = True
        self.fields["kind"].required = False  # a draft may say it later; submitting asks
        self.fields["kind"].choices = [("", "Välj …"), *InsatsKind.choices]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "Slutdatum kan inte vara före startdatum.")
        agare, deltagare = cleaned.get("agare"), cleaned.get("deltagare")
        if agare and deltagare and agare in deltagare:
            self.add_error(
                "deltagare", f"{agare.display_name} är insatsägare; ta bort krysset vid den."
            )
        for name in ("expected_women", "expected_men"):
            value = cleaned.get(name)
            if value is not None and value > 1_000_000:
                self.add_error(name, "Ange ett rimligt antal.")
        return cleaned


class BeloppForm(GuardedRow, ModelForm):
    year = year_field()
    amount = KronorField(label="Sökt belopp (kr)", min_value=0, max_digits=12)

    class Meta:
        model = AnsokanBelopp
        fields = ["year", "amount"]

    @property
    def row_label(self):
        return str(self.instance.year) if self.instance.pk else ""


class _UniqueYears(GuardedFormSet, forms.BaseInlineFormSet):
    key = ("year",)

    def row_label(self, row):
        return str(row.year)

    def clean(self):
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.errors:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            key = tuple(form.cleaned_data.get(k) for k in self.key)
            if None in key or not form.has_changed() and not form.instance.pk:
                continue
            if key in seen:
                form.add_error("year", "Året finns redan på en annan rad.")
            seen.add(key)


BeloppFormSet = inlineformset_factory(
    Ansokan,
    AnsokanBelopp,
    form=BeloppForm,
    formset=_UniqueYears,
    fields=["year", "amount"],
    extra=3,
    can_delete=True,
    **FORMSET_LIMITS,
)


class MedfinansieringForm(GuardedRow, ModelForm):
    year = year_field()
    amount = KronorField(label="Egen insats (kr)", min_value=0, max_digits=12)

    class Meta:
        model = Medfinansiering
        fields = ["medlem", "year", "amount", "description"]

    def __init__(self, *args, forbund=None, **kwargs):
        super().__init__(*args, **kwargs)
        if forbund is not None:
            self.fields["medlem"].queryset = Medlem.objects.of(forbund)


class _Medfinansiering(_UniqueYears):
    key = ("medlem", "year")

    def row_label(self, row):
        return f"{row.medlem.display_name} {row.year}"


MedfinansieringFormSet = inlineformset_factory(
    Ansokan,
    Medfinansiering,
    form=MedfinansieringForm,
    formset=_Medfinansiering,
    fields=["medlem", "year", "amount", "description"],
    extra=2,
    can_delete=True,
    **FORMSET_LIMITS,
)


class MalForm(GuardedRow, ModelForm):
    class Meta:
        model = AnsokanMal
        fields = ["text", "target"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        labels = {"text": "Mål", "target": "Mätbart målvärde"}


class _Mal(GuardedFormSet, forms.BaseInlineFormSet):
    def row_label(self, row):
        return row.text[:40]


MalFormSet = inlineformset_factory(
    Ansokan,
    AnsokanMal,
    form=MalForm,
    formset=_Mal,
    fields=["text", "target"],
    extra=2,
    can_delete=True,
    **FORMSET_LIMITS,
)


class BilagaForm(Form):
    file = forms.FileField(
        label="Bilaga (PDF, Word eller Excel, högst 10 MB)",
        max_length=attachments.MAX_NAME,
        error_messages={"required": "Välj en fil.", "empty": attachments.EMPTY},
    )

    def __init__(self, *args, original_choice=False, **kwargs):
        super().__init__(*args, **kwargs)
        if original_choice:
            self.fields["original"] = forms.BooleanField(
                label="Originalet (ansökan som den kom in per post eller e-post)", required=False
            )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.kind, self.sha256 = attachments.check(upload)
        return upload


class TextForm(Form):
    text = forms.CharField(label="Text", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, label="Text", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label


class WithdrawForm(Form):
    reason = forms.CharField(label="Skäl (frivilligt)", required=False, max_length=1000)


class ProposalForm(GuardedForm, ModelForm):
    class Meta:
        model = Ansokan
        fields = ["proposal", "proposal_conditions"]
        widgets = {
            "proposal": forms.Textarea(attrs={"rows": 3}),
            "proposal_conditions": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"proposal": "Förslag till beslut", "proposal_conditions": "Villkor"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].required = True
        for belopp in self.instance.belopp.all():
            self.fields[f"proposed_{belopp.year}"] = KronorField(
                label=f"Föreslaget belopp {belopp.year} (kr)",
                min_value=0,
                max_digits=12,
                required=False,
                help_text=f"Sökt: {_kr(belopp.amount)} kr.",
            )
            self.initial.setdefault(f"proposed_{belopp.year}", belopp.proposed)

    def year_fields(self):
        return [self[name] for name in self.fields if name.startswith("proposed_")]

    def save_amounts(self):
        """The proposed amounts per year: {year: [before, after]} of those that changed."""
        changed = {}
        for belopp in self.instance.belopp.all():
            value = self.cleaned_data.get(f"proposed_{belopp.year}")
            if value != belopp.proposed:
                changed[str(belopp.year)] = f"{_str(belopp.proposed)} → {_str(value)} kr"
                belopp.proposed = value
                belopp.save(update_fields=["proposed"])
        return changed


def _kr(value):
    return f"{int(value):,}".replace(",", " ")


def _str(value):
    return "–" if value is None else _kr(value)


class AgendaForm(Form):
    sammantrade = forms.ModelChoiceField(
        label="Sammanträde", queryset=Sammantrade.objects.none(), empty_label="Välj …"
    )

    def __init__(self, *args, forbund, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sammantrade"].queryset = (
            Sammantrade.objects.of(forbund)
            .upcoming(today)
            .filter(status__in=[Sammantrade.Status.PLANERAT, Sammantrade.Status.KALLAT])
            .order_by("date", "start_time")
        )


class OmgangForm(GuardedForm, ModelForm):
    year = year_field("För år")

    class Meta:
        model = Ansokningsomgang
        fields = ["title", "year", "deadline"]
        widgets = {"deadline": DateInput()}

    def __init__(self, *args, forbund, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.forbund = forbund

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        others = Ansokningsomgang.objects.of(self.instance.forbund).exclude(pk=self.instance.pk)
        if others.filter(title__iexact=title).exists():
            raise forms.ValidationError(f"Det finns redan en omgång som heter ”{title}”.")
        return title
