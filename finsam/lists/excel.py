"""A list as an Excel workbook: every filtered row (all pages), Swedish headers."""

import datetime
from decimal import Decimal
from io import BytesIO

from django.utils.encoding import force_str
from openpyxl import Workbook
from openpyxl.styles import Border, Font, Side
from openpyxl.utils import get_column_letter

from finsam.excel import DATE_FORMAT, NUMBER_FORMAT, escape


def _cell(value):
    if value is None or isinstance(value, bool | int | Decimal | float):
        return value
    if isinstance(value, datetime.date | datetime.time):
        return value
    return escape(force_str(value))


def table_workbook(table, *, title, subtitle):
    """The table's rows as .xlsx bytes: title, förbund and unit, header, rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([escape(title)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([escape(subtitle)])
    ws.append([])
    rows = table.as_values()
    headers = next(rows)
    ws.append([escape(force_str(h)) for h in headers])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.border = Border(bottom=Side(style="thin"))
    widths = [len(force_str(h)) for h in headers]
    # Rows are counted here: `ws.max_row` and `ws[n]` look at every cell written so
    # far, which made a long list's export quadratic.
    number = header_row
    for values in rows:
        ws.append([_cell(v) for v in values])
        number += 1
        for col in range(len(headers)):
            cell = ws.cell(number, col + 1)
            if isinstance(cell.value, int | Decimal | float) and not isinstance(cell.value, bool):
                cell.number_format = NUMBER_FORMAT
            elif isinstance(cell.value, datetime.date):
                cell.number_format = DATE_FORMAT
            widths[col] = max(widths[col], len(force_str(cell.value or "")))
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 10), 60)
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
