"""A page's Historik list (templates/finsam/_historik.html), written in Python.

An object page shows up to a hundred events with a few changes each; as a
template with an include per change, that list was half of a detail page's
time. The markup is the template's; every value goes through `_e`, which
escapes it as a template does (safe strings stay as they are).
"""

import html

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

register = template.Library()

SHORT = 25  # a value shorter than this does not break across lines


def _e(value):
    """`conditional_escape`, without its support for lazy strings: a few thousand calls a page."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@register.simple_tag
def historik_entries(entries):
    """The `<li>` of each entry (`finsam.history.Entry`), newest first."""
    return mark_safe("".join(_entry(entry) for entry in entries))


def _entry(entry):
    handelse = entry.handelse
    if entry.other_subject:
        title = (
            f"<strong>{_e(entry.action)}:</strong> {_e(entry.subject_kind)} "
            f"”{_e(handelse.subject_repr)}”"
        )
    else:
        title = f"<strong>{_e(entry.action)}</strong>"
    at = template_localtime(handelse.at)
    parts = [
        f'<li class="border-start border-2 ps-3 pb-3"><p class="mb-1">{title}'
        f'<span class="d-block small text-secondary"><time datetime="{at.isoformat()}">'
        f"{at:%Y-%m-%d %H:%M}</time> av {_e(handelse.user or 'systemet')}</span></p>"
    ]
    if entry.changes:
        items = "".join(f"<li>{_change_with_parts(change)}</li>" for change in entry.changes)
        parts.append(f'<ul class="small mb-1 ps-3 text-break">{items}</ul>')
    if handelse.reason:
        parts.append(
            '<p class="small mb-0"><span class="text-secondary">Motivering:</span> '
            f"{linebreaksbr(handelse.reason, autoescape=True)}</p>"
        )
    parts.append("</li>")
    return "".join(parts)


def _change_with_parts(change):
    if not change.parts:
        return _change(change)
    items = "".join(f"<li>{_change(part)}</li>" for part in change.parts)
    return f'{_change(change)}<ul class="ps-3">{items}</ul>'


def _change(change):
    """One change: label, before → after; of a long text, the lines that changed."""
    if change.parts:
        return f'<span class="fw-semibold">{_e(change.label)}</span>'
    label = f'<span class="fw-semibold">{_e(change.label)}:</span> '
    if change.long:
        return label + _long(change)
    if change.before is not None:
        return (
            f'{label}{_value(change.before)} <span aria-hidden="true">→</span>'
            f'<span class="visually-hidden">ändrades till</span> {_value(change.after)}'
        )
    return label + _e(change.after)


def _value(text):
    if len(text) < SHORT:
        return f'<span class="text-nowrap">{_e(text)}</span>'
    return f"<span>{_e(text)}</span>"


def _long(change):
    if change.before is None:
        summary = "Visa texten"
        body = (
            f'<div class="border-start ps-2 mt-1">{linebreaksbr(change.after, autoescape=True)}'
            "</div>"
        )
    else:
        summary = "Visa vad som ändrades"
        removed, added = change.lines_changed()
        body = _lines("Borttaget:", "border-danger", removed) + _lines(
            "Tillagt:", "border-success", added
        )
        if not removed and not added:
            body = (
                '<p class="mb-1 mt-1 text-secondary">'
                "Bara radbrytningar eller mellanrum ändrades.</p>"
            )
    return f'<details class="d-inline-block align-top"><summary>{summary}</summary>{body}</details>'


def _lines(heading, border, lines):
    if not lines:
        return ""
    paragraphs = "".join(f'<p class="mb-1">{_e(line)}</p>' for line in lines)
    return (
        f'<p class="mb-1 mt-1 text-secondary">{heading}</p>'
        f'<div class="border-start {border} ps-2 mb-2">{paragraphs}</div>'
    )
