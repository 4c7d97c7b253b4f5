"""The door to a förbund's pages reads the user and its role in one query, and lets in
no one Django's own `request.user` would not."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finsam.models import Roll


def user_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [q["sql"] for q in queries if q["sql"].startswith('SELECT "finsam_user"')]


@pytest.mark.django_db
def test_the_user_and_its_role_are_read_in_one_query(client, kansli):
    client.force_login(kansli)

    response, alone = user_queries(client, "/uppsala/plan/2026/risker/")

    assert response.status_code in (200, 404)  # no plan yet: the door is what is tested
    assert response.status_code != 302
    assert alone == []  # the user came with the role, not in a query of its own


@pytest.mark.django_db
def test_the_fast_way_gives_the_same_user_and_role(client, kansli):
    client.force_login(kansli)

    response = client.get("/uppsala/")

    assert response.status_code == 200
    assert response.wsgi_request.user == kansli
    assert response.wsgi_request.roll == Roll.objects.get(user=kansli)
    assert response.wsgi_request.user.is_verified() is False  # django-otp's fields are there


@pytest.mark.django_db
def test_a_changed_password_signs_other_sessions_out(client, kansli):
    client.force_login(kansli)
    kansli.set_password("ett-helt-nytt-lösenord")
    kansli.save()

    response = client.get("/uppsala/")

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")
    assert client.get("/uppsala/").status_code == 302  # the session was flushed


@pytest.mark.django_db
def test_an_inactive_user_is_signed_out(client, kansli):
    client.force_login(kansli)
    kansli.is_active = False
    kansli.save()

    assert client.get("/uppsala/").status_code == 302


@pytest.mark.django_db
def test_another_forbund_is_not_found_and_no_session_is_let_in(client, kansli, outsider):
    client.force_login(outsider)
    assert client.get("/uppsala/").status_code == 404
    client.logout()
    assert client.get("/uppsala/").status_code == 302


@pytest.mark.django_db
def test_a_session_of_another_backend_takes_djangos_way(client, kansli, settings):
    settings.AUTHENTICATION_BACKENDS = [
        "django.contrib.auth.backends.ModelBackend",
        "django.contrib.auth.backends.AllowAllUsersModelBackend",
    ]
    client.force_login(kansli, backend="django.contrib.auth.backends.AllowAllUsersModelBackend")

    response, alone = user_queries(client, "/uppsala/")

    assert response.status_code == 200
    assert len(alone) == 1
