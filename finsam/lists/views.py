"""`list_view`: filter, search, sort, page and export one list the same way everywhere."""

from types import SimpleNamespace

import django_tables2 as tables
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django_tables2 import RequestConfig

from finsam import generation
from finsam.excel import MIME_TYPE
from finsam.permissions import can_edit

from .excel import table_workbook

PER_PAGE = 25


def filtered(request, queryset, filterset_class, defaults=None):
    """The filter set bound to the query string, with `defaults` where it says nothing."""
    data = request.GET.copy()
    for key, value in (defaults or {}).items():
        if not data.get(key):
            data[key] = value
    return filterset_class(data, queryset=queryset, request=request)


def list_view(
    request,
    queryset,
    table_class,
    filterset_class,
    *,
    template,
    filename,
    context=None,
    context_name="object_list",
    defaults=None,
    table_kwargs=None,
    per_page=PER_PAGE,
    filterset=None,
    annotate=None,
    cache=None,
):
    """Render `template` with `table` and `filter`, or the rows as Excel on `?export=xlsx`.

    `queryset` must already be scoped to the förbund and to what the role may
    see: the filter, search, sort, count and export all start from it.
    The page's records are also in the context as `context_name`. A view that
    needs the filter's values first passes its `filterset` (from `filtered`);
    `annotate(rows)` adds what the columns show after filtering.

    With `cache` (a name) the table (its rows and pages, as this role sees
    them under this query string) is cached per generation
    (finsam/generation.py), never the filter's form: only for a list whose
    rows and columns depend on nothing but the förbund, the role and the
    query string, and whose template reads the table only (not `context_name`).
    """
    if filterset is None:
        filterset = filtered(request, queryset, filterset_class, defaults)
    rows = filterset.qs if annotate is None else annotate(filterset.qs)
    table_kwargs = dict(table_kwargs or {})
    if not can_edit(request.roll):
        table_kwargs.setdefault("exclude", ("andra",))
    table = table_class(rows, request=request, **table_kwargs)

    if request.GET.get("export") == "xlsx":
        RequestConfig(request, paginate=False).configure(table)
        title = table.export_title or table.caption
        today = timezone.localdate()
        subtitle = f"{request.forbund.name}, {today:%Y-%m-%d}. Belopp i {table.unit}."
        response = HttpResponse(table_workbook(table, title=title, subtitle=subtitle), MIME_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response

    filterset.mark_invalid_fields()
    context = {**(context or {}), "filter": filterset, "kan_andra": can_edit(request.roll)}
    if cache and generation.usable(request):
        query = sorted(request.GET.lists())
        served = generation.value(
            request,
            f"list:{cache}",
            lambda: _rendered(request, table, per_page),
            request.path,
            query,
        )
        context["table"] = ServedTable(served)
        return render(request, template, context)
    RequestConfig(request, paginate={"per_page": per_page}).configure(table)
    context.update({"table": table, context_name: [row.record for row in table.paginated_rows]})
    return render(request, template, context)


def _rendered(request, table, per_page):
    """The table as `{% render_table %}` writes it, with what the page says of its pages."""
    RequestConfig(request, paginate={"per_page": per_page}).configure(table)
    table.before_render(request)
    html = get_template(table.template_name).render({"table": table}, request)
    generation._no_csrf(html)
    return {
        "html": html,
        "count": table.paginator.count,
        "num_pages": table.paginator.num_pages,
        "number": table.page.number,
    }


class ServedTable(tables.Table):
    """A cached table for `{% render_table %}` and the list's line of rows and pages."""

    def __init__(self, served):
        super().__init__([], template_name="lists/_served.html")
        self.html = mark_safe(served["html"])
        self.paginator = SimpleNamespace(count=served["count"], num_pages=served["num_pages"])
        self.page = SimpleNamespace(number=served["number"])
