"""A page's Historik list (templates/finsam/_historik.html), written in Python.

An object page shows up to a hundred events with a few changes each; as a
template with an include per change, that list was half of a detail page's
time. The markup is the template's, built with `format_html`, which escapes
every value.
"""

from django import template
from django.template.defaultfilters import date, linebreaksbr
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

register = template.Library()

SHORT = 25  # a value shorter than this does not break across lines


@register.simple_tag
def historik_entries(entries):
    """The `<li>` of each entry (`finsam.history.Entry`), newest first."""
    return mark_safe("".join(_entry(entry) for entry in entries))


def _entry(entry):
    handelse = entry.handelse
    if entry.other_subject:
        title = format_html(
            "<strong>{}:</strong> {} ”{}”", entry.action, entry.subject_kind, handelse.subject_repr
        )
    else:
        title = format_html("<strong>{}</strong>", entry.action)
    at = template_localtime(handelse.at)
    html = format_html(
        '<li class="border-start border-2 ps-3 pb-3"><p class="mb-1">{}'
        '<span class="d-block small text-secondary"><time datetime="{}">{}</time> av {}</span>'
        "</p>",
        title,
        date(at, "c"),
        date(at, "Y-m-d H:i"),
        handelse.user or "systemet",
    )
    if entry.changes:
        html += format_html(
            '<ul class="small mb-1 ps-3 text-break">{}</ul>',
            format_html_join("", "<li>{}</li>", ((_change_with_parts(c),) for c in entry.changes)),
        )
    if handelse.reason:
        html += format_html(
            '<p class="small mb-0"><span class="text-secondary">Motivering:</span> {}</p>',
            linebreaksbr(handelse.reason, autoescape=True),
        )
    return html + mark_safe("</li>")


def _change_with_parts(change):
    if not change.parts:
        return _change(change)
    parts = format_html_join("", "<li>{}</li>", ((_change(part),) for part in change.parts))
    return format_html('{}<ul class="ps-3">{}</ul>', _change(change), parts)


def _change(change):
    """One change: label, before → after; of a long text, the lines that changed."""
    if change.parts:
        return format_html('<span class="fw-semibold">{}</span>', change.label)
    label = format_html('<span class="fw-semibold">{}:</span> ', change.label)
    if change.long:
        return label + _long(change)
    if change.before is not None:
        return label + format_html(
            '{} <span aria-hidden="true">→</span><span class="visually-hidden">ändrades till'
            "</span> {}",
            _value(change.before),
            _value(change.after),
        )
    return label + format_html("{}", change.after)


def _value(text):
    if len(text) < SHORT:
        return format_html('<span class="text-nowrap">{}</span>', text)
    return format_html("<span>{}</span>", text)


def _long(change):
    if change.before is None:
        summary = "Visa texten"
        body = format_html(
            '<div class="border-start ps-2 mt-1">{}</div>', linebreaksbr(change.after, True)
        )
    else:
        summary = "Visa vad som ändrades"
        removed, added = change.lines_changed()
        body = _lines("Borttaget:", "border-danger", removed) + _lines(
            "Tillagt:", "border-success", added
        )
        if not removed and not added:
            body = mark_safe(
                '<p class="mb-1 mt-1 text-secondary">'
                "Bara radbrytningar eller mellanrum ändrades.</p>"
            )
    return format_html(
        '<details class="d-inline-block align-top"><summary>{}</summary>{}</details>',
        summary,
        body,
    )


def _lines(heading, border, lines):
    if not lines:
        return mark_safe("")
    return format_html(
        '<p class="mb-1 mt-1 text-secondary">{}</p><div class="border-start {} ps-2 mb-2">{}</div>',
        heading,
        border,
        format_html_join("", '<p class="mb-1">{}</p>', ((line,) for line in lines)),
    )
