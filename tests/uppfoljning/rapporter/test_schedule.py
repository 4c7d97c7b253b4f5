import datetime

import pytest

from finsam.models import Forbund
from tests.factories import ForbundFactory, InsatsFactory
from uppfoljning.models import Rapport
from uppfoljning.rapporter.schedule import create_due_reports, create_reports_for, schedule

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 10)


def rows(insats):
    return list(
        Rapport.objects.filter(insats=insats)
        .order_by("period_start", "kind")
        .values_list("kind", "period_start", "period_end", "due_date")
    )


def test_quarterly_schedule_with_final_report():
    forbund = ForbundFactory(report_due_days=30)
    insats = InsatsFactory.build(
        forbund=forbund, start=datetime.date(2026, 2, 15), end=datetime.date(2026, 11, 30)
    )
    got = [(r.kind, r.period_start, r.period_end, r.due_date) for r in schedule(insats, TODAY)]
    d = datetime.date
    assert got == [
        ("kvartal", d(2026, 1, 1), d(2026, 3, 31), d(2026, 4, 30)),
        ("kvartal", d(2026, 4, 1), d(2026, 6, 30), d(2026, 7, 30)),
        ("kvartal", d(2026, 7, 1), d(2026, 9, 30), d(2026, 10, 30)),
        # Q4 is covered by the final report
        ("slut", d(2026, 2, 15), d(2026, 11, 30), d(2026, 12, 30)),
    ]


def test_half_yearly_schedule_without_end_runs_to_today():
    forbund = ForbundFactory(report_interval=Forbund.ReportInterval.HALVAR, report_due_days=45)
    insats = InsatsFactory.build(forbund=forbund, start=datetime.date(2025, 3, 1), end=None)
    got = [(r.kind, r.period_start, r.due_date) for r in schedule(insats, TODAY)]
    d = datetime.date
    assert got == [
        ("halvar", d(2025, 1, 1), d(2025, 8, 14)),
        ("halvar", d(2025, 7, 1), d(2026, 2, 14)),
        ("halvar", d(2026, 1, 1), d(2026, 8, 14)),
    ]


def test_no_start_no_reports():
    insats = InsatsFactory.build(forbund=ForbundFactory(), start=None, end=None)
    assert schedule(insats, TODAY) == []


def test_new_insats_gets_its_reports_on_creation():
    insats = InsatsFactory(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31))
    kinds = [k for k, *_ in rows(insats)]
    assert kinds == ["kvartal", "slut", "kvartal", "kvartal"]  # slut starts on Jan 1 too


def test_periodic_job_is_idempotent_and_only_for_running_insatser():
    running = InsatsFactory(start=datetime.date(2025, 10, 1), end=None)
    planned = InsatsFactory(start=datetime.date(2025, 10, 1), end=None, status="planerad")
    Rapport.objects.all().delete()
    create_due_reports(TODAY)
    first = rows(running)
    assert [r[1] for r in first] == [
        datetime.date(2025, 10, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 4, 1),
    ]
    assert create_due_reports(TODAY) == 0
    assert create_reports_for(running, TODAY) == 0
    assert rows(running) == first
    assert rows(planned) == []
    # a quarter later, one more
    create_due_reports(datetime.date(2026, 7, 2))
    assert len(rows(running)) == 4


def test_existing_report_is_kept_as_it_is():
    insats = InsatsFactory(start=datetime.date(2026, 1, 1), end=None)
    Rapport.objects.filter(insats=insats).update(status=Rapport.Status.GODKAND)
    create_due_reports(TODAY)
    assert set(Rapport.objects.filter(insats=insats).values_list("status", flat=True)) >= {
        "godkand"
    }
