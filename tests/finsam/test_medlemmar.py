import datetime

import pytest
from django.utils import timezone

from finsam.models import Handelse, Medlem

from ..factories import InsatsFactory, LedamotFactory, MedlemFactory

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
def fk(forbund):
    return MedlemFactory(
        forbund=forbund, name="Försäkringskassan", kind=Medlem.Kind.FORSAKRINGSKASSAN, order=1
    )


@pytest.fixture
def gavle_medlem(other_forbund):
    return MedlemFactory(forbund=other_forbund, name="Gävle kommun")


# Who may see what -----------------------------------------------------------

READ_URLS = ["/uppsala/medlemmar/", "/uppsala/medlemmar/{pk}/"]
EDIT_URLS = ["/uppsala/medlemmar/ny/", "/uppsala/medlemmar/{pk}/andra/"]


@pytest.mark.parametrize("url", READ_URLS + EDIT_URLS)
def test_kansli_sees_every_page(client, kansli, heby, url):
    client.force_login(kansli)
    assert client.get(url.format(pk=heby.pk)).status_code == 200


@pytest.mark.parametrize("role", ["styrelse", "revisor"])
@pytest.mark.parametrize("url", READ_URLS)
def test_board_and_auditor_read(client, roles, heby, role, url):
    client.force_login(roles[role])
    assert client.get(url.format(pk=heby.pk)).status_code == 200


@pytest.mark.parametrize("role", ["styrelse", "revisor"])
@pytest.mark.parametrize("url", EDIT_URLS)
def test_board_and_auditor_cannot_edit(client, roles, heby, role, url):
    client.force_login(roles[role])
    assert client.get(url.format(pk=heby.pk)).status_code == 403
    assert client.post(url.format(pk=heby.pk), {"name": "X", "kind": "kommun"}).status_code == 403
    assert not Medlem.objects.filter(name="X").exists()


@pytest.mark.parametrize("url", READ_URLS + EDIT_URLS)
def test_insatsagare_is_refused(client, agare, heby, url):
    client.force_login(agare)
    assert client.get(url.format(pk=heby.pk)).status_code == 403


@pytest.mark.parametrize("url", READ_URLS + EDIT_URLS)
def test_outsider_gets_404(client, outsider, heby, url):
    client.force_login(outsider)
    assert client.get(url.format(pk=heby.pk)).status_code == 404


@pytest.mark.parametrize("url", ["/uppsala/medlemmar/{pk}/", "/uppsala/medlemmar/{pk}/andra/"])
def test_another_forbunds_member_is_not_found(client, kansli, gavle_medlem, url):
    client.force_login(kansli)
    assert client.get(url.format(pk=gavle_medlem.pk)).status_code == 404


def test_anonymous_is_sent_to_login(client, heby):
    response = client.get("/uppsala/medlemmar/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")


# The list ---------------------------------------------------------------------


def test_list_orders_members_and_counts_current_seats(
    client, kansli, fk, heby, tierp, region, gavle_medlem
):
    heby.order = 5
    heby.save()
    LedamotFactory(medlem=heby)  # 2023–2026
    LedamotFactory(medlem=heby, kind="ersattare")
    LedamotFactory(
        medlem=heby,
        mandate_start=datetime.date(2019, 1, 1),
        mandate_end=datetime.date(2022, 12, 31),
    )
    LedamotFactory(
        medlem=heby,
        mandate_start=datetime.date(2027, 1, 1),
        mandate_end=datetime.date(2030, 12, 31),
    )
    client.force_login(kansli)
    response = client.get("/uppsala/medlemmar/")
    page = response.content.decode()
    medlemmar = response.context["medlemmar"]
    assert medlemmar == [region, tierp, fk, heby]  # by order (0, 0, 1, 5), then name
    assert [m.antal_ledamoter for m in medlemmar] == [0, 0, 0, 2]
    assert "Platser i styrelsen i dag (ledamöter och ersättare): 2." in page
    assert "Staten" in page and "50 % av medlemsavgifterna" in page
    assert "Heby kommun" in page and "Region Uppsala" in page
    assert "Gävle kommun" not in page
    assert "Ny medlem" in page
    assert f"/uppsala/medlemmar/{heby.pk}/andra/" in page


def test_list_offers_no_edit_links_to_the_board(client, styrelse, heby):
    client.force_login(styrelse)
    page = client.get("/uppsala/medlemmar/").content.decode()
    assert "Heby kommun" in page
    assert "Ny medlem" not in page
    assert f"/uppsala/medlemmar/{heby.pk}/andra/" not in page


# One member -----------------------------------------------------------------


