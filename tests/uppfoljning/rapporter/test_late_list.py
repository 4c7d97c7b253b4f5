"""The kansli's list of late reports, by insats and owner."""

import datetime

import pytest

from tests.factories import InsatsFactory
from tests.helpers import xlsx_rows
from uppfoljning.models import Rapport

URL = "/uppsala/rapporter/forsenade/"


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(
        "uppfoljning.rapporter.views.current_date", lambda: datetime.date(2026, 5, 10)
    )


@pytest.fixture
def insatser(forbund, heby, tierp):
    made = {
        "heby": InsatsFactory(
            forbund=forbund,
            agare=heby,
            name="Östra vägen",
            start=datetime.date(2026, 1, 1),
            end=datetime.date(2026, 12, 31),
        ),
        "tierp": InsatsFactory(
            forbund=forbund,
            agare=tierp,
            name="Ålands väg",
            start=datetime.date(2025, 10, 1),
            end=datetime.date(2026, 12, 31),
        ),
    }
    # Tierp's 2025 Q4 report is in; its Q1 2026 report was returned.
    tierp_reports = Rapport.objects.filter(insats=made["tierp"])
    tierp_reports.filter(period_start=datetime.date(2025, 10, 1)).update(status="inskickad")
    tierp_reports.filter(period_start=datetime.date(2026, 1, 1), kind="kvartal").update(
        status="aterforvisad"
    )
    return made


def test_kansli_sees_late_reports_by_insats_and_owner(client, kansli, insatser):
    client.force_login(kansli)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Östra vägen" in html and "Heby" in html
    assert "Ålands väg" in html  # the returned Q1 report is still late
    rows = list(response.context["rapporter"])
    assert {(r.insats.name, r.period_start) for r in rows} == {
        ("Östra vägen", datetime.date(2026, 1, 1)),
        ("Ålands väg", datetime.date(2026, 1, 1)),
    }
    assert f'href="/uppsala/insatser/{insatser["heby"].pk}/"' in html
    assert ">10<" in html  # due 30 April, ten days late


def test_filter_by_owner_and_export(client, kansli, insatser, heby):
    client.force_login(kansli)
    response = client.get(URL, {"agare": heby.pk})
    assert [r.insats.name for r in response.context["rapporter"]] == ["Östra vägen"]
    response = client.get(URL, {"agare": heby.pk, "export": "xlsx"})
    rows = xlsx_rows(response)
    assert any("Östra vägen" in str(cell) for row in rows for cell in row)
    assert not any("Ålands väg" in str(cell) for row in rows for cell in row)


def test_other_roles_are_refused(client, agare, styrelse, insatser):
    for user in (agare, styrelse):
        client.force_login(user)
        assert client.get(URL).status_code == 403


def test_start_page_links_to_the_list(client, kansli, insatser):
    client.force_login(kansli)
    html = client.get("/uppsala/").content.decode()
    assert URL in html


def test_report_page_with_its_history(client, kansli, agare, other_agare, insatser):
    rapport = Rapport.objects.get(
        insats=insatser["heby"], kind="kvartal", period_start=datetime.date(2026, 1, 1)
    )
    client.force_login(kansli)
    html = client.get(URL).content.decode()
    assert f'href="/uppsala/rapporter/{rapport.pk}/"' in html
    client.force_login(agare)  # Heby's own report
    response = client.get(f"/uppsala/rapporter/{rapport.pk}/")
    assert response.status_code == 200
    assert "Östra vägen" in response.content.decode()
    client.force_login(other_agare)  # Tierp's insatsägare: not theirs to know of
    assert client.get(f"/uppsala/rapporter/{rapport.pk}/").status_code == 404
