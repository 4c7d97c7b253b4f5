"""`list_view`: filter, search, sort, page and export one list the same way everywhere."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_tables2 import RequestConfig

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
):
    """Render `template` with `table` and `filter`, or the rows as Excel on `?export=xlsx`.

    `queryset` must already be scoped to the förbund and to what the role may
    see: the filter, search, sort, count and export all start from it.
    The page's records are also in the context as `context_name`. A view that
    needs the filter's values first passes its `filterset` (from `filtered`);
    `annotate(rows)` adds what the columns show after filtering.
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

    RequestConfig(request, paginate={"per_page": per_page}).configure(table)
    filterset.mark_invalid_fields()
    context = {
        **(context or {}),
        "table": table,
        "filter": filterset,
        context_name: [row.record for row in table.paginated_rows],
        "kan_andra": can_edit(request.roll),
    }
    return render(request, template, context)
