"""Sign-in: lock-out after repeated failures, two-factor codes, password change and reset."""

import base64
import re

import pytest
from axes.models import AccessAttempt
from django_otp.plugins.otp_totp.models import TOTPDevice

from finsam.models import Forbund
from tests.conftest import mail_body

LOGIN = "/konto/logga-in/"
PASSWORD = "losenord-123"  # tests.factories.UserFactory's


def _sign_in(client, user, password=PASSWORD):
    return client.post(LOGIN, {"username": user.username, "password": password})


@pytest.fixture
def device(kansli):
    return TOTPDevice.objects.create(user=kansli, name="Autentiseringsapp", confirmed=True)


# Lock-out ----------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_right_one_out(client, kansli):
    for _ in range(4):
        assert _sign_in(client, kansli, "fel").status_code == 200
    locked = _sign_in(client, kansli, "fel")

    assert locked.status_code == 429
    html = locked.content.decode()
    assert "För många misslyckade inloggningar" in html
    assert "spärrad efter 5 misslyckade försök" in html and "om 15 minuter" in html
    refused = _sign_in(client, kansli)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_right_password_before_the_limit_signs_in_and_resets(client, kansli):
    for _ in range(4):
        _sign_in(client, kansli, "fel")
    assert _sign_in(client, kansli).status_code == 302
    assert not AccessAttempt.objects.filter(username=kansli.username).exists()


def test_the_lock_is_per_user_name(client, kansli, styrelse):
    for _ in range(5):
        _sign_in(client, kansli, "fel")
    assert _sign_in(client, styrelse).status_code == 302


def test_a_wrong_sign_in_says_so_in_swedish(client, kansli):
    response = _sign_in(client, kansli, "fel")
    assert "Ange ett korrekt användarnamn och lösenord" in response.content.decode()


def test_the_admin_signs_in_through_the_same_page(client):
    response = client.get("/admin/login/?next=/admin/finsam/forbund/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/logga-in/?next=/admin/finsam/forbund/"


# Two-factor sign-in -------------------------------------------------------------


def test_it_sets_up_two_factor_sign_in(client, kansli, totp_clock):
    client.force_login(kansli)

    page = client.get("/konto/tvastegsverifiering/")
    html = page.content.decode()
    assert '<img src="/konto/tvastegsverifiering/qr.svg"' in html
    secret = re.search(r'<code class="fs-6" id="secret">([A-Z2-7 ]+)</code>', html).group(1)
    key = base64.b32decode(secret.replace(" ", ""))
    qr = client.get("/konto/tvastegsverifiering/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<svg") and b'id="qr-path"' in qr.content

    wrong = client.post("/konto/tvastegsverifiering/", {"code": "000000"})
    assert "Koden stämmer inte." in wrong.content.decode()
    response = client.post("/konto/tvastegsverifiering/", {"code": totp_clock.code(key)})

    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=kansli)
    assert device.confirmed and device.bin_key == key
    assert (
        "Tvåstegsverifiering är <strong>på</strong>"
        in client.get("/konto/tvastegsverifiering/").content.decode()
    )
    assert client.get("/konto/tvastegsverifiering/qr.svg").status_code == 404


def test_with_a_device_sign_in_asks_for_the_code(client, kansli, device, totp_clock):
    response = client.post(
        LOGIN, {"username": kansli.username, "password": PASSWORD, "next": "/uppsala/insatser/"}
    )
    assert response["Location"] == "/konto/logga-in/kod/"
    assert "_auth_user_id" not in client.session
    assert client.get("/uppsala/").status_code == 302  # not signed in yet

    wrong = client.post("/konto/logga-in/kod/", {"code": "123456"})
    assert "Koden stämmer inte." in wrong.content.decode()
    assert AccessAttempt.objects.get(username=kansli.username).failures_since_start == 1
    totp_clock.tick(30)
    right = client.post("/konto/logga-in/kod/", {"code": totp_clock.code(device.bin_key)})

    assert right["Location"] == "/uppsala/insatser/"
    assert client.get("/uppsala/").status_code == 200
    assert client.get("/uppsala/").wsgi_request.user.is_verified()


def test_wrong_codes_lock_the_sign_in_out(client, kansli, device, totp_clock):
    _sign_in(client, kansli)
    for _ in range(4):
        totp_clock.tick(30)
        assert client.post("/konto/logga-in/kod/", {"code": "000000"}).status_code == 200
    totp_clock.tick(30)
    locked = client.post("/konto/logga-in/kod/", {"code": "000000"})
    assert locked.status_code == 429
    assert "För många misslyckade inloggningar" in locked.content.decode()

    totp_clock.tick(30)
    again = client.post("/konto/logga-in/kod/", {"code": totp_clock.code(device.bin_key)})
    assert again.status_code == 302 and again["Location"] == "/konto/logga-in/"
    assert _sign_in(client, kansli).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_code_step_needs_the_password_first(client):
    response = client.get("/konto/logga-in/kod/")
    assert response["Location"] == "/konto/logga-in/"


def test_a_code_is_six_digits(client, kansli, device, totp_clock):
    _sign_in(client, kansli)
    response = client.post("/konto/logga-in/kod/", {"code": "12ab"})
    assert "Ange koden som sex siffror." in response.content.decode()


