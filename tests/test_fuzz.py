"""Fuzzing every form kansli can post: bad input gets a message or a redirect, never a 500.

The forms are found the way a person finds them: every page of the permission
matrix that kansli may open is fetched, and each `<form method="post">` on it
is read (its action, its fields and their values). Then each field in turn is
sent with each bad value, the others as the page gave them; a row of a formset
stands for its siblings (`rader-0-amount` for `rader-1-amount`). Each
submission is rolled back, so every one meets the same small data set.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction

from budget.models import Budget
from tests.factories import BudgetFactory
from tests.test_permissions import KANSLI, MATRIX, objects  # noqa: F401 - a fixture

VALUES = {
    "empty": "",
    "huge": "1" + "0" * 30,
    "negative": "-1",
    "fractional": "1.5",
    "non-numeric": "abc",
    "nul": "a\x00b",
    "markup": "<script>alert(1)</script>",
    "long": "x" * 100_000,
    "id": str(2**70),
}
# Free text takes numbers as text: it is sent what can break text only.
TEXT_VALUES = ("empty", "nul", "markup", "long")
SKIP_FIELDS = {"csrfmiddlewaretoken"}
SKIP_ACTIONS = ("/konto/logga-ut/",)


class _Forms(HTMLParser):
    """The POST forms of a page: [(action, [(name, value), ...])]."""

    def __init__(self):
        super().__init__()
        self.forms, self._current, self._select, self._textarea = [], None, None, None
        self.texts = set()  # names of free-text fields

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self._current = (attrs.get("action") or "", [])
            self.forms.append(self._current)
        if self._current is None or "name" not in attrs and tag != "option":
            return
        fields = self._current[1]
        if tag == "input":
            kind = attrs.get("type", "text")
            value = attrs.get("value") or ""
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                fields.append((attrs["name"], None))  # known, not sent
            elif kind not in ("submit", "button"):
                fields.append((attrs["name"], value))
            if kind == "text" and "inputmode" not in attrs and not re.search(r"\d", value):
                self.texts.add(attrs["name"])
        elif tag == "select":
            self._select = [attrs["name"], None, None]
            fields.append(self._select)
        elif tag == "option" and self._select is not None:
            if self._select[1] is None:
                self._select[1] = attrs.get("value", "")
            if "selected" in attrs:
                self._select[2] = attrs.get("value", "")
        elif tag == "textarea":
            self.texts.add(attrs["name"])
            self._textarea = [attrs["name"], ""]
            fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def page_forms(url, html):
    parser = _Forms()
    parser.feed(html)
    found = []
    for action, raw in parser.forms:
        target = urlsplit(urljoin(url, action or url))
        path = target.path + (f"?{target.query}" if target.query else "")
        if path.startswith(SKIP_ACTIONS):
            continue
        data, names = {}, []
        for field in raw:
            if len(field) == 3:  # a select: its selected option, else its first
                name, first, selected = field
                value = selected if selected is not None else first
            else:
                name, value = field
            names.append(name)
            if value is not None:
                data.setdefault(name, []).append(value)
        found.append((path, data, names, {n for n in names if n in parser.texts}))
    return found


def _representative(name):
    return re.sub(r"-\d+-", "-0-", name)


@pytest.fixture
def fuzz_pages(objects, forbund):  # noqa: F811 - the matrix's fixture
    BudgetFactory(forbund=forbund, year=2027, status=Budget.Status.FORSLAG)
    pages = [t.format(**objects) for t, allowed, _ in MATRIX if "kansli" in allowed]
    return [*pages, "/uppsala/budget/2027/faststall/", "/uppsala/budget/2027/"]


def _post(client, path, data):
    sid = transaction.savepoint()
    try:
        return client.post(path, data)
    finally:
        transaction.savepoint_rollback(sid)


def test_no_form_gives_a_server_error(client, kansli, fuzz_pages):
    client.force_login(kansli)
    forms, seen = [], set()
    for url in fuzz_pages:
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for path, data, names, texts in page_forms(url, response.content.decode()):
            key = (path, tuple(sorted({_representative(n) for n in names})))
            if key not in seen:
                seen.add(key)
                forms.append((path, data, names, texts))
    assert len(forms) > 15
    failures, submissions, fuzzed = [], 0, set()
    for path, data, names, texts in forms:
        submissions += 1
        response = _post(client, path, {})
        if response.status_code >= 500:
            failures.append(f"{path} (empty POST): {response.status_code}")
        for name in dict.fromkeys(names):
            representative = (path, _representative(name))
            if name in SKIP_FIELDS or representative in fuzzed:
                continue
            fuzzed.add(representative)
            labels = TEXT_VALUES if name in texts else VALUES
            for label in labels:
                value = VALUES[label]
                submissions += 1
                response = _post(client, path, {**data, name: value})
                if response.status_code >= 500 or response.status_code not in (
                    200, 301, 302, 303, 403, 404, 405,
                ):  # fmt: skip
                    failures.append(f"{path} {name}={label}: {response.status_code}")
    assert failures == [], f"{len(failures)} of {submissions} submissions failed"
