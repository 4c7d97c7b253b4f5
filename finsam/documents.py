"""Generated documents: queue a Dokument row, then make its PDF in a task.

The page that asks calls `queue_dokument` (a row with status "queued") and
enqueues a thin task; the task calls `generate(dokument_id, build_html)`,
which moves the row to "running" and then to "done" with its file and
checksum, or to "failed" with a Swedish reason. A row is never left
"running" by an exception. A document archived as PDF/A is made once.
"""

import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify

from .models import Dokument, Forbund
from .pdf import PdfError, render_pdf

logger = logging.getLogger(__name__)

Status = Dokument.Status

# A task delivered again after its worker died takes its "running" row over,
# this many times in all; then the document is failed (it may be what kills).
MAX_ATTEMPTS = 3


class DokumentError(Exception):
    """A document cannot be queued or built; the message is Swedish, for the user."""


class TooManyAttempts(DokumentError):
    def __init__(self, attempts):
        super().__init__(
            f"Dokumentet kunde inte skapas: arbetet avbröts {attempts} gånger innan det "
            "blev klart. Försök igen; kvarstår felet, kontakta den som förvaltar systemet."
        )


def of_subject(subject, kind=None):
    """The documents made from one subject (a plan, a budget), newest first."""
    documents = Dokument.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    )
    return documents.filter(kind=kind) if kind else documents


def archived_copy(subject, kind):
    """The subject's archived (PDF/A) document that is done or on its way, or None."""
    return (
        of_subject(subject, kind)
        .filter(archived=True)
        .exclude(status=Status.FAILED)
        .order_by("-version")
        .first()
    )


@transaction.atomic
def queue_dokument(*, forbund, kind, title, subject, user, archived=False):
    """A new queued version of a document; refused once an archived copy exists.

    The version counts up per förbund, kind and title ("Verksamhetsplan och
    budget 2026" v1, v2, ...), so every version has its own file name.
    """
    Forbund.objects.select_for_update().filter(pk=forbund.pk).first()  # one at a time
    if archived and (existing := archived_copy(subject, kind)):
        raise DokumentError(
            f"{subject} är fastställd och redan arkiverad som PDF/A (version "
            f"{existing.version}). Ett arkiverat dokument skapas inte om och ändras aldrig."
        )
    previous = Dokument.objects.of(forbund).filter(kind=kind, title=title)
    version = (previous.aggregate(v=Max("version"))["v"] or 0) + 1
    return Dokument.objects.create(
        forbund=forbund,
        kind=kind,
        title=title,
        version=version,
        archived=archived,
        created_by=user,
        subject=subject,
    )


def download_name(dokument):
    """`verksamhetsplan-och-budget-2026-v3.pdf`."""
    return f"{slugify(dokument.title)}-v{dokument.version}.pdf"


def generate(dokument_id, build_html, *, redelivered=False):
    """Make the queued document's PDF from `build_html(dokument)`; returns the row.

    Returns None when the row is gone or no longer queued (a task delivered
    twice does the work once). A task `redelivered` by the broker because its
    worker died mid-task takes the row over from "running", up to MAX_ATTEMPTS.
    """
    claimable = [Status.QUEUED, Status.RUNNING] if redelivered else [Status.QUEUED]
    claimed = Dokument.objects.filter(pk=dokument_id, status__in=claimable).update(
        status=Status.RUNNING, attempts=F("attempts") + 1, started_at=timezone.now()
    )
    if not claimed:
        logger.warning("Dokument %s finns inte eller står inte i kö; hoppar över.", dokument_id)
        return None
    dokument = Dokument.objects.select_related("forbund").get(pk=dokument_id)
    if dokument.attempts > MAX_ATTEMPTS:
        _fail(dokument, TooManyAttempts(dokument.attempts - 1))
        return dokument
    try:
        with transaction.atomic():  # a failing query cannot spoil the saving of the failure
            html = build_html(dokument)
        pdf = render_pdf(html, pdf_a=dokument.archived)
        name = f"{dokument.forbund.slug}-{download_name(dokument)}"
        dokument.file.save(name, ContentFile(pdf), save=False)
        dokument.checksum = Dokument.sha256(pdf)
        dokument.status = Status.DONE
        dokument.error = ""
        dokument.finished_at = timezone.now()
        dokument.save(update_fields=["file", "checksum", "status", "error", "finished_at"])
    except BaseException as exc:
        _fail(dokument, exc)
        if not isinstance(exc, Exception):
            raise  # the worker is stopping: the row says so, the stop goes on
    return dokument


def _fail(dokument, exc):
    logger.exception("Dokument %s kunde inte skapas", dokument.pk)
    if dokument.file:
        dokument.file.delete(save=False)
    dokument.status = Status.FAILED
    dokument.error = failure_message(exc)
    dokument.checksum = ""
    dokument.finished_at = timezone.now()
    Dokument.objects.filter(pk=dokument.pk).update(
        status=dokument.status,
        error=dokument.error,
        file="",
        checksum="",
        finished_at=dokument.finished_at,
    )


def failure_message(exc):
    if isinstance(exc, SoftTimeLimitExceeded):
        minutes = max(1, round(settings.PDF_SOFT_TIME_LIMIT / 60))
        return (
            f"Dokumentet tog för lång tid att skapa (mer än {minutes} minuter) och avbröts. "
            "Korta ned mycket långa texter och försök igen; kvarstår felet, kontakta den "
            "som förvaltar systemet."
        )
    if isinstance(exc, PdfError):
        return f"PDF:en kunde inte skapas: {exc}"
    if isinstance(exc, DokumentError):
        return str(exc)
    return (
        f"Ett oväntat fel inträffade när dokumentet skapades ({type(exc).__name__}). "
        "Försök igen; kvarstår felet, kontakta den som förvaltar systemet."
    )
