"""Ten posts at once: one result, no server error, no second row (PostgreSQL).

Each test lets ten threads, each with its own session and database
connection, wait at a barrier and post at the same moment. SQLite writes one
transaction at a time and has no row locks, so these run on PostgreSQL only.
"""

import threading
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from budget.models import Avsnitt, Medlemsavgift, Verksamhetsplan
from finsam.concurrency import CONFLICT
from finsam.models import Handelse, Ledamot, Medlem, Sammantrade
from insatser.models import Insats

from .factories import MedlemsavgiftFactory
from .helpers import page_form

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs a database with row locks and parallel transactions",
    ),
    pytest.mark.django_db(transaction=True),
]

N = 10


def in_parallel(kansli, posts):
    """Post each (url, data) from its own thread and session, all at once; the responses."""
    clients = []
    for _ in posts:
        client = Client()
        client.force_login(kansli)
        clients.append(client)
    barrier = threading.Barrier(len(posts))
    results = [None] * len(posts)

    def run(i):
        try:
            barrier.wait()
            results[i] = clients[i].post(*posts[i])
        except Exception as error:  # a server error: the test says which
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(posts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def statuses(results):
    return sorted(getattr(r, "status_code", repr(r)) for r in results)


def _create_forms(forbund, heby):
    Verksamhetsplan.objects.create(forbund=forbund, year=2026)
    return {
        "medlem": (
            "/uppsala/medlemmar/ny/", {"name": "Enköpings kommun", "kind": "kommun"}, Medlem,
        ),
        "ledamot": (
            "/uppsala/styrelsen/ny/",
            {"medlem": str(heby.pk), "name": "Eva Ek", "kind": "ordinarie",
             "mandate_start": "2027-01-01", "mandate_end": "2030-12-31"},
            Ledamot,
        ),
        "sammantrade": (
            "/uppsala/sammantraden/ny/",
            {"date": "2026-10-01", "arenden-0-title": "Budget"},
            Sammantrade,
        ),
        "insats": (
            "/uppsala/insatser/ny/",
            {"name": "Lokus", "agare": str(heby.pk), "kind": "individ",
             "anslag-0-year": "2026", "anslag-0-amount": "100 000"},
            Insats,
        ),
        "avsnitt": ("/uppsala/plan/2026/avsnitt/ny/", {"title": "Lokus", "order": "20"}, Avsnitt),
    }  # fmt: skip


@pytest.mark.parametrize("name", ["medlem", "ledamot", "sammantrade", "insats", "avsnitt"])
def test_a_create_form_posted_ten_times_at_once_creates_one_row(
    client, kansli, forbund, heby, name
):
    url, values, model = _create_forms(forbund, heby)[name]
    client.force_login(kansli)
    data = {**page_form(client.get(url)), **values}

    results = in_parallel(kansli, [(url, data)] * N)

    assert statuses(results) == [302] * N
    assert model.objects.count() == (2 if model is Medlem else 1)  # Heby, and the new one
    assert len({r.url for r in results}) == 1  # every post is sent to the one row
    assert Handelse.objects.filter(action="skapad").count() == 1


def test_two_new_plan_sections_at_once_get_a_key_each(client, kansli, forbund):
    Verksamhetsplan.objects.create(forbund=forbund, year=2026)
    client.force_login(kansli)
    posts = []
    for _ in range(N):
        data = page_form(client.get("/uppsala/plan/2026/avsnitt/ny/"))
        data.update(title="Lokusgrupper", order="20")
        posts.append(("/uppsala/plan/2026/avsnitt/ny/", data))

    results = in_parallel(kansli, posts)

    assert statuses(results) == [302] * N
    keys = sorted(Avsnitt.objects.values_list("key", flat=True))
    assert len(set(keys)) == N
    assert "lokusgrupper" in keys


@pytest.fixture
def avgifter(forbund, heby, tierp):
    for medlem in (heby, tierp):
        MedlemsavgiftFactory(medlem=medlem, amount=Decimal("1000000"))


def _contributions(client, kansli, heby, tierp, amount):
    client.force_login(kansli)
    data = page_form(client.get("/uppsala/budget/2026/medlemsavgifter/"))
    data[f"medlem_{heby.pk}"] = amount
    data[f"medlem_{tierp.pk}"] = amount
    return data


def test_the_contributions_page_saved_ten_times_at_once_saves_once(
    client, kansli, heby, tierp, avgifter
):
    data = _contributions(client, kansli, heby, tierp, "1 200 000")

    results = in_parallel(kansli, [("/uppsala/budget/2026/medlemsavgifter/", data)] * N)

    assert statuses(results) == [302] * N
    assert (
        sorted(Medlemsavgift.objects.values_list("amount", flat=True)) == [Decimal("1200000")] * 2
    )
    assert Handelse.objects.filter(action="medlemsavgift 2026 ändrad").count() == 2


def test_ten_people_saving_the_contributions_at_once_one_wins(
    client, kansli, heby, tierp, avgifter
):
    posts = []
    for i in range(N):
        data = _contributions(client, kansli, heby, tierp, str(1_000_001 + i))
        posts.append(("/uppsala/budget/2026/medlemsavgifter/", data))

    results = in_parallel(kansli, posts)

    assert statuses(results) == [200] * (N - 1) + [302]
    assert all(CONFLICT in r.content.decode() for r in results if r.status_code == 200)
    amounts = list(Medlemsavgift.objects.values_list("amount", flat=True))
    assert len(amounts) == 2 and len(set(amounts)) == 1  # one person's figures, both rows


def test_ten_people_saving_the_same_member_at_once_one_wins(client, kansli, heby):
    url = f"/uppsala/medlemmar/{heby.pk}/andra/"
    client.force_login(kansli)
    posts = []
    for i in range(N):
        data = page_form(client.get(url))
        data["short_name"] = f"Heby {i}"
        posts.append((url, data))

    results = in_parallel(kansli, posts)

    assert statuses(results) == [200] * (N - 1) + [302]
    heby.refresh_from_db()
    assert heby.revision == 2
    assert Handelse.objects.filter(action="ändrad").count() == 1


def test_ten_chairs_at_once_one_is_saved(client, kansli, heby):
    client.force_login(kansli)
    posts = []
    for i in range(N):
        data = page_form(client.get("/uppsala/styrelsen/ny/"))
        data.update(
            medlem=str(heby.pk),
            name=f"Ledamot {i}",
            kind="ordinarie",
            chair_role="ordforande",
            mandate_start="2027-01-01",
            mandate_end="2030-12-31",
        )
        posts.append(("/uppsala/styrelsen/ny/", data))

    results = in_parallel(kansli, posts)

    assert statuses(results) == [200] * (N - 1) + [302]
    assert Ledamot.objects.filter(chair_role="ordforande").count() == 1
    refused = [r for r in results if r.status_code == 200]
    assert all("är redan ordförande" in r.content.decode() for r in refused)


def test_the_same_seat_from_ten_forms_at_once_is_one_seat(client, kansli, heby):
    client.force_login(kansli)
    posts = []
    for _ in range(N):
        data = page_form(client.get("/uppsala/styrelsen/ny/"))
        data.update(
            medlem=str(heby.pk),
            name="Eva Ek",
            kind="ordinarie",
            mandate_start="2027-01-01",
            mandate_end="2030-12-31",
        )
        posts.append(("/uppsala/styrelsen/ny/", data))

    results = in_parallel(kansli, posts)

    assert statuses(results) == [200] * (N - 1) + [302]
    assert Ledamot.objects.count() == 1
