"""HTML to PDF: the only module that calls WeasyPrint.

WeasyPrint fetches nothing but the project's own static files: the HTML's
`/static/...` URLs are resolved through Django's staticfiles finders, and
every other URL (file://, http(s)://, anything else) is refused. A refused
or missing resource stops the rendering with a Swedish message, rather than
giving a PDF with a hole in it.
"""

import re
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

# The made-up origin the print templates' relative URLs resolve against.
BASE_URL = "https://finsam.invalid/"

MEDIA_TYPES = {
    ".css": "text/css",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
}


# A run of this many characters without a space gets a break opportunity every
# WORD_CHUNK characters: WeasyPrint's line breaking takes time that explodes with
# a word's length (4 000 letters took two minutes), whatever the CSS says.
LONG_WORD = 40
WORD_CHUNK = 20
ZERO_WIDTH_SPACE = "\u200b"
_TEXT = re.compile(r">([^<]+)<")
_LONG_RUN = re.compile(r"[^\s<>&\u200b]{" + str(LONG_WORD) + ",}")


def breakable(html):
    """The HTML with a zero-width space inside every long unbroken word of its text.

    Only text between tags is touched (never a tag, an attribute or an entity,
    which `&` ends a run before), so the markup stays as it was.
    """

    def split(run):
        word = run.group(0)
        return ZERO_WIDTH_SPACE.join(
            word[i : i + WORD_CHUNK] for i in range(0, len(word), WORD_CHUNK)
        )

    return _TEXT.sub(lambda m: ">" + _LONG_RUN.sub(split, m.group(1)) + "<", html)


class PdfError(Exception):
    """The PDF could not be made; the message is Swedish and fit for the user."""


class RefusedURL(ValueError):
    pass


class StaticOnlyFetcher(URLFetcher):
    """Serves `/static/...` from the staticfiles finders and refuses everything else."""

    def __init__(self):
        super().__init__(fail_on_errors=True)

    @property
    def static_prefix(self):
        return urljoin(BASE_URL, settings.STATIC_URL)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)  # inline data, no fetching at all
        if not url.startswith(self.static_prefix):
            shown = "/" + url[len(BASE_URL) :] if url.startswith(BASE_URL) else url
            raise RefusedURL(f"PDF:en får bara hämta projektets egna statiska filer, inte {shown}.")
        path = unquote(urlsplit(url).path[len(urlsplit(self.static_prefix).path) :])
        if not path or ".." in PurePosixPath(path).parts:
            raise RefusedURL(f"Otillåten sökväg till statisk fil: {url}")
        found = finders.find(path)
        if not found:
            raise RefusedURL(f"Den statiska filen {path} finns inte.")
        with open(found, "rb") as f:
            body = f.read()
        media_type = MEDIA_TYPES.get(PurePosixPath(path).suffix.lower(), "application/octet-stream")
        return URLFetcherResponse(url, body, {"Content-Type": media_type})


def render_pdf(html, *, pdf_a=False):
    """The PDF bytes of an HTML document; PDF/A-3b for documents to archive."""
    fetcher = StaticOnlyFetcher()
    options = {"pdf_variant": "pdf/a-3b"} if pdf_a else {}
    try:
        document = HTML(string=breakable(html), base_url=BASE_URL, url_fetcher=fetcher)
        return document.write_pdf(**options)
    except FatalURLFetchingError as exc:
        reason = exc.__cause__ or exc
        raise PdfError(str(reason)) from exc
