"""Template tags for accessible pages: the menu's current section and forms' error summary."""

from django import forms, template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


def section_of(path):
    """The menu section of a förbund URL: `/uppsala/insatser/12/` → "insatser"."""
    parts = path.split("/")
    return parts[2] if len(parts) > 2 else ""


@register.simple_tag(takes_context=True)
def menu_link(context, url_name, label, also=""):
    """A menu link, marked `aria-current="page"` on every page of its section (and of
    the sections named in `also`, comma-separated)."""
    request = context["request"]
    url = reverse(url_name, args=[request.forbund.slug])
    current = section_of(request.path)
    if current == section_of(url) or (also and current in also.split(",")):
        return format_html(
            '<a class="nav-link active" aria-current="page" href="{}">{}</a>', url, label
        )
    return format_html('<a class="nav-link" href="{}">{}</a>', url, label)


def with_row(label, row):
    """A column's label with its row put in, before the unit: "Beviljat belopp 2027 (kr)"."""
    label, row = str(label or ""), str(row or "")
    if not row:
        return label
    name, bracket, unit = label.rpartition(" (")
    if bracket and unit.endswith(")"):
        return f"{name} {row} ({unit}"
    return f"{label} {row}" if label else row


def row_of(form):
    """A formset form's row as people name it: its `row_label`, or its place."""
    if label := getattr(form, "row_label", ""):
        return label
    index = (form.prefix or "").rpartition("-")[2]
    return f"rad {int(index) + 1}" if index.isdigit() else ""


@register.simple_tag
def cell_label(field, row="", column=""):
    """The label of a field in a table cell: its column and its row (the form's row
    unless given)."""
    return with_row(column or field.label, row or row_of(field.form))


def _flat(items):
    for item in items:
        if isinstance(item, list | tuple):
            yield from _flat(item)
        elif isinstance(item, forms.BaseFormSet | forms.BaseForm):
            yield item


def _rows(items):
    """(form, row label) for each form; a formset's forms are named by their row."""
    for item in items:
        if isinstance(item, forms.BaseFormSet):
            for form in item.forms:
                yield form, row_of(form)
        else:
            yield item, ""


def _error(label, message, field_id=""):
    return {"label": label, "message": message, "id": field_id}


@register.inclusion_tag("forms/_error_summary.html")
def error_summary(
    *items, heading="Inget är sparat. Rätta det som är markerat nedan.", required=None
):
    """The top of a form: the required mark explained, and after a failed submit every
    error, each with a link to its field.

    `items` are forms and formsets. A formset's form may name its row (`row_label`,
    e.g. the grant's year), so that the link reads "Beviljat belopp 2027: …".
    """
    items = list(_flat(items))
    errors = []
    for item in items:
        if isinstance(item, forms.BaseFormSet):
            errors.extend(_error("", message) for message in item.non_form_errors())
    for form, row in _rows(items):
        errors.extend(_error(row, message) for message in form.non_field_errors())
        for bound in form:
            label = with_row(bound.label, row)
            field_id = "" if bound.is_hidden else bound.id_for_label
            errors.extend(_error(label, message, field_id) for message in bound.errors)
    failed = any(
        item.total_error_count() if isinstance(item, forms.BaseFormSet) else item.errors
        for item in items
    )
    # The mark (*) is shown beside the labels of a plain form's fields, not in table
    # cells; a page whose formsets show labels says `required=True`.
    if required is None:
        required = any(
            bound.field.required and bound.label
            for item in items
            if isinstance(item, forms.BaseForm)
            for bound in item.visible_fields()
        )
    return {"errors": errors, "failed": failed, "required": required, "heading": heading}
