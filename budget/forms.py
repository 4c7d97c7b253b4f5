"""Forms for the kansli's budget pages: the budget, its lines, the contributions."""

from django import forms
from django.forms import inlineformset_factory, modelformset_factory
from django.utils.functional import cached_property

from finsam.concurrency import GuardedForm, GuardedFormSet, GuardedRow
from finsam.forms import DateInput, KronorField
from finsam.hardening import FORMSET_LIMITS, Form, ModelForm
from finsam.models import Beslut

from .models import Budget, Budgetrad

Group, Source = Budgetrad.Group, Budgetrad.Source

# A derived line only makes sense in its own group: the table sums it there.
SOURCE_GROUP = {Source.MEDLEMSAVGIFTER: Group.MEDLEMSAVGIFTER, Source.INSATSER: Group.INSATSER}


# The closing lines the edit page offers, in the table's order (budget.tables.build).
CLOSING_CHOICES = [
    ("resultat", "Årets resultat"),
    ("tidigare", "Över-/underskott från tidigare år"),
    ("prognos", "Prognos för föregående år"),
    ("kvar", "Kvarvarande beslutsutrymme"),
    ("eget_kapital", "Prognos eget kapital"),
]
DEFAULT_CLOSING = ("resultat", "tidigare", "prognos", "kvar")


