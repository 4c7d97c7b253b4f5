"""The base table and columns every list shares (django-tables2).

A list is a `Table` subclass naming its columns; the template
`lists/table.html` gives every list the same Swedish, accessible markup
(caption, `th scope`, sort links with `aria-sort`, "Föregående/Nästa").
"""

import functools
import inspect

import django_tables2 as tables
import django_tables2.utils
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Case, F, Value, When
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.formats import localize
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django_tables2.columns.linkcolumn import BaseLinkColumn

from finsam.excel import in_unit
from finsam.sorting import swedish_key
from finsam.templatetags.finsam import belopp, datum

from .collation import swedish


def _read_once(signature):
    """django-tables2 reads the signature of a column's `render` for every cell
    (`inspect.signature`, a third of a list's cells' time). A function's
    signature does not change: read it once per function. A bound method's
    is its function's without `self`, whatever the instance."""

    @functools.lru_cache(maxsize=256)
    def of_function(function):
        return signature(function.__get__(object()))

    @functools.wraps(signature)
    def read(fn):
        function = getattr(fn, "__func__", None)
        if function is None or getattr(fn, "__self__", None) is None:
            return signature(fn)
        return of_function(function)

    return read


if not hasattr(django_tables2.utils.signature, "__wrapped__"):
    django_tables2.utils.signature = _read_once(django_tables2.utils.signature)


def _shown(value):
    """A cell as `{{ cell }}` in a template shows it: local time, localized, escaped."""
    return conditional_escape(localize(template_localtime(value)))


class _Cell:
    """A column's cell of a row, as django-tables2's `BoundRow.get_cell` gives it.

    `get_cell` looks up, for every cell, the bound column by name, its
    accessor, the model field behind it (for a choice's label), its render
    function and its default; they are the same for every row of a page and
    are looked up here once. Columns that link, span many-to-many relations or
    fill link text themselves keep django-tables2's own way.
    """

    def __init__(self, bound_column):
        self.bound_column = bound_column
        column = bound_column.column
        self.column = column
        self.plain = not (
            bound_column.link or isinstance(column, tables.ManyToManyColumn | BaseLinkColumn)
        )
        self.accessor = django_tables2.utils.Accessor(bound_column.accessor)
        path, _, self.remainder = self.accessor.rpartition(self.accessor.SEPARATOR)
        self.path = django_tables2.utils.Accessor(path) if path else None
        self.render = bound_column.render
        self.default = bound_column.default
        self.fields = {}  # (record's, penultimate's model) -> (model field, labels)

    def _field(self, record, penultimate):
        """The accessor's model field, and its choices' labels where the penultimate's
        `get_FOO_display` is Django's (which builds them anew, translated, every call)."""
        key = (type(record), type(penultimate))
        if key not in self.fields:
            field = self.accessor.get_field(record)
            method = inspect.getattr_static(
                type(penultimate), f"get_{self.remainder}_display", None
            )
            labels = None
            if getattr(field, "choices", ()) and isinstance(method, functools.partialmethod):
                labels = {
                    make_hashable(value): force_str(label, strings_only=True)
                    for value, label in field.flatchoices
                }
            self.fields[key] = (field, labels)
        return self.fields[key]

    def __call__(self, row):
        if not self.plain:
            return row.get_cell(self.bound_column.name)
        record = row.record
        value, remainder = None, self.remainder
        penultimate = record if self.path is None else self.path.resolve(record, quiet=True)
        if isinstance(penultimate, models.Model):
            field, labels = self._field(record, penultimate)
            if labels is not None:  # Django's own get_FOO_display(), its labels read once
                value = getattr(penultimate, field.attname)
                value, remainder = labels.get(make_hashable(value), value), None
            elif getattr(field, "choices", ()):
                display = getattr(penultimate, f"get_{remainder}_display", None)
                if display:
                    value, remainder = display(), None
        if remainder:
            try:
                value = self.accessor.resolve(record)
            except Exception:  # as django-tables2: a value it cannot find is empty
                value = None
        if value in self.column.empty_values:
            return self.default
        arguments = {
            "value": value,
            "record": record,
            "column": self.column,
            "bound_column": self.bound_column,
            "bound_row": row,
            "table": row.table,
        }
        return django_tables2.utils.call_with_appropriate(self.render, arguments)


class SwedishOrderMixin:
    """Order the column by `sort_fields` in Swedish alphabetical order."""

    def __init__(self, *args, sort_fields=None, **kwargs):
        self.sort_fields = sort_fields
        super().__init__(*args, **kwargs)

    def order(self, queryset, is_descending):
        if not self.sort_fields:
            return queryset, False
        exprs = [swedish(field) for field in self.sort_fields]
        ordering = [e.desc() if is_descending else e.asc() for e in exprs]
        return queryset.order_by(*ordering, "pk"), True


class TextColumn(SwedishOrderMixin, tables.Column):
    """A text column; with `sort_fields` it sorts å ä ö after z."""


class ChoiceColumn(tables.Column):
    """A choice field shown by its label and sorted by the label in Swedish order."""

    def __init__(self, field, choices, *args, **kwargs):
        self.field = field
        self.choices = choices
        super().__init__(*args, **kwargs)

    def order(self, queryset, is_descending):
        labels = sorted(self.choices, key=lambda choice: swedish_key(str(choice[1])))
        rank = Case(
            *(
                When(**{self.field: value}, then=Value(i))
                for i, (value, _label) in enumerate(labels)
            ),
            default=Value(len(labels)),
        )
        ordering = rank.desc() if is_descending else rank.asc()
        return queryset.order_by(ordering, "pk"), True


