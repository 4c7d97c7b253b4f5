"""Nothing lost: edits checked against a version, forms that count once, row locks.

- A `Versioned` model has a `revision` that a save through a form moves on,
  with `UPDATE … SET revision = revision + 1 WHERE pk = … AND revision = <the
  one the form showed>`. No row matched: someone else saved since the form was
  shown, and `Conflict` is raised inside the view's transaction, so nothing
  is saved. The update holds the row lock until the commit, so a second save
  waits for the first and then finds the revision moved on.
- `GuardedForm` (a form mixin) carries the hidden fields: the revision shown,
  a fingerprint of the values shown (so that a conflict can name what the
  other person changed) and a one-time key. `Inlamning` keeps the keys: a
  second post of the same form finds the first one's row and is answered
  with a redirect to what the first one saved (`Replayed`), never a second row.
  `GuardedRow` gives the rows of a formset their fingerprints, and
  `GuardedFormSet` refuses a row id that is not one of the page's rows.
- `lock(obj)` holds a row lock on a parent (a förbund, a plan) where a page
  writes many rows, or checks before it inserts.

A page that edits a parent and its rows (a meeting and its agenda, an insats
and its grants) versions the parent and moves it on with every save.
A post without the hidden fields (a script, an old test) saves as before.
"""

import hashlib
import secrets
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.forms.utils import pretty_name
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

REVISION, SHOWN, KEY = "revision", "shown", "submission_key"
GUARD_FIELDS = (REVISION, SHOWN, KEY)
_NOT_SHOWN = ("DELETE", "ORDER")

CONFLICT = "Någon annan har sparat ändringar medan du arbetade"
AGAIN = "Kontrollera och spara igen."
ALREADY_SAVED = "Formuläret var redan skickat och är sparat; inget har sparats två gånger."
FOREIGN_ROW = (
    "En rad i formuläret hör inte till den här sidan, eller har tagits bort av någon annan. "
    "Inget har sparats; ladda om sidan och försök igen."
)


class Conflict(Exception):
    """Someone else saved the object since the form was shown."""


class Replayed(Exception):
    """The same form was posted before; `subject` is what that post saved (or None)."""

    def __init__(self, subject=None):
        super().__init__(subject)
        self.subject = subject


class Versioned(models.Model):
    """A row whose saves through forms are checked against the revision the form showed."""

    revision = models.PositiveIntegerField(_("ändringsnummer"), default=1, editable=False)

    class Meta:
        abstract = True

    def claim_revision(self, shown):
        """Move the revision on from `shown`, or raise Conflict; call inside the transaction."""
        rows = type(self)._base_manager.filter(pk=self.pk, revision=shown)
        if not rows.update(revision=models.F("revision") + 1):
            raise Conflict
        self.revision = shown + 1


class Inlamning(models.Model):
    """A posted form, by its one-time key: the second post of a form finds the first."""

    forbund = models.ForeignKey("finsam.Forbund", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("nyckel"), max_length=64)
    at = models.DateTimeField(_("tidpunkt"), default=timezone.now)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True)
    subject_id = models.PositiveBigIntegerField(null=True)
    subject = GenericForeignKey("subject_type", "subject_id")

    class Meta:
        verbose_name = _("inlämning")
        verbose_name_plural = _("inlämningar")
        constraints = [
            models.UniqueConstraint(fields=["forbund", "key"], name="unique_inlamning_key"),
        ]

    def __str__(self):
        return self.key

    @classmethod
    def claim(cls, *, forbund, key, subject=None):
        """The key's row, new; Replayed if the key was used (a parallel post waits for it)."""
        try:
            with transaction.atomic():
                return cls.objects.create(forbund=forbund, key=key, **_subject(subject))
        except IntegrityError:
            earlier = cls.objects.filter(forbund=forbund, key=key).first()
            raise Replayed(earlier.subject if earlier else None) from None

    def remember(self, subject):
        type(self).objects.filter(pk=self.pk).update(**_subject(subject))


def _subject(obj):
    if obj is None or obj.pk is None:
        return {}
    return {"subject_type": ContentType.objects.get_for_model(obj), "subject_id": obj.pk}


def lock(obj):
    """Hold a row lock on `obj` until the transaction ends: its writers queue here."""
    rows = type(obj)._base_manager.select_for_update().filter(pk=obj.pk)
    list(rows.values_list("pk", flat=True))


