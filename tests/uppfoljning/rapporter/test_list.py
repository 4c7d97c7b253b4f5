"""The list of reports: every role, an insatsägare its own member's only; filters and Excel."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import InsatsFactory
from tests.helpers import xlsx_rows
from uppfoljning.models import Rapport

URL = "/uppsala/rapporter/"


@pytest.fixture
def insatser(forbund, heby, tierp):
    made = {
        "heby": InsatsFactory(
            forbund=forbund,
            agare=heby,
            name="Östra vägen",
            start=datetime.date(2026, 1, 1),
            end=datetime.date(2026, 6, 30),
        ),
        "tierp": InsatsFactory(
            forbund=forbund,
            agare=tierp,
            name="Ålands väg",
            start=datetime.date(2025, 10, 1),
            end=datetime.date(2026, 3, 31),
        ),
    }
    first = Rapport.objects.filter(
        insats=made["tierp"], kind="kvartal", period_start=datetime.date(2025, 10, 1)
    )
    first.update(
        status="inskickad",
        diarienummer="=2026/7",
        received_at=timezone.make_aware(datetime.datetime(2026, 1, 20, 9, 30)),
    )
    return made


def names(response):
    return [(r.insats.name, r.kind, r.period_start) for r in response.context["rapporter"]]


def test_kansli_sees_every_report_with_its_columns(client, kansli, insatser):
    client.force_login(kansli)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for heading in ("Insats", "Insatsägare", "Typ", "Period", "Sista dag", "Status", "Inkom"):
        assert f">{heading}<" in html
    assert "Diarienummer" in html
    assert {name for name, _kind, _start in names(response)} == {"Östra vägen", "Ålands väg"}
    assert "2026-01-20 09:30" in html
    assert 'href="/uppsala/rapporter/forsenade/"' in html


def test_insatsagare_sees_only_its_own_members_reports(client, agare, insatser):
    client.force_login(agare)
    response = client.get(URL)
    html = response.content.decode()
    assert {name for name, _kind, _start in names(response)} == {"Östra vägen"}
    assert "Ålands väg" not in html  # not in the list, nor in the insats filter
    assert "forsenade" not in html
    # Not by a search, a filter on another's insats or the export either.
    assert names(client.get(URL, {"q": "Ålands"})) == []
    other = insatser["tierp"].pk
    assert client.get(URL, {"insats": other}).context["filter"].errors
    rows = xlsx_rows(client.get(URL, {"export": "xlsx"}))
    assert not any("Ålands väg" in str(row) for row in rows)


def test_filters_by_status_kind_insats_and_year(client, kansli, insatser):
    client.force_login(kansli)
    assert names(client.get(URL, {"status": "inskickad"})) == [
        ("Ålands väg", "kvartal", datetime.date(2025, 10, 1))
    ]
    slut = names(client.get(URL, {"kind": "slut"}))
    assert {name for name, kind, _start in slut} == {"Östra vägen", "Ålands väg"}
    assert all(kind == "slut" for _name, kind, _start in slut)
    heby = names(client.get(URL, {"insats": insatser["heby"].pk}))
    assert heby and {name for name, _k, _s in heby} == {"Östra vägen"}
    assert names(client.get(URL, {"ar": "2025"})) == [
        ("Ålands väg", "kvartal", datetime.date(2025, 10, 1))
    ]
    assert client.get(URL, {"ar": "tjugo"}).context["filter"].errors
    assert names(client.get(URL, {"q": "2026/7"})) == [
        ("Ålands väg", "kvartal", datetime.date(2025, 10, 1))
    ]


def test_sorts_by_insats_in_swedish_order(client, kansli, insatser):
    client.force_login(kansli)
    rows = names(client.get(URL, {"sort": "insats"}))
    assert rows[0][0] == "Ålands väg" and rows[-1][0] == "Östra vägen"  # å before ö


def test_excel_export_escapes_cells(client, kansli, insatser):
    client.force_login(kansli)
    rows = xlsx_rows(client.get(URL, {"export": "xlsx"}))
    header = next(i for i, row in enumerate(rows) if row[0] == "Insats")
    assert rows[header][:8] == [
        "Insats",
        "Insatsägare",
        "Typ",
        "Period",
        "Sista dag",
        "Status",
        "Diarienummer",
        "Inkom",
    ]
    received = {row[6]: row[7] for row in rows[header + 1 :]}
    assert received["'=2026/7"] == datetime.datetime(2026, 1, 20, 9, 30)
