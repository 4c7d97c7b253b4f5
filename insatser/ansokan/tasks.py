"""The applicant's mail: a request for completion, sent by Celery through Django's mail API.

Thin task: it takes ids and the site's address, loads, renders and sends to
the application's contact person and the insatsägare users of its member.
"""

from celery import shared_task
from django.core.mail import send_mail
from django.template.loader import render_to_string

from finsam.models import Roll

from ..models import Komplettering


def recipients(ansokan):
    """The contact person and every insatsägare of the applying member, once each."""
    users = Roll.objects.filter(
        forbund=ansokan.forbund_id, kind=Roll.Kind.INSATSAGARE, medlem=ansokan.agare_id
    ).values_list("user__email", flat=True)
    found = [ansokan.contact_email, *users]
    return list(dict.fromkeys(e for e in found if e))


@shared_task
def send_completion_request(komplettering_id, base_url):
    request = (
        Komplettering.objects.select_related("ansokan__forbund", "ansokan__agare")
        .filter(pk=komplettering_id)
        .first()
    )
    if request is None:
        return
    ansokan = request.ansokan
    to = recipients(ansokan)
    if not to:
        return
    context = {
        "ansokan": ansokan,
        "begaran": request,
        "link": base_url.rstrip("/") + ansokan.get_absolute_url(),
    }
    subject = render_to_string("insatser/ansokan/mail/komplettering_subject.txt", context)
    body = render_to_string("insatser/ansokan/mail/komplettering.txt", context)
    send_mail(" ".join(subject.split()), body, None, to)
