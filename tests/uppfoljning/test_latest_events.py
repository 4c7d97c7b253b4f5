"""The start page's latest events: each links to its object and says what changed."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budget.models import Avsnitt, Risk, Verksamhetsplan
from finsam.models import Handelse
from tests.factories import (
    AnslagFactory,
    BudgetFactory,
    InsatsFactory,
    LedamotFactory,
    MedlemFactory,
    SammantradeFactory,
    UserFactory,
)
from tests.helpers import form_data


def rows(response):
    """The events table as (link, subject, what) per row."""
    html = response.content.decode()
    table = html[html.index('id="senaste"') :]
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        link = re.search(r'href="([^"]+)"', cells[2])
        subject = re.sub(r"<[^>]+>", "", cells[2]).strip()
        what = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cells[3])).strip()
        found.append((link and link.group(1), subject, what))
    return found


def test_an_edit_links_to_its_object_and_names_the_fields(client, kansli, forbund, heby):
    insats = InsatsFactory(forbund=forbund, agare=heby, name="Plattform")
    AnslagFactory(insats=insats, year=2027, amount=1_000_000)
    client.force_login(kansli)
    data = form_data(client.get(f"/uppsala/insatser/{insats.pk}/andra/"), "form", "formset")
    data["name"] = "Plattform 2.0"
    data["anslag-0-amount"] = "1 200 000"
    assert client.post(f"/uppsala/insatser/{insats.pk}/andra/", data).status_code == 302

    assert rows(client.get("/uppsala/")) == [
        (f"/uppsala/insatser/{insats.pk}/", "Plattform 2.0", "Ändrad: Namn, Beviljat belopp 2027")
    ]


def test_other_events_say_what_happened_and_why(client, revisor, forbund):
    budget = BudgetFactory(forbund=forbund, year=2026, version=2)
    Handelse.record(
        forbund=forbund,
        user=None,
        subject=budget,
        action="framlagd som förslag",
        reason="Till styrelsen i november.",
        changes={"status": "Förslag"},
    )
    client.force_login(revisor)
    assert rows(client.get("/uppsala/")) == [
        (
            "/uppsala/budget/2026/?version=2",
            "Budget 2026 (version 2)",
            "Framlagd som förslag Motivering: Till styrelsen i november.",
        )
    ]


@pytest.fixture
def one_of_each(forbund):
    """An event on each kind of object the app records, oldest first."""
    heby = MedlemFactory(forbund=forbund, name="Heby kommun")
    plan = Verksamhetsplan.objects.create(forbund=forbund, year=2026)
    subjects = [
        heby,
        LedamotFactory(medlem=heby, name="Anna Berg"),
        SammantradeFactory(forbund=forbund),
        InsatsFactory(forbund=forbund, agare=heby),
        BudgetFactory(forbund=forbund, year=2026),
        plan,
        Avsnitt.objects.create(plan=plan, key="inledning", title="Inledning"),
        Risk.objects.create(plan=plan, risk="Sena rapporter", likelihood=2, consequence=3),
    ]
    for subject in subjects:
        Handelse.record(forbund=forbund, user=UserFactory(), subject=subject, action="skapad")
    return subjects


def test_each_kind_links_where_its_history_shows(client, kansli, one_of_each):
    heby, seat, meeting, insats, *_ = one_of_each
    client.force_login(kansli)
    links = [link for link, _subject, _what in rows(client.get("/uppsala/"))]
    assert links == [
        "/uppsala/plan/2026/risker/",
        "/uppsala/plan/2026/#avsnitt-inledning",
        "/uppsala/plan/2026/",
        "/uppsala/budget/2026/?version=1",
        f"/uppsala/insatser/{insats.pk}/",
        f"/uppsala/sammantraden/{meeting.pk}/",
        f"/uppsala/medlemmar/{heby.pk}/",  # a board seat: on its member's page
        f"/uppsala/medlemmar/{heby.pk}/",
    ]
    for link in links:
        assert client.get(link).status_code == 200


def test_a_deleted_object_is_named_without_a_link(client, kansli, forbund, one_of_each):
    risk = one_of_each[-1]
    risk.delete()
    client.force_login(kansli)
    assert rows(client.get("/uppsala/"))[0] == (None, "Sena rapporter", "Skapad")


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/uppsala/").status_code == 200
    return len(queries)


def test_the_links_cost_one_query_per_kind_not_per_event(client, kansli, forbund, one_of_each):
    client.force_login(kansli)
    client.get("/uppsala/")
    once = _queries(client)
    for subject in one_of_each:  # every kind again: 16 events
        Handelse.record(forbund=forbund, user=UserFactory(), subject=subject, action="ändrad")
    assert len(rows(client.get("/uppsala/"))) == 15
    assert _queries(client) == once
