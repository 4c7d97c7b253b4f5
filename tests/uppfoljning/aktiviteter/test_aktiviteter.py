"""Competence activities: kansli registers, changes and deletes them, each with history."""

import datetime

import pytest

from finsam.models import Handelse
from tests.factories import InsatsFactory
from tests.helpers import page_form
from uppfoljning.models import Aktivitet

pytestmark = pytest.mark.django_db

GOOD = {
    "date": "2026-05-04",
    "title": "Utbildningsdag om samverkan",
    "kind": "utbildning",
    "organiser": "Samordningsförbundet",
    "participants_women": "14",
    "participants_men": "9",
}


def _post(client, url, **data):
    form = page_form(client.get(url))
    form.update({**GOOD, **data})
    return client.post(url, form)


def test_kansli_registers_an_activity_with_its_insats(client, kansli, forbund, heby):
    insats = InsatsFactory(forbund=forbund, agare=heby)
    client.force_login(kansli)
    response = _post(client, "/uppsala/aktiviteter/ny/", insats=str(insats.pk))
    assert response.status_code == 302
    aktivitet = Aktivitet.objects.get()
    assert (aktivitet.organiser, aktivitet.participants_women, aktivitet.participants_men) == (
        "Samordningsförbundet",
        14,
        9,
    )
    assert aktivitet.insats == insats
    assert aktivitet.date == datetime.date(2026, 5, 4)
    assert Handelse.objects.filter(action="skapad", subject_id=aktivitet.pk).exists()
    page = client.get("/uppsala/aktiviteter/").content.decode()
    assert "Utbildningsdag om samverkan" in page and "14 kvinnor och 9 män" in page
    export = client.get("/uppsala/aktiviteter/?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "negativt"),
        ("1.5", "heltal"),
        ("1e3", "heltal"),
        ("", "Ange antalet"),
        (str(2**63), "högst"),
        ("tolv", "heltal"),
    ],
)
def test_bad_counts_get_a_swedish_message(client, kansli, value, message):
    client.force_login(kansli)
    response = _post(client, "/uppsala/aktiviteter/ny/", participants_men=value)
    assert response.status_code == 200
    assert message in response.context["form"].errors["participants_men"][0]
    assert not Aktivitet.objects.exists()


def test_edit_is_guarded_and_recorded(client, kansli, forbund):
    aktivitet = Aktivitet.objects.create(
        forbund=forbund, title="Seminarium", kind="seminarium", date=datetime.date(2026, 3, 1)
    )
    client.force_login(kansli)
    url = f"/uppsala/aktiviteter/{aktivitet.pk}/andra/"
    stale = page_form(client.get(url))
    assert _post(client, url, title="Seminarium om jämställdhet").status_code == 302
    stale.update({**GOOD, "title": "Något annat"})
    response = client.post(url, stale)
    assert response.status_code == 200  # the other person's change is shown, nothing saved
    aktivitet.refresh_from_db()
    assert aktivitet.title == "Seminarium om jämställdhet"
    assert Handelse.objects.filter(action="ändrad", subject_id=aktivitet.pk).count() == 1


def test_delete_keeps_the_history(client, kansli, forbund):
    aktivitet = Aktivitet.objects.create(
        forbund=forbund, title="Nätverksträff", kind="natverk", date=datetime.date(2026, 3, 1)
    )
    client.force_login(kansli)
    url = f"/uppsala/aktiviteter/{aktivitet.pk}/ta-bort/"
    response = client.post(url, page_form(client.get(url)))
    assert response.status_code == 302
    assert not Aktivitet.objects.exists()
    event = Handelse.objects.get(action="borttagen")
    assert event.subject_repr.startswith("Nätverksträff")
    assert event.changes["rubrik"] == ["Nätverksträff", None]


def test_readers_list_but_do_not_edit(client, styrelse, agare, forbund):
    Aktivitet.objects.create(
        forbund=forbund, title="Konferens", kind="konferens", date=datetime.date(2026, 3, 1)
    )
    client.force_login(styrelse)
    page = client.get("/uppsala/aktiviteter/").content.decode()
    assert "Konferens" in page and "Ny aktivitet" not in page and "/andra/" not in page
    client.force_login(agare)
    assert client.get("/uppsala/aktiviteter/").status_code == 403
