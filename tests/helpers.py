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