def replayed(form, forbund):
    """The earlier post of this very form, if it was saved (a Replayed), else None.

    Asked when a form fails a check that the first post's save may have
    changed (a name now taken): it is still the same form, and saved.
    """
    key = (form.data.get(form.add_prefix(KEY)) or "")[:64]
    if "\x00" in key:  # never a stored key (the field refuses it), and PostgreSQL refuses it
        return None
    earlier = Inlamning.objects.filter(forbund=forbund, key=key).first() if key else None
    return Replayed(earlier.subject) if earlier else None


def already_saved(request, url):
    """The answer to a form posted a second time: where the first post's result is."""
    messages.info(request, ALREADY_SAVED)
    return redirect(url)


def conflict_message(changes):
    if not changes:
        return f"{CONFLICT}. {AGAIN}"
    return f"{CONFLICT}: {'; '.join(changes)}. {AGAIN}"


# Fingerprints: what a form showed, field by field ------------------------------


def _canon(value):
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple | set | models.QuerySet):
        return ",".join(sorted(_canon(v) for v in value))
    if isinstance(value, Decimal):
        return str(value.normalize())
    return str(value)


def _digest(value):
    return hashlib.blake2s(_canon(value).encode(), digest_size=5).hexdigest()


def _display(field, value):
    """A value as the person reads it in the form: a choice's label, an amount in kronor."""
    if value in (None, "", [], ()):
        return "(tomt)"
    if isinstance(field, forms.ModelMultipleChoiceField):
        if not all(isinstance(v, models.Model) for v in value):
            value = field.queryset.filter(pk__in=[_canon(v) for v in value])
        return ", ".join(str(v) for v in value) or "(tomt)"
    if isinstance(field, forms.ModelChoiceField):
        if not isinstance(value, models.Model):
            value = field.queryset.filter(pk=value).first()
        return str(value) if value is not None else "(tomt)"
    if isinstance(field, forms.BooleanField):
        return "ja" if value else "nej"
    if isinstance(field, forms.ChoiceField):
        labels = {str(k): v for k, v in field.choices if not isinstance(v, list | tuple)}
        return str(labels.get(str(value), value))
    text = str(field.prepare_value(value))
    return text if len(text) <= 80 else text[:79] + "…"


class _Fingerprinted:
    """The values a form shows, as short digests in a hidden field."""

    def __new__(cls, *args, **kwargs):
        # Every keyword the form was made with (a subclass takes its own, such as
        # `forbund`, before this mixin's __init__), to make it again in `fresh()`.
        form = super().__new__(cls)
        form._fresh_kwargs = {
            k: v for k, v in kwargs.items() if k not in ("data", "files", "instance", "initial")
        }
        return form

    def _add_fingerprint(self):
        self.fields[SHOWN] = forms.CharField(required=False, widget=forms.HiddenInput)
        if not self.is_bound:
            # At rendering, once the subclass has set its own initial values.
            self.initial[SHOWN] = self.fingerprint

    @cached_property
    def changed_data(self):
        # The guards are not the user's data: never "changed", never in the audit trail.
        return [name for name in super().changed_data if name not in GUARD_FIELDS]

    def shown_fields(self):
        return [
            (name, field)
            for name, field in self.fields.items()
            if name not in GUARD_FIELDS and name not in _NOT_SHOWN and not field.widget.is_hidden
        ]

    def fingerprint(self):
        return ",".join(
            f"{name}:{_digest(self.get_initial_for_field(field, name))}"
            for name, field in self.shown_fields()
        )

    def fresh(self, instance):
        """The same form, unbound, for the row as it is now."""
        return type(self)(instance=instance, **self._fresh_kwargs)

    def _shown(self):
        posted = self.data.get(self.add_prefix(SHOWN)) or ""
        return dict(pair.split(":", 1) for pair in posted.split(",") if ":" in pair)

    def _theirs(self, fresh):
        """(name, field, value now) of the fields changed since this form was shown."""
        shown = self._shown()
        if not shown:
            return []
        return [
            (name, field, value)
            for name, field in fresh.shown_fields()
            if shown.get(name) != _digest(value := fresh.get_initial_for_field(field, name))
        ]

    def changes_since_shown(self, fresh, prefix=""):
        """What differs between what this form showed and `fresh` (the form for the row now)."""
        return [
            f"{prefix}{field.label or pretty_name(name)}: {_display(field, value)}"
            for name, field, value in self._theirs(fresh)
        ]

    def rebase(self, fresh):
        """Carry `fresh`'s revision and fingerprint, so that saving again works.

        A field the user left as it was shown and the other person changed
        takes the other person's value: saving again keeps both edits.
        """
        shown, cleaned = self._shown(), getattr(self, "cleaned_data", {})
        theirs = self._theirs(fresh)
        self.data = self.data.copy()
        for name, field, _value in theirs:
            if name in cleaned and shown.get(name) == _digest(cleaned[name]):
                self._take(name, field, fresh[name].value())
        self.data[self.add_prefix(SHOWN)] = fresh.fingerprint()
        instance = getattr(fresh, "instance", None)
        if REVISION in self.fields and instance is not None:
            self.data[self.add_prefix(REVISION)] = instance.revision

    def _take(self, name, field, value):
        key = self.add_prefix(name)
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                self.data[key] = "on"
            else:
                self.data.pop(key, None)
        elif isinstance(value, list | tuple):
            self.data.setlist(key, ["" if v is None else str(v) for v in value])
        else:
            self.data[key] = "" if value is None else str(value)


