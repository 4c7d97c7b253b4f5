"""The budget table as an Excel workbook: the rows of the page, numbers as numbers.

Every text cell goes through `escape`, so that a line named "=HYPERLINK(...)"
is shown as text and never run as a formula by the reader's spreadsheet.
"""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from finsam.excel import MIME_TYPE, NUMBER_FORMAT, escape, in_unit  # noqa: F401

from .tables import percent

BOLD_STYLES = ("rubrik", "summa", "slutsumma", "underrubrik")

# Made once: openpyxl hashes each style it is given, and a new object per cell
# costs more than the rest of the row.
TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)
ITALIC = Font(italic=True)
LINE_BELOW = Border(bottom=Side(style="thin"))
LINE_ABOVE = Border(top=Side(style="thin"))
RIGHT = Alignment(horizontal="right")
INDENTS = {}


def _indent(level):
    if level not in INDENTS:
        INDENTS[level] = Alignment(indent=level * 2)
    return INDENTS[level]


def budget_workbook(table, *, unit, show_outcome):
    """The table as .xlsx bytes: title, förbund, status and version, then the rows."""
    budget = table.budget
    wb = Workbook()
    ws = wb.active
    ws.title = f"Budget {budget.year}"

    columns = ["", "Insatsägare", f"Budget {budget.year}"]
    published = table.has_published
    if published:
        which = "fastställd" if budget.is_frozen else "publicerad"
        columns.append(f"Enligt {which} budget")
    if show_outcome:
        columns += ["Utfall", "Prognos"]
    last = len(columns)

    ws.append([escape(f"Budget {budget.year}")])
    ws["A1"].font = TITLE
    ws.append([escape(budget.forbund.name)])
    ws.append(
        [escape(f"{budget.get_status_display()}, version {budget.version}. Belopp i {unit}.")]
    )
    ws.append([])
    ws.append([escape(c) for c in columns])
    header = ws.max_row
    for cell in ws[header]:
        cell.font = BOLD
        cell.border = LINE_BELOW
    for col in range(3, last + 1):
        ws.cell(header, col).alignment = RIGHT

    # Rows are counted here: `ws.max_row` and `ws[n]` look at every cell written so far.
    number = header
    for row in table.rows:
        values = [escape(row.label), escape(row.owner), in_unit(row.amount, unit)]
        if published:
            values.append(in_unit(row.published, unit))
        if show_outcome:
            values += [in_unit(row.outcome, unit), in_unit(row.forecast, unit)]
        ws.append(values)
        number += 1
        cells = [ws.cell(number, column) for column in range(1, last + 1)]
        if row.level:
            cells[0].alignment = _indent(row.level)
        for cell in cells[2:last]:
            cell.number_format = NUMBER_FORMAT
        if row.style in BOLD_STYLES:
            for cell in cells[:last]:
                cell.font = BOLD
        if row.style == "kolumnrubrik":
            for cell in cells[:last]:
                cell.font = ITALIC
        if row.style in ("summa", "slutsumma"):
            for cell in cells[2:last]:
                cell.border = LINE_ABOVE

    ws.append([])
    number += 1
    for label, amount in [
        ("Eget kapital vid årets slut", table.equity),
        (
            f"Tak för eget kapital ({percent(table.equity_ceiling_percent)} % av "
            "medlemsavgifterna)",
            table.equity_ceiling,
        ),
    ]:
        ws.append([escape(label), None, in_unit(amount, unit)])
        number += 1
        ws.cell(number, 3).number_format = NUMBER_FORMAT

    if table.differences:
        ws.append([])
        ws.append([escape("Summor som inte stämmer med sina rader (båda siffrorna visas):")])
        ws.cell(ws.max_row, 1).font = BOLD
        for text in table.difference_texts(unit):
            ws.append([escape(text)])

    widths = [46, 18] + [14] * (last - 2)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(header + 1, 1)

    out = BytesIO()
    wb.save(out)
    return out.getvalue()
