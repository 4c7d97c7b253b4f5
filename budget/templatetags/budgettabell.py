"""The budget table's rows (templates/budget/_tabell.html), written in Python.

A national förbund's budget has dozens of rows with five cells each, whose
classes depend on the row: as template conditions, that was most of the
budget page's rendering. The markup is the template's; every value is escaped.
"""

import html

from django import template
from django.utils.safestring import mark_safe

from finsam.templatetags.finsam import belopp

register = template.Library()

NO_FORECAST = "Ingen prognos inskriven: budgetbeloppet"


def _negative(amount):
    return amount is not None and amount < 0


@register.simple_tag
def budget_rows(table, unit, show_outcome=False):
    """The `<tr>` of each row of `table` (budget.tables.budget_table), in `unit`."""
    published = table.has_published
    return mark_safe("".join(_row(row, unit, show_outcome, published) for row in table.rows))


def _row(row, unit, show_outcome, published=False):
    label = html.escape(str(row.label))
    if row.style == "rubrik":
        span = (5 if show_outcome else 3) + (1 if published else 0)
        cells = f'<th colspan="{span}" scope="rowgroup">{label}</th>'
        return f'<tr class="{row.style}">{cells}</tr>'
    label_class = {1: "indrag", 2: "indrag-2"}.get(row.level, "")
    if row.level == 0 and row.style != "rad":
        label_class += " text-uppercase"
    if row.style == "kolumnrubrik":
        label_class += " fst-italic text-secondary small"
    elif row.style == "underrubrik":
        label_class += " fw-semibold"
    owner_class = "fst-italic text-secondary small" if row.style == "kolumnrubrik" else ""
    cells = [
        f'<td class="{label_class}">{label}</td>',
        f'<td class="{owner_class}">{html.escape(str(row.owner))}</td>',
        _amount("belopp", row.amount, unit),
    ]
    if published:
        css = "belopp publicerad" + (" fw-semibold text-danger-emphasis" if row.differs else "")
        cells.append(_amount(css, row.published, unit))
    if show_outcome:
        cells.append(_amount("belopp utfall", row.outcome, unit))
        if row.forecast_from_budget:
            cells.append(
                f'<td class="belopp prognos text-secondary" title="{NO_FORECAST}">'
                f"{belopp(row.forecast, unit)}</td>"
            )
        else:
            cells.append(_amount("belopp prognos", row.forecast, unit))
    return f'<tr class="{html.escape(row.style)}">{"".join(cells)}</tr>'


def _amount(css, amount, unit):
    if _negative(amount):
        css += " negativ"
    return f'<td class="{css}">{belopp(amount, unit)}</td>'


@register.filter
def difference_texts(table, unit):
    """`table.difference_texts(unit)`: each published figure unlike its parts, in words."""
    return table.difference_texts(unit)
