"""An object's history, read from the audit trail (`Handelse`) and said in Swedish.

Views record what a form changed with `form_changes()`: `{field: [before,
after]}`, with related rows as their names. Other events hold their own
shapes (an agenda's new and removed items, a budget's lines, a member's
contribution for a year); `describe()` turns any of them into `Change`s, with
the subject model's field labels, choices as their labels, Ja/Nej, amounts in
kronor, and "–" for empty. Older events that recorded only the new value show
only that.

`history(forbund, *targets)` reads the events of some objects in one query;
`entries()` describes them without another.
"""

import datetime
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils.text import capfirst

from .concurrency import GUARD_FIELDS
from .models import Handelse
from .permissions import can_read_history

EMPTY = "–"
# Kept by the form for its own use (the locking check), never a change to show.
IGNORED = frozenset({"version", *GUARD_FIELDS})
# A value longer than this is shown folded (a plan text, a description).
LONG = 120
# A page shows this many of the latest events.
PAGE_LIMIT = 100
# Keys that say where a change was made (a section's plan), not what changed.
CONTEXT = frozenset({"plan"})

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


# Recording --------------------------------------------------------------------


def form_changes(form, *, created=False):
    """{field: [before, after]} for what a ModelForm changed; every field of a new object.

    Related rows are kept by name, so that the history reads without a lookup.
    """
    names = form.fields if created else form.changed_data
    changes = {}
    for name in names:
        if name in IGNORED:
            continue
        after = _plain(form.cleaned_data.get(name))
        before = None if created else _plain(_initial(form, name))
        changes[name] = [before, after]
    return changes


def _initial(form, name):
    value = form.initial.get(name)
    field = form.fields[name]
    queryset = getattr(field, "queryset", None)
    if queryset is None or value is None or isinstance(value, models.Model):
        return value
    if isinstance(value, list | tuple):
        if all(isinstance(v, models.Model) for v in value):
            return value
        return list(queryset.filter(pk__in=value))
    return queryset.filter(pk=value).first()


def _plain(value):
    """A value as the audit trail's JSON can hold it."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, list | tuple | models.QuerySet):
        return [_plain(v) for v in value]
    return str(value)


# Reading ----------------------------------------------------------------------


def history(forbund, *targets):
    """The events of some objects, newest first: one query, with the user and subject type.

    A target is an object, or a queryset whose rows' events are wanted too
    (a member's board seats, a plan's sections).
    """
    where = Q(pk__in=[])
    for target in targets:
        # The content type by name, joined in the same query: no lookup before it.
        opts = target.model._meta if isinstance(target, models.QuerySet) else target._meta
        kind = Q(subject_type__app_label=opts.app_label, subject_type__model=opts.model_name)
        if isinstance(target, models.QuerySet):
            where |= kind & Q(subject_id__in=target.values("pk"))
        else:
            where |= kind & Q(subject_id=target.pk)
    return (
        Handelse.objects.of(forbund)
        .filter(where)
        .select_related("user", "subject_type")
        .order_by("-at", "-pk")
    )


def for_page(request, *targets, insats=None):
    """A page's Historik (see `history()`), or None where the role may not read it.

    The first target, if an object, is the page's own: events about the
    other targets say which object they are about.
    """
    if not can_read_history(request.roll, insats):
        return None
    own = targets[0] if isinstance(targets[0], models.Model) else None
    events = list(history(request.forbund, *targets)[: PAGE_LIMIT + 1])
    result = Historik(entries(events[:PAGE_LIMIT], own))
    result.truncated = len(events) > PAGE_LIMIT
    return result


class Historik(list):
    """A page's entries, newest first; `truncated` where older ones are left out."""

    truncated = False


@dataclass
class Change:
    """One line of an event: `label: before → after`, or sub-lines in `parts`."""

    label: str
    after: str = ""
    before: str | None = None  # None: only the new value is known
    parts: list["Change"] = field(default_factory=list)

    @property
    def long(self):
        return len(self.before or "") + len(self.after) > LONG

    def lines_changed(self):
        """A long text's changed lines: (removed, added), blank lines left out."""
        before = [line for line in (self.before or "").splitlines() if line.strip()]
        after = [line for line in self.after.splitlines() if line.strip()]
        removed, added = [], []
        matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag in ("replace", "delete"):
                removed += before[i1:i2]
            if tag in ("replace", "insert"):
                added += after[j1:j2]
        return removed, added

    @property
    def removed(self):
        return self.lines_changed()[0]

    @property
    def added(self):
        return self.lines_changed()[1]


@dataclass
class Entry:
    handelse: Handelse
    changes: list[Change]
    other_subject: bool  # the event is about another object than the page's own

    @property
    def action(self):
        return capfirst(self.handelse.action)

    @property
    def subject_kind(self):
        """ "Risk", "Ledamot": what the object is, where the page shows others' events too."""
        model = self.handelse.subject_type.model_class()
        return capfirst(model._meta.verbose_name) if model else ""


