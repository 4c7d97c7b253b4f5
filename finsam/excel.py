"""What every Excel export shares: formula escaping, number format, MIME type.

Every text cell goes through `escape`, so that a name like "=HYPERLINK(...)"
is shown as text and never run as a formula by the reader's spreadsheet.
"""

from decimal import Decimal

# Whole numbers with the reader's thousands separator (a space in Swedish
# Excel) and a real minus sign. A literal space ("# ##0") would only group
# the last three digits: 23 490 000 kr would show as "23490 000".
NUMBER_FORMAT = '#,##0;"\u2212"#,##0'
DATE_FORMAT = "yyyy-mm-dd"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MIME_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def escape(value):
    """Text that a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def in_unit(amount, unit):
    """Kronor as a number in the unit: thousands for tkr, unrounded (the format rounds)."""
    if amount is None:
        return None
    value = Decimal(amount) / 1000 if unit == "tkr" else Decimal(amount)
    return int(value) if value == value.to_integral_value() else value
