"""The minutes' PDF: a thin task that takes a Dokument id (see budget/tasks.py)."""

from celery import shared_task
from django.conf import settings

from finsam.documents import DokumentError, generate
from finsam.models import Protokoll

from .content import minutes_html

PDF_TASK = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "soft_time_limit": settings.PDF_SOFT_TIME_LIMIT,
    "time_limit": settings.PDF_TIME_LIMIT,
}


def build(dokument):
    protokoll = (
        Protokoll.objects.of(dokument.forbund)
        .select_related("sammantrade__forbund", "ordforande")
        .filter(pk=dokument.subject_id)
        .first()
    )
    if protokoll is None:
        raise DokumentError("Underlaget till dokumentet finns inte längre.")
    return minutes_html(protokoll.sammantrade, protokoll, archived=dokument.archived)


@shared_task(**PDF_TASK)
def generate_minutes_pdf(self, dokument_id):
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    generate(dokument_id, build, redelivered=redelivered)
