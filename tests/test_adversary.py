"""Holes found by trying the merged work of issue 6 as an adversary would.

Each test is one attempt: a fuzzed list parameter, a half-finished sign-in,
a used or foreign link, an edit read just before the object was adopted.
"""

import datetime

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from budget.models import Avsnitt, Budget, Budgetrad, Mal, Risk, Verksamhetsplan
from finsam.models import User
from tests.factories import (
    BudgetFactory,
    BudgetradFactory,
    InsatsFactory,
    LedamotFactory,
    SammantradeFactory,
)
from tests.helpers import page_form

PASSWORD = "losenord-123"
LISTS = [
    "/uppsala/insatser/",
    "/uppsala/medlemmar/",
    "/uppsala/styrelsen/",
    "/uppsala/sammantraden/",
]


@pytest.fixture
def rows(forbund, heby, tierp):
    InsatsFactory(forbund=forbund, agare=heby)
    InsatsFactory(forbund=forbund, agare=tierp)
    LedamotFactory(medlem=heby)
    SammantradeFactory(forbund=forbund, date=datetime.date(2026, 3, 1))


# Lists ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("per_page", ["-1", "-999999", "0", "99999999999999999999"])
def test_a_bad_page_size_is_no_server_error(client, kansli, rows, url, per_page):
    client.force_login(kansli)

    response = client.get(url, {"per_page": per_page, "page": "2"})

    assert response.status_code == 200


def test_a_page_size_cannot_ask_for_every_row_at_once(client, kansli, forbund, heby):
    InsatsFactory.create_batch(3, forbund=forbund, agare=heby)
    client.force_login(kansli)

    response = client.get("/uppsala/insatser/", {"per_page": "1000000"})

    assert response.context["table"].paginator.per_page <= 100


# Sign-in ----------------------------------------------------------------------------


@pytest.fixture
def device(kansli):
    return TOTPDevice.objects.create(user=kansli, name="Autentiseringsapp", confirmed=True)


@pytest.mark.parametrize(
    "url",
    [
        "/uppsala/",
        "/uppsala/insatser/",
        "/uppsala/insatser/?export=xlsx",
        "/uppsala/sok/?q=a",
        "/uppsala/konton/",
        "/konto/losenord/",
        "/konto/tvastegsverifiering/",
        "/konto/tvastegsverifiering/qr.svg",
    ],
)
def test_the_password_step_alone_reads_nothing(client, kansli, device, url):
    client.post("/konto/logga-in/", {"username": kansli.username, "password": PASSWORD})

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")


def test_the_password_step_alone_cannot_turn_two_factor_off(client, kansli, device):
    client.post("/konto/logga-in/", {"username": kansli.username, "password": PASSWORD})

    client.post("/konto/tvastegsverifiering/av/", {"code": "000000"})

    assert TOTPDevice.objects.filter(user=kansli, confirmed=True).exists()


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "https:evil.example"],
)
def test_the_sign_in_goes_to_no_other_site(client, kansli, next_url):
    response = client.post(
        "/konto/logga-in/",
        {"username": kansli.username, "password": PASSWORD, "next": next_url},
    )

    assert response.status_code == 302
    assert "evil" not in response["Location"]


def _invitation(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"/konto/aktivera/{uid}/{default_token_generator.make_token(user)}/"


def _set_password(client, link, password="Nytt-losenord-2026"):
    page = client.get(link, follow=True)
    return client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else link,
        {"new_password1": password, "new_password2": password},
    )


@pytest.fixture
def invited(forbund):
    user = User.objects.create(username="ny@example.se", email="ny@example.se")
    user.set_unusable_password()
    user.save()
    return user


def test_an_invitation_link_works_once(client, invited):
    link = _invitation(invited)
    assert _set_password(client, link).status_code == 302

    again = client.get(link, follow=True)

    assert "new_password1" not in again.content.decode()
    invited.refresh_from_db()
    assert invited.check_password("Nytt-losenord-2026")


def test_an_invitation_link_with_another_uid_sets_nothing(client, invited, styrelse):
    token = default_token_generator.make_token(invited)
    uid = urlsafe_base64_encode(force_bytes(styrelse.pk))

    _set_password(client, f"/konto/aktivera/{uid}/{token}/")

    styrelse.refresh_from_db()
    assert styrelse.check_password(PASSWORD)


def test_an_expired_invitation_link_sets_nothing(client, invited, settings, monkeypatch):
    link = _invitation(invited)
    later = datetime.datetime.now() + datetime.timedelta(days=4)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)

    _set_password(client, link)

    invited.refresh_from_db()
    assert not invited.has_usable_password()


def test_an_invitation_used_by_a_signed_in_other_user_leaves_them_as_they_are(
    client, invited, styrelse
):
    client.force_login(styrelse)

    _set_password(client, _invitation(invited))

    styrelse.refresh_from_db()
    assert styrelse.check_password(PASSWORD)
    assert client.get("/uppsala/").wsgi_request.user == styrelse


