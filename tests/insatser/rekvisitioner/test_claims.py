"""Payment claims: the owner claims against the year's grant, kansli decides, sums for both."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import OuterRef

from budget.tables import _approved_claims
from finsam.models import Handelse, Lopnummer
from insatser.models import Insats, Rekvisition
from insatser.rekvisitioner import workflow
from tests.factories import AnslagFactory, InsatsFactory, RekvisitionFactory
from tests.helpers import page_form

pytestmark = pytest.mark.django_db
S = Rekvisition.Status


@pytest.fixture
def own(forbund, heby):
    insats = InsatsFactory(forbund=forbund, agare=heby, name="Vägen vidare")
    AnslagFactory(insats=insats, year=2026, amount=Decimal("500000"))
    return insats


@pytest.fixture
def other(forbund, tierp):
    insats = InsatsFactory(forbund=forbund, agare=tierp, name="Hemlig insats")
    AnslagFactory(insats=insats, year=2026, amount=Decimal("900000"))
    RekvisitionFactory(insats=insats, amount=Decimal("777777"), diarienummer="2026/99")
    return insats


def _new(client, insats, **data):
    url = f"/uppsala/insatser/{insats.pk}/rekvisitioner/ny/"
    form = page_form(client.get(url))
    form.update({"period_start": "2026-01-01", "period_end": "2026-03-31", **data})
    return client.post(url, form)


def test_owner_claims_with_number_and_received_time(client, agare, own):
    client.force_login(agare)
    response = _new(client, own, amount="200 000")
    claim = Rekvisition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/uppsala/rekvisitioner/{claim.pk}/"
    assert claim.status == S.INSKICKAD
    assert claim.amount == Decimal("200000")
    assert claim.diarienummer == "Rek 2026/1"
    assert claim.received_at is not None
    assert Lopnummer.objects.get(series="rekvisition", year=2026).last == 1
    assert Handelse.objects.filter(action="inskickad", subject_id=claim.pk).exists()


def test_claim_beyond_what_remains_is_refused(client, agare, own):
    RekvisitionFactory(insats=own, amount=Decimal("400000"))
    client.force_login(agare)
    response = _new(client, own, amount="100 001")
    assert response.status_code == 200
    assert "större än det som återstår" in response.content.decode()
    assert "(100 000 kr)" in response.context["form"].errors["amount"][0]
    assert Rekvisition.objects.count() == 1


def test_rejected_claims_give_the_money_back(client, agare, own):
    RekvisitionFactory(insats=own, amount=Decimal("400000"), status=S.AVSLAGEN)
    client.force_login(agare)
    assert _new(client, own, amount="500 000").status_code == 302


def test_no_grant_that_year_is_refused(client, agare, own):
    client.force_login(agare)
    response = _new(client, own, period_start="2027-01-01", period_end="2027-03-31", amount="1")
    assert "inget beviljat belopp för 2027" in response.content.decode()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "större än noll"),
        ("0", "större än noll"),
        ("1e3", "med siffror"),
        ("", "Ange beloppet"),
        (str(2**63), "för stort"),
        ("tusen", "med siffror"),
        ("NaN", "med siffror"),
        ("1.555", "två decimaler"),
    ],
)
def test_bad_amounts_get_a_swedish_message(client, agare, own, value, message):
    client.force_login(agare)
    response = _new(client, own, amount=value)
    assert response.status_code == 200
    assert message in response.context["form"].errors["amount"][0]
    assert not Rekvisition.objects.exists()


def test_period_across_years_is_refused(client, agare, own):
    client.force_login(agare)
    response = _new(client, own, period_start="2026-12-01", period_end="2027-01-31", amount="1")
    assert "ett och samma år" in response.context["form"].errors["period_end"][0]


def test_kansli_approves_and_the_sums_show(client, kansli, agare, own):
    claim = RekvisitionFactory(insats=own, amount=Decimal("120000"), status=S.INSKICKAD)
    client.force_login(kansli)
    response = client.post(f"/uppsala/rekvisitioner/{claim.pk}/beslut/", {"decision": "godkann"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == S.GODKAND and claim.approved_at
    assert Handelse.objects.filter(action="godkänd", subject_id=claim.pk).exists()
    s = workflow.summary(own, 2026)
    assert (s.granted, s.claimed, s.approved, s.remaining) == (
        Decimal("500000"),
        Decimal("120000"),
        Decimal("120000"),
        Decimal("380000"),
    )
    client.force_login(agare)
    page = client.get(f"/uppsala/insatser/{own.pk}/").content.decode()
    assert "Återstår" in page


def test_reject_needs_a_reason(client, kansli, own):
    claim = RekvisitionFactory(insats=own, status=S.INSKICKAD)
    client.force_login(kansli)
    url = f"/uppsala/rekvisitioner/{claim.pk}/beslut/"
    response = client.post(url, {"decision": "avsla", "reason": " "})
    assert response.status_code == 200
    assert "varför" in response.context["form"].errors["reason"][0]
    client.post(url, {"decision": "avsla", "reason": "Perioden är redan rekvirerad."})
    claim.refresh_from_db()
    assert claim.status == S.AVSLAGEN
    event = Handelse.objects.get(action="avslagen", subject_id=claim.pk)
    assert event.reason == "Perioden är redan rekvirerad."


def test_decided_claim_cannot_be_decided_again(kansli, own):
    claim = RekvisitionFactory(insats=own, status=S.GODKAND)
    with pytest.raises(workflow.NotAllowed), transaction.atomic():
        workflow.reject(claim, kansli, "Nej")


def test_insatsagare_never_sees_another_members_claims(client, agare, own, other):
    RekvisitionFactory(insats=own, amount=Decimal("123456"), diarienummer="2026/5")
    client.force_login(agare)
    page = client.get("/uppsala/rekvisitioner/").content.decode()
    assert "2026/5" in page
    assert "Hemlig insats" not in page and "777" not in page and "2026/99" not in page
    export = client.get("/uppsala/rekvisitioner/?export=xlsx")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    theirs = Rekvisition.objects.get(insats=other)
    assert client.get(f"/uppsala/rekvisitioner/{theirs.pk}/").status_code == 404
    assert client.get(f"/uppsala/insatser/{other.pk}/rekvisitioner/ny/").status_code == 404


def test_kansli_sees_every_claim_and_cannot_claim(client, kansli, own, other):
    client.force_login(kansli)
    page = client.get("/uppsala/rekvisitioner/").content.decode()
    assert "2026/99" in page and "Hemlig insats" in page
    assert client.get(f"/uppsala/insatser/{own.pk}/rekvisitioner/ny/").status_code == 403


def test_approved_claims_are_the_budgets_outcome(kansli, own):
    claim = RekvisitionFactory(insats=own, amount=Decimal("50000"), status=S.INSKICKAD)
    with transaction.atomic():
        workflow.approve(claim, kansli)
    # The budget's outcome column reads approved claims whose period ends in the year.
    outcome = Insats.objects.filter(pk=own.pk).annotate(
        outcome=_approved_claims(2026, OuterRef("pk"))
    )
    assert outcome.get().outcome == Decimal("50000")
