"""Shared fixtures: a förbund with a user per role, and another förbund beside it.

`forbund` is "uppsala" so that view tests read as literal URLs
(`client.get("/uppsala/insatser/")`); `other_forbund` is "gavle", whose
users must see none of Uppsala's pages.
"""

import contextlib
import email
import email.policy
import os
import socket
import threading
from urllib.parse import urlsplit, urlunsplit

import pytest
from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.db import connections
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp import models as totp_models

from finsam.celery import app
from finsam.models import Medlem, Roll

from .factories import ForbundFactory, MedlemFactory, RollFactory


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """A fast password hasher; plain HTTP to a server without collected static files.

    With DATABASE_URL set (CI on PostgreSQL) the production rules apply:
    these are the only ones a test server cannot follow.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": f"{StaticFilesStorage.__module__}.StaticFilesStorage"},
    }


@pytest.fixture
def forbund(db):
    return ForbundFactory(slug="uppsala", name="Samordningsförbundet Uppsala län")


@pytest.fixture
def other_forbund(db):
    return ForbundFactory(slug="gavle", name="Samordningsförbundet Gävle")


@pytest.fixture
def heby(forbund):
    return MedlemFactory(forbund=forbund, name="Heby kommun", short_name="Heby")


@pytest.fixture
def tierp(forbund):
    return MedlemFactory(forbund=forbund, name="Tierps kommun", short_name="Tierp")


@pytest.fixture
def region(forbund):
    return MedlemFactory(forbund=forbund, name="Region Uppsala", kind=Medlem.Kind.REGION)


def _user_with(forbund, kind, medlem=None):
    return RollFactory(forbund=forbund, kind=kind, medlem=medlem).user


@pytest.fixture
def kansli(forbund):
    return _user_with(forbund, Roll.Kind.KANSLI)


@pytest.fixture
def styrelse(forbund):
    return _user_with(forbund, Roll.Kind.STYRELSE)


@pytest.fixture
def revisor(forbund):
    return _user_with(forbund, Roll.Kind.REVISOR)


@pytest.fixture
def agare(forbund, heby):
    """An insatsägare at Heby kommun."""
    return _user_with(forbund, Roll.Kind.INSATSAGARE, medlem=heby)


@pytest.fixture
def other_agare(forbund, tierp):
    """An insatsägare at Tierps kommun, in the same förbund."""
    return _user_with(forbund, Roll.Kind.INSATSAGARE, medlem=tierp)


@pytest.fixture
def outsider(other_forbund):
    """Kansli of another förbund."""
    return _user_with(other_forbund, Roll.Kind.KANSLI)


@pytest.fixture
def roles(kansli, styrelse, revisor, agare):
    return {"kansli": kansli, "styrelse": styrelse, "revisor": revisor, "insatsagare": agare}


# A real Celery worker for the document tasks, and a media folder per test.
#
# With a broker (CI: CELERY_BROKER_URL on Redis) `celery_worker` starts an
# embedded worker thread (celery.contrib.testing.worker.start_worker) on that
# broker, so a task travels through Redis and runs outside the test's thread;
# the test then waits for the Dokument row. The worker reads committed rows
# only, hence `transactional_db`. Without a broker (the embedded mode) tasks
# run eagerly at the commit and the fixture starts nothing.


@pytest.fixture(scope="session", autouse=True)
def _broker_per_xdist_worker():
    """Each pytest-xdist worker gets its own Redis database as broker.

    Otherwise one worker's embedded Celery worker would take another's tasks
    and run them against the wrong test database.
    """
    # Read from the environment: the worker_id fixture is missing under `-p no:xdist`.
    worker_id = os.environ.get("PYTEST_XDIST_WORKER", "master")
    if app.conf.task_always_eager or worker_id == "master":
        return
    number = 10 + int(worker_id.removeprefix("gw"))
    app.conf.broker_url = urlunsplit(urlsplit(app.conf.broker_url)._replace(path=f"/{number}"))


@pytest.fixture
def eager_tasks(request, monkeypatch):
    """Celery tasks run in the test's own thread, at the commit.

    For tests of what a document or mail holds. How a task travels (a real
    worker on Redis, on CI) is tested where `celery_worker` is asked for; a
    test that asks for it keeps the real path.
    """
    if "celery_worker" in request.fixturenames:
        return
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


def _close_worker_connections(**kwargs):
    # The worker thread's own database connection must not outlive the test:
    # the test database is flushed and dropped after it.
    connections.close_all()


def _purge_stale_tasks():
    """Drop tasks left in this pytest worker's broker by earlier tests that ran none
    (a demo load, say): the test's own worker must not spend its time on them, or
    run them against rows that are gone."""
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        for queue in ("celery", "pdf"):
            # A queue that was never declared has nothing to drop.
            with contextlib.suppress(Exception):
                channel.queue_purge(queue)


@pytest.fixture
def celery_worker(transactional_db, media):
    if app.conf.task_always_eager:
        yield None
        return
    _purge_stale_tasks()
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with start_worker(
            app,
            pool="solo",
            perform_ping_check=False,
            loglevel="WARNING",
            shutdown_timeout=30,
            queues=["celery", "pdf"],  # the PDF tasks have a queue of their own
        ) as worker:
            yield worker
    finally:
        task_postrun.disconnect(_close_worker_connections)


# Mail over SMTP to a real test server (aiosmtpd on 127.0.0.1), whose inbox
# the test reads. The mail tasks run eagerly at the commit, or in the
# `celery_worker` thread on CI; `inbox.wait_for(n)` waits for either.


class Inbox:
    def __init__(self):
        self.messages = []
        self._changed = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self._changed:
            self.messages.append(message)
            self._changed.notify_all()
        return "250 OK"

    def wait_for(self, count=1, timeout=60):
        """The first `count` messages, once they have arrived."""
        with self._changed:
            arrived = self._changed.wait_for(lambda: len(self.messages) >= count, timeout)
        assert arrived, f"expected {count} mail(s), got {len(self.messages)}"
        return self.messages[:count]

    def wait_for_mail_to(self, address, subject="", timeout=60):
        """The first message to `address` (with `subject` in its subject), once it has
        arrived; other mail may come too (the demo's letters, sent by the worker)."""

        def found():
            return next(
                (m for m in self.messages if address in m["To"] and subject in m["Subject"]),
                None,
            )

        with self._changed:
            self._changed.wait_for(found, timeout)
            message = found()
        assert message is not None, f"no mail to {address}; got {[m['To'] for m in self.messages]}"
        return message


def mail_body(message):
    return message.get_body(("plain",)).get_content()


@pytest.fixture
def smtp_inbox(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "finsam@example.se"
    try:
        yield inbox
    finally:
        controller.stop()


# Two-factor codes at a fixed time: django-otp's TOTP reads this clock.


class TotpClock:
    def __init__(self, now):
        self.now = now

    def time(self):
        return self.now

    def code(self, key, step=30, t0=0, digits=6):
        totp = TOTP(key, step, t0, digits)
        totp.time = self.now
        return f"{totp.token():0{digits}d}"

    def tick(self, seconds=30):
        self.now += seconds


@pytest.fixture
def totp_clock(monkeypatch, settings):
    # django-otp's pause after a wrong code runs on the real clock; axes limits tries here.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    clock = TotpClock(1_795_000_000.0)  # 2026-11-18, a fixed moment
    monkeypatch.setattr(totp_models, "time", clock)
    return clock