# An edit read just before the board's adoption committed ---------------------------
#
# The edit pages check "adopted?" when they read the object; an adoption that
# commits between that read and the save (two kansli, one adopting, one
# saving) must still stop the save. The tests let the page read the object
# and then commit the adoption, as the other request would.


def _adopted_after_reading(monkeypatch, module, name, model, status):
    real = getattr(module, name)

    def read_then_adopted(request, year):
        found = real(request, year)
        model.objects.filter(pk=found.pk).update(status=status)
        return found

    monkeypatch.setattr(module, name, read_then_adopted)


@pytest.fixture
def proposed_budget(forbund):
    budget = BudgetFactory(forbund=forbund, year=2026, status=Budget.Status.FORSLAG)
    BudgetradFactory(budget=budget, name="Förvaltning", amount=100000)
    return budget


def test_a_budget_adopted_while_its_edit_was_saved_keeps_its_lines(
    client, kansli, proposed_budget, monkeypatch
):
    from budget import views

    client.force_login(kansli)
    data = page_form(client.get("/uppsala/budget/2026/andra/"))
    data["rader-0-amount"] = "999 000"
    _adopted_after_reading(monkeypatch, views, "_get_budget", Budget, Budget.Status.FASTSTALLD)

    response = client.post("/uppsala/budget/2026/andra/", data)

    assert response.status_code == 403
    assert Budgetrad.objects.get(budget=proposed_budget).amount == 100000


@pytest.fixture
def open_plan(forbund):
    plan = Verksamhetsplan.objects.create(forbund=forbund, year=2026)
    avsnitt = Avsnitt.objects.create(plan=plan, key="inledning", title="Inledning", body="Text.")
    risk = Risk.objects.create(plan=plan, risk="Sen rapportering", likelihood=2, consequence=3)
    return plan, avsnitt, risk


@pytest.mark.parametrize(
    ("url", "change"),
    [
        ("/uppsala/plan/2026/avsnitt/{avsnitt}/andra/", {"body": "Ändrad text."}),
        ("/uppsala/plan/2026/avsnitt/ny/", {"title": "Nytt avsnitt", "body": "Ny text."}),
        ("/uppsala/plan/2026/risker/{risk}/andra/", {"risk": "Ändrad risk"}),
        (
            "/uppsala/plan/2026/risker/ny/",
            {"risk": "Ny risk", "likelihood": "1", "consequence": "2"},
        ),
        ("/uppsala/plan/2026/avsnitt/{avsnitt}/ta-bort/", None),
        ("/uppsala/plan/2026/risker/{risk}/ta-bort/", None),
    ],
)
def test_a_plan_adopted_while_a_part_was_saved_is_not_changed(
    client, kansli, open_plan, monkeypatch, url, change
):
    from budget.plan import views as plan_views

    plan, avsnitt, risk = open_plan
    url = url.format(avsnitt=avsnitt.pk, risk=risk.pk)
    client.force_login(kansli)
    data = {}
    if change is not None:
        data = page_form(client.get(url))
        data.update(change)
    before = (
        list(Avsnitt.objects.values_list("title", "body")),
        list(Risk.objects.values_list("risk", "likelihood")),
    )
    _adopted_after_reading(
        monkeypatch, plan_views, "_get_plan", Verksamhetsplan, Verksamhetsplan.Status.FASTSTALLD
    )

    response = client.post(url, data)

    assert response.status_code == 403
    after = (
        list(Avsnitt.objects.values_list("title", "body")),
        list(Risk.objects.values_list("risk", "likelihood")),
    )
    assert after == before


def test_a_plan_adopted_while_its_goals_were_saved_keeps_them(
    client, kansli, open_plan, monkeypatch
):
    from budget.plan import views as plan_views

    client.force_login(kansli)
    data = page_form(client.get("/uppsala/plan/2026/mal/"))
    data["mal-0-text"] = "Ett nytt mål."
    _adopted_after_reading(
        monkeypatch, plan_views, "_get_plan", Verksamhetsplan, Verksamhetsplan.Status.FASTSTALLD
    )

    response = client.post("/uppsala/plan/2026/mal/", data)

    assert response.status_code == 403
    assert not Mal.objects.exists()


# The search box ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "q",
    ["_", "__", "²", "a:b", "a & b", "!a", "'", "\\", "a|b", "(", ":*", "a_b", "ß" * 300, "½ ¼"],
)
def test_no_search_text_is_a_server_error(client, kansli, rows, q):
    client.force_login(kansli)

    assert client.get("/uppsala/sok/", {"q": q}).status_code == 200
    assert client.get("/uppsala/insatser/", {"q": q}).status_code == 200


NASTY = [
    {"q": "a\x00b"},
    {"q": "x" * 5000},
    {"page": "-1"},
    {"page": "999999"},
    {"page": "99999999999999999999999"},
    {"sort": "agare__password"},
    {"sort": "-nonexistent"},
    {"sort": "a\x00"},
    {"status": "\x00"},
    {"kind": "\x00"},
    {"agare": "99999999999999999999"},
    {"agare": "\x00"},
    {"medlem": "99999999999999999999"},
    {"medlem": "\x00"},
    {"ar": "99999999999999"},
    {"ar": "²"},
    {"ar": "\x00"},
    {"anslag_ar": "2026.5"},
    {"export": "xlsx", "q": "a\x00"},
    {"export": "xlsx", "page": "-5", "sort": "\x00"},
]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("params", NASTY, ids=range(len(NASTY)))
def test_no_list_parameter_is_a_server_error(client, kansli, rows, url, params):
    client.force_login(kansli)
    query = {key: value for key, value in params.items()}
    for key in ("kind", "typ", "status", "roll"):
        query.setdefault(key, "")

    assert client.get(url, query).status_code == 200