class GuardedForm(_Fingerprinted):
    """Mixin for an edit or create form: revision, fingerprint and one-time key, hidden.

    In the view, inside the transaction: `form.claim(forbund)` first (raises
    Replayed or Conflict), then save, then `form.remember(obj)`. On Conflict
    (outside the transaction) `form.show_conflict(request, formsets)`.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._submission = None
        self._add_fingerprint()
        instance = getattr(self, "instance", None)
        if isinstance(instance, Versioned) and instance.pk:
            # Text, not a number: a mangled revision is a conflict, not an error
            # on a field nobody sees.
            self.fields[REVISION] = forms.CharField(required=False, widget=forms.HiddenInput)
            self.initial[REVISION] = instance.revision
        self.fields[KEY] = forms.CharField(required=False, widget=forms.HiddenInput)
        if not self.is_bound:
            self.initial[KEY] = secrets.token_urlsafe(24)  # a fresh one each time it is shown

    def claim(self, forbund):
        """Claim the one-time key, then the revision; call first inside the transaction."""
        instance = getattr(self, "instance", None)
        existing = instance if instance is not None and instance.pk else None
        if key := self.cleaned_data.get(KEY, "")[:64]:
            self._submission = Inlamning.claim(forbund=forbund, key=key, subject=existing)
        shown = self.cleaned_data.get(REVISION)
        if isinstance(existing, Versioned) and shown:
            if not (shown.isascii() and shown.isdigit() and int(shown) < 2**31):
                raise Conflict
            existing.claim_revision(int(shown))

    def remember(self, obj):
        """What this post saved, for a second post of the same form to find."""
        if self._submission is not None and self._submission.subject_id is None:
            self._submission.remember(obj)

    def show_conflict(self, request, formsets=()):
        """Say what the other person changed; the form keeps the user's input."""
        instance = self.instance
        current = type(instance)._default_manager.filter(pk=instance.pk).first()
        if current is None:
            messages.error(request, f"{CONFLICT}: det är borttaget. Inget har sparats.")
            return
        fresh = self.fresh(current)
        changes = self.changes_since_shown(fresh)
        for formset in formsets:
            changes += rows_changed(formset)
        self.rebase(fresh)
        messages.error(request, conflict_message(changes))


class GuardedRow(_Fingerprinted):
    """Mixin for a formset's row form: a fingerprint of an existing row's values."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self._add_fingerprint()


def rows_changed(formset):
    """The rows another person added, changed or removed since the page was shown.

    Gives each shown row the fingerprint of its row now, so that saving again works.
    """
    title = str(formset.model._meta.verbose_name_plural).capitalize()
    label = getattr(formset, "row_label", str)
    now = {row.pk: row for row in formset.queryset.all()}
    changes, shown = [], set()
    for form in formset.initial_forms:
        pk = form.instance.pk
        if pk is None or pk not in now:
            if form.data.get(form.add_prefix(SHOWN)):
                changes.append(f"{title}: en rad är borttagen")
            continue
        shown.add(pk)
        if SHOWN in form.fields:
            fresh = form.fresh(now[pk])
            changes += form.changes_since_shown(fresh, prefix=f"{title}, {label(now[pk])}: ")
            form.rebase(fresh)
    changes += [f"{title}: ny rad {label(row)}" for pk, row in now.items() if pk not in shown]
    return changes


class GuardedFormSet:
    """Mixin for a model formset: a posted row id that is not one of its rows is refused.

    Django leaves such a form without its row and saves nothing for it;
    saying "sparad" then would be a lie.
    """

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or self.management_form.errors:
            return
        if any(form.instance.pk is None for form in self.initial_forms):
            self._non_form_errors.append(ValidationError(FOREIGN_ROW, code="foreign_row"))


class RevisionForm(GuardedForm, forms.Form):
    """The guards alone, for a page that edits a parent's rows without a form of its own."""

    def __init__(self, data=None, *, instance, **kwargs):
        self.instance = instance
        super().__init__(data, **kwargs)
