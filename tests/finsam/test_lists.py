"""The lists of members, the board and meetings: search, filters, sort, Excel, query counts."""

import datetime

import pytest
from django.utils import timezone

from finsam.models import Ledamot, Medlem, Sammantrade
from tests.factories import ArendeFactory, LedamotFactory, MedlemFactory, SammantradeFactory
from tests.helpers import query_count, xlsx_rows

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr(timezone, "localdate", localdate)


# Members ----------------------------------------------------------------------


def test_members_are_searched_filtered_and_sorted_in_swedish(client, kansli, forbund, heby, region):
    MedlemFactory(forbund=forbund, name="Älvkarleby kommun", short_name="Älvkarleby")
    MedlemFactory(forbund=forbund, name="Östhammars kommun", short_name="Östhammar")
    client.force_login(kansli)

    def names(url):
        return [m.name for m in client.get(url).context["medlemmar"]]

    assert names("/uppsala/medlemmar/?q=hammar") == ["Östhammars kommun"]
    assert names("/uppsala/medlemmar/?kind=region") == ["Region Uppsala"]
    assert names("/uppsala/medlemmar/?sort=name") == [
        "Heby kommun",
        "Region Uppsala",
        "Älvkarleby kommun",
        "Östhammars kommun",
    ]


def test_members_excel_has_swedish_headers_and_no_edit_column(client, kansli, heby):
    LedamotFactory(medlem=heby)
    client.force_login(kansli)
    rows = xlsx_rows(client.get("/uppsala/medlemmar/?export=xlsx"))
    assert rows[0][0] == "Medlemmar"
    assert rows[1][0].startswith("Samordningsförbundet Uppsala län, 2026-03-10")
    assert rows[3] == [
        "Namn",
        "Kort namn",
        "Typ",
        "Fördelningsnyckel (%)",
        "Platser i styrelsen i dag",
    ]
    assert rows[4] == ["Heby kommun", "Heby", "Kommun", None, 1]


def test_members_page_has_an_accessible_table(client, styrelse, heby):
    client.force_login(styrelse)
    page = client.get("/uppsala/medlemmar/").content.decode()
    assert '<caption class="visually-hidden">Medlemmar</caption>' in page
    assert '<th scope="col"' in page and '<th scope="row"' in page
    assert 'class="table-responsive"' in page
    assert "Exportera till Excel" in page
    assert "Ändra" not in page


# Board ------------------------------------------------------------------------


@pytest.fixture
def board(heby, tierp):
    LedamotFactory(medlem=heby, name="Anna Andersson", party="S")
    LedamotFactory(medlem=heby, name="Eva Ersättare", kind=Ledamot.Kind.ERSATTARE)
    LedamotFactory(medlem=tierp, name="Tore Tierp", party="M")
    LedamotFactory(
        medlem=tierp,
        name="Gammal Ledamot",
        mandate_start=datetime.date(2019, 1, 1),
        mandate_end=datetime.date(2022, 12, 31),
    )


def seat_names(response):
    return [s.name for s in response.context["ledamoter"]]


def test_board_filters_by_member_kind_and_current(client, styrelse, board, tierp):
    client.force_login(styrelse)
    assert seat_names(client.get(f"/uppsala/styrelsen/?medlem={tierp.pk}")) == ["Tore Tierp"]
    assert seat_names(client.get(f"/uppsala/styrelsen/?medlem={tierp.pk}&alla=1")) == [
        "Tore Tierp",
        "Gammal Ledamot",
    ]
    assert seat_names(client.get("/uppsala/styrelsen/?kind=ersattare")) == ["Eva Ersättare"]
    assert seat_names(client.get("/uppsala/styrelsen/?q=tierp")) == ["Tore Tierp"]
    assert seat_names(client.get("/uppsala/styrelsen/?sort=-name")) == [
        "Tore Tierp",
        "Eva Ersättare",
        "Anna Andersson",
    ]


def test_board_excel_follows_the_filter(client, kansli, board):
    client.force_login(kansli)
    rows = xlsx_rows(client.get("/uppsala/styrelsen/?alla=1&sort=name&export=xlsx"))
    assert rows[3] == [
        "Medlem",
        "Uppdrag",
        "Namn",
        "Parti",
        "Ordföranderoll",
        "Mandatperiod",
        "E-post",
    ]
    assert [row[2] for row in rows[4:]] == [
        "Anna Andersson",
        "Eva Ersättare",
        "Gammal Ledamot",
        "Tore Tierp",
    ]
    assert rows[4][:3] == ["Heby kommun", "Ordinarie ledamot", "Anna Andersson"]
    assert rows[4][5] == "2023-01-01 – 2026-12-31"