def test_a_lock_out_is_per_address_too(client, kansli):
    for _ in range(5):
        client.post(
            "/konto/logga-in/",
            {"username": kansli.username, "password": "fel"},
            REMOTE_ADDR="10.0.0.66",
        )
    assert (
        client.post(
            "/konto/logga-in/",
            {"username": kansli.username, "password": PASSWORD},
            REMOTE_ADDR="10.0.0.66",
        ).status_code
        == 429
    )

    response = client.post(
        "/konto/logga-in/",
        {"username": kansli.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.7",
    )

    assert response.status_code == 302  # the real person elsewhere still signs in


HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "url",
    [
        "/uppsala/insatser/{h}/",
        "/uppsala/insatser/{h}/andra/",
        "/uppsala/medlemmar/{h}/andra/",
        "/uppsala/styrelsen/{h}/andra/",
        "/uppsala/sammantraden/{h}/andra/",
        "/uppsala/budget/{h}/",
        "/uppsala/budget/{h}/andra/",
        "/uppsala/budget/{h}/excel/",
        "/uppsala/plan/{h}/",
        "/uppsala/plan/{h}/forhandsvisning/",
        "/uppsala/dokument/{h}/fil/",
        "/uppsala/konton/{h}/ta-bort/",
    ],
)
def test_a_huge_id_or_year_in_the_address_is_not_found(client, kansli, url):
    client.force_login(kansli)
    url = url.format(h=HUGE)

    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/konto/logga-in/", {"username": "a\x00b", "password": "x"}),
        ("/konto/logga-in/", {"username": "a" * 100000, "password": "x"}),
        ("/konto/logga-in/", {"username": "kansli", "password": "\x00" * 10}),
        ("/konto/aterstall/", {"email": "a\x00@example.se"}),
        ("/konto/aterstall/", {"email": "x" * 5000 + "@example.se"}),
        (f"/konto/aktivera/{urlsafe_base64_encode(force_bytes(HUGE))}/abc-def/", {}),
        (f"/konto/aterstall/{urlsafe_base64_encode(force_bytes('-1'))}/abc-def/", {}),
        ("/konto/aktivera/%00/%00/", {}),
    ],
)
def test_no_sign_in_input_is_a_server_error(client, kansli, url, data):
    # A user name longer than the lock-out's record of it was a server error on PostgreSQL.
    assert client.get(url).status_code in (200, 302)
    assert client.post(url, data).status_code in (200, 302)


def test_no_code_is_a_server_error(client, kansli, device):
    client.post("/konto/logga-in/", {"username": kansli.username, "password": PASSWORD})

    for code in ("\x00" * 6, "１２３４５６", "9" * 12, "-12345"):
        response = client.post("/konto/logga-in/kod/", {"code": code})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session


def test_a_too_long_user_name_is_told_in_swedish(client, kansli):
    response = client.post("/konto/logga-in/", {"username": "a" * 151, "password": "x"})

    assert response.status_code == 200
    assert "som mest 150 tecken" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "extra", "headers"),
    [
        ("", {"extra": "a\x00b"}, {}),
        ("?x=%00", {}, {}),
        ("?next=%00", {}, {}),
        ("", {"next": "/\x00"}, {}),
        ("", {}, {"HTTP_USER_AGENT": "x\x00y"}),
        ("", {}, {"HTTP_ACCEPT": "x\x00y"}),
    ],
)
def test_a_nul_byte_beside_a_wrong_password_is_no_server_error(
    client, kansli, query, extra, headers
):
    data = {"username": kansli.username, "password": "fel", **extra}

    response = client.post(f"/konto/logga-in/{query}", data, **headers)

    assert response.status_code == 200


def test_a_nul_byte_in_a_header_of_a_right_sign_in_is_no_server_error(client, kansli):
    response = client.post(
        "/konto/logga-in/",
        {"username": kansli.username, "password": PASSWORD},
        HTTP_USER_AGENT="x\x00y",
    )

    assert response.status_code == 302


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/uppsala/medlemmar/ny/", {"name": "Enköpings kommun", "kind": "kommun"}),
        ("/uppsala/sammantraden/ny/", {"date": "2026-10-01"}),
        ("/uppsala/styrelsen/ny/", {"name": "Eva Ek"}),
    ],
)
def test_a_nul_byte_in_the_one_time_key_is_no_server_error(client, kansli, url, data):
    # On PostgreSQL the key was looked up as posted, NUL byte and all: a server error.
    client.force_login(kansli)

    response = client.post(url, {**data, "submission_key": "\x00"})

    assert response.status_code == 200