class BudgetForm(GuardedForm, ModelForm):
    previous_surplus = KronorField(
        label="Över-/underskott från tidigare år (kr)",
        help_text="Ett underskott skrivs med minustecken, t.ex. −518 000.",
    )
    forecast_previous_year = KronorField(
        label="Prognostiserat resultat för föregående år (kr)",
        required=False,
        help_text=(
            "Ett prognostiserat underskott skrivs med minustecken. Tomt: ingen prognos, "
            "och raden skrivs inte ut."
        ),
    )
    income_published = KronorField(
        label="S:a intäkter enligt fastställd budget (kr)",
        required=False,
        help_text="Summan som den står i den fastställda eller publicerade tabellen; tomt: ingen.",
    )
    cost_published = KronorField(
        label="S:a kostnader enligt fastställd budget (kr)",
        required=False,
        help_text="Utan minustecken, också när tabellen skriver kostnaderna med minus.",
    )

    class Meta:
        model = Budget
        fields = [
            "previous_surplus",
            "forecast_previous_year",
            "costs_negative",
            "income_published",
            "cost_published",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = {x["line"]: x for x in (self.instance.closing or [])}
        shown = current.keys() if self.instance.closing is not None else DEFAULT_CLOSING
        for key, label in CLOSING_CHOICES:
            item = current.get(key, {})
            self.fields[f"slut_{key}"] = forms.BooleanField(
                label=f"Visa raden ”{label}”", required=False, initial=key in shown
            )
            self.fields[f"slut_{key}_label"] = forms.CharField(
                label=f"Benämning för ”{label}”",
                required=False,
                max_length=200,
                initial=item.get("label", ""),
                help_text="Tomt: standardbenämningen. {år} blir föregående år."
                if key == "prognos"
                else "Tomt: standardbenämningen.",
            )
            self.fields[f"slut_{key}_published"] = KronorField(
                label=f"”{label}” enligt fastställd budget (kr)",
                required=False,
                initial=item.get("published"),
            )

    @property
    def closing_rows(self):
        """(show, label, published) bound fields per closing line, for the template."""
        return [
            (self[f"slut_{key}"], self[f"slut_{key}_label"], self[f"slut_{key}_published"])
            for key, _label in CLOSING_CHOICES
        ]

    def clean(self):
        cleaned = super().clean()
        for key in ("cost_published",):
            if cleaned.get(key) is not None and cleaned[key] < 0:
                self.add_error(key, "Skriv summan utan minustecken; tecknet följer inställningen.")
        return cleaned

    def save(self, commit=True):
        budget = super().save(commit=False)
        closing = []
        for key, _label in CLOSING_CHOICES:
            if not self.cleaned_data.get(f"slut_{key}"):
                continue
            published = self.cleaned_data.get(f"slut_{key}_published")
            closing.append(
                {
                    "line": key,
                    "label": self.cleaned_data.get(f"slut_{key}_label", "").strip(),
                    "published": None if published is None else str(published),
                }
            )
        default = [{"line": k, "label": "", "published": None} for k in DEFAULT_CLOSING]
        budget.closing = None if closing == default else closing
        if commit:
            budget.save()
        return budget


LINE_FIELDS = [
    "kind",
    "parent",
    "group",
    "name",
    "source",
    "amount",
    "order",
    "sum_label",
    "total_on_heading",
    "published",
    "owner",
    "show_owner",
    "per",
]


class BudgetradForm(GuardedRow, ModelForm):
    amount = KronorField(label="Belopp (kr)", required=False)
    published = KronorField(label="Summa enligt fastställd budget (kr)", required=False)
    order = forms.IntegerField(
        label="Ordning",
        min_value=0,
        max_value=32767,
        initial=0,
        error_messages={"invalid": "Ange ordningen som ett heltal."},
    )

    class Meta:
        model = Budgetrad
        fields = LINE_FIELDS
        labels = {
            "kind": "Slag",
            "parent": "I block",
            "sum_label": "Summarad",
            "total_on_heading": "Summan på rubrikraden",
            "owner": "Insatsägare (text)",
            "show_owner": "Visa insatsägare",
            "per": "Medlemsavgifter som",
        }

    def __init__(self, *args, blocks=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The budget's blocks, read once for the whole formset (a model choice field
        # would read them again for every line).
        self.blocks = {b.pk: b for b in blocks}
        self.fields["parent"] = forms.TypedChoiceField(
            label="I block",
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", "(inget block)")]
            + [(b.pk, b.name or f"(block utan rubrik, ordning {b.order})") for b in blocks],
            error_messages={"invalid_choice": "Välj ett av budgetens block."},
        )
        self.fields["name"].required = False

    def clean_parent(self):
        pk = self.cleaned_data.get("parent")
        return None if pk is None else self.blocks[pk]

    @property
    def row_label(self):
        """The row in labels and the error summary ("Beviljat belopp Kansli (kr)")."""
        return self.instance.name if self.instance.pk else ""

    def clean(self):
        cleaned = super().clean()
        source, group = cleaned.get("source"), cleaned.get("group")
        kind = cleaned.get("kind") or Budgetrad.Kind.RAD
        block = kind == Budgetrad.Kind.BLOCK
        if "amount" in cleaned:  # a bad number already has its message
            amount = cleaned["amount"]
            if block and amount is not None:
                self.add_error("amount", "Ett block har inget eget belopp; dess summa räknas fram.")
            elif block and source and source != Source.TYPED:
                self.add_error(
                    "source", "Ett block räknas fram ur sina rader; välj ”Inskrivet belopp”."
                )
            elif not block and source == Source.TYPED and amount is None:
                self.add_error("amount", "Ange ett belopp")
            elif source and source != Source.TYPED and amount is not None:
                self.add_error(
                    "amount",
                    "En rad som räknas fram ur databasen har inget eget belopp; lämna fältet tomt.",
                )
            elif (
                amount is not None and amount < 0 and group and group not in Budgetrad.INCOME_GROUPS
            ):
                self.add_error(
                    "amount",
                    "Skriv kostnaden utan minustecken; välj ”Kostnader skrivs med minustecken” "
                    "ovan om tabellen ska visa dem så.",
                )
        if not block and not (cleaned.get("name") or "").strip() and source != Source.INSATSER:
            self.add_error("name", "Ange en benämning")
        published = cleaned.get("published")
        if published is not None and not block:
            self.add_error("published", "En fastställd summa hör till ett block.")
        if source in SOURCE_GROUP and group and group != SOURCE_GROUP[source]:
            self.add_error(
                "group",
                f"”{Source(source).label}” hör till gruppen {SOURCE_GROUP[source].label}.",
            )
        parent = cleaned.get("parent")
        if parent is not None and self.instance.pk and parent.pk == self.instance.pk:
            self.add_error("parent", "Ett block kan inte ligga i sig självt.")
        elif parent is not None and group and _section(parent.group) != _section(group):
            self.add_error(
                "parent",
                f"Blocket ”{parent.name or 'utan rubrik'}” står under "
                f"{'Intäkter' if _section(parent.group) == 'intakt' else 'Kostnader'}; "
                "raden hör till den andra delen.",
            )
        if block and cleaned.get("per"):
            self.add_error("per", "Bara raden med årets medlemsavgifter kan delas upp.")
        return cleaned


def _section(group):
    return "intakt" if group in Budgetrad.INCOME_GROUPS else "kostnad"


class BaseBudgetradFormSet(GuardedFormSet, forms.BaseInlineFormSet):
    @cached_property
    def blocks(self):
        """The budget's blocks, the choices of every line's "I block", in one query."""
        return list(
            Budgetrad.objects.filter(budget=self.instance, kind=Budgetrad.Kind.BLOCK).order_by(
                "order", "pk"
            )
        )

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "blocks": self.blocks}

    def clean(self):
        super().clean()
        seen = set()
        parents = {}
        deleted = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if self.can_delete and self._should_delete_form(form):
                if form.instance.pk:
                    deleted.add(form.instance.pk)
                continue
            parent = form.cleaned_data.get("parent")
            if form.instance.pk:
                parents[form.instance.pk] = parent.pk if parent else None
            source = form.cleaned_data.get("source")
            if source in SOURCE_GROUP:
                if source in seen:
                    form.add_error(
                        "source",
                        f"Budgeten har redan en rad med ”{Source(source).label}”; "
                        "samma belopp skulle räknas två gånger.",
                    )
                seen.add(source)
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or form.instance.pk in deleted:
                continue
            parent = form.cleaned_data.get("parent")
            if parent is not None and parent.pk in deleted:
                form.add_error("parent", "Blocket tas bort; flytta raden till ett annat block.")
            elif form.instance.pk and _loops(form.instance.pk, parents):
                form.add_error("parent", "Blocken kan inte ligga i varandra i en ring.")


def _loops(pk, parents):
    seen, current = set(), parents.get(pk)
    while current is not None:
        if current == pk or current in seen:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


BudgetradFormSet = inlineformset_factory(
    Budget,
    Budgetrad,
    form=BudgetradForm,
    formset=BaseBudgetradFormSet,
    fields=LINE_FIELDS,
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
