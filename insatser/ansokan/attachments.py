"""Attachments: the type is read from the content, never from the name or the browser."""

import hashlib
import io
import zipfile

from django.core.exceptions import ValidationError

MAX_SIZE = 10 * 1024 * 1024  # 10 MB
MAX_NAME = 200

PDF = "application/pdf"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXTENSIONS = {PDF: "pdf", DOC: "doc", XLS: "xls", DOCX: "docx", XLSX: "xlsx"}
OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
REFUSED = "Filen är inte en PDF, ett Word-dokument eller en Excel-fil."
TOO_BIG = "Filen är för stor: högst 10 MB."
EMPTY = "Filen är tom."


def sniff(head, upload):
    """The content type of an attachment from its bytes, or None if it is none we take."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(OLE2):
        return _ole2_kind(upload)
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(upload)
    return None


def _ole2_kind(upload):
    upload.seek(0)
    data = upload.read(MAX_SIZE + 1)
    upload.seek(0)
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return XLS
    if "WordDocument".encode("utf-16-le") in data:
        return DOC
    return None


def _office_kind(upload):
    upload.seek(0)
    try:
        with zipfile.ZipFile(io.BytesIO(upload.read(MAX_SIZE + 1))) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def check(upload):
    """(content_type, sha256) of an upload, or ValidationError with a Swedish message."""
    if upload.size > MAX_SIZE:
        raise ValidationError(TOO_BIG)
    if not upload.size:
        raise ValidationError(EMPTY)
    upload.seek(0)
    kind = sniff(upload.read(16), upload)
    if kind is None:
        raise ValidationError(REFUSED)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return kind, digest.hexdigest()


def safe_name(name, kind):
    """The file's name as shown and sent: no path, bounded, with the extension of its type."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].replace("\x00", "").strip() or "bilaga"
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = "".join(c for c in stem if c.isprintable() and c not in '"<>:|?*')[:150] or "bilaga"
    return f"{stem}.{EXTENSIONS[kind]}"
