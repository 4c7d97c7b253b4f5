"""The door to every förbund page: who is asking, in which förbund, in what role."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .models import Roll
from .permissions import EVERYONE


def get_roll(user, slug):
    """The user's role in the förbund, or 404: another förbund's pages do not exist."""
    roll = (
        Roll.objects.select_related("forbund", "medlem")
        .filter(user=user, forbund__slug=slug)
        .first()
    )
    if roll is None:
        raise Http404
    return roll


def _needs_two_factor(request, roll):
    """The förbund requires two-factor sign-in of its kansli, and this session has none."""
    return (
        roll.kind == Roll.Kind.KANSLI
        and roll.forbund.require_2fa_kansli
        and not request.user.is_verified()
    )


def forbund_view(roles=EVERYONE):
    """Resolve `<forbund>` from the URL; 404 outside it, 403 for a role not in `roles`.

    The view gets `request.forbund` and `request.roll`.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, forbund, *args, **kwargs):
            roll = get_roll(request.user, forbund)
            request.roll = roll
            request.forbund = roll.forbund
            if roll.kind not in roles:
                raise PermissionDenied
            if _needs_two_factor(request, roll):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('two_factor')}?{query}")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
