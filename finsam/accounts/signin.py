"""Sign-in in one or two steps, password change and reset, two-factor set-up.

django-axes counts failed sign-ins per user name and address and locks them
out for a while (settings.AXES_*); a wrong two-factor code counts as a failure
too. With a confirmed TOTP device the password only leads to the second step:
the person is signed in when the code is right.
"""

import base64
import time

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from finsam.models import Roll, User

from .forms import CodeForm, LoginForm, PasswordResetForm

PENDING = "accounts_pending_sign_in"
PENDING_SECONDS = 300


def lockout(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets (settings.AXES_LOCKOUT_CALLABLE), in Swedish."""
    context = {
        "username": get_client_username(request, credentials) or "",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "accounts/lockout.html", context, status=429)


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm

    def form_valid(self, form):
        user = form.get_user()
        if not user_has_device(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "at": time.time(),
        }
        return redirect("login_code")


def admin_login(request, extra_context=None):
    """The admin's sign-in page sends people to the one sign-in page."""
    return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index"))


def _pending_user(request):
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None, None
    return User.objects.filter(pk=pending["user"], is_active=True).first(), pending


@never_cache
def login_code(request):
    """The second step: the code from the person's app."""
    user, pending = _pending_user(request)
    if user is None:
        request.session.pop(PENDING, None)
        messages.info(request, "Logga in med ditt användarnamn och lösenord först.")
        return redirect("login")
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        request.session.pop(PENDING, None)
        return get_lockout_response(request, None, credentials)
    form = CodeForm(request.POST or None, user=user)
    if request.method == "POST":
        if form.is_valid():
            del request.session[PENDING]
            auth_login(request, user, backend=pending["backend"])
            otp_login(request, form.device)
            return redirect(pending["next"])
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if AxesProxyHandler.is_locked(request, credentials):
            request.session.pop(PENDING, None)
            return get_lockout_response(request, None, credentials)
    return render(request, "accounts/login_code.html", {"form": form})


password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change.html", success_url=reverse_lazy("password_change_done")
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html"
)
password_reset = auth_views.PasswordResetView.as_view(
    form_class=PasswordResetForm,
    template_name="accounts/password_reset.html",
    success_url=reverse_lazy("password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """A link from a mail: choose a password, then sign in with it (and the code, if any)."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("login")
    success_message = "Ditt nya lösenord är sparat. Logga in med det."

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, self.success_message)
        return response


password_reset_confirm = SetPasswordView.as_view()
invitation_confirm = SetPasswordView.as_view(
    template_name="accounts/invitation_confirm.html",
    success_message="Ditt lösenord är sparat. Logga in med din e-postadress och lösenordet.",
)


# Two-factor sign-in ------------------------------------------------------------


def _next(request, default):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return default


def required_for(user):
    """A kansli role in a förbund that requires two-factor sign-in for its kansli."""
    return Roll.objects.filter(
        user=user, kind=Roll.Kind.KANSLI, forbund__require_2fa_kansli=True
    ).exists()


def _new_device(user):
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=False)


def _secret(device):
    key = base64.b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@never_cache
@login_required
def two_factor(request):
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    here = reverse("two_factor")
    context = {"next": _next(request, ""), "required": required_for(user)}
    if confirmed is None:
        device = _new_device(user)
        form = CodeForm(request.POST or None, user=user, device=device)
        if request.method == "POST" and form.is_valid():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            otp_login(request, device)
            messages.success(
                request,
                "Tvåstegsverifiering är på. Nästa gång du loggar in "
                "frågar vi efter en kod från appen.",
            )
            return redirect(_next(request, here))
        context.update(state="setup", form=form, secret=_secret(device))
    elif not user.is_verified():
        form = CodeForm(request.POST or None, user=user)
        if request.method == "POST" and form.is_valid():
            otp_login(request, form.device)
            return redirect(_next(request, here))
        context.update(state="verify", form=form)
    else:
        context.update(state="on", form=CodeForm(user=user))
    return render(request, "accounts/two_factor.html", context)


@never_cache
@login_required
def two_factor_qr(request):
    """The set-up QR code as SVG, served here so that no page needs inline data."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        raise Http404
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return HttpResponse(image.to_string(), content_type="image/svg+xml")


@require_POST
@login_required
def two_factor_off(request):
    if required_for(request.user):
        messages.error(
            request,
            "Ditt förbund kräver tvåstegsverifiering för kansliet; den kan inte stängas av.",
        )
        return redirect("two_factor")
    form = CodeForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(
            request, "accounts/two_factor.html", {"state": "on", "form": form, "next": ""}
        )
    TOTPDevice.objects.filter(user=request.user).delete()
    messages.success(request, "Tvåstegsverifiering är avstängd.")
    return redirect("two_factor")