class LinkColumn(SwedishOrderMixin, tables.Column):
    """The record's value as a link to `viewname` (förbund slug, record pk).

    The URL is built from the table's förbund, not from `record.forbund`,
    so that a page of rows costs no extra query per row.
    """

    def __init__(self, viewname, *args, **kwargs):
        self.viewname = viewname
        super().__init__(*args, **kwargs)

    def render(self, value, record, table):
        return format_html('<a href="{}">{}</a>', table.url(self.viewname, record.pk), value)

    def value(self, value):
        return str(value)


class DateColumn(tables.Column):
    def render(self, value):
        return datum(value)

    def value(self, value):
        return value


class BeloppColumn(tables.Column):
    """An amount in kronor, shown and exported in the förbund's unit (tkr or kr).

    Sorted by `sort_field` with empty amounts last both ways, on every database.
    """

    def __init__(self, *args, sort_field=None, **kwargs):
        self.sort_field = sort_field
        kwargs.setdefault(
            "attrs",
            {"th": {"class": "belopp"}, "td": {"class": "belopp"}, "tf": {"class": "belopp"}},
        )
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def order(self, queryset, is_descending):
        if not self.sort_field:
            return queryset, False
        field = F(self.sort_field)
        ordering = field.desc(nulls_last=True) if is_descending else field.asc(nulls_last=True)
        return queryset.order_by(ordering, "pk"), True

    def render(self, value, table):
        return belopp(value, table.unit)

    def value(self, value, table):
        return in_unit(value, table.unit) if value != "" else None


class NumberColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"th": {"class": "text-end"}, "td": {"class": "text-end"}})
        super().__init__(*args, **kwargs)


class EditColumn(tables.Column):
    """An "Ändra" link for the kansli; never exported, never sorted."""

    def __init__(self, viewname, *args, **kwargs):
        self.viewname = viewname
        kwargs.setdefault("verbose_name", "Åtgärder")
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("exclude_from_export", True)
        kwargs.setdefault("empty_values", ())
        kwargs.setdefault("attrs", {"th": {"class": "text-end"}, "td": {"class": "text-end"}})
        super().__init__(*args, **kwargs)

    @property
    def header(self):
        return format_html('<span class="visually-hidden">{}</span>', self.verbose_name)

    def render(self, record, table):
        return format_html(
            '<a href="{}">Ändra<span class="visually-hidden"> {}</span></a>',
            table.url(self.viewname, record.pk),
            record,
        )


MAX_PER_PAGE = 100


class Table(tables.Table):
    """A list of one förbund's rows. `caption` names the table for screen readers."""

    caption = ""
    export_title = ""

    def __init__(self, data, *, request, **kwargs):
        kwargs.setdefault("empty_text", "Inga rader med det urvalet.")
        # Set here, not only in Meta: a subclass's own Meta does not inherit it.
        kwargs.setdefault("template_name", "lists/table.html")
        kwargs.setdefault("attrs", {"class": "table table-sm align-middle table-belopp"})
        super().__init__(data, **kwargs)
        self.request = request
        self.slug = request.forbund.slug
        self.unit = request.forbund.display_unit
        self._urls = {}

    def url(self, viewname, pk):
        """`reverse(viewname, args=[slug, pk])`, reversed once per page and view name."""
        if viewname not in self._urls:
            marker = "987654321"
            head, found, tail = reverse(viewname, args=[self.slug, marker]).rpartition(marker)
            self._urls[viewname] = (head, tail) if found else None
        parts = self._urls[viewname]
        if parts is None:
            return reverse(viewname, args=[self.slug, pk])
        return f"{parts[0]}{pk}{parts[1]}"

    def body(self):
        """The page's rows as (row, its cells' HTML): the first cell a `<th scope="row">`.

        django-tables2 builds a column's attributes anew for every cell; here
        each column's are built once for the page (they are plain values, no
        callables of the record), and so is what finds a cell's value
        (`_Cell`). The cells are written here rather than by a template loop,
        which took most of a long list's rendering.
        """
        columns = []
        for i, column in enumerate(self.columns):
            attrs = column.attrs["td"].as_html()
            tag = ('<th scope="row" {}>', "</th>") if i == 0 else ("<td {}>", "</td>")
            columns.append((_Cell(column), tag[0].format(attrs), tag[1]))
        for row in self.paginated_rows:
            cells = "".join(f"{start}{_shown(cell(row))}{end}" for cell, start, end in columns)
            yield row, mark_safe(cells)

    def paginate(self, paginator_class=Paginator, per_page=None, page=1, *args, **kwargs):
        # `?per_page=` comes from the address bar: 1 to MAX_PER_PAGE rows, never
        # a negative size (an error in the paginator) or every row at once.
        per_page = min(max(per_page or self._meta.per_page, 1), MAX_PER_PAGE)
        return super().paginate(paginator_class, per_page, page, *args, **kwargs)

    class Meta:
        template_name = "lists/table.html"
        attrs = {"class": "table table-sm align-middle table-belopp"}
