"""A choice's label reads as Django's own `get_FOO_display()` would give it."""

from django.db import models

from finsam.models import Ledamot, Medlem, Sammantrade


def djangos(obj, name):
    return models.Model._get_FIELD_display(obj, obj._meta.get_field(name))


def test_labels_are_djangos():
    objects = [
        (Medlem(kind=Medlem.Kind.KOMMUN), "kind"),
        (Medlem(kind="okand"), "kind"),  # a value outside the choices shows itself
        (Sammantrade(status=Sammantrade.Status.PLANERAT), "status"),
        (Ledamot(chair_role=""), "chair_role"),
        (Ledamot(chair_role=None), "chair_role"),
    ]
    for obj, name in objects:
        shown = getattr(obj, f"get_{name}_display")()
        assert shown == djangos(obj, name)
        assert type(shown) is type(djangos(obj, name))
    assert Medlem(kind=Medlem.Kind.KOMMUN).get_kind_display() == str(Medlem.Kind.KOMMUN.label)
