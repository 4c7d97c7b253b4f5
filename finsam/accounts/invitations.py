"""Kansli invites a person to a role in its förbund, and removes a role.

A person is one user across förbund, found by e-mail: an address that already
has a user gets the role added (and a mail saying so), never a second user.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from finsam.models import Handelse, Roll, User

from . import tasks


def find_user(email):
    """The one user with this e-mail address (or user name), or None."""
    users = list(
        User.objects.filter(email__iexact=email) | User.objects.filter(username__iexact=email)
    )
    if len(users) > 1:
        raise ValidationError(
            _("Flera användare har adressen %(email)s; be plattformens administratör reda ut det.")
            % {"email": email},
            code="ambiguous",
        )
    return users[0] if users else None


def _describe(roll):
    if roll.medlem_id:
        return f"{roll.get_kind_display()}, {roll.medlem}"
    return roll.get_kind_display()


@transaction.atomic
def invite(*, forbund, by, first_name, last_name, email, kind, medlem=None, base_url):
    """Give the person a role in the förbund and mail them; returns the new Roll.

    A new person gets an account without a password and a link to choose one.
    """
    email = email.strip().lower()
    user = find_user(email)
    if user is not None and Roll.objects.filter(user=user, forbund=forbund).exists():
        existing = Roll.objects.get(user=user, forbund=forbund)
        raise ValidationError(
            _("%(user)s har redan ett konto i förbundet, som %(roll)s.")
            % {"user": user, "roll": _describe(existing).lower()},
            code="has_roll",
        )
    created = user is None
    if created:
        user = User(username=email, email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.save()
    elif not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    roll = Roll(user=user, forbund=forbund, kind=kind, medlem=medlem)
    roll.full_clean(validate_constraints=False)
    roll.save()
    Handelse.record(
        forbund=forbund,
        user=by,
        subject=user,
        action="inbjuden" if created else "fick en roll",
        changes={"roll": [None, _describe(roll)], "e-post": [None, user.email]},
    )
    if user.has_usable_password():
        tasks.send_role_added.delay_on_commit(roll.pk, base_url)
    else:
        tasks.send_invitation.delay_on_commit(roll.pk, base_url)
    return roll


@transaction.atomic
def remove(roll, *, by):
    """Take the role away; a user left without any role can no longer sign in."""
    if roll.user_id == by.pk:
        raise ValidationError(_("Du kan inte ta bort din egen roll."), code="own_roll")
    user = roll.user
    Handelse.record(
        forbund=roll.forbund,
        user=by,
        subject=user,
        action="roll borttagen",
        changes={"roll": [_describe(roll), None]},
    )
    roll.delete()
    deactivated = False
    if not user.roller.exists() and not (user.is_staff or user.is_superuser):
        user.is_active = False
        user.save(update_fields=["is_active"])
        deactivated = True
    return deactivated
