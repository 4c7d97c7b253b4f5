"""Signing online: each with their own login, on the exact PDF; all signed → frozen, posted."""

import io

import pytest
from pypdf import PdfReader

from finsam.minutes import workflow
from finsam.minutes.signals import minutes_signed
from finsam.models import Dokument, Handelse, Justering, Sammantrade

from .builders import signer


def url(protokoll, rest=""):
    return f"/uppsala/sammantraden/{protokoll.sammantrade_id}/protokoll/{rest}"


def sign_as(client, user, protokoll, dokument, capture):
    client.force_login(user)
    with capture(execute=True):
        return client.post(
            url(protokoll, "justera/"), {"checksum": dokument.checksum, "confirm": "on"}
        )


def test_the_chair_sees_the_sign_form_with_the_checksum(client, chair, protokoll, minutes_pdf):
    client.force_login(chair)
    page = client.get(url(protokoll)).content.decode()
    assert "Justera protokollet" in page
    assert minutes_pdf.checksum in page


def test_a_board_member_who_is_not_a_signer_cannot_sign(
    client, forbund, seats, protokoll, minutes_pdf
):
    other = signer(forbund, seats["Ingrid Falk"], "ingrid")
    client.force_login(other)
    assert "Justera protokollet" not in client.get(url(protokoll)).content.decode()
    response = client.post(
        url(protokoll, "justera/"), {"checksum": minutes_pdf.checksum, "confirm": "on"}
    )
    assert response.status_code == 403
    assert not Justering.objects.exists()


def test_each_signature_records_who_when_and_the_checksum(
    client, chair, checker, protokoll, minutes_pdf, django_capture_on_commit_callbacks
):
    sign_as(client, chair, protokoll, minutes_pdf, django_capture_on_commit_callbacks)
    signature = Justering.objects.get()
    assert signature.user == chair
    assert signature.role == Justering.Role.ORDFORANDE
    assert signature.checksum == minutes_pdf.checksum
    assert signature.dokument == minutes_pdf
    protokoll.sammantrade.refresh_from_db()
    assert protokoll.sammantrade.status == Sammantrade.Status.GENOMFORT  # the checker has not
    assert Handelse.objects.filter(action="protokoll justerat av ordförande").exists()


def test_a_stale_pdf_is_not_signed(client, chair, protokoll, minutes_pdf):
    client.force_login(chair)
    client.post(url(protokoll, "justera/"), {"checksum": "0" * 64, "confirm": "on"})
    assert not Justering.objects.exists()


def test_signing_needs_the_confirmation(client, chair, protokoll, minutes_pdf):
    client.force_login(chair)
    response = client.post(url(protokoll, "justera/"), {"checksum": minutes_pdf.checksum})
    assert "Kryssa i att du har läst protokollet" in response.content.decode()
    assert not Justering.objects.exists()


def test_no_new_pdf_after_the_first_signature(
    client, chair, kansli, protokoll, minutes_pdf, django_capture_on_commit_callbacks
):
    sign_as(client, chair, protokoll, minutes_pdf, django_capture_on_commit_callbacks)
    with pytest.raises(workflow.MinutesError, match="redan justerats"):
        workflow.start_minutes_pdf(protokoll.sammantrade, user=kansli)
    with pytest.raises(workflow.MinutesError):
        workflow.set_participants(
            protokoll,
            ordforande=protokoll.ordforande,
            justerare=[],
            sekreterare="",
            ovriga_narvarande="",
            user=kansli,
        )


def test_signing_twice_is_one_signature(
    client, chair, protokoll, minutes_pdf, django_capture_on_commit_callbacks
):
    sign_as(client, chair, protokoll, minutes_pdf, django_capture_on_commit_callbacks)
    sign_as(client, chair, protokoll, minutes_pdf, django_capture_on_commit_callbacks)
    assert Justering.objects.count() == 1


def test_all_signed_freezes_archives_and_posts(
    client, chair, checker, protokoll, minutes_pdf, django_capture_on_commit_callbacks
):
    received = []
    minutes_signed.connect(lambda sender, **kw: received.append(kw["sammantrade"]), weak=False)
    sign_as(client, chair, protokoll, minutes_pdf, django_capture_on_commit_callbacks)
    response = sign_as(client, checker, protokoll, minutes_pdf, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    protokoll.refresh_from_db()
    meeting = protokoll.sammantrade
    assert meeting.status == Sammantrade.Status.PUBLICERAT
    assert meeting.is_frozen
    assert protokoll.signed_at is not None and protokoll.posted_at is not None
    assert received == [meeting]
    archive = protokoll.dokument
    assert archive.archived and archive.status == Dokument.Status.DONE
    with archive.file.open("rb") as f:
        content = f.read()
    metadata = PdfReader(io.BytesIO(content)).xmp_metadata
    assert 'pdfaid:part="3"' in metadata.rdf_root.toxml()  # PDF/A-3b
    assert Justering.objects.count() == 2
    assert all(j.checksum == minutes_pdf.checksum for j in Justering.objects.all())


def test_the_archive_copy_lists_the_signatures(
    client, chair, checker, protokoll, minutes_pdf, django_capture_on_commit_callbacks
):
    from .test_minutes_pdf import pdf_text

    sign_as(client, chair, protokoll, minutes_pdf, django_capture_on_commit_callbacks)
    sign_as(client, checker, protokoll, minutes_pdf, django_capture_on_commit_callbacks)
    protokoll.refresh_from_db()
    text = pdf_text(protokoll.dokument)
    assert "Protokollet är justerat elektroniskt" in text
    assert "Eva Granqvist" in text and "Jonas Ekberg" in text
    assert minutes_pdf.checksum[:20] in text.replace(" ", "").replace("\u200b", "")


def test_the_page_shows_who_has_signed(
    client, chair, revisor, protokoll, minutes_pdf, django_capture_on_commit_callbacks
):
    sign_as(client, chair, protokoll, minutes_pdf, django_capture_on_commit_callbacks)
    client.force_login(revisor)
    page = client.get(url(protokoll)).content.decode()
    assert "Justerat " in page and minutes_pdf.checksum[:12] in page
    assert "Justera protokollet" not in page
