"""No personal data about participants: free text must not hold a personnummer.

`find_personnummer(text)` finds something shaped like a Swedish personnummer
or samordningsnummer whose check digit is right: YYMMDDNNNC with or without
the century (19/20), with "-", "+" or nothing between date and number; a
samordningsnummer has 60 added to the day. The check digit is the Luhn sum
over the ten digits YYMMDDNNNC. A date-like string with a wrong check digit,
an amount, a phone number or a diarienummer (2026/14) passes.
"""

import re

from django.core.exceptions import ValidationError

MESSAGE = (
    "Texten verkar innehålla ett personnummer eller samordningsnummer. "
    "Uppgifter om enskilda deltagare får inte sparas i systemet."
)

# Six or eight digits, an optional "-" or "+", four digits; not inside a longer number.
PATTERN = re.compile(r"(?<![0-9])(?:(19|20)([0-9]{6})|([0-9]{6}))([-+]?)([0-9]{4})(?![0-9])")


def luhn_ok(digits):
    """The Luhn check over the ten digits YYMMDDNNNC (weights 2, 1, 2, 1, ...)."""
    total = 0
    for i, char in enumerate(digits):
        product = int(char) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return total % 10 == 0


def _date_ok(yymmdd):
    month, day = int(yymmdd[2:4]), int(yymmdd[4:6])
    if day > 60:
        day -= 60  # samordningsnummer
    return 1 <= month <= 12 and 1 <= day <= 31


def find_personnummer(text):
    """The first personnummer or samordningsnummer with a valid check digit, or None."""
    if not isinstance(text, str) or not text:
        return None
    for match in PATTERN.finditer(text):
        date = match.group(2) or match.group(3)
        digits = date + match.group(5)
        if _date_ok(date) and luhn_ok(digits):
            return match.group(0)
    return None


def validate_no_personnummer(value):
    """A form field's validator: refuses text holding a personnummer or samordningsnummer."""
    if find_personnummer(value):
        raise ValidationError(MESSAGE, code="personnummer")