# Meetings ---------------------------------------------------------------------


@pytest.fixture
def meetings(forbund):
    made = [
        SammantradeFactory(forbund=forbund, date=datetime.date(2026, 2, 3), location="Kansliet"),
        SammantradeFactory(
            forbund=forbund,
            date=datetime.date(2026, 5, 5),
            kind=Sammantrade.Kind.MEDLEMSSAMRAD,
            status=Sammantrade.Status.KALLAT,
        ),
        SammantradeFactory(forbund=forbund, date=datetime.date(2025, 11, 18)),
    ]
    ArendeFactory(sammantrade=made[1], title="Verksamhetsplan 2027")
    return made


def dates(response):
    return [m.date.isoformat() for m in response.context["sammantraden"]]


def test_meetings_keep_the_year_and_filter_by_status_kind_and_text(client, styrelse, meetings):
    client.force_login(styrelse)
    assert dates(client.get("/uppsala/sammantraden/")) == ["2026-02-03", "2026-05-05"]
    assert dates(client.get("/uppsala/sammantraden/?ar=2025")) == ["2025-11-18"]
    assert dates(client.get("/uppsala/sammantraden/?status=kallat")) == ["2026-05-05"]
    assert dates(client.get("/uppsala/sammantraden/?kind=medlemssamrad")) == ["2026-05-05"]
    assert dates(client.get("/uppsala/sammantraden/?q=verksamhetsplan")) == ["2026-05-05"]
    assert dates(client.get("/uppsala/sammantraden/?q=kansliet")) == ["2026-02-03"]
    assert dates(client.get("/uppsala/sammantraden/?sort=-date")) == ["2026-05-05", "2026-02-03"]


def test_a_bad_year_is_told_next_to_the_field(client, kansli, meetings):
    client.force_login(kansli)
    response = client.get("/uppsala/sammantraden/?ar=²")
    assert response.status_code == 200
    assert "Ange ett år med fyra siffror." in response.content.decode()


def test_meetings_excel(client, kansli, meetings):
    client.force_login(kansli)
    rows = xlsx_rows(client.get("/uppsala/sammantraden/?export=xlsx"))
    assert rows[3] == ["Datum", "Tid", "Typ", "Plats", "Status", "Ärenden"]
    assert rows[4][0] == datetime.datetime(2026, 2, 3)
    assert rows[5][2:] == ["Medlemssamråd", None, "Kallelse skickad", 1]


# Who sees the lists, and what they cost ---------------------------------------


@pytest.mark.parametrize(
    "url", ["/uppsala/medlemmar/", "/uppsala/styrelsen/", "/uppsala/sammantraden/"]
)
def test_insatsagare_and_other_forbund_get_no_list_and_no_excel(client, agare, outsider, url, heby):
    client.force_login(agare)
    assert client.get(url).status_code == 403
    assert client.get(f"{url}?export=xlsx").status_code == 403
    client.force_login(outsider)
    assert client.get(f"{url}?export=xlsx").status_code == 404


def _add(forbund, n):
    for i in range(n):
        medlem = MedlemFactory(forbund=forbund, kind=Medlem.Kind.KOMMUN)
        LedamotFactory(medlem=medlem, chair_role="ordforande" if i == 0 else "")
        meeting = SammantradeFactory(forbund=forbund, date=datetime.date(2026, 1 + i % 12, 1))
        ArendeFactory(sammantrade=meeting)


@pytest.mark.parametrize(
    "url",
    [
        "/uppsala/medlemmar/",
        "/uppsala/medlemmar/?export=xlsx",
        "/uppsala/styrelsen/?alla=1&sort=medlem",
        "/uppsala/styrelsen/?export=xlsx",
        "/uppsala/sammantraden/?sort=status",
        "/uppsala/sammantraden/?export=xlsx",
    ],
)
def test_the_query_count_does_not_grow_with_the_rows(client, kansli, forbund, url):
    client.force_login(kansli)
    _add(forbund, 3)
    few = query_count(client, url)
    _add(forbund, 27)
    assert query_count(client, url) == few
