"""The insatser list: search, filters, sort, pages, Excel, and what each role sees."""

import datetime
from decimal import Decimal

import pytest

from insatser.models import Ansokan, Insats
from tests.factories import AnslagFactory, InsatsFactory
from tests.helpers import query_count, xlsx_rows


@pytest.fixture(autouse=True)
def year_2026(monkeypatch):
    monkeypatch.setattr("insatser.views.current_year", lambda: 2026)


@pytest.fixture
def insatser(forbund, heby, tierp):
    """Heby's two insatser and Tierp's one, with 2026 grants."""
    made = {
        "ostra": InsatsFactory(forbund=forbund, agare=heby, name="Östra vägen"),
        "arbete": InsatsFactory(
            forbund=forbund,
            agare=heby,
            name="Arbete först",
            kind=Insats.Kind.STRUKTUR,
            status=Insats.Status.PLANERAD,
        ),
        "aland": InsatsFactory(
            forbund=forbund,
            agare=tierp,
            name="Ålands väg",
            start=datetime.date(2027, 1, 1),
            end=datetime.date(2028, 12, 31),
        ),
    }
    AnslagFactory(insats=made["ostra"], year=2026, amount=Decimal("1200000"))
    AnslagFactory(insats=made["arbete"], year=2026, amount=Decimal("300000"))
    AnslagFactory(insats=made["aland"], year=2027, amount=Decimal("500000"))
    return made


def names(response):
    return [i.name for i in response.context["insatser"]]


def test_it_searches_names_and_owners(client, kansli, insatser):
    client.force_login(kansli)
    assert names(client.get("/uppsala/insatser/?q=väg")) == ["Ålands väg", "Östra vägen"]
    assert names(client.get("/uppsala/insatser/?q=tierp")) == ["Ålands väg"]


def test_it_finds_an_insats_by_its_applications_diarienummer(client, kansli, forbund, heby):
    ansokan = Ansokan.objects.create(
        forbund=forbund, diarienummer="2026/17", title="Ansökan", agare=heby, kind="individ"
    )
    InsatsFactory(forbund=forbund, agare=heby, name="Med ansökan", ansokan=ansokan)
    InsatsFactory(forbund=forbund, agare=heby, name="Utan ansökan")
    client.force_login(kansli)
    assert names(client.get("/uppsala/insatser/?q=2026/17")) == ["Med ansökan"]


def test_it_filters_by_kind_owner_and_year_of_grant(client, kansli, insatser, heby):
    client.force_login(kansli)
    assert names(client.get("/uppsala/insatser/?kind=struktur")) == ["Arbete först"]
    assert names(client.get(f"/uppsala/insatser/?agare={heby.pk}")) == [
        "Arbete först",
        "Östra vägen",
    ]
    assert names(client.get("/uppsala/insatser/?anslag_ar=2027")) == ["Ålands väg"]


def test_it_sorts_names_in_swedish_order_both_ways(client, kansli, insatser):
    client.force_login(kansli)
    up = client.get("/uppsala/insatser/?sort=name")
    down = client.get("/uppsala/insatser/?sort=-name")
    assert names(up) == ["Arbete först", "Ålands väg", "Östra vägen"]
    assert names(down) == ["Östra vägen", "Ålands väg", "Arbete först"]
    assert 'aria-sort="ascending"' in up.content.decode()
    assert 'aria-sort="descending"' in down.content.decode()


def test_it_sorts_by_grant(client, kansli, insatser):
    client.force_login(kansli)
    response = client.get("/uppsala/insatser/?sort=-grant_now")
    assert names(response)[:2] == ["Östra vägen", "Arbete först"]


def test_a_bad_filter_is_told_and_never_an_error(client, kansli, insatser):
    client.force_login(kansli)
    for query in ["?status=okand", "?agare=99999999999999999999", "?sort=nope", "?page=x"]:
        assert client.get(f"/uppsala/insatser/{query}").status_code == 200
    response = client.get("/uppsala/insatser/?status=okand")
    assert "Välj ett giltigt alternativ" in response.content.decode()


