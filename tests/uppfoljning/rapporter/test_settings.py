"""Kansli sets the förbund's reporting: the interval, and the days until a report is due."""

import datetime

import pytest

from finsam.models import Forbund, Handelse
from tests.factories import InsatsFactory, MedlemFactory
from uppfoljning.models import Rapport

pytestmark = pytest.mark.django_db

URL = "/uppsala/rapporter/installningar/"


def test_kansli_sets_interval_and_days_before_any_report(client, kansli, forbund):
    client.force_login(kansli)
    page = client.get(URL)
    assert page.status_code == 200
    assert "Rapportering" in page.content.decode()

    response = client.post(URL, {"report_interval": "halvar", "report_due_days": "45"})

    assert response.status_code == 302
    forbund = Forbund.objects.get(pk=forbund.pk)
    assert (forbund.report_interval, forbund.report_due_days) == ("halvar", 45)
    event = Handelse.objects.get(action="rapportering ändrad")
    assert event.changes["dagar"] == ["30", "45"]


def test_new_days_move_the_reports_not_started_only(client, kansli, forbund):
    owner = MedlemFactory(forbund=forbund)
    insats = InsatsFactory(
        forbund=forbund,
        agare=owner,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
    )
    reports = Rapport.objects.filter(insats=insats).order_by("period_start")
    started = reports.first()
    Rapport.objects.filter(pk=started.pk).update(status=Rapport.Status.UTKAST)
    client.force_login(kansli)

    client.post(URL, {"report_interval": "kvartal", "report_due_days": "20"})

    started.refresh_from_db()
    assert started.due_date == datetime.date(2026, 4, 30)  # a draft keeps its day
    q2 = reports.get(period_start=datetime.date(2026, 4, 1))
    assert q2.due_date == datetime.date(2026, 7, 20)
    assert (
        "ej påbörjade rapporter fick ny sista dag"
        in Handelse.objects.get(action="rapportering ändrad").reason
    )


def test_the_interval_is_locked_once_reports_exist(client, kansli, forbund):
    InsatsFactory(
        forbund=forbund,
        agare=MedlemFactory(forbund=forbund),
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
    )
    client.force_login(kansli)
    assert "kan inte ändras i efterhand" in client.get(URL).content.decode()

    client.post(URL, {"report_interval": "halvar", "report_due_days": "30"})

    assert Forbund.objects.get(pk=forbund.pk).report_interval == "kvartal"


@pytest.mark.parametrize("days", ["0", "-1", "1.5", "1e3", "", "abc", str(2**63), "181"])
def test_bad_days_are_refused_beside_the_field(client, kansli, forbund, days):
    client.force_login(kansli)

    response = client.post(URL, {"report_interval": "kvartal", "report_due_days": days})

    assert response.status_code == 200
    html = response.content.decode()
    assert "id_report_due_days" in html and "is-invalid" in html
    assert Forbund.objects.get(pk=forbund.pk).report_due_days == 30
