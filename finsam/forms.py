"""Forms for the kansli's pages on members, board seats and meetings, and shared fields."""

from decimal import Decimal

from django import forms
from django.forms import inlineformset_factory
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe

from .concurrency import GuardedForm, GuardedFormSet, GuardedRow
from .hardening import FORMSET_LIMITS, Form, ModelForm
from .models import Arende, Ledamot, Medlem, Sammantrade


class ReasonForm(Form):
    """The optional reason given with a transition (propose, publish, new version)."""

    reason = forms.CharField(label="Skäl", required=False, max_length=1000)


CHOOSE = "Välj …"


class BoundField(forms.BoundField):
    """A field of any form in the project: a required select starts with "Välj …"
    instead of Django's "---------", so that nobody saves a choice they did not make."""

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        widget = field.widget
        single_select = isinstance(widget, forms.Select) and not widget.allow_multiple_selected
        if not (field.required and single_select):
            return
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None:
                field.empty_label = CHOOSE
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if choices and choices[0][0] in ("", None):
                field.choices = [("", CHOOSE), *choices[1:]]


def _text(value):
    """`{{ value|stringformat:'s' }}` in a widget template: escaped unless already safe."""
    return value if isinstance(value, SafeData) else escape(value)


def _shown(value):
    """`{{ value }}`: localized as a template shows it, then escaped."""
    return conditional_escape(localize(value))


def _attrs(attrs):
    """Django's django/forms/widgets/attrs.html."""
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget, renderer):
    """Django's django/forms/widgets/input.html (text, hidden, number …)."""
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return (
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _option(option, renderer):
    """Django's django/forms/widgets/select_option.html."""
    return (
        f'<option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_shown(option['label'])}</option>"
    )


def _select(widget, renderer):
    """Django's django/forms/widgets/select.html."""
    html = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            html.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in options:
            # Included, not rendered alone: the option template's newline stays.
            if option["template_name"] == OPTION:
                html.append(f"\n  {_option(option, renderer)}\n")
            else:
                template = renderer.get_template(option["template_name"])
                html.append(f"\n  {template.render({'widget': option})}")
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return "".join(html)


OPTION = "django/forms/widgets/select_option.html"
_INPUTS = ("text", "hidden", "number", "email", "password", "url", "search", "date", "input")
# The widgets that list filters and table forms repeat, written out in Python
# with the same HTML as Django's templates (which no app here overrides): a
# template per widget, and one more per attribute list and option, was most of
# the time of a form-heavy page (tests/finsam/test_form_renderer.py compares).
_FAST = {
    **{f"django/forms/widgets/{name}.html": _input for name in _INPUTS},
    "django/forms/widgets/select.html": _select,
    OPTION: _option,
}


class FormRenderer(DjangoTemplates):
    """The project's form renderer (settings.FORM_RENDERER): Django's, with our BoundField,
    and the plain input and select widgets rendered without a template."""

    bound_field_class = BoundField

    def render(self, template_name, context, request=None):
        # Django's render() strips the template's output; these write none to strip.
        fast = _FAST.get(template_name)
        if fast is None or context.keys() != {"widget"}:
            return super().render(template_name, context, request)
        return mark_safe(fast(context["widget"], self))


class DateInput(forms.DateInput):
    """The browser's date picker; the value is always ISO (2026-09-15)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


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


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class MedlemForm(GuardedForm, ModelForm):
    class Meta:
        model = Medlem
        fields = ["name", "short_name", "kind", "key_share", "order"]
        localized_fields = ["key_share"]
        help_texts = {"order": "Lägre tal visas först i listor och budgettabeller."}

    def __init__(self, *args, forbund, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.forbund = forbund

    def clean_key_share(self):
        share = self.cleaned_data.get("key_share")
        if share is not None and not 0 <= share <= 100:
            raise forms.ValidationError("Andelen anges i procent, mellan 0 och 100.")
        if share is not None and self.cleaned_data.get("kind") != Medlem.Kind.KOMMUN:
            raise forms.ValidationError("Bara kommuner har en andel i fördelningsnyckeln.")
        return share

    def clean_name(self):
        # The unique constraint covers forbund, which is not a form field, so
        # Django's own check skips it: ask here, before the database refuses.
        name = self.cleaned_data["name"].strip()
        others = Medlem.objects.of(self.instance.forbund).exclude(pk=self.instance.pk)
        if others.filter(name__iexact=name).exists():
            raise forms.ValidationError(f"Förbundet har redan en medlem som heter ”{name}”.")
        return name


class LedamotForm(GuardedForm, ModelForm):
    class Meta:
        model = Ledamot
        fields = [
            "medlem",
            "name",
            "party",
            "kind",
            "chair_role",
            "mandate_start",
            "mandate_end",
            "email",
        ]
        widgets = {"mandate_start": DateInput(), "mandate_end": DateInput()}

    def __init__(self, *args, forbund, **kwargs):
        super().__init__(*args, **kwargs)
        self.forbund = forbund
        self.fields["medlem"].queryset = Medlem.objects.of(forbund)
        self.fields["chair_role"].help_text = "Lämna tomt för ledamöter utan ordföranderoll."

    def clean(self):
        cleaned = super().clean()
        self.chair_is_free()
        return cleaned

    def chair_is_free(self):
        """False, with the message at the field, if someone else holds the chair role then.

        Asked again by the view under a lock on the förbund, just before saving.
        """
        cleaned = self.cleaned_data
        role = cleaned.get("chair_role")
        start, end = cleaned.get("mandate_start"), cleaned.get("mandate_end")
        if not (role and start and end and start <= end):
            return True
        holder = (
            Ledamot.objects.of(self.forbund)
            .overlapping(start, end)
            .filter(chair_role=role)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if holder is None:
            return True
        label = Ledamot.ChairRole(role).label
        self.add_error(
            "chair_role",
            f"{holder.name} är redan {label.lower()} under en mandatperiod som "
            f"överlappar ({holder.mandate_start:%Y-%m-%d} – {holder.mandate_end:%Y-%m-%d}).",
        )
        return False


class SammantradeForm(GuardedForm, ModelForm):
    class Meta:
        model = Sammantrade
        # The status moves by the meeting's workflow (notice, held, signed), not by hand.
        fields = ["kind", "date", "start_time", "location", "notes"]
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class ArendeForm(GuardedRow, ModelForm):
    """An agenda item. Its decision is recorded on the decision form
    (finsam.meetings), where quorum and jäv are checked."""

    number = forms.IntegerField(label="Punkt", min_value=1, max_value=999)

    class Meta:
        model = Arende
        fields = ["number", "title", "kind", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    @property
    def row_label(self):
        """The row in labels and the error summary ("Beviljat belopp § 3 (kr)")."""
        return f"§ {self.instance.number}" if self.instance.pk else ""


class BaseArendeFormSet(GuardedFormSet, forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Ta bort ärendet (och dess beslut)"

    def clean(self):
        # Replaces Django's formset-wide unique check, whose message is generic
        # and not next to the field: a repeated § is named on the row itself.
        # The database is not asked: renumbered items are checked as a whole.
        seen = set()
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            number = form.cleaned_data.get("number") if hasattr(form, "cleaned_data") else None
            if number is None:
                continue
            if number in seen:
                form.add_error("number", f"§ {number} förekommer flera gånger på dagordningen.")
            seen.add(number)


ArendeFormSet = inlineformset_factory(
    Sammantrade,
    Arende,
    form=ArendeForm,
    formset=BaseArendeFormSet,
    fields=["number", "title", "kind", "description"],
    extra=3,
    can_delete=True,
    **FORMSET_LIMITS,
)
