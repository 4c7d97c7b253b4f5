"""Forms for the kansli's plan pages: sections, goals with targets, risks, adoption."""

from decimal import Decimal

from django import forms
from django.forms import inlineformset_factory
from django.utils.text import slugify

from finsam.concurrency import GuardedForm, GuardedFormSet, GuardedRow, RevisionForm
from finsam.forms import DateInput
from finsam.hardening import FORMSET_LIMITS, Form, ModelForm
from finsam.models import Beslut

from ..models import Arshjulspost, Avsnitt, Mal, Resultatmal, Risk, Verksamhetsplan

ORDER_ERRORS = {
    "invalid": "Ange ordningen som ett heltal.",
    "min_value": "Ordningen kan inte vara negativ.",
    "max_value": "Ange ett mindre tal.",
}


def order_field():
    return forms.IntegerField(
        label="Ordning",
        min_value=0,
        max_value=32767,
        error_messages=ORDER_ERRORS,
        help_text="Lägre tal står först.",
    )


class AvsnittForm(GuardedForm, ModelForm):
    order = order_field()

    class Meta:
        model = Avsnitt
        fields = ["title", "body", "order"]
        widgets = {"body": forms.Textarea(attrs={"rows": 22})}
        help_texts = {
            "body": (
                "Markdown: en tom rad mellan stycken. En rad som börjar med ”## ” blir en "
                "underrubrik (den står i innehållsförteckningen); rader som börjar med ”- ” "
                "blir en punktlista, indragna med två mellanslag en lista i listan. "
                "Tabeller skrivs | a | b |, fotnoter [^1] och [^1]: fotnotens text."
            ),
        }

    def save(self, commit=True):
        avsnitt = super().save(commit=False)
        if not avsnitt.key:
            avsnitt.key = _free_key(avsnitt.plan, avsnitt.title)
        if commit:
            avsnitt.save()
        return avsnitt


def _free_key(plan, title):
    """A key from the title, unique in the plan: "lokusgrupper", "lokusgrupper-2"."""
    base = slugify(title)[:45] or "avsnitt"
    taken = set(plan.avsnitt.values_list("key", flat=True))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


