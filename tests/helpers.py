from html.parser import HTMLParser


def form_data(response, *names):
    """POST data as the page's forms and formsets hold it, ready to change and send."""
    data = {}
    for name in names:
        obj = response.context[name]
        forms = [obj.management_form, *obj.forms] if hasattr(obj, "management_form") else [obj]
        for form in forms:
            for field in form:
                value = field.value()
                if value is True:
                    data[field.html_name] = "on"
                elif value is not None and value is not False:
                    data[field.html_name] = value
    return data


def xlsx_rows(response):
    """An Excel response's cells, row by row (openpyxl reads the file back)."""
    from io import BytesIO

    from openpyxl import load_workbook

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def query_count(client, url):
    """How many queries one GET of `url` takes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


class _FormParser(HTMLParser):
    """The fields of each POST form of a page, as a browser would send them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self._form = []
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "reset"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if attrs.get("type") in ("checkbox", "radio") else ""
            self._form.append([name, attrs.get("value", default)])
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self._select is not None:
            self._select["options"].append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            select, self._select = self._select, None
            chosen = [value for value, selected in select["options"] if selected]
            if not chosen and not select["multiple"] and select["options"]:
                chosen = [select["options"][0][0]]
            self._form.extend([select["name"], value] for value in chosen)
        elif tag == "textarea" and self._textarea is not None:
            self._form.append([self._textarea[0], self._textarea[1].removeprefix("\n")])
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def page_form(response):
    """The POST data of the page's largest POST form, read from the HTML the browser gets.

    A dict of name to value (a list where a name repeats), to change and send.
    """
    parser = _FormParser()
    parser.feed(response.content.decode())
    fields = max(parser.forms, key=len)
    data = {}
    for name, value in fields:
        if name in data:
            data[name] = [*([data[name]] if isinstance(data[name], str) else data[name]), value]
        else:
            data[name] = value
    return data
