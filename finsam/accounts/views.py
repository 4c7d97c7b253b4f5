"""Kansli's page of the förbund's accounts: who has one, invite, remove a role."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django_otp.plugins.otp_totp.models import TOTPDevice

from finsam.access import forbund_view
from finsam.models import Roll
from finsam.permissions import EDITORS

from . import invitations
from .forms import InviteForm


def _base_url(request):
    """The site's address as the person asked for it, for the links in mail."""
    return request.build_absolute_uri("/")


@forbund_view(EDITORS)
def konto_list(request):
    roller = (
        Roll.objects.of(request.forbund)
        .select_related("user", "medlem")
        .annotate(has_2fa=Exists(TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)))
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    return render(request, "accounts/konto_list.html", {"roller": roller})


@forbund_view(EDITORS)
def konto_invite(request):
    form = InviteForm(request.POST or None, forbund=request.forbund)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            roll = invitations.invite(
                forbund=request.forbund,
                by=request.user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                kind=data["kind"],
                medlem=data["medlem"] if data["kind"] == Roll.Kind.INSATSAGARE else None,
                base_url=_base_url(request),
            )
        except ValidationError as error:
            form.add_error("email", error)
        except IntegrityError:  # the same person invited twice at once
            form.add_error("email", "Personen har redan ett konto i förbundet.")
        else:
            if roll.user.has_usable_password():
                text = f"{roll.user} hade redan ett konto och har fått rollen; ett mejl är skickat."
            else:
                text = f"En inbjudan är skickad till {roll.user.email}."
            messages.success(request, text)
            return redirect("konto_list", request.forbund.slug)
    return render(request, "accounts/konto_invite.html", {"form": form})


@forbund_view(EDITORS)
def konto_remove(request, pk):
    roll = get_object_or_404(Roll.objects.of(request.forbund).select_related("user"), pk=pk)
    own = roll.user_id == request.user.pk
    if request.method == "POST":
        try:
            deactivated = invitations.remove(roll, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            text = f"{roll.user} har inte längre någon roll i förbundet."
            if deactivated:
                text += " Kontot är avstängt, eftersom det inte har någon roll kvar."
            messages.success(request, text)
        return redirect("konto_list", request.forbund.slug)
    return render(request, "accounts/konto_remove.html", {"roll": roll, "own": own})