def test_detail_shows_seats_and_insatser(client, styrelse, forbund, heby, tierp):
    LedamotFactory(medlem=heby, name="Anna Andersson", party="S", chair_role="ordforande")
    owned = InsatsFactory(forbund=forbund, agare=heby, name="Unga vuxna Heby")
    joint = InsatsFactory(forbund=forbund, agare=tierp, name="Samverkan norr")
    joint.deltagare.add(heby)
    InsatsFactory(forbund=forbund, agare=tierp, name="Bara Tierp")
    client.force_login(styrelse)
    page = client.get(f"/uppsala/medlemmar/{heby.pk}/").content.decode()
    assert "Anna Andersson" in page
    assert "Ordförande" in page
    assert f'href="/uppsala/insatser/{owned.pk}/"' in page
    assert f'href="/uppsala/insatser/{joint.pk}/"' in page
    assert "Bara Tierp" not in page
    assert "Ändra" not in page


# Create and edit ------------------------------------------------------------


def test_kansli_creates_a_member(client, kansli, forbund):
    client.force_login(kansli)
    response = client.post(
        "/uppsala/medlemmar/ny/",
        {"name": "Östhammars kommun", "short_name": "Östhammar", "kind": "kommun", "order": 7},
    )
    medlem = Medlem.objects.get(name="Östhammars kommun")
    assert medlem.forbund == forbund
    assert response.status_code == 302
    assert response["Location"] == f"/uppsala/medlemmar/{medlem.pk}/"
    handelse = Handelse.objects.get(subject_id=medlem.pk, subject_type__model="medlem")
    assert handelse.action == "skapad"
    assert handelse.user == kansli
    assert handelse.changes["name"] == [None, "Östhammars kommun"]


def test_kansli_edits_a_member(client, kansli, heby):
    client.force_login(kansli)
    response = client.post(
        f"/uppsala/medlemmar/{heby.pk}/andra/",
        {"name": "Heby kommun", "short_name": "Heby k", "kind": "kommun", "order": 3},
    )
    assert response.status_code == 302
    heby.refresh_from_db()
    assert heby.short_name == "Heby k"
    assert heby.order == 3
    handelse = Handelse.objects.get(subject_id=heby.pk, subject_type__model="medlem")
    assert handelse.action == "ändrad"
    assert handelse.changes["short_name"] == ["Heby", "Heby k"]
    assert "name" not in handelse.changes


def test_duplicate_name_is_refused(client, kansli, heby, tierp):
    client.force_login(kansli)
    response = client.post(
        f"/uppsala/medlemmar/{tierp.pk}/andra/",
        {"name": "heby kommun", "short_name": "Tierp", "kind": "kommun", "order": 0},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "Förbundet har redan en medlem som heter ”heby kommun”."
    ]
    assert "Förbundet har redan en medlem som heter" in response.content.decode()
    tierp.refresh_from_db()
    assert tierp.name == "Tierps kommun"
    assert not Handelse.objects.exists()


def test_duplicate_name_is_refused_on_create(client, kansli, heby):
    client.force_login(kansli)
    response = client.post(
        "/uppsala/medlemmar/ny/", {"name": "Heby kommun", "kind": "kommun", "order": 0}
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert Medlem.objects.filter(name="Heby kommun").count() == 1


def test_same_name_in_another_forbund_is_fine(client, kansli, gavle_medlem):
    client.force_login(kansli)
    response = client.post(
        "/uppsala/medlemmar/ny/", {"name": "Gävle kommun", "kind": "kommun", "order": 0}
    )
    assert response.status_code == 302
    assert Medlem.objects.filter(name="Gävle kommun").count() == 2


def test_saving_a_member_keeps_its_name(client, kansli, heby):
    """The duplicate check must not find the member itself."""
    client.force_login(kansli)
    response = client.post(
        f"/uppsala/medlemmar/{heby.pk}/andra/",
        {"name": "Heby kommun", "short_name": "Heby", "kind": "kommun", "order": 0},
    )
    assert response.status_code == 302


def test_kansli_sets_a_kommuns_key_share(client, kansli, heby):
    client.force_login(kansli)
    data = {"name": "Heby kommun", "short_name": "Heby", "kind": "kommun", "order": 4}
    response = client.post(f"/uppsala/medlemmar/{heby.pk}/andra/", {**data, "key_share": "3,6"})
    assert response.status_code == 302
    heby.refresh_from_db()
    assert str(heby.key_share) == "3.6000"


@pytest.mark.parametrize(
    ("kind", "share", "message"),
    [
        ("kommun", "101", "Andelen anges i procent, mellan 0 och 100."),
        ("region", "25", "Bara kommuner har en andel i fördelningsnyckeln."),
    ],
)
def test_a_bad_key_share_is_refused(client, kansli, heby, kind, share, message):
    client.force_login(kansli)
    data = {"name": "Heby kommun", "kind": kind, "order": 4, "key_share": share}
    response = client.post(f"/uppsala/medlemmar/{heby.pk}/andra/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    heby.refresh_from_db()
    assert heby.key_share is None
