"""The public notice page: no login, only this förbund's signed and posted minutes."""

import datetime

from finsam.models import Protokoll
from tests.factories import SammantradeFactory

from .test_signing import sign_as


def _sign_all(client, chair, checker, protokoll, minutes_pdf, capture):
    sign_as(client, chair, protokoll, minutes_pdf, capture)
    sign_as(client, checker, protokoll, minutes_pdf, capture)
    client.logout()


def test_anonymous_sees_the_posted_minutes_and_downloads_them(
    client, chair, checker, protokoll, minutes_pdf, django_capture_on_commit_callbacks
):
    _sign_all(client, chair, checker, protokoll, minutes_pdf, django_capture_on_commit_callbacks)
    response = client.get("/uppsala/anslagstavla/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Styrelsemöte 2026-09-17" in page
    protokoll.refresh_from_db()
    assert protokoll.posted_at.strftime("%Y-%m-%d") in page
    pdf = client.get(f"/uppsala/anslagstavla/{protokoll.pk}/protokoll.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"


def test_unsigned_minutes_are_not_posted(client, protokoll, minutes_pdf):
    page = client.get("/uppsala/anslagstavla/").content.decode()
    assert "Inga protokoll är anslagna" in page
    assert client.get(f"/uppsala/anslagstavla/{protokoll.pk}/protokoll.pdf").status_code == 404


def test_another_forbunds_minutes_are_not_on_this_board(
    client,
    other_forbund,
    chair,
    checker,
    protokoll,
    minutes_pdf,
    django_capture_on_commit_callbacks,
):
    _sign_all(client, chair, checker, protokoll, minutes_pdf, django_capture_on_commit_callbacks)
    page = client.get("/gavle/anslagstavla/").content.decode()
    assert "2026-09-17" not in page
    assert client.get(f"/gavle/anslagstavla/{protokoll.pk}/protokoll.pdf").status_code == 404


def test_an_unknown_forbund_has_no_board(client, db):
    assert client.get("/finns-inte/anslagstavla/").status_code == 404


def test_a_posted_date_alone_does_not_publish(client, forbund):
    meeting = SammantradeFactory(forbund=forbund, date=datetime.date(2026, 5, 1))
    protokoll = Protokoll.objects.create(sammantrade=meeting, posted_at=datetime.date(2026, 5, 2))
    assert "2026-05-01" not in client.get("/uppsala/anslagstavla/").content.decode()
    assert client.get(f"/uppsala/anslagstavla/{protokoll.pk}/protokoll.pdf").status_code == 404
