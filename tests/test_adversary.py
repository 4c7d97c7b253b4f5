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

from finsam.models import User
from tests.factories import (
    InsatsFactory,
    LedamotFactory,
    SammantradeFactory,
)

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
