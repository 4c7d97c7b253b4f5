"""The door to every förbund page: who is asking, in which förbund, in what role."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

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
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
