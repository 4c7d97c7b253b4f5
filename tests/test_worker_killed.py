"""A worker killed mid-task: the document is taken over by the next worker, not left "Skapas".

Runs only with a broker and a database another process can reach (CI: Redis
and PostgreSQL): it starts real `celery worker` processes on the `pdf` queue,
kills the first with SIGKILL while it renders a large plan, and starts a second.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from budget.models import Avsnitt, Verksamhetsplan
from budget.tasks import start_plan_pdf
from finsam.celery import app
from finsam.models import Dokument

VISIBILITY = 2  # seconds before the dead worker's task goes back to the queue

pytestmark = pytest.mark.skipif(
    app.conf.task_always_eager or not os.environ.get("DATABASE_URL"),
    reason="needs a broker (CELERY_BROKER_URL) and a shared database (DATABASE_URL)",
)


def _worker(media, name):
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or 'localhost'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        # This test process's broker (a Redis database per pytest-xdist worker).
        "CELERY_BROKER_URL": app.conf.broker_url,
        "MEDIA_ROOT": str(media),
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
    }
    command = [
        str(Path(sys.executable).parent / "celery"),
        "-A",
        "finsam",
        "worker",
        "-Q",
        "pdf",
        "--pool=prefork",
        "-c",
        "1",
        "-n",
        f"{name}@%h",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=WARNING",
    ]
    return subprocess.Popen(
        command, env=env, cwd=settings.BASE_DIR, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _wait(dokument, statuses, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        dokument.refresh_from_db()
        if dokument.status in statuses:
            return dokument
        time.sleep(0.1)
    raise AssertionError(f"Dokument {dokument.pk} is still {dokument.status}")


def _stop(process, sig=signal.SIGTERM):
    if process.poll() is None:
        os.killpg(process.pid, sig)
        process.wait(timeout=60)


@pytest.fixture
def large_plan(forbund):
    """A plan of some fifty pages: long enough to be killed in the middle of."""
    plan = Verksamhetsplan.objects.create(forbund=forbund, year=2026)
    paragraph = "Samordningsförbundet stöder samverkan mellan parterna. " * 60
    Avsnitt.objects.bulk_create(
        Avsnitt(plan=plan, key=f"avsnitt-{i}", title=f"Avsnitt {i}", order=i,
                body="\n\n".join([paragraph] * 12))
        for i in range(4)
    )  # fmt: skip
    return plan


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_leaves_a_document_that_is_retried(large_plan, kansli, tmp_path):
    media = tmp_path / "media"
    first = _worker(media, "first")
    second = None
    try:
        dokument = start_plan_pdf(large_plan, user=kansli)
        _wait(dokument, {Dokument.Status.RUNNING}, timeout=60)
        _stop(first, signal.SIGKILL)  # mid-render: no chance to mark anything
        dokument.refresh_from_db()
        assert dokument.status == Dokument.Status.RUNNING
        assert dokument.attempts == 1
        time.sleep(VISIBILITY + 1)  # the broker hands the unacknowledged task out again
        second = _worker(media, "second")
        _wait(dokument, {Dokument.Status.DONE, Dokument.Status.FAILED}, timeout=180)
        assert dokument.status == Dokument.Status.DONE, dokument.error
        assert dokument.attempts == 2
        assert (media / dokument.file.name).exists()
    finally:
        _stop(first, signal.SIGKILL)
        if second is not None:
            _stop(second)
