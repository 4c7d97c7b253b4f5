"""What every form of the project is built on: bounded text and ids, no personnummer.

`Form` and `ModelForm` (re-exported by finsam.forms) are the bases of the
project's forms; a test walks them all and fails on one that is not.
"""

from django import forms
from django.core.validators import MaxLengthValidator

from .validators import validate_no_personnummer

# The longest free text a form takes where the model sets no length (a TextField).
TEXT_MAX_LENGTH = 20_000
# A formset takes at most this many rows: a posted TOTAL_FORMS of 10^30 would
# otherwise have Django build and render 1 000 forms and more.
FORMSET_LIMITS = {"max_num": 200, "absolute_max": 200, "validate_max": True}
# Ids beyond a 64-bit integer exist in no table; SQLite cannot even be asked about them.
MAX_ID = 2**63 - 1


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multi-select of rows whose submitted ids are checked to be ids before the query."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        field = self.queryset.model._meta.pk if key == "pk" else None
        if field is not None and field.get_internal_type().endswith("AutoField"):
            for pk in value if isinstance(value, list | tuple | set | frozenset) else [value]:
                text = str(pk).strip()
                if not text.isascii() or not text.isdigit() or int(text) > MAX_ID:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)


def harden_field(field):
    """What every form field of the project gets: bounded ids, bounded text, no personnummer."""
    if getattr(field, "_hardened", False):
        return
    field._hardened = True
    if type(field) is forms.ModelMultipleChoiceField:
        field.__class__ = IdMultipleChoiceField  # same field, ids checked before the query
    if not isinstance(field, forms.CharField):
        return
    if field.max_length is None:
        field.max_length = TEXT_MAX_LENGTH
        field.validators.append(
            MaxLengthValidator(
                TEXT_MAX_LENGTH,
                message="Texten får vara högst %(limit_value)d tecken (den har %(show_value)d).",
            )
        )
        field.widget.attrs.setdefault("maxlength", str(TEXT_MAX_LENGTH))
    # A hidden field carries the page's own data (a version, a key) and a password
    # is never stored as text: neither is free text about a person.
    free_text = not field.widget.is_hidden and not isinstance(field.widget, forms.PasswordInput)
    if free_text and validate_no_personnummer not in field.validators:
        field.validators.append(validate_no_personnummer)


class FinsamFormMixin:
    """The base of every form of the project (`Form`, `ModelForm` below).

    Each field is hardened (`harden_field`) before the form is cleaned, also a
    field added in a form's own `__init__`: free text is bounded and refused
    when it holds a personnummer or samordningsnummer; ids in a multi-select
    are checked to be ids.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            harden_field(field)

    def full_clean(self):
        for field in self.fields.values():
            harden_field(field)
        super().full_clean()


class Form(FinsamFormMixin, forms.Form):
    pass


class ModelForm(FinsamFormMixin, forms.ModelForm):
    pass