def test_it_pages_by_25_with_swedish_links(client, kansli, forbund, heby):
    for n in range(30):
        InsatsFactory(forbund=forbund, agare=heby, name=f"Insats {n:02}")
    client.force_login(kansli)
    first = client.get("/uppsala/insatser/")
    second = client.get("/uppsala/insatser/?page=2")
    assert len(first.context["insatser"]) == 25
    assert names(second) == [f"Insats {n}" for n in range(25, 30)]
    page = first.content.decode()
    assert "Nästa" in page and "Föregående" in page
    assert "30 rader, sida 1 av 2" in page
    assert "Summa (30 insatser)" in page


def test_the_excel_has_every_filtered_row_in_the_unit(client, kansli, forbund, heby, insatser):
    for n in range(30):
        InsatsFactory(forbund=forbund, agare=heby, name=f"Insats {n:02}", status="avslutad")
    client.force_login(kansli)

    rows = xlsx_rows(client.get("/uppsala/insatser/?status=pagaende&export=xlsx"))
    every = xlsx_rows(client.get("/uppsala/insatser/?export=xlsx"))

    assert rows[0] == ["Insatser"] + [None] * 6
    header = rows[3]
    assert header == [
        "Namn",
        "Insatsägare",
        "Typ",
        "Status",
        "Period",
        "Beviljat 2026 (tkr)",
        "Beviljat 2027 (tkr)",
    ]
    assert rows[4:] == [
        ["Ålands väg", "Tierp", "Individinsats", "Pågående", "2027-01-01–2028-12-31", None, 500],
        ["Östra vägen", "Heby", "Individinsats", "Pågående", "2025-01-01–2027-12-31", 1200, None],
    ]
    assert len(every) == 4 + 33  # all pages


def test_the_excel_escapes_formulas(client, kansli, forbund, heby):
    InsatsFactory(forbund=forbund, agare=heby, name='=HYPERLINK("http://x")')
    InsatsFactory(forbund=forbund, agare=heby, name="@SUM(A1)")
    client.force_login(kansli)
    rows = xlsx_rows(client.get("/uppsala/insatser/?export=xlsx"))
    cells = {row[0] for row in rows[4:]}
    assert cells == {'\'=HYPERLINK("http://x")', "'@SUM(A1)"}


def test_insatsagare_sees_only_its_own_in_list_count_and_excel(
    client, agare, insatser, forbund, tierp
):
    for n in range(30):
        InsatsFactory(forbund=forbund, agare=tierp, name=f"Tierp {n}")
    client.force_login(agare)

    response = client.get("/uppsala/insatser/")
    page = response.content.decode()
    rows = xlsx_rows(client.get("/uppsala/insatser/?export=xlsx&q=väg"))

    assert names(response) == ["Arbete först", "Östra vägen"]
    assert "2 rader" in page and "Summa (2 insatser)" in page
    assert "Tierp" not in page and "Ålands väg" not in page
    assert 'name="agare"' not in page  # no owner to choose
    assert [row[0] for row in rows[4:]] == ["Östra vägen"]
    assert names(client.get(f"/uppsala/insatser/?agare={tierp.pk}")) == [
        "Arbete först",
        "Östra vägen",
    ]


def test_another_forbund_gets_404_also_for_the_excel(client, outsider, insatser):
    client.force_login(outsider)
    assert client.get("/uppsala/insatser/").status_code == 404
    assert client.get("/uppsala/insatser/?export=xlsx").status_code == 404


@pytest.mark.parametrize("role", ["kansli", "insatsagare"])
def test_the_query_count_does_not_grow_with_the_rows(client, roles, role, forbund, heby):
    def add(n):
        for _ in range(n):
            insats = InsatsFactory(forbund=forbund, agare=heby)
            AnslagFactory(insats=insats, year=2026)

    client.force_login(roles[role])
    add(3)
    few = query_count(client, "/uppsala/insatser/?sort=agare")
    few_excel = query_count(client, "/uppsala/insatser/?export=xlsx")
    add(27)
    many = query_count(client, "/uppsala/insatser/?sort=agare")
    many_excel = query_count(client, "/uppsala/insatser/?export=xlsx")
    assert few == many
    assert few_excel == many_excel


def test_it_sorts_a_status_by_its_swedish_label(client, kansli, insatser):
    client.force_login(kansli)
    # "Planerad" before "Pågående" (å after z), whatever the stored values.
    statuses = [i.status for i in client.get("/uppsala/insatser/?sort=status").context["insatser"]]
    assert statuses == ["planerad", "pagaende", "pagaende"]
