"""Reading the scalar values of a förbund file: text, amounts, dates, choices.

Each reader takes what YAML gave and returns the clean value, or raises
`Invalid` with a Swedish message that quotes what the file said.
"""

import datetime
import re
from decimal import Decimal

import yaml

from finsam.validators import MESSAGE as PERSONNUMMER_MESSAGE
from finsam.validators import find_personnummer


class Invalid(Exception):
    pass


def quoted(value):
    return f"'{value}'"


def text(value):
    if value is None:
        raise Invalid("saknas")
    if isinstance(value, bool | list | dict):
        raise Invalid("ska vara text")
    if find_personnummer(str(value)):
        raise Invalid(PERSONNUMMER_MESSAGE)
    return str(value).strip()


def integer(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
        return int(value)
    raise Invalid(f"inte ett heltal: {quoted(value)}")


def days_until_due(value):
    days = integer(value)
    if not 1 <= days <= 180:
        raise Invalid(f"ska vara mellan 1 och 180 dagar: {quoted(value)}")
    return days


def year(value):
    try:
        number = integer(value)
    except Invalid:
        number = None
    if number is None or not 1900 <= number <= 2200:
        raise Invalid(f"inte ett år: {quoted(value)}")
    return number


_DECIMAL = re.compile(r"[+-]?\d+(\.\d+)?")
_SPACES = re.compile(r"[ \u00a0\u202f]")


def decimal(value):
    """A number: 8, "12.5", "12,5", "23 490 000", "−518 000"."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str):
        cleaned = _SPACES.sub("", value.strip()).replace("\u2212", "-")
        if cleaned.count(",") == 1 and "." not in cleaned:
            cleaned = cleaned.replace(",", ".")
        if _DECIMAL.fullmatch(cleaned):
            return Decimal(cleaned)
    raise Invalid(f"inte ett tal: {quoted(value)}")


def amount(value):
    """Kronor, at most two decimals (öre); may be negative (a deficit)."""
    try:
        number = decimal(value)
    except Invalid:
        raise Invalid(f"inte ett belopp: {quoted(value)}") from None
    if number.as_tuple().exponent < -2:
        raise Invalid(f"högst två decimaler (öre): {quoted(value)}")
    return number


def non_negative_amount(value):
    number = amount(value)
    if number < 0:
        raise Invalid(f"får inte vara negativt: {quoted(value)}")
    return number


def percent(value):
    """A share in percent, 0–100, at most four decimals: 11.6567."""
    try:
        number = decimal(value)
    except Invalid:
        raise Invalid(f"inte en andel i procent: {quoted(value)}") from None
    if not 0 <= number <= 100:
        raise Invalid(f"ska vara mellan 0 och 100 (procent): {quoted(value)}")
    if number.as_tuple().exponent < -4:
        raise Invalid(f"högst fyra decimaler: {quoted(value)}")
    return number


def date(value):
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise Invalid(f"inte ett datum (ÅÅÅÅ-MM-DD): {quoted(value)}")


def time(value):
    if isinstance(value, str) and re.fullmatch(r"\d{1,2}[:.]\d{2}", value.strip()):
        hour, minute = re.split(r"[:.]", value.strip())
        try:
            return datetime.time(int(hour), int(minute))
        except ValueError:
            pass
    raise Invalid(f"inte en tid (TT:MM): {quoted(value)}")


def boolean(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("ja", "nej"):
        return value.strip().lower() == "ja"
    raise Invalid(f"ska vara true eller false: {quoted(value)}")


_FOLD = str.maketrans("åäöé", "aaoe")


def choice(choices, unknown="okänt värde", blank=False):
    """One of a model's TextChoices values; case and å/ä/ö do not matter."""
    allowed = [str(c.value) for c in choices]

    def read(value):
        if blank and value in ("", None):
            return ""
        if isinstance(value, str):
            folded = value.strip().lower().translate(_FOLD)
            if folded in allowed:
                return folded
        raise Invalid(f"{unknown} {quoted(value)} (tillåtna: {', '.join(allowed)})")

    return read


def one_to_four(value):
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4:
        return value
    raise Invalid(f"ska vara 1, 2, 3 eller 4: {quoted(value)}")


# The YAML dialect of the file. PyYAML follows YAML 1.1, where `13:00` is a
# number (sexagesimal), `no` is false and `2026-13-01` crashes the reader.
# This loader only knows null, true/false and plain integers; everything else
# (dates, decimals, times) arrives as text and is read by the functions above,
# which give a message with the place instead of a traceback.


class StrictLoader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        """A mapping that refuses a key written twice (PyYAML keeps the last one silently)."""
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue  # `<<: *anchor` keys may be overridden
                key = self.construct_object(key_node, deep=True)
                if isinstance(key, list | dict):
                    continue  # the base class reports unhashable keys
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"nyckeln {quoted(key)} står två gånger", key_node.start_mark
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


StrictLoader.yaml_implicit_resolvers = {}
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?(?:0|[1-9][0-9]*))$"), list("-+0123456789")
)
StrictLoader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])


def slug(value):
    if isinstance(value, str) and re.fullmatch(r"[a-z0-9]+(?:[-_][a-z0-9]+)*", value.strip()):
        return value.strip()
    raise Invalid(f"bara a–z, 0–9, bindestreck och understreck: {quoted(value)}")


def months(value):
    """ "maj" or "maj–juni" (or "maj-juni"): (first month, last month or None), 1–12."""
    from budget.models import MONTHS

    if not isinstance(value, str):
        raise Invalid(f"en månad eller två med tankstreck, t.ex. 'maj–juni': {quoted(value)}")
    parts = [p.strip().lower() for p in re.split(r"\s*[–-]\s*", value.strip())]
    if len(parts) > 2 or any(p not in MONTHS for p in parts):
        raise Invalid(f"en månad eller två med tankstreck, t.ex. 'maj–juni': {quoted(value)}")
    first = MONTHS.index(parts[0]) + 1
    last = MONTHS.index(parts[-1]) + 1 if len(parts) == 2 else None
    if last is not None and last < first:
        raise Invalid(f"slutmånaden kommer före startmånaden: {quoted(value)}")
    return first, last
