"""Shared fixtures: a förbund with a user per role, and another förbund beside it.

`forbund` is "uppsala" so that view tests read as literal URLs
(`client.get("/uppsala/insatser/")`); `other_forbund` is "gavle", whose
users must see none of Uppsala's pages.
"""

import pytest
from django.contrib.staticfiles.storage import StaticFilesStorage

from finsam.models import Medlem, Roll

from .factories import ForbundFactory, MedlemFactory, RollFactory


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """A fast password hasher; plain HTTP to a server without collected static files.

    With DATABASE_URL set (CI on PostgreSQL) the production rules apply:
    these are the only ones a test server cannot follow.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": f"{StaticFilesStorage.__module__}.StaticFilesStorage"},
    }


@pytest.fixture
def forbund(db):
    return ForbundFactory(slug="uppsala", name="Samordningsförbundet Uppsala län")


@pytest.fixture
def other_forbund(db):
    return ForbundFactory(slug="gavle", name="Samordningsförbundet Gävle")


@pytest.fixture
def heby(forbund):
    return MedlemFactory(forbund=forbund, name="Heby kommun", short_name="Heby")


@pytest.fixture
def tierp(forbund):
    return MedlemFactory(forbund=forbund, name="Tierps kommun", short_name="Tierp")


@pytest.fixture
def region(forbund):
    return MedlemFactory(forbund=forbund, name="Region Uppsala", kind=Medlem.Kind.REGION)


def _user_with(forbund, kind, medlem=None):
    return RollFactory(forbund=forbund, kind=kind, medlem=medlem).user


@pytest.fixture
def kansli(forbund):
    return _user_with(forbund, Roll.Kind.KANSLI)


@pytest.fixture
def styrelse(forbund):
    return _user_with(forbund, Roll.Kind.STYRELSE)


@pytest.fixture
def revisor(forbund):
    return _user_with(forbund, Roll.Kind.REVISOR)


@pytest.fixture
def agare(forbund, heby):
    """An insatsägare at Heby kommun."""
    return _user_with(forbund, Roll.Kind.INSATSAGARE, medlem=heby)


@pytest.fixture
def other_agare(forbund, tierp):
    """An insatsägare at Tierps kommun, in the same förbund."""
    return _user_with(forbund, Roll.Kind.INSATSAGARE, medlem=tierp)


@pytest.fixture
def outsider(other_forbund):
    """Kansli of another förbund."""
    return _user_with(other_forbund, Roll.Kind.KANSLI)


@pytest.fixture
def roles(kansli, styrelse, revisor, agare):
    return {"kansli": kansli, "styrelse": styrelse, "revisor": revisor, "insatsagare": agare}
