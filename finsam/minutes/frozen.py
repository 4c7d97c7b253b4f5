"""Signed minutes are a public document: once they are signed, the meeting is frozen.

Every model of a meeting (the meeting, its items, decisions and their
amounts, attendance, jäv, the minutes and their signatures) refuses to be
saved or deleted, row by row and through a queryset's update() or delete(),
when its meeting is justerat or publicerat. The guard sits in the models, so
no view, form, admin page or model method gets around it.

Imported by finsam.models: this module imports no models at import time.
"""

from django.apps import apps
from django.core.exceptions import ValidationError

FROZEN_STATUSES = ("justerat", "publicerat")
FROZEN_MESSAGE = (
    "Protokollet är justerat. Sammanträdet, dess ärenden, beslut, närvaro och jäv "
    "kan inte längre ändras."
)


class MeetingFrozen(ValidationError):
    def __init__(self):
        super().__init__(FROZEN_MESSAGE, code="meeting_frozen")


def _meeting_is_frozen(pk):
    if pk is None:
        return False
    meeting = apps.get_model("finsam", "Sammantrade")
    return meeting._base_manager.filter(pk=pk, status__in=FROZEN_STATUSES).exists()


def _meeting_id(obj, lookup):
    """The id of the meeting `obj` belongs to through `lookup` ("arende__sammantrade")."""
    *parents, last = lookup.split("__")
    for name in parents:
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


class FrozenWithMeeting:
    """Model mixin: saving or deleting a row of a frozen meeting raises MeetingFrozen.

    `meeting_lookup` is the path to the row's Sammantrade. The fields in
    `frozen_writable` may still be written with `save(update_fields=[...])`
    (the minutes' archive copy and posting date, set after signing).
    """

    meeting_lookup = "sammantrade"
    frozen_writable = frozenset()

    def is_in_frozen_meeting(self):
        if _meeting_is_frozen(_meeting_id(self, self.meeting_lookup)):
            return True
        if self.pk is None:
            return False
        stored = type(self)._base_manager.filter(pk=self.pk)
        return stored.filter(**{f"{self.meeting_lookup}__status__in": FROZEN_STATUSES}).exists()

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        writable = update_fields is not None and set(update_fields) <= self.frozen_writable
        if not writable and self.is_in_frozen_meeting():
            raise MeetingFrozen
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_in_frozen_meeting():
            raise MeetingFrozen
        return super().delete(*args, **kwargs)


class FrozenRowsQuerySet:
    """QuerySet mixin: update() and delete() refuse when a row is in a frozen meeting."""

    def _touches_frozen(self):
        lookup = self.model.meeting_lookup
        key = f"{lookup}__status__in" if lookup else "status__in"
        return self.filter(**{key: FROZEN_STATUSES}).exists()

    def update(self, **kwargs):
        if self._touches_frozen():
            raise MeetingFrozen
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        pks = [obj.pk for obj in objs]
        if self.filter(pk__in=pks)._touches_frozen():
            raise MeetingFrozen
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def delete(self):
        if self._touches_frozen():
            raise MeetingFrozen
        return super().delete()

    delete.queryset_only = True


class FrozenMeeting:
    """Model mixin for the meeting itself: once frozen, only its status moves on
    (justerat → publicerat) and nothing else is saved; it is never deleted."""

    meeting_lookup = ""

    def _stored_frozen(self):
        return self.pk is not None and _meeting_is_frozen(self.pk)

    def save(self, *args, **kwargs):
        if self._stored_frozen():
            update_fields = kwargs.get("update_fields")
            publishing = update_fields is not None and set(update_fields) <= {"status"}
            if not (publishing and self.status in FROZEN_STATUSES):
                raise MeetingFrozen
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._stored_frozen():
            raise MeetingFrozen
        return super().delete(*args, **kwargs)


def refuse_m2m_change(sender, instance, action, **kwargs):
    """m2m_changed receiver: the minutes' checkers (Protokoll.justerare) are frozen too."""
    guarded = getattr(instance, "is_in_frozen_meeting", None)
    if action.startswith("pre_") and guarded is not None and guarded():
        raise MeetingFrozen


def purge_meetings_of(forbund):
    """Delete a förbund's meeting rows that protect their seats, for deleting the förbund.

    Only the loader's --replace deletes a förbund with its signed minutes; it
    goes past the guards on purpose (the base manager's plain querysets).
    """
    for model, lookup in (
        ("Justering", "protokoll__sammantrade__forbund"),
        ("Protokoll", "sammantrade__forbund"),
        ("Narvaro", "sammantrade__forbund"),
        ("Jav", "arende__sammantrade__forbund"),
        ("KallelseUtskick", "sammantrade__forbund"),
    ):
        apps.get_model("finsam", model)._base_manager.filter(**{lookup: forbund}).delete()
