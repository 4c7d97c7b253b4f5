"""The mail of accounts, sent by Celery through Django's mail API.

Thin tasks: they take ids (and the site's address, which only the request
knows), load, render and send. Callers enqueue them with `delay_on_commit`.
A link token is made in the task, so that no secret travels through the broker.
"""

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from finsam.models import Roll, User


def _link(base_url, name, user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse(name, args=[uid, token])


def _send(template, context, user):
    context = {**context, "user": user, "days": settings.PASSWORD_RESET_TIMEOUT // 86400}
    subject = render_to_string(f"accounts/mail/{template}_subject.txt", context)
    body = render_to_string(f"accounts/mail/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def _roll(roll_id):
    return Roll.objects.select_related("user", "forbund", "medlem").filter(pk=roll_id).first()


@shared_task
def send_invitation(roll_id, base_url):
    roll = _roll(roll_id)
    if roll is None or not roll.user.is_active:  # removed before the mail went out
        return
    link = _link(base_url, "invitation_confirm", roll.user)
    _send("invitation", {"roll": roll, "link": link}, roll.user)


@shared_task
def send_role_added(roll_id, base_url):
    roll = _roll(roll_id)
    if roll is None:
        return
    link = base_url.rstrip("/") + reverse("home", args=[roll.forbund.slug])
    _send("role_added", {"roll": roll, "link": link}, roll.user)


@shared_task
def send_password_reset(user_id, base_url):
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return
    _send("password_reset", {"link": _link(base_url, "password_reset_confirm", user)}, user)
