"""Swedish number and amount formatting for pages and printed documents."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()

NBSP = "\u00a0"
MINUS = "\u2212"


def group_thousands(number: int) -> str:
    text = f"{abs(number):,}".replace(",", NBSP)
    return f"{MINUS}{text}" if number < 0 else text


def in_unit(amount, unit="tkr") -> int:
    """Kronor as whole kronor or whole thousands, rounded half up."""
    amount = Decimal(amount)
    if unit == "tkr":
        amount = amount / 1000
    return int(amount.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@register.filter
def belopp(amount, unit="tkr"):
    """`23490000|belopp:"tkr"` → `23 490`; `-518000|belopp` → `−518`."""
    if amount is None or amount == "":
        return ""
    return group_thousands(in_unit(amount, unit))


@register.filter
def tal(number):
    """A whole number with Swedish thousands separators."""
    if number is None or number == "":
        return ""
    return group_thousands(int(number))


@register.filter
def datum(value):
    """Dates as 2026-11-18."""
    return value.strftime("%Y-%m-%d") if value else ""