def test_it_turns_two_factor_off_with_a_current_code(client, kansli, device, totp_clock):
    client.force_login(kansli)
    refused = client.post("/konto/tvastegsverifiering/av/", {"code": "000000"})
    assert "Koden stämmer inte." in refused.content.decode()
    assert TOTPDevice.objects.filter(user=kansli).exists()

    totp_clock.tick(30)
    client.post("/konto/tvastegsverifiering/av/", {"code": totp_clock.code(device.bin_key)})

    assert not TOTPDevice.objects.filter(user=kansli).exists()


def test_a_forbund_can_require_two_factor_for_kansli(client, kansli, styrelse, totp_clock):
    Forbund.objects.filter(slug="uppsala").update(require_2fa_kansli=True)
    client.force_login(kansli)

    response = client.get("/uppsala/insatser/")
    assert response["Location"] == "/konto/tvastegsverifiering/?next=%2Fuppsala%2Finsatser%2F"
    page = client.get(response["Location"])
    assert "Ditt förbund kräver tvåstegsverifiering för kansliet." in page.content.decode()
    assert "Stäng av" not in page.content.decode()
    device = TOTPDevice.objects.get(user=kansli, confirmed=False)
    confirmed = client.post(
        "/konto/tvastegsverifiering/",
        {"code": totp_clock.code(device.bin_key), "next": "/uppsala/insatser/"},
    )
    assert confirmed["Location"] == "/uppsala/insatser/"
    assert client.get("/uppsala/insatser/").status_code == 200
    assert "Förbundet kräver tvåstegsverifiering" in client.get("/uppsala/konton/").content.decode()

    totp_clock.tick(30)
    client.post("/konto/tvastegsverifiering/av/", {"code": totp_clock.code(device.bin_key)})
    assert TOTPDevice.objects.filter(user=kansli).exists()  # required: cannot be turned off

    client.force_login(styrelse)
    assert client.get("/uppsala/insatser/").status_code == 200  # kansli only


def test_a_signed_in_session_without_the_code_is_asked_for_it(client, kansli, device, totp_clock):
    Forbund.objects.filter(slug="uppsala").update(require_2fa_kansli=True)
    client.force_login(kansli)  # e.g. a session from before the device

    assert client.get("/uppsala/").status_code == 302
    page = client.get("/konto/tvastegsverifiering/?next=/uppsala/")
    assert "Ange koden från appen för att fortsätta." in page.content.decode()
    totp_clock.tick(30)
    response = client.post(
        "/konto/tvastegsverifiering/",
        {"code": totp_clock.code(device.bin_key), "next": "/uppsala/"},
    )
    assert response["Location"] == "/uppsala/"
    assert client.get("/uppsala/").status_code == 200


def test_next_goes_nowhere_else(client, kansli, device, totp_clock):
    client.force_login(kansli)
    totp_clock.tick(30)
    response = client.post(
        "/konto/tvastegsverifiering/",
        {"code": totp_clock.code(device.bin_key), "next": "https://example.com/"},
    )
    assert response["Location"] == "/konto/tvastegsverifiering/"


# Passwords ----------------------------------------------------------------------


def test_it_changes_the_password(client, kansli):
    client.force_login(kansli)
    page = client.get("/konto/losenord/")
    assert "Gammalt lösenord" in page.content.decode()

    wrong = client.post(
        "/konto/losenord/",
        {"old_password": "fel", "new_password1": "Nytt-lösen-99", "new_password2": "Nytt-lösen-99"},
    )
    assert "felaktigt" in wrong.content.decode()
    response = client.post(
        "/konto/losenord/",
        {
            "old_password": PASSWORD,
            "new_password1": "Nytt-lösen-99",
            "new_password2": "Nytt-lösen-99",
        },
    )

    assert response["Location"] == "/konto/losenord/klart/"
    kansli.refresh_from_db()
    assert kansli.check_password("Nytt-lösen-99")


def test_it_resets_the_password_by_mail(client, kansli, celery_worker, smtp_inbox):
    kansli.email = "kansli@uppsala.se"
    kansli.save()

    response = client.post("/konto/aterstall/", {"email": "Kansli@Uppsala.se"})
    unknown = client.post("/konto/aterstall/", {"email": "ingen@example.se"})

    assert response["Location"] == unknown["Location"] == "/konto/aterstall/skickat/"
    (message,) = smtp_inbox.wait_for(1)
    assert message["To"] == "kansli@uppsala.se"
    assert message["Subject"].strip() == "Nytt lösenord till Finsam"
    link = re.search(r"http://testserver(/konto/aterstall/\S+/)", mail_body(message)).group(1)
    page = client.get(link, follow=True)
    assert "Välj ett nytt lösenord" in page.content.decode()
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "Vinter-natt-77", "new_password2": "Vinter-natt-77"},
    )
    assert done["Location"] == "/konto/logga-in/"
    assert _sign_in(client, kansli, "Vinter-natt-77").status_code == 302
    assert len(smtp_inbox.messages) == 1  # nothing to the unknown address


def test_a_bad_reset_link_is_explained(client, db):
    response = client.get("/konto/aterstall/MQ/fel-token/")
    assert "Länken fungerar inte." in response.content.decode()
