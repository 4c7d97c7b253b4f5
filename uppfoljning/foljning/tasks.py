"""The "Uppföljning till styrelsen" PDF: a thin task that takes a Dokument id and the period.

The document's subject is the förbund (the follow-up covers all of it); its
period is in its title and travels with the task.
"""

from celery import shared_task
from django.db import transaction

from budget.tasks import PDF_TASK, _redelivered
from finsam.documents import generate, queue_dokument
from finsam.models import Dokument

from . import indicators
from .document import followup_html


@shared_task(**PDF_TASK)
def generate_uppfoljning_pdf(self, dokument_id, year, period):
    def build(dokument):
        chosen = indicators.Period.of(year, period, indicators.current_date())
        return followup_html(dokument.forbund, chosen, title=dokument.title)

    generate(dokument_id, build, redelivered=_redelivered(self))


def title_of(period):
    return f"Uppföljning till styrelsen {period.year}, {period.name}"


@transaction.atomic
def start_uppfoljning_pdf(forbund, period, *, user):
    dokument = queue_dokument(
        forbund=forbund,
        kind=Dokument.Kind.UPPFOLJNING,
        title=title_of(period),
        subject=forbund,
        user=user,
    )
    generate_uppfoljning_pdf.delay_on_commit(dokument.pk, period.year, period.key)
    return dokument
