"""Swedish alphabetical order in the database: ICU on PostgreSQL, a Python collation on SQLite."""

from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate

from finsam.sorting import swedish_key

POSTGRES_COLLATION = "sv-x-icu"
SQLITE_COLLATION = "swedish"


def swedish(field):
    """`field` as an expression that orders in Swedish (å ä ö after z, case folded)."""
    name = POSTGRES_COLLATION if connection.vendor == "postgresql" else SQLITE_COLLATION
    if connection.vendor not in ("postgresql", "sqlite"):
        return F(field)
    return Collate(F(field), name)


def _compare(a, b):
    a, b = swedish_key(a), swedish_key(b)
    return (a > b) - (a < b)


def add_sqlite_collation(sender, connection, **kwargs):
    """`connection_created` receiver: teach each SQLite connection Swedish order."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _compare)
