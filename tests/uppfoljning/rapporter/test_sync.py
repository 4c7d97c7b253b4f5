"""The reports not yet started follow an insats's dates when it is edited."""

import datetime

import pytest

from tests.factories import InsatsFactory
from tests.helpers import form_data
from uppfoljning.models import Rapport
from uppfoljning.rapporter.schedule import sync_reports_for

d = datetime.date
TODAY = d(2026, 11, 23)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


def rows(insats):
    return list(
        Rapport.objects.filter(insats=insats)
        .order_by("kind", "period_start")
        .values_list("kind", "period_start", "period_end", "status")
    )


@pytest.fixture
def insats(forbund, heby):
    """Quarterly reports (30 days to report), 2026-01-01 to 2026-12-31."""
    forbund.report_due_days = 30
    forbund.save()
    return InsatsFactory(forbund=forbund, agare=heby, start=d(2026, 1, 1), end=d(2026, 12, 31))


def test_a_shorter_insats_loses_its_due_reports_but_keeps_the_started_ones(insats):
    # Q2 is a draft, Q3 is sent in: both stay whatever the dates say.
    Rapport.objects.filter(insats=insats, period_start=d(2026, 4, 1)).update(status="utkast")
    Rapport.objects.filter(insats=insats, period_start=d(2026, 7, 1)).update(status="inskickad")

    insats.end = d(2026, 3, 31)
    insats.save()

    assert rows(insats) == [
        ("kvartal", d(2026, 4, 1), d(2026, 6, 30), "utkast"),
        ("kvartal", d(2026, 7, 1), d(2026, 9, 30), "inskickad"),
        # Q1 is now covered by the final report, which ends with the insats
        ("slut", d(2026, 1, 1), d(2026, 3, 31), "due"),
    ]
    assert Rapport.objects.get(insats=insats, kind="slut").due_date == d(2026, 4, 30)


def test_a_longer_insats_gets_the_reports_of_its_new_periods(insats):
    insats.end = d(2027, 6, 30)
    insats.save()

    assert [(k, start) for k, start, *_ in rows(insats)] == [
        ("kvartal", d(2026, 1, 1)),
        ("kvartal", d(2026, 4, 1)),
        ("kvartal", d(2026, 7, 1)),
        ("kvartal", d(2026, 10, 1)),  # was the final report's period
        ("kvartal", d(2027, 1, 1)),
        ("slut", d(2026, 1, 1)),
    ]
    slut = Rapport.objects.get(insats=insats, kind="slut")
    assert (slut.period_end, slut.due_date) == (d(2027, 6, 30), d(2027, 7, 30))


def test_a_later_start_removes_the_due_reports_before_it(insats):
    Rapport.objects.filter(insats=insats, kind="slut").update(status="utkast")

    insats.start = d(2026, 7, 1)
    insats.save()

    assert rows(insats) == [
        ("kvartal", d(2026, 7, 1), d(2026, 9, 30), "due"),
        ("slut", d(2026, 1, 1), d(2026, 12, 31), "utkast"),  # started: untouched
        ("slut", d(2026, 7, 1), d(2026, 12, 31), "due"),
    ]


def test_syncing_twice_changes_nothing_the_second_time(insats):
    insats.end = d(2026, 6, 30)
    insats.save()
    before = rows(insats)

    assert sync_reports_for(insats) == (0, 0, 0)
    assert rows(insats) == before


def test_a_status_only_save_and_an_ended_insats_leave_the_reports_alone(insats):
    before = rows(insats)
    insats.end = d(2026, 3, 31)
    insats.save(update_fields=["status"])  # the dates are not saved: nothing to follow
    insats.status = "avslutad"
    insats.save()

    assert rows(insats) == before


def test_kansli_edits_the_end_date_and_the_reports_follow(client, kansli, insats):
    client.force_login(kansli)
    url = f"/uppsala/insatser/{insats.pk}/andra/"
    data = form_data(client.get(url), "form", "formset")
    data["end"] = "2026-06-30"

    response = client.post(url, data)

    assert response.status_code == 302
    assert [(k, start, end) for k, start, end, _ in rows(insats)] == [
        ("kvartal", d(2026, 1, 1), d(2026, 3, 31)),
        ("slut", d(2026, 1, 1), d(2026, 6, 30)),
    ]
