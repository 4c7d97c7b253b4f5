"""Kansli registers a claim that came by post; a rejected claim shows why, on its page and list."""

import datetime
from decimal import Decimal

import pytest

from finsam.models import Handelse
from insatser.models import Rekvisition
from tests.factories import AnslagFactory, InsatsFactory, RekvisitionFactory
from tests.helpers import page_form, xlsx_rows

pytestmark = pytest.mark.django_db
S = Rekvisition.Status
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def own(forbund, heby):
    insats = InsatsFactory(forbund=forbund, agare=heby, name="Vägen vidare")
    AnslagFactory(insats=insats, year=2026, amount=Decimal("500000"))
    return insats


def _register(client, insats, **data):
    url = f"/uppsala/insatser/{insats.pk}/rekvisitioner/registrera/"
    form = page_form(client.get(url))
    form.update(
        {"received_on": "2026-10-12", "period_start": "2026-07-01", "period_end": "2026-09-30"}
    )
    form.update(data)
    return client.post(url, form)


def test_kansli_registers_a_claim_that_came_by_post(client, kansli, agare, own):
    client.force_login(kansli)
    page = client.get(f"/uppsala/insatser/{own.pk}/").content.decode()
    assert "Registrera inkommen rekvisition" in page

    response = _register(client, own, amount="125 000")

    claim = Rekvisition.objects.get()
    assert response.status_code == 302
    assert claim.status == S.INSKICKAD and claim.registered_by_kansli
    assert claim.diarienummer == "Rek 2026/1"
    assert claim.received_at.date() == datetime.date(2026, 10, 12)
    event = Handelse.objects.get(subject_id=claim.pk)
    assert event.action == "registrerad av kansliet" and event.user == kansli
    assert event.changes["inkom"] == "2026-10-12"
    # The owner sees it as its own claim, with who registered it.
    client.force_login(agare)
    page = client.get(f"/uppsala/rekvisitioner/{claim.pk}/").content.decode()
    assert "registrerad av kansliet" in page and "125\u00a0000" in page
    page = client.get(f"/uppsala/insatser/{own.pk}/").content.decode()
    assert "Registrera inkommen rekvisition" not in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"received_on": "2026-11-24"}, "received_on", "kan inte ligga i framtiden"),
        ({"received_on": ""}, "received_on", "Ange vilken dag"),
        ({"amount": "500 001"}, "amount", "större än det som återstår"),
    ],
)
def test_a_bad_registration_is_refused_beside_the_field(client, kansli, own, data, field, message):
    client.force_login(kansli)
    response = _register(client, own, **{"amount": "1000", **data})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Rekvisition.objects.exists()


def test_only_kansli_registers(client, roles, own):
    for role in ("styrelse", "revisor", "insatsagare"):
        client.force_login(roles[role])
        url = f"/uppsala/insatser/{own.pk}/rekvisitioner/registrera/"
        assert client.get(url).status_code == 403, role


def test_the_rejection_reason_is_on_the_claim_and_in_the_list(client, kansli, agare, own):
    claim = RekvisitionFactory(insats=own, status=S.INSKICKAD, diarienummer="Rek 2026/4")
    client.force_login(kansli)
    client.post(
        f"/uppsala/rekvisitioner/{claim.pk}/beslut/",
        {"decision": "avsla", "reason": "Underlaget för lönerna saknas."},
    )
    claim.refresh_from_db()
    assert claim.status == S.AVSLAGEN and claim.reason == "Underlaget för lönerna saknas."

    client.force_login(agare)
    page = client.get(f"/uppsala/rekvisitioner/{claim.pk}/").content.decode()
    assert "Skäl till avslag" in page and "Underlaget för lönerna saknas." in page
    listing = client.get("/uppsala/rekvisitioner/").content.decode()
    assert "Underlaget för lönerna saknas." in listing
    rows = xlsx_rows(client.get("/uppsala/rekvisitioner/", {"export": "xlsx"}))
    header = next(row for row in rows if "Skäl till avslag" in row)
    line = next(row for row in rows if "Rek 2026/4" in row)
    assert line[header.index("Skäl till avslag")] == "Underlaget för lönerna saknas."
