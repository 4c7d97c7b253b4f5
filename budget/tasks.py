"""The plan's and the budget table's PDFs: thin tasks that take a Dokument id.

`start_plan_pdf` and `start_budget_pdf` queue the Dokument row and enqueue
the task when the row is committed (`delay_on_commit`); the task loads the
subject, builds the HTML and leaves the rest to finsam.documents.generate.
An adopted plan or budget is made as PDF/A and archived, once.
"""

from celery import shared_task
from django.conf import settings
from django.db import transaction

from finsam.documents import DokumentError, generate, queue_dokument
from finsam.models import Dokument

from .models import Budget, Verksamhetsplan
from .plan.content import budget_html, is_adopted, load_budget, load_plan, plan_html

# Acknowledged when done, not when received: a worker killed mid-task (out of
# memory, a deploy) leaves the task in the queue for the next worker, which
# takes the "running" Dokument over (finsam.documents.generate).
PDF_TASK = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "soft_time_limit": settings.PDF_SOFT_TIME_LIMIT,
    "time_limit": settings.PDF_TIME_LIMIT,
}


def _redelivered(task):
    return bool((task.request.delivery_info or {}).get("redelivered"))


@shared_task(**PDF_TASK)
def generate_plan_pdf(self, dokument_id):
    build = lambda dokument: plan_html(_subject(dokument, load_plan))  # noqa: E731
    generate(dokument_id, build, redelivered=_redelivered(self))


@shared_task(**PDF_TASK)
def generate_budget_pdf(self, dokument_id):
    build = lambda dokument: budget_html(_subject(dokument, load_budget))  # noqa: E731
    generate(dokument_id, build, redelivered=_redelivered(self))


def _subject(dokument, load):
    try:
        return load(dokument.forbund, dokument.subject_id)
    except (Verksamhetsplan.DoesNotExist, Budget.DoesNotExist):
        raise DokumentError("Underlaget till dokumentet finns inte längre.") from None


@transaction.atomic
def start_plan_pdf(plan, *, user):
    dokument = queue_dokument(
        forbund=plan.forbund,
        kind=Dokument.Kind.VERKSAMHETSPLAN,
        title=f"Verksamhetsplan och budget {plan.year}",
        subject=plan,
        user=user,
        archived=is_adopted(plan),
    )
    generate_plan_pdf.delay_on_commit(dokument.pk)
    return dokument


@transaction.atomic
def start_budget_pdf(budget, *, user):
    dokument = queue_dokument(
        forbund=budget.forbund,
        kind=Dokument.Kind.BUDGETTABELL,
        title=f"Budgettabell {budget.year}",
        subject=budget,
        user=user,
        archived=budget.is_frozen,
    )
    generate_budget_pdf.delay_on_commit(dokument.pk)
    return dokument
