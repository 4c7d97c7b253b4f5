"""Reminders to the insatsägare's contacts: before a report is due and when it is late.

Once per report and step: the Paminnelse row is inserted in the same transaction
as the mail is sent, under a unique constraint. A second run (beat firing twice,
two workers) meets the row, or waits for it on PostgreSQL and then meets it, and
sends nothing. A mail that fails rolls its row back, so the next run tries again.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from finsam.models import Roll

from ..models import Paminnelse, Rapport

logger = logging.getLogger(__name__)

OPEN = [Rapport.Status.DUE, Rapport.Status.UTKAST, Rapport.Status.ATERFORVISAD]


def days_before():
    return getattr(settings, "REPORT_REMINDER_DAYS_BEFORE", 7)


def contacts(insats):
    """The active users with an e-mail who are insatsägare for the insats's owner."""
    rollar = Roll.objects.filter(
        forbund_id=insats.forbund_id,
        kind=Roll.Kind.INSATSAGARE,
        medlem_id=insats.agare_id,
        user__is_active=True,
    ).select_related("user")
    return sorted({r.user.email for r in rollar if r.user.email})


def pending(today):
    """(rapport, step) pairs that a reminder is owed for on `today`."""
    soon = today + datetime.timedelta(days=days_before())
    base = Rapport.objects.filter(status__in=OPEN).select_related(
        "insats__forbund", "insats__agare"
    )
    for rapport in base.filter(due_date__gte=today, due_date__lte=soon).exclude(
        paminnelser__step=Paminnelse.Step.FORE
    ):
        yield rapport, Paminnelse.Step.FORE
    for rapport in base.filter(due_date__lt=today).exclude(paminnelser__step=Paminnelse.Step.SEN):
        yield rapport, Paminnelse.Step.SEN


def _send(rapport, step, recipients, today):
    context = {
        "rapport": rapport,
        "insats": rapport.insats,
        "late": step == Paminnelse.Step.SEN,
        "days_left": (rapport.due_date - today).days,
        "path": reverse("home", args=[rapport.insats.forbund.slug]),
        "site_url": getattr(settings, "SITE_URL", "").rstrip("/"),
    }
    subject = render_to_string("uppfoljning/rapporter/mail/paminnelse_subject.txt", context)
    body = render_to_string("uppfoljning/rapporter/mail/paminnelse.txt", context)
    send_mail(" ".join(subject.split()), body, None, recipients)


def send_reminder(rapport, step, today):
    """Send one reminder unless it was sent; True if this call sent it."""
    recipients = contacts(rapport.insats)
    if not recipients:
        return False  # nobody to tell yet: try again on the next run
    try:
        with transaction.atomic():
            Paminnelse.objects.create(rapport=rapport, step=step, recipients=len(recipients))
            _send(rapport, step, recipients, today)
    except IntegrityError:
        return False  # another run sent it
    except Exception:  # the mail failed: its row is rolled back, the next run tries again
        logger.exception("reminder for report %s (%s) not sent", rapport.pk, step)
        return False
    return True


def send_reminders(today=None):
    """Send every reminder owed today; the number sent."""
    today = today or timezone.localdate()
    return sum(send_reminder(rapport, step, today) for rapport, step in list(pending(today)))
