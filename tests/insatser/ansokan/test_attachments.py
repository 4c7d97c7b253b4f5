"""Attachments: type by content, size limit, private storage, served only to permitted readers."""

import io
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from insatser.ansokan import attachments
from insatser.models import Bilaga

pytestmark = pytest.mark.django_db


def _zip(*names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


DOCX = _zip("[Content_Types].xml", "word/document.xml")
XLSX = _zip("[Content_Types].xml", "xl/workbook.xml")
OLE_DOC = attachments.OLE2 + b"\x00" * 100 + "WordDocument".encode("utf-16-le")


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.7\n...", attachments.PDF),
        (DOCX, attachments.DOCX),
        (XLSX, attachments.XLSX),
        (OLE_DOC, attachments.DOC),
    ],
)
def test_the_type_is_read_from_the_content(content, kind):
    upload = SimpleUploadedFile("vad-som-helst.txt", content, content_type="text/plain")
    assert attachments.check(upload)[0] == kind


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(1)</script></html>",
        b"MZ\x90\x00 an exe",
        _zip("evil.sh"),
        _zip("[Content_Types].xml", "other/thing.xml"),
        b"PK\x03\x04 not really a zip",
    ],
)
def test_other_content_is_refused_whatever_its_name(content):
    upload = SimpleUploadedFile("ansokan.pdf", content, content_type="application/pdf")
    with pytest.raises(Exception, match="inte en PDF"):
        attachments.check(upload)


def test_safe_name_keeps_no_path_and_takes_the_types_extension():
    assert attachments.safe_name("../../etc/passwd.exe", attachments.PDF) == "passwd.pdf"
    assert attachments.safe_name('C:\\a\\"b".docx', attachments.DOCX) == "b.docx"


def test_upload_is_stored_privately_and_served_to_permitted_readers_only(
    client, agare, other_agare, kansli, styrelse, draft, media
):
    client.force_login(agare)
    url = f"/uppsala/ansokningar/{draft.pk}/bilagor/ny/"
    upload = SimpleUploadedFile("budget.pdf", b"%PDF-1.4 budget", content_type="application/pdf")
    assert client.post(url, {"file": upload}).status_code == 302
    bilaga = Bilaga.objects.get()
    assert bilaga.content_type == attachments.PDF and bilaga.size == 15
    path = bilaga.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    file_url = f"/uppsala/ansokningar/{draft.pk}/bilagor/{bilaga.pk}/fil/"
    response = client.get(file_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 budget"
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    # Another member: the application does not exist for it.
    client.force_login(other_agare)
    assert client.get(file_url).status_code == 404
    # Kansli and the board do not read a draft.
    client.force_login(kansli)
    assert client.get(file_url).status_code == 403
    client.force_login(styrelse)
    assert client.get(file_url).status_code == 403


def test_a_renamed_program_is_refused_on_the_page(client, agare, draft, media):
    client.force_login(agare)
    url = f"/uppsala/ansokningar/{draft.pk}/bilagor/ny/"
    upload = SimpleUploadedFile("cv.pdf", b"MZ\x90\x00", content_type="application/pdf")
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    assert attachments.REFUSED in response.content.decode()
    assert not Bilaga.objects.exists()


def test_too_big_is_refused(client, agare, draft, media, monkeypatch):
    monkeypatch.setattr(attachments, "MAX_SIZE", 10)
    client.force_login(agare)
    url = f"/uppsala/ansokningar/{draft.pk}/bilagor/ny/"
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4 " + b"x" * 20, content_type="application/pdf")
    response = client.post(url, {"file": upload})
    assert attachments.TOO_BIG in response.content.decode()
    assert not Bilaga.objects.exists()


def test_an_attachment_of_another_application_is_404(client, agare, draft, others, media):
    bilaga = Bilaga(ansokan=others, name="x.pdf", content_type=attachments.PDF, size=5)
    bilaga.sha256 = "0" * 64
    bilaga.file.save("x.pdf", SimpleUploadedFile("x.pdf", b"%PDF-"), save=False)
    bilaga.save()
    client.force_login(agare)
    # Its own application's URL with another application's file.
    assert (
        client.get(f"/uppsala/ansokningar/{draft.pk}/bilagor/{bilaga.pk}/fil/").status_code == 404
    )
