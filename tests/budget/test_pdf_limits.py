"""PDFs within bounds: long words render fast, a task has a time limit, a dead worker's row is
taken over, and production refuses eager Celery."""

import time

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.checks import run_checks
from django.test import override_settings

from budget.models import Avsnitt, Verksamhetsplan
from budget.plan.content import load_plan, plan_html
from budget.tasks import generate_budget_pdf, generate_plan_pdf
from finsam.documents import MAX_ATTEMPTS, generate, queue_dokument
from finsam.models import Dokument
from finsam.pdf import ZERO_WIDTH_SPACE, breakable, render_pdf


@pytest.fixture
def plan(forbund):
    return Verksamhetsplan.objects.create(forbund=forbund, year=2026)


def test_a_10000_character_word_renders_fast(plan):
    word = "x" * 10_000
    Avsnitt.objects.create(plan=plan, key="inledning", title="Inledning", body=word)
    Avsnitt.objects.create(plan=plan, key="verksamhet", title=word[:200], body=f"- {word}")
    started = time.monotonic()
    render_pdf(plan_html(load_plan(plan.forbund, plan.pk)))
    assert time.monotonic() - started < 30  # before: over 300 s


def test_breakable_touches_only_long_words_of_the_text():
    html = '<p class="a" title="' + "t" * 60 + '">' + "y" * 50 + " kort &amp; " + "z" * 39 + "</p>"
    result = breakable(html)
    assert 'title="' + "t" * 60 + '"' in result  # attributes are left alone
    assert "y" * 20 + ZERO_WIDTH_SPACE + "y" * 20 + ZERO_WIDTH_SPACE + "y" * 10 in result
    assert "z" * 39 in result and "&amp;" in result


def test_the_print_css_breaks_long_words():
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static/css/print.css").read_text()
    assert "overflow-wrap: break-word" in css


def _queued(plan, kansli):
    return queue_dokument(
        forbund=plan.forbund, kind=Dokument.Kind.VERKSAMHETSPLAN, title="Plan",
        subject=plan, user=kansli,
    )  # fmt: skip


def test_a_render_over_the_time_limit_fails_with_a_reason(plan, kansli, media):
    dokument = _queued(plan, kansli)

    def too_slow(dokument):
        raise SoftTimeLimitExceeded()

    generate(dokument.pk, too_slow)
    dokument.refresh_from_db()
    assert dokument.status == Dokument.Status.FAILED
    assert dokument.error.startswith("Dokumentet tog för lång tid att skapa")


def test_the_pdf_tasks_have_limits_and_their_own_queue():
    from finsam.celery import app

    for task in (generate_plan_pdf, generate_budget_pdf):
        assert task.acks_late and task.reject_on_worker_lost
        assert 0 < task.soft_time_limit < task.time_limit
        assert app.amqp.router.route({}, task.name)["queue"].name == "pdf"
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.worker_max_tasks_per_child


def test_a_redelivered_task_takes_a_running_row_over(plan, kansli, media):
    dokument = _queued(plan, kansli)
    Dokument.objects.filter(pk=dokument.pk).update(status=Dokument.Status.RUNNING, attempts=1)
    build = lambda d: "<p>Plan</p>"  # noqa: E731
    assert generate(dokument.pk, build) is None  # a second delivery of a live task: skipped
    generate(dokument.pk, build, redelivered=True)
    dokument.refresh_from_db()
    assert (dokument.status, dokument.attempts) == (Dokument.Status.DONE, 2)


def test_a_task_that_keeps_dying_is_failed(plan, kansli, media):
    dokument = _queued(plan, kansli)
    Dokument.objects.filter(pk=dokument.pk).update(
        status=Dokument.Status.RUNNING, attempts=MAX_ATTEMPTS
    )
    generate(dokument.pk, lambda d: "<p>Plan</p>", redelivered=True)
    dokument.refresh_from_db()
    assert dokument.status == Dokument.Status.FAILED
    assert "avbröts 3 gånger" in dokument.error


def _deploy_warnings():
    return [m.id for m in run_checks(include_deployment_checks=True)]


def test_production_without_a_broker_is_warned_about():
    with override_settings(DEBUG=False, CELERY_BROKER_URL=""):
        assert "finsam.W001" in _deploy_warnings()
    with override_settings(DEBUG=False, CELERY_BROKER_URL="redis://127.0.0.1:6379/0"):
        assert "finsam.W001" not in _deploy_warnings()
    with override_settings(DEBUG=True, CELERY_BROKER_URL=""):
        assert "finsam.W001" not in _deploy_warnings()
