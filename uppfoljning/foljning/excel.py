"""The follow-up's key figures and result targets as an Excel workbook, as published.

Hidden counts are the text ``..`` (never the figure), every text cell goes
through `escape`, and the numbers are numbers.
"""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from finsam.excel import escape

from .charts import formatted

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)


def _value(value, unit="antal"):
    """A number stays a number (a share in percent), a hidden or missing one is text."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        return escape(value)
    return int(value) if unit != "procent" else float(value)


def _row(ws, values, bold=False):
    ws.append(values)
    if bold:
        for cell in ws[ws.max_row]:
            cell.font = BOLD


def _lines(ws, lines, unit="antal"):
    for line in lines:
        values = [escape(line.label), escape(line.owner)]
        values += [_value(c.value, unit) for c in line.cells]
        _row(ws, values, bold=line.is_forbund)


def workbook(figures):
    period = figures.period
    wb = Workbook()
    ws = wb.active
    ws.title = "Nyckeltal"
    ws.append([escape(f"Uppföljning {period.label}")])
    ws["A1"].font = TITLE
    ws.append([escape(figures.forbund.name)])
    ws.append(
        [
            escape(
                f"Godkända rapporter: {figures.reports['approved']}; ej godkända: "
                f"{figures.reports['not_approved']}. Antal 1–4 visas som .., '–': underlag saknas."
            )
        ]
    )
    gender = ["Kvinnor", "Män", "Totalt"]
    for label, forbund_line, lines in figures.participants:
        ws.append([])
        _row(ws, [escape(label), "Insatsägare", *gender], bold=True)
        _lines(ws, [forbund_line, *lines])
    ws.append([])
    _row(ws, ["Avslutade efter orsak", "", *gender], bold=True)
    for line in figures.reasons:
        _row(ws, [escape(line.label), "", *[_value(c.value) for c in line.cells]])
    for label, forbund_line, lines in figures.shares:
        ws.append([])
        _row(ws, [escape(f"{label} (%)"), "Insatsägare", *gender], bold=True)
        _lines(ws, [forbund_line, *lines], "procent")
    ws.append([])
    _row(ws, ["Mål i strukturinsatser", "Insatsägare", "Uppnådda", "Bedömda", "Andel (%)"], True)
    forbund_line, lines = figures.goals
    for line in [forbund_line, *lines]:
        a, b, share = line.cells
        values = [escape(line.label), escape(line.owner), _value(a.value), _value(b.value)]
        _row(ws, [*values, _value(share.value, "procent")], bold=line.is_forbund)
    ws.append([])
    _row(ws, ["Aktiviteter", "Insatsägare", "Antal", *gender], bold=True)
    forbund_line, lines = figures.activities
    _lines(ws, [forbund_line, *lines])

    ws = wb.create_sheet("Resultatmål")
    heading = ["Resultatmål", "Mäts som", "Målvärde", "Rad", "Insatsägare", "Mått", "Värde"]
    _row(ws, [*heading, "Bedömning"], bold=True)
    for target in figures.targets:
        r = target.resultatmal
        head = [escape(f"{r.number} {r.text}"), escape(r.get_indicator_display())]
        head.append(formatted(r.target, target.unit) if r.target is not None else "–")
        if target.manual:
            text = target.bedomning.text if target.bedomning else ""
            row = ["Förbundet", "", "Kansliets bedömning", escape(text), target.status_label]
            ws.append([*head, *row])
            continue
        names = gender if target.by_gender else ["Värde"]
        for line in target.lines:
            for name, c in zip(names, line.cells, strict=True):
                ws.append(
                    [
                        *head,
                        escape(line.label),
                        escape(line.owner),
                        name,
                        _value(c.value, target.unit),
                        c.status_label,
                    ]
                )
    for sheet in wb.worksheets:
        sheet.column_dimensions["A"].width = 48
        sheet.column_dimensions["B"].width = 24
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
