"""The report form and kansli's buttons posted ten times at once (PostgreSQL): one submit,
one approval, no server error, nothing saved twice."""

import datetime

import pytest
from django.conf import settings
from django.test import Client

from finsam.models import Handelse
from tests.factories import InsatsFactory
from tests.helpers import form_data
from tests.test_parallel import in_parallel, statuses
from uppfoljning.models import Deltagarantal, Rapport

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs a database with row locks and parallel transactions",
    ),
    pytest.mark.django_db(transaction=True),
]

N = 10
COMPLETE = {
    "avslutade_women": "1",
    "till_arbete_women": "1",
    "jamstalldhet": "Vi följer kvinnors och mäns deltagande.",
}


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(
        "uppfoljning.rapporter.views.current_date", lambda: datetime.date(2026, 5, 10)
    )


@pytest.fixture
def rapport(forbund, heby):
    insats = InsatsFactory(forbund=forbund, agare=heby, start=datetime.date(2026, 1, 1))
    return Rapport.objects.get(insats=insats, kind="kvartal", period_start=insats.start)


def events(rapport, action):
    rows = Handelse.objects.filter(subject_id=rapport.pk, subject_type__model="rapport")
    return rows.filter(action=action).count()


def shown(user, rapport):
    client = Client()
    client.force_login(user)
    return form_data(client.get(f"/uppsala/rapporter/{rapport.pk}/andra/"), "form")


def test_the_same_submit_ten_times_at_once_submits_once(agare, rapport):
    data = {**shown(agare, rapport), **COMPLETE, "skicka_in": "1"}
    results = in_parallel(agare, [(f"/uppsala/rapporter/{rapport.pk}/andra/", data)] * N)
    assert statuses(results) == [302] * N
    rapport.refresh_from_db()
    assert rapport.status == "inskickad" and rapport.diarienummer
    assert events(rapport, "inskickad") == 1 and events(rapport, "utkast sparat") == 1
    assert Deltagarantal.objects.filter(rapport=rapport, category="avslutade").count() == 1


def test_ten_browsers_saving_the_same_revision_one_wins(agare, rapport):
    posts = []
    for n in range(N):
        data = {**shown(agare, rapport), "nya_women": str(n + 1)}
        posts.append((f"/uppsala/rapporter/{rapport.pk}/andra/", data))
    results = in_parallel(agare, posts)
    assert statuses(results) == [200] * (N - 1) + [302]
    assert events(rapport, "utkast sparat") == 1
    assert Deltagarantal.objects.filter(rapport=rapport, category="nya").count() == 1


def test_approve_ten_times_at_once_approves_once(agare, kansli, rapport):
    client = Client()
    client.force_login(agare)
    data = {**shown(agare, rapport), **COMPLETE, "skicka_in": "1"}
    assert client.post(f"/uppsala/rapporter/{rapport.pk}/andra/", data).status_code == 302
    results = in_parallel(kansli, [(f"/uppsala/rapporter/{rapport.pk}/godkann/", {})] * N)
    assert statuses(results) == [302] * N
    rapport.refresh_from_db()
    assert rapport.status == "godkand" and events(rapport, "godkänd") == 1