class TalField(forms.DecimalField):
    """A figure as people type it: "35", "35,5"; shown without trailing zeros."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})
    default_error_messages = {"invalid": "Ange ett tal, t.ex. 35 eller 12,5."}

    def widget_attrs(self, widget):
        return {}

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value.normalize():f}".replace(".", ",")
        return value


class MalForm(GuardedRow, ModelForm):
    number = forms.IntegerField(
        label="Nummer",
        min_value=1,
        max_value=999,
        error_messages={
            "invalid": "Ange målets nummer som ett heltal.",
            "required": "Ange målets nummer.",
        },
    )

    class Meta:
        model = Mal
        fields = ["number", "title", "focus", "description", "measured_by"]
        labels = {
            "title": "Mål",
            "description": "Beskrivning (ett stycke under målet)",
            "measured_by": "Uppföljning av målet (när resultatmålen inte har en egen)",
        }
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "measured_by": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {"title": {"required": "Skriv målet."}}

    @property
    def row_label(self):
        """The row in labels and the error summary ("Beviljat belopp mål 2 (kr)")."""
        return f"mål {self.instance.number}" if self.instance.pk else ""

    def _get_validation_exclusions(self):
        # The goals' numbers are checked together by the formset: a swap of
        # two numbers is fine although each, alone, is taken in the database.
        exclusions = super()._get_validation_exclusions()
        exclusions.add("number")
        return exclusions


class BaseMalFormSet(GuardedFormSet, forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Ta bort målet (och dess resultatmål)"

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or self._should_delete_form(form):
                continue
            number = form.cleaned_data.get("number")
            if number is None:
                continue
            if number in seen:
                form.add_error("number", f"Mål {number} finns redan i planen.")
            seen.add(number)


MalFormSet = inlineformset_factory(
    Verksamhetsplan,
    Mal,
    form=MalForm,
    formset=BaseMalFormSet,
    extra=1,
    can_delete=True,
    **FORMSET_LIMITS,
)


class ResultatmalForm(GuardedRow, ModelForm):
    target = TalField(
        label="Målvärde",
        required=False,
        max_digits=8,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "style": "min-width: 5rem"}),
    )

    class Meta:
        model = Resultatmal
        fields = ["number", "text", "indicator", "target", "unit", "follow_up"]
        labels = {"number": "Nummer", "text": "Resultatmål", "follow_up": "Uppföljning"}
        widgets = {
            "number": forms.TextInput(attrs={"style": "min-width: 4.5rem"}),
            "text": forms.Textarea(attrs={"rows": 2, "style": "min-width: 20rem"}),
            "follow_up": forms.Textarea(attrs={"rows": 2, "style": "min-width: 14rem"}),
            "unit": forms.Select(attrs={"style": "min-width: 7rem"}),
        }
        error_messages = {
            "number": {"required": "Ange numret, t.ex. 1.1."},
            "text": {"required": "Skriv resultatmålet."},
        }

    @property
    def row_label(self):
        """The row in labels and the error summary ("Beviljat belopp resultatmål 1.2 (kr)")."""
        return f"resultatmål {self.instance.number}" if self.instance.pk else ""

    def clean(self):
        cleaned = super().clean()
        indicator, target, unit = (cleaned.get(k) for k in ("indicator", "target", "unit"))
        measured = indicator and indicator != Resultatmal.Indicator.MANUELL
        if measured and target is None and "target" not in self.errors:
            self.add_error("target", "Ange målvärdet som systemet ska mäta mot.")
        if target is not None and not unit:
            self.add_error("unit", "Ange om målvärdet är i procent eller antal.")
        if target is not None and unit == Resultatmal.Unit.PROCENT and not 0 <= target <= 100:
            self.add_error("target", "En andel i procent ligger mellan 0 och 100.")
        if target is not None and target < 0:
            self.add_error("target", "Målvärdet kan inte vara negativt.")
        return cleaned


class BaseResultatmalFormSet(GuardedFormSet, forms.BaseInlineFormSet):
    pass


ResultatmalFormSet = inlineformset_factory(
    Mal,
    Resultatmal,
    form=ResultatmalForm,
    formset=BaseResultatmalFormSet,
    extra=1,
    can_delete=True,
    **FORMSET_LIMITS,
)


class MalEditor:
    """The plan's goals, each with its result targets: checked together, saved together.

    One page holds a formset of goals and, under each goal, a formset of its
    targets. A new goal's targets are saved after the goal.
    """

    # Numbers a renumbered goal holds for a moment, above any the form allows
    # (999), so that swapping goal 1 and 2 never meets the unique constraint.
    PARKED = 30000

    def __init__(self, data, *, plan):
        self.plan = plan
        self.guard = RevisionForm(data, instance=plan, prefix="plan")
        self.goals = MalFormSet(
            data, instance=plan, prefix="mal", queryset=Mal.objects.order_by("number")
        )
        self.pairs = [
            (
                form,
                ResultatmalFormSet(
                    data,
                    instance=form.instance,
                    prefix=f"{form.prefix}-rm",
                    queryset=Resultatmal.objects.order_by("pk"),
                ),
            )
            for form in self.goals.forms
        ]

    @property
    def formsets(self):
        """The goals and each goal's targets (the page's error summary, a conflict)."""
        return [self.goals, *(targets for _form, targets in self.pairs)]

    def _kept(self, form):
        """The goal stays: it is not deleted and is not an empty new row."""
        if self.goals._should_delete_form(form):
            return False
        return bool(form.instance.pk) or form.has_changed()

    def is_valid(self):
        valid = all([self.guard.is_valid(), self.goals.is_valid()])
        for form, targets in self.pairs:
            if self._kept(form):
                valid = targets.is_valid() and valid
            elif not form.instance.pk and targets.has_changed():
                form.add_error("title", "Skriv målet som resultatmålen hör till.")
                valid = False
        return valid

    def save(self):
        """Save everything (the caller holds the transaction); returns the changes."""
        goals = self.goals
        saved = goals.save(commit=False)
        changes = {}
        for mal in goals.deleted_objects:
            changes.setdefault("borttagna mål", []).append(mal.number)
            mal.delete()
        for i, (mal, fields) in enumerate(goals.changed_objects):
            if "number" in fields:
                Mal.objects.filter(pk=mal.pk).update(number=self.PARKED + i)
        for mal in saved:
            mal.save()
        changes_targets = []
        for form, targets in self.pairs:
            if not form.instance.pk or form in goals.deleted_forms:
                continue
            targets.instance = form.instance
            targets.save()
            if targets.new_objects or targets.changed_objects or targets.deleted_objects:
                changes_targets.append(form.instance.number)
        if goals.new_objects:
            changes["nya mål"] = [m.number for m in goals.new_objects]
        if goals.changed_objects:
            changes["ändrade mål"] = [m.number for m, _fields in goals.changed_objects]
        if changes_targets:
            changes["ändrade resultatmål under mål"] = changes_targets
        return changes


LIKELIHOOD = [
    (1, "1 – osannolik"),
    (2, "2 – mindre sannolik"),
    (3, "3 – möjlig"),
    (4, "4 – sannolik"),
]
CONSEQUENCE = [
    (1, "1 – försumbar"),
    (2, "2 – lindrig"),
    (3, "3 – kännbar"),
    (4, "4 – allvarlig"),
]


class RiskForm(GuardedForm, ModelForm):
    likelihood = forms.TypedChoiceField(
        label="Sannolikhet (1–4)",
        choices=[("", "–")] + LIKELIHOOD,
        coerce=int,
        error_messages={"required": "Välj hur sannolik risken är."},
    )
    consequence = forms.TypedChoiceField(
        label="Konsekvens (1–4)",
        choices=[("", "–")] + CONSEQUENCE,
        coerce=int,
        error_messages={"required": "Välj hur allvarlig konsekvensen blir."},
    )
    order = order_field()

    class Meta:
        model = Risk
        fields = [
            "risk",
            "likelihood",
            "consequence",
            "control",
            "responsible",
            "follow_up_1",
            "follow_up_2",
            "order",
        ]
        widgets = {
            "control": forms.Textarea(attrs={"rows": 2}),
            "follow_up_1": forms.Textarea(attrs={"rows": 2}),
            "follow_up_2": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {"risk": {"required": "Beskriv risken."}}


class AdoptForm(Form):
    """The board's decision that adopts the plan: one already recorded, or a new one."""

    beslut = forms.ModelChoiceField(
        label="Styrelsens beslut",
        queryset=Beslut.objects.none(),
        required=False,
        empty_label="– välj ett beslut –",
    )
    date = forms.DateField(
        label="Beslutsdatum",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "Ange datumet som ÅÅÅÅ-MM-DD."},
    )
    text = forms.CharField(
        label="Beslut",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    diarienummer = forms.CharField(label="Diarienummer", required=False, max_length=20)

    def __init__(self, *args, forbund, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.forbund = forbund
        choices = (
            Beslut.objects.of(forbund)
            .select_related("arende__sammantrade")
            .order_by("-date", "-pk")
        )
        self.fields["beslut"].queryset = choices
        self.fields["beslut"].label_from_instance = _beslut_label
        # The decision on an agenda item named like "Verksamhetsplan och budget 2027".
        suggested = choices.filter(
            arende__title__icontains="verksamhetsplan", arende__title__contains=str(plan.year)
        ).first()
        if suggested and not self.is_bound:
            self.initial["beslut"] = suggested.pk

    def clean(self):
        cleaned = super().clean()
        beslut, date, text = cleaned.get("beslut"), cleaned.get("date"), cleaned.get("text")
        if beslut and (date or text):
            self.add_error("beslut", "Välj ett beslut eller skriv in ett nytt, inte båda.")
        elif not beslut and not (date or text) and "date" not in self.errors:
            self.add_error(
                "beslut", "Välj styrelsens beslut, eller skriv in beslutet med datum och text."
            )
        elif not beslut:
            if not date and "date" not in self.errors:
                self.add_error("date", "Ange beslutsdatum.")
            if not text:
                self.add_error("text", "Skriv beslutets text.")
        return cleaned

    def chosen_beslut(self):
        """The chosen decision, or a new one created from the date and text."""
        if self.cleaned_data["beslut"]:
            return self.cleaned_data["beslut"]
        return Beslut.objects.create(
            forbund=self.forbund,
            date=self.cleaned_data["date"],
            text=self.cleaned_data["text"].strip(),
            diarienummer=self.cleaned_data["diarienummer"].strip(),
        )


def _beslut_label(beslut):
    where = ""
    if beslut.arende_id:
        where = f" § {beslut.arende.number} {beslut.arende.title}:"
    text = beslut.text if len(beslut.text) <= 90 else beslut.text[:89] + "…"
    return f"{beslut.date:%Y-%m-%d}{where} {text}"


class DispositionForm(GuardedForm, Form):
    """The plan's outline: each chapter's place, a system chapter left out, one added.

    A place is a number (1 first); a chapter moved to a place goes before the one there. A
    system chapter left out that has text of its own stays as a text section.
    """

    def __init__(self, data=None, *, instance, **kwargs):
        from .outline import SYSTEM_KINDS

        self.instance = instance
        self.sections = list(instance.avsnitt.order_by("order", "pk"))
        super().__init__(data, **kwargs)
        for place, avsnitt in enumerate(self.sections, start=1):
            self.fields[f"plats_{avsnitt.pk}"] = forms.IntegerField(
                label=f"Plats för ”{avsnitt.title}”",
                min_value=1,
                max_value=999,
                initial=place,
                error_messages={
                    "invalid": "Ange platsen som ett heltal.",
                    "required": "Ange platsen.",
                    "min_value": "Platsen är 1 eller mer.",
                    "max_value": "Ange ett mindre tal.",
                },
            )
            if avsnitt.is_system:
                self.fields[f"bort_{avsnitt.pk}"] = forms.BooleanField(
                    label=f"Ta bort ”{avsnitt.get_kind_display()}” ur planen",
                    required=False,
                )
        present = {a.kind for a in self.sections}
        missing = [k for k in SYSTEM_KINDS if k not in present]
        self.fields["ny_del"] = forms.ChoiceField(
            label="Lägg till en del som systemet fyller i",
            required=False,
            choices=[("", "– ingen –")] + [(k, Avsnitt.Kind(k).label) for k in missing],
        )
        self.fields["ny_plats"] = forms.IntegerField(
            label="Den nya delens plats",
            required=False,
            min_value=1,
            max_value=999,
            help_text="Tomt: sist.",
            error_messages={"invalid": "Ange platsen som ett heltal."},
        )

    def rows(self):
        """(avsnitt, place field, remove field or None) for the template."""
        return [
            (a, self[f"plats_{a.pk}"], self[f"bort_{a.pk}"] if a.is_system else None)
            for a in self.sections
        ]

    def _sort_key(self, index, avsnitt):
        """A chapter moved to a place goes before the one that stood there."""
        place = self.cleaned_data[f"plats_{avsnitt.pk}"]
        return (place, 0 if place != index + 1 else 1, index)

    def save(self):
        """Reorder, remove and add; returns the changes for the history (caller holds the
        transaction)."""
        from .outline import default_title

        plan = self.instance
        cleaned = self.cleaned_data
        before = [a.title for a in self.sections]
        kept, removed = [], []
        removed_labels = [
            str(a.get_kind_display())
            for a in self.sections
            if a.is_system and cleaned.get(f"bort_{a.pk}")
        ]
        for index, avsnitt in enumerate(self.sections):
            if avsnitt.is_system and cleaned.get(f"bort_{avsnitt.pk}"):
                removed.append(avsnitt)
                continue
            kept.append(self._sort_key(index, avsnitt) + (avsnitt,))
        for avsnitt in removed:
            if avsnitt.body.strip():
                avsnitt.kind = Avsnitt.Kind.TEXT
                avsnitt.save(update_fields=["kind"])
                kept.append(self._sort_key(self.sections.index(avsnitt), avsnitt) + (avsnitt,))
            else:
                avsnitt.delete()
        kept.sort(key=lambda item: item[:3])
        order = [item[3] for item in kept]
        if kind := cleaned.get("ny_del"):
            title = default_title(kind, plan.year)
            new = Avsnitt(plan=plan, kind=kind, title=title, key=_free_key(plan, kind))
            place = cleaned.get("ny_plats")
            order.insert(len(order) if place is None else place - 1, new)
        for position, avsnitt in enumerate(order, start=1):
            avsnitt.order = 10 * position
            if avsnitt.pk is None:
                avsnitt.save()
        Avsnitt.objects.bulk_update([a for a in order if a.pk], ["order"])
        after = [a.title for a in order]
        changes = {}
        if before != after:
            changes = {"före": before, "efter": after}
        if removed_labels:
            changes["borttagna delar"] = removed_labels
        if cleaned.get("ny_del"):
            changes["ny del"] = str(Avsnitt.Kind(cleaned["ny_del"]).label)
        return changes


class ArshjulNoterForm(GuardedForm, ModelForm):
    """The annual cycle's footnotes; its revision guards the page's items too."""

    class Meta:
        model = Verksamhetsplan
        fields = ["arshjul_noter"]
        labels = {"arshjul_noter": "Fotnoter under årshjulet"}
        widgets = {"arshjul_noter": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "arshjul_noter": "Markdown, t.ex. ”[^1]: Datum för medlemssamrådet bestäms i mars.” "
            "eller vanliga stycken."
        }


class ArshjulspostForm(GuardedRow, ModelForm):
    class Meta:
        model = Arshjulspost
        fields = ["month", "end_month", "text"]
        labels = {
            "month": "Från månad",
            "end_month": "Till och med månad",
            "text": "Vad som händer",
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 2, "style": "min-width: 20rem"})}
        error_messages = {
            "month": {"required": "Välj månaden."},
            "text": {"required": "Skriv vad som händer."},
        }

    @property
    def row_label(self):
        return f"posten {self.instance.months}" if self.instance.pk else ""

    def clean(self):
        cleaned = super().clean()
        month, end = cleaned.get("month"), cleaned.get("end_month")
        if month and end and end < month:
            self.add_error("end_month", "Slutmånaden kommer före startmånaden.")
        return cleaned


class BaseArshjulspostFormSet(GuardedFormSet, forms.BaseInlineFormSet):
    pass


ArshjulspostFormSet = inlineformset_factory(
    Verksamhetsplan,
    Arshjulspost,
    form=ArshjulspostForm,
    formset=BaseArshjulspostFormSet,
    extra=2,
    can_delete=True,
    **FORMSET_LIMITS,
)
