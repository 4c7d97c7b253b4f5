"""Registration numbers: ten applications sent in at the same moment get ten distinct,
gap-free numbers, and one application sent in ten times at once gets one (PostgreSQL)."""

import threading

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from finsam.models import Handelse, Lopnummer
from insatser.models import Ansokan
from tests.factories import AnsokanFactory

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs a database with row locks and parallel transactions",
    ),
    pytest.mark.django_db(transaction=True),
]

N = 10


def _in_parallel(user, urls):
    clients = []
    for _ in urls:
        client = Client()
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(len(urls))
    results = [None] * len(urls)

    def run(i):
        try:
            barrier.wait()
            results[i] = clients[i].post(urls[i])
        except Exception as error:
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(urls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_ten_at_once_get_ten_distinct_gap_free_numbers(forbund, heby, tierp, agare):
    drafts = [AnsokanFactory(forbund=forbund, agare=heby, deltagare=[tierp]) for _ in range(N)]
    results = _in_parallel(agare, [f"/uppsala/ansokningar/{a.pk}/skicka-in/" for a in drafts])
    assert [getattr(r, "status_code", repr(r)) for r in results] == [302] * N
    numbers = sorted(
        int(n.split("/")[1])
        for n in Ansokan.objects.of(forbund).values_list("diarienummer", flat=True)
    )
    assert numbers == list(range(1, N + 1))
    assert Lopnummer.objects.get(forbund=forbund, series="ansokan").last == N


def test_one_sent_in_ten_times_at_once_is_one_submission(forbund, heby, tierp, agare):
    draft = AnsokanFactory(forbund=forbund, agare=heby, deltagare=[tierp])
    results = _in_parallel(agare, [f"/uppsala/ansokningar/{draft.pk}/skicka-in/"] * N)
    assert [getattr(r, "status_code", repr(r)) for r in results] == [302] * N
    draft.refresh_from_db()
    assert draft.diarienummer.endswith("/1")
    assert Handelse.objects.filter(action="inskickad").count() == 1
    assert Lopnummer.objects.get(forbund=forbund, series="ansokan").last == 1
