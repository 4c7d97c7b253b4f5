import datetime
from decimal import Decimal

import pytest

from finsam.models import Medlem, Sammantrade
from insatser.models import Insats
from tests.factories import (
    AnslagFactory,
    ArendeFactory,
    InsatsFactory,
    MedlemFactory,
    SammantradeFactory,
)
from uppfoljning.dashboard import attention

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def meetings(forbund):
    past = SammantradeFactory(forbund=forbund, date=datetime.date(2026, 9, 17))
    ArendeFactory(sammantrade=past, number=1, title="Ansökningar 2027")
    past.status = Sammantrade.Status.PUBLICERAT  # signed minutes: nothing is added after
    past.save()
    upcoming = SammantradeFactory(forbund=forbund, date=datetime.date(2026, 11, 26))
    ArendeFactory(sammantrade=upcoming, number=1, title="Verksamhetsplan och budget 2027")
    return past, upcoming


def test_styrelse_sees_the_next_meeting_and_the_years_meetings(client, styrelse, meetings):
    client.force_login(styrelse)
    response = client.get("/uppsala/")
    assert response.status_code == 200
    assert response.templates[0].name == "uppfoljning/home_styrelse.html"
    html = response.content.decode()
    assert "Nästa sammanträde" in html
    assert "2026-11-26" in html
    assert "Verksamhetsplan och budget 2027" in html
    assert "2026-09-17" in html
    assert "Att göra" not in html


def test_kansli_sees_what_needs_attention(client, kansli, meetings, heby):
    InsatsFactory(forbund=kansli.roller.get().forbund, name="Ensam insats", agare=heby)
    client.force_login(kansli)
    response = client.get("/uppsala/")
    html = response.content.decode()
    assert "Att göra" in html
    assert "Kallelsen till sammanträdet 2026-11-26 är inte skickad." in html
    assert "Ensam insats (Heby): minst två medlemmar ska delta i en insats." in html
    assert "Budget för 2027 är inte påbörjad" in html


def test_revisor_reads_the_overview_without_tasks(client, revisor, meetings):
    client.force_login(revisor)
    html = client.get("/uppsala/").content.decode()
    assert "Att göra" not in html
    assert "händelseloggen" in html


def test_insatsagare_sees_only_its_own_insatser(client, agare, forbund, heby, tierp):
    own = InsatsFactory(forbund=forbund, name="Plattform för individstöd", agare=heby)
    AnslagFactory(insats=own, year=2026, amount=Decimal("2523000"))
    InsatsFactory(forbund=forbund, name="Min framtid", agare=tierp)
    client.force_login(agare)
    response = client.get("/uppsala/")
    html = response.content.decode()
    assert "Plattform för individstöd" in html
    assert "2\u00a0523" in html
    assert "Min framtid" not in html


def test_outsider_gets_404(client, outsider, forbund):
    client.force_login(outsider)
    assert client.get("/uppsala/").status_code == 404


def test_anonymous_is_sent_to_login(client, forbund):
    response = client.get("/uppsala/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")


def test_attention_finds_insatser_without_a_grant_and_ending_soon(forbund, heby, region):
    ending = InsatsFactory(
        forbund=forbund, name="Framsteget", agare=heby, end=datetime.date(2027, 1, 31)
    )
    ending.deltagare.add(region)
    AnslagFactory(insats=ending, year=2026)
    texts = [item.text for item in attention(forbund, TODAY)]
    assert "Framsteget (Heby) slutar 2027-01-31; slutrapport ska lämnas." in texts
    assert not any("inget beviljat belopp" in text for text in texts)

    ending.anslag.all().delete()
    texts = [item.text for item in attention(forbund, TODAY)]
    assert "Framsteget (Heby) pågår men har inget beviljat belopp för 2026." in texts


def test_attention_ignores_other_forbund(forbund, other_forbund):
    stranger = MedlemFactory(forbund=other_forbund, kind=Medlem.Kind.KOMMUN)
    InsatsFactory(forbund=other_forbund, agare=stranger, status=Insats.Status.PAGAENDE)
    SammantradeFactory(forbund=other_forbund, date=datetime.date(2026, 11, 30))
    assert not [item for item in attention(forbund, TODAY) if "minst två" in item.text]
    assert not [item for item in attention(forbund, TODAY) if "Kallelsen" in item.text]


def test_the_start_page_queries_do_not_grow_with_insatser(
    client, kansli, forbund, heby, django_assert_max_num_queries
):
    for n in range(30):
        insats = InsatsFactory(forbund=forbund, agare=heby, name=f"Insats {n}")
        AnslagFactory(insats=insats, year=2026)
    client.force_login(kansli)
    with django_assert_max_num_queries(60):
        assert client.get("/uppsala/").status_code == 200
