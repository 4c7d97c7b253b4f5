"""The periodic jobs twice at once (PostgreSQL): nothing is created or mailed twice."""

import datetime
import threading

import pytest
from django.conf import settings
from django.db import connections

from finsam.models import Roll
from tests.factories import InsatsFactory, RollFactory, UserFactory
from uppfoljning.models import Paminnelse, Rapport
from uppfoljning.rapporter.reminders import send_reminders
from uppfoljning.rapporter.schedule import create_due_reports

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs a database with parallel transactions",
    ),
    pytest.mark.django_db(transaction=True),
]

TODAY = datetime.date(2026, 5, 2)


def twice_at_once(job):
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            job(TODAY)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_create_due_reports_twice_in_parallel():
    insatser = [InsatsFactory(start=datetime.date(2025, 1, 1), end=None) for _ in range(5)]
    Rapport.objects.all().delete()
    twice_at_once(create_due_reports)
    for insats in insatser:
        assert Rapport.objects.filter(insats=insats).count() == 6  # 2025 Q1 .. 2026 Q2


def test_reminders_twice_in_parallel(mailoutbox):
    insats = InsatsFactory(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31))
    RollFactory(
        forbund=insats.forbund,
        kind=Roll.Kind.INSATSAGARE,
        medlem=insats.agare,
        user=UserFactory(email="agare@example.se"),
    )
    twice_at_once(send_reminders)
    assert Paminnelse.objects.count() == 1  # Q1 is late: one reminder
    assert len(mailoutbox) == 1
