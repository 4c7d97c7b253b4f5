import datetime

import pytest
from django.utils import timezone

from finsam.models import Handelse, Ledamot

from ..factories import LedamotFactory, MedlemFactory

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """A fixed today for the pages that show what is current."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr(timezone, "localdate", localdate)
    return TODAY


@pytest.fixture
def seat(heby):
    """Heby's ordinarie ledamot 2023–2026, chair of the board."""
    return LedamotFactory(
        medlem=heby, name="Anna Andersson", party="S", chair_role=Ledamot.ChairRole.ORDFORANDE
    )


@pytest.fixture
def gavle_seat(other_forbund):
    return LedamotFactory(medlem=MedlemFactory(forbund=other_forbund), name="Gunnar Gävle")


def seat_data(medlem, **overrides):
    data = {
        "medlem": medlem.pk,
        "name": "Bertil Berg",
        "party": "M",
        "kind": "ersattare",
        "chair_role": "",
        "mandate_start": "2027-01-01",
        "mandate_end": "2030-12-31",
        "email": "bertil.berg@example.se",
    }
    return data | overrides


# Who may see what -----------------------------------------------------------

EDIT_URLS = ["/uppsala/styrelsen/ny/", "/uppsala/styrelsen/{pk}/andra/"]
ALL_URLS = ["/uppsala/styrelsen/", "/uppsala/styrelsen/?alla=1", *EDIT_URLS]


@pytest.mark.parametrize("url", ALL_URLS)
def test_kansli_sees_every_page(client, kansli, seat, url):
    client.force_login(kansli)
    assert client.get(url.format(pk=seat.pk)).status_code == 200


@pytest.mark.parametrize("role", ["styrelse", "revisor"])
def test_board_and_auditor_read(client, roles, seat, role):
    client.force_login(roles[role])
    response = client.get("/uppsala/styrelsen/")
    assert response.status_code == 200
    assert "Anna Andersson" in response.content.decode()


@pytest.mark.parametrize("role", ["styrelse", "revisor"])
@pytest.mark.parametrize("url", EDIT_URLS)
def test_board_and_auditor_cannot_edit(client, roles, seat, heby, role, url):
    client.force_login(roles[role])
    assert client.get(url.format(pk=seat.pk)).status_code == 403
    response = client.post(url.format(pk=seat.pk), seat_data(heby, name="Anna Andersson"))
    assert response.status_code == 403
    assert Ledamot.objects.count() == 1
    seat.refresh_from_db()
    assert seat.kind == "ordinarie"


@pytest.mark.parametrize("url", ALL_URLS)
def test_insatsagare_is_refused(client, agare, seat, url):
    client.force_login(agare)
    assert client.get(url.format(pk=seat.pk)).status_code == 403


@pytest.mark.parametrize("url", ALL_URLS)
def test_outsider_gets_404(client, outsider, seat, url):
    client.force_login(outsider)
    assert client.get(url.format(pk=seat.pk)).status_code == 404


def test_another_forbunds_seat_is_not_found(client, kansli, gavle_seat):
    client.force_login(kansli)
    assert client.get(f"/uppsala/styrelsen/{gavle_seat.pk}/andra/").status_code == 404


# The board --------------------------------------------------------------------


def test_board_shows_current_seats_per_member_and_the_chairs(
    client, kansli, seat, heby, tierp, gavle_seat
):
    LedamotFactory(medlem=heby, name="Eva Ersättare", kind=Ledamot.Kind.ERSATTARE)
    LedamotFactory(medlem=tierp, name="Tore Tierp", chair_role=Ledamot.ChairRole.VICE_1)
    LedamotFactory(
        medlem=heby,
        name="Gammal Ledamot",
        mandate_start=datetime.date(2019, 1, 1),
        mandate_end=datetime.date(2022, 12, 31),
    )
    client.force_login(kansli)
    response = client.get("/uppsala/styrelsen/")
    page = response.content.decode()
    assert [s.name for s in response.context["presidium"]] == ["Anna Andersson", "Tore Tierp"]
    # Per member (Heby, then Tierp), the ordinary member before the substitute.
    assert [s.name for s in response.context["ledamoter"]] == [
        "Anna Andersson",
        "Eva Ersättare",
        "Tore Tierp",
    ]
    assert "1:e vice ordförande" in page
    assert "2023-01-01 – 2026-12-31" in page
    assert "Gammal Ledamot" not in page
    assert "Gunnar Gävle" not in page
    assert "Ny ledamot" in page
    assert f"/uppsala/styrelsen/{seat.pk}/andra/" in page


def test_board_shows_past_mandates_on_request(client, styrelse, heby):
    LedamotFactory(
        medlem=heby,
        name="Gammal Ledamot",
        mandate_start=datetime.date(2019, 1, 1),
        mandate_end=datetime.date(2022, 12, 31),
    )
    client.force_login(styrelse)
    page = client.get("/uppsala/styrelsen/?alla=1").content.decode()
    assert "Gammal Ledamot" in page
    assert "Tidigare" in page