def entries(events, subject=None):
    """The events described for a page; `subject` is the page's own object, if any."""
    result = []
    for handelse in events:
        other = subject is None or (
            handelse.subject_id != subject.pk
            or handelse.subject_type.model_class() is not type(subject)
        )
        result.append(Entry(handelse, describe(handelse), other))
    return result


def describe(handelse, model=None):
    """What an event changed, as `Change`s in the model's field order."""
    model = model or handelse.subject_type.model_class()
    changes = handelse.changes or {}
    if not isinstance(changes, dict):
        return [Change(capfirst(handelse.action), _text(changes))]
    if {"före", "efter"} <= set(changes):
        # A member's contribution for a year (Medlemsavgift.set_for_year).
        label = capfirst(handelse.action.removesuffix(" ändrad"))
        return [Change(label, _money(changes["efter"]), _money(changes["före"]))]
    created = handelse.action == "skapad"
    result = []
    for key in sorted(changes, key=_field_order(model)):
        if key in IGNORED or (key in CONTEXT and not isinstance(changes[key], list)):
            continue
        for change in _describe(model, key, changes[key]):
            if created:
                if change.after == EMPTY and not change.parts:
                    continue  # a new object's empty fields say nothing
                change.before = None
            result.append(change)
    return result


def summary(handelse, model=None):
    """One line for a list of events: "Ändrad: Namn, Beviljat belopp 2027"."""
    action = capfirst(handelse.action)
    if "ändr" not in handelse.action or {"före", "efter"} <= set(handelse.changes or {}):
        return action  # created, adopted, a contribution: the action says it
    labels = [change.label for change in describe(handelse, model)]
    return f"{action}: {', '.join(labels)}" if labels else action


def _field_order(model):
    opts = model._meta if model else None
    names = [f.name for f in opts.fields + opts.many_to_many + opts.related_objects] if opts else []

    def order(key):
        return names.index(key) if key in names else len(names)

    return order


def _model_field(model, key):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def _describe(model, key, value):
    """The Changes of one key of an event's changes."""
    model_field = _model_field(model, key)
    if model_field is not None and model_field.one_to_many and isinstance(value, dict):
        # Rows under the object by year or name: "Beviljat belopp 2027".
        name = capfirst(model_field.related_model._meta.verbose_name)
        return [_pair(f"{name} {row}", row_value, _money) for row, row_value in value.items()]
    if model_field is not None and model_field.many_to_many and _is_pair_of_lists(value):
        # Say who joined and who left, not the whole list twice.
        before, after = value
        show = [
            f"{word} {', '.join(str(v) for v in names)}"
            for word, names in (
                ("tillagda:", [v for v in after if v not in before]),
                ("borttagna:", [v for v in before if v not in after]),
            )
            if names
        ]
        return [Change(_label(model_field), capfirst("; ".join(show)) or EMPTY)]
    if model_field is not None and (model_field.concrete or model_field.many_to_many):
        return [_pair(_label(model_field), value, lambda v: _field_value(model_field, v))]
    label = capfirst(key)
    if isinstance(value, dict):
        parts = [change for k, v in value.items() for change in _describe(None, k, v)]
        return [Change(label, parts=parts)]
    return [Change(label, _text(value))]


def _is_pair_of_lists(value):
    return isinstance(value, list) and len(value) == 2 and all(isinstance(v, list) for v in value)


def _pair(label, value, show):
    """[before, after] as the forms record it; a single value is the new one (older events)."""
    if isinstance(value, list) and len(value) == 2:
        before, after = value
        return Change(label, show(after), show(before))
    return Change(label, show(value))


def _label(model_field):
    label = str(getattr(model_field, "verbose_name", model_field.name))
    if _is_money(model_field):
        label = label.removesuffix(" (kr)")
    return capfirst(label)


def _is_money(model_field):
    return isinstance(model_field, models.DecimalField) and "(kr)" in str(model_field.verbose_name)


def _field_value(model_field, value):
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, list):
        return ", ".join(_field_value(model_field, v) for v in value)
    if model_field.choices:
        labels = {str(k): v for k, v in model_field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(model_field, models.BooleanField):
        return _yes_no(value)
    if isinstance(model_field, models.DecimalField):
        return _money(value) if _is_money(model_field) else _number(value)
    if isinstance(model_field, models.TimeField) and isinstance(value, str):
        return value[:5]
    return str(value)


def _yes_no(value):
    if isinstance(value, str):
        value = value.lower() in ("true", "on", "1", "ja")
    return "Ja" if value else "Nej"


def _text(value):
    """A value without a field to explain it: strings of digits are amounts (str(Decimal))."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, str) and _NUMBER.match(value):
        return _money(value)
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


def _number(value):
    """12.5000 → "12,5"; 1861000 → "1 861 000" (a no-break space between thousands)."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    whole, _, fraction = f"{abs(number):f}".partition(".")
    fraction = fraction.rstrip("0")
    text = f"{int(whole):,}".replace(",", "\u00a0") + (f",{fraction}" if fraction else "")
    return f"\u2212{text}" if number < 0 else text


def _money(value):
    if value is None or value == "":
        return EMPTY
    return f"{_number(value)}\u00a0kr"
