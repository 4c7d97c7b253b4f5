"""The door to every förbund page: who is asking, in which förbund, in what role."""

from functools import wraps

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import constant_time_compare
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


MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _signed_in_roll(request, slug):
    """The signed-in user's role in the förbund with the user itself, in one query.

    Django reads the session's user (`request.user`) in a query of its own and
    the role takes another; this reads both at once and hands Django the user,
    when the session is an ordinary one: signed in with the ModelBackend, an
    active user, the session's password hash the user's. Anything else (no
    session, another backend, a hash to check against old keys, no role here)
    returns None, and Django's own `request.user` and `get_roll` decide.
    """
    if hasattr(request, "_cached_user"):  # Django's cache of request.user: already read
        return None
    session = request.session
    try:
        user_id = get_user_model()._meta.pk.to_python(session[SESSION_KEY])
        backend, session_hash = session[BACKEND_SESSION_KEY], session[HASH_SESSION_KEY]
    except (KeyError, ValidationError):
        return None
    if backend != MODEL_BACKEND or backend not in settings.AUTHENTICATION_BACKENDS:
        return None
    roll = (
        Roll.objects.select_related("user", "forbund", "medlem")
        .filter(user_id=user_id, forbund__slug=slug)
        .first()
    )
    if roll is None or not ModelBackend().user_can_authenticate(roll.user):
        return None
    if not constant_time_compare(session_hash, roll.user.get_session_auth_hash()):
        return None
    request._cached_user = roll.user  # what django.contrib.auth.middleware.get_user keeps
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
        @wraps(view)
        def wrapper(request, forbund, *args, **kwargs):
            return signed_in(request, forbund, _signed_in_roll(request, forbund), *args, **kwargs)

        @login_required
        def signed_in(request, forbund, roll, *args, **kwargs):
            roll = roll or get_roll(request.user, forbund)
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