def test_board_offers_no_edit_links_to_the_board(client, styrelse, seat):
    client.force_login(styrelse)
    page = client.get("/uppsala/styrelsen/").content.decode()
    assert "Ny ledamot" not in page
    assert f"/uppsala/styrelsen/{seat.pk}/andra/" not in page


# Create and edit ------------------------------------------------------------


def test_form_uses_date_inputs_and_only_own_members(client, kansli, heby, other_forbund):
    MedlemFactory(forbund=other_forbund, name="Gävle kommun")
    client.force_login(kansli)
    response = client.get("/uppsala/styrelsen/ny/")
    page = response.content.decode()
    assert 'type="date" name="mandate_start"' in page
    assert 'type="date" name="mandate_end"' in page
    assert list(response.context["form"].fields["medlem"].queryset) == [heby]


def test_kansli_adds_a_seat(client, kansli, heby):
    client.force_login(kansli)
    response = client.post("/uppsala/styrelsen/ny/", seat_data(heby))
    assert response.status_code == 302
    assert response["Location"] == "/uppsala/styrelsen/"
    seat = Ledamot.objects.get(name="Bertil Berg")
    assert seat.medlem == heby
    assert seat.mandate_end == datetime.date(2030, 12, 31)
    handelse = Handelse.objects.get(subject_id=seat.pk, subject_type__model="ledamot")
    assert handelse.action == "skapad"
    assert handelse.changes["mandate_start"] == [None, "2027-01-01"]


def test_kansli_edits_a_seat(client, kansli, seat, heby):
    client.force_login(kansli)
    data = seat_data(
        heby,
        name="Anna Andersson",
        party="S",
        kind="ordinarie",
        chair_role="ordforande",
        mandate_start="2023-01-01",
        mandate_end="2026-10-14",
    )
    response = client.post(f"/uppsala/styrelsen/{seat.pk}/andra/", data)
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.mandate_end == datetime.date(2026, 10, 14)
    handelse = Handelse.objects.get(subject_id=seat.pk, subject_type__model="ledamot")
    assert handelse.action == "ändrad"
    assert handelse.changes["mandate_end"] == ["2026-12-31", "2026-10-14"]


def test_mandate_cannot_end_before_it_starts(client, kansli, heby):
    client.force_login(kansli)
    response = client.post(
        "/uppsala/styrelsen/ny/",
        seat_data(heby, mandate_start="2027-01-01", mandate_end="2026-12-31"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["mandate_end"] == [
        "Mandatet kan inte sluta före det börjar."
    ]
    assert "Mandatet kan inte sluta före det börjar." in response.content.decode()
    assert not Ledamot.objects.exists()
    assert not Handelse.objects.exists()


def test_only_one_chair_at_a_time(client, kansli, seat, tierp):
    client.force_login(kansli)
    response = client.post(
        "/uppsala/styrelsen/ny/",
        seat_data(
            tierp,
            kind="ordinarie",
            chair_role="ordforande",
            mandate_start="2026-06-01",
            mandate_end="2027-12-31",
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["chair_role"]
    assert errors == [
        "Anna Andersson är redan ordförande under en mandatperiod som överlappar "
        "(2023-01-01 – 2026-12-31)."
    ]
    assert Ledamot.objects.count() == 1


def test_a_chair_may_follow_another(client, kansli, seat, tierp):
    client.force_login(kansli)
    response = client.post(
        "/uppsala/styrelsen/ny/",
        seat_data(
            tierp,
            kind="ordinarie",
            chair_role="ordforande",
            mandate_start="2027-01-01",
            mandate_end="2030-12-31",
        ),
    )
    assert response.status_code == 302
    assert Ledamot.objects.filter(chair_role="ordforande").count() == 2


def test_other_forbunds_chair_does_not_count(client, kansli, heby, gavle_seat):
    gavle_seat.chair_role = Ledamot.ChairRole.ORDFORANDE
    gavle_seat.save()
    client.force_login(kansli)
    data = seat_data(heby, chair_role="ordforande", mandate_start="2026-01-01")
    assert client.post("/uppsala/styrelsen/ny/", data).status_code == 302


def test_editing_the_chair_does_not_collide_with_itself(client, kansli, seat, heby):
    client.force_login(kansli)
    data = seat_data(
        heby,
        name="Anna Andersson",
        kind="ordinarie",
        chair_role="ordforande",
        mandate_start="2023-01-01",
        mandate_end="2026-12-31",
    )
    assert client.post(f"/uppsala/styrelsen/{seat.pk}/andra/", data).status_code == 302


def test_a_member_of_another_forbund_cannot_be_chosen(client, kansli, other_forbund):
    gavle = MedlemFactory(forbund=other_forbund, name="Gävle kommun")
    client.force_login(kansli)
    response = client.post("/uppsala/styrelsen/ny/", seat_data(gavle))
    assert response.status_code == 200
    assert "medlem" in response.context["form"].errors
    assert not Ledamot.objects.exists()
