"""The notice's PDF and mail: thin tasks that take ids.

`generate_kallelse_pdf` makes the PDF (finsam.documents.generate) and, when
it is done, enqueues `mail_notice`, which mails each board member with an
e-mail address a link to the meeting's page: once per meeting and seat
(KallelseUtskick), however often the notice is sent.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ..documents import DokumentError, generate
from ..models import Dokument, KallelseUtskick, Sammantrade
from .notice import load_meeting, notice_html
from .workflow import seats

logger = logging.getLogger(__name__)

PDF_TASK = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "soft_time_limit": settings.PDF_SOFT_TIME_LIMIT,
    "time_limit": settings.PDF_TIME_LIMIT,
}


def _build(dokument):
    try:
        return notice_html(load_meeting(dokument.forbund, dokument.subject_id))
    except Sammantrade.DoesNotExist:
        raise DokumentError("Sammanträdet finns inte längre.") from None


@shared_task(**PDF_TASK)
def generate_kallelse_pdf(self, dokument_id, base_url):
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    dokument = generate(dokument_id, _build, redelivered=redelivered)
    if dokument is not None and dokument.status == Dokument.Status.DONE:
        mail_notice.delay(dokument.subject_id, base_url)


def _utskick(sammantrade):
    """One row per seat with an e-mail address; a row made before is kept as it is."""
    for seat in seats(sammantrade):
        if not seat.email:
            continue
        try:
            with transaction.atomic():
                KallelseUtskick.objects.get_or_create(
                    sammantrade=sammantrade, ledamot=seat, defaults={"email": seat.email}
                )
        except IntegrityError:
            pass  # made at the same moment by another task


@shared_task
def mail_notice(sammantrade_id, base_url):
    sammantrade = Sammantrade.objects.select_related("forbund").filter(pk=sammantrade_id).first()
    if sammantrade is None:
        return
    _utskick(sammantrade)
    link = base_url.rstrip("/") + sammantrade.get_absolute_url()
    waiting = KallelseUtskick.objects.filter(sammantrade=sammantrade, sent_at__isnull=True)
    for utskick in waiting.select_related("ledamot"):
        # Claim the row first: a second task finds it sent and mails nobody twice.
        claimed = KallelseUtskick.objects.filter(pk=utskick.pk, sent_at__isnull=True).update(
            sent_at=timezone.now()
        )
        if not claimed:
            continue
        context = {"sammantrade": sammantrade, "ledamot": utskick.ledamot, "link": link}
        subject = render_to_string("finsam/meetings/mail/kallelse_subject.txt", context)
        body = render_to_string("finsam/meetings/mail/kallelse.txt", context)
        try:
            send_mail(" ".join(subject.split()), body, None, [utskick.email])
        except Exception:
            KallelseUtskick.objects.filter(pk=utskick.pk).update(sent_at=None)
            logger.exception("Kallelsen kunde inte skickas till %s", utskick.email)
            raise
