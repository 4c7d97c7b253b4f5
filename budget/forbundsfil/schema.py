"""The förbund file's structure, and `parse()`: YAML text to checked, clean data.

Every error is collected as "place: message" (`medlemmar[3].kind: okänd typ
'kommunn' ...`, indices from 0) so that a bad file is refused with all its
faults at once. `parse()` touches no database; `load.py` writes what it returns.

The clean data mirrors the file with every default filled in and every
reference to a member written as the member's full name, so two files that
mean the same thing parse to equal data.
"""

import copy
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from django.db.models import TextChoices

from budget import layout
from budget.models import Avsnitt, Budget, Budgetrad, Resultatmal, Verksamhetsplan
from budget.plan.outline import SYSTEM_KINDS, inferred_outline
from finsam.models import Arende, Forbund, Ledamot, Medlem, Sammantrade
from insatser.models import Insats

from . import values as v


class ForbundsfilError(Exception):
    """A file that cannot be loaded; `errors` lists every fault, one per line."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclass(frozen=True)
class Field:
    read: Callable  # (value, path, errors) -> clean value
    required: bool = False
    default: Any = ""


def scalar(reader):
    """A field reader from a value reader that raises `Invalid`."""

    def read(value, path, errors):
        try:
            return reader(value)
        except v.Invalid as error:
            errors.append(f"{path}: {error}")
            return None

    return read


def read_record(data, path, fields, errors):
    """A mapping with known keys: every field in `fields`, defaults filled in.

    A field that could not be read is None in the result.
    """
    if not isinstance(data, dict):
        errors.append(f"{path}: ska vara en mappning (nyckel: värde)")
        return None
    for key in data:
        if key not in fields:
            hint = COMMA_HINT if data[key] is None else _suggest(key, fields)
            errors.append(f"{path}: okänt fält {v.quoted(key)}{hint}")
    clean = {}
    for name, field in fields.items():
        value = data.get(name)
        if value is None or value == "":
            if field.required:
                errors.append(f"{path}.{name}: saknas")
                clean[name] = None
            else:
                clean[name] = copy.copy(field.default)
        else:
            clean[name] = field.read(value, f"{path}.{name}", errors)
    return clean


# `{name: Lokussamordnare, Uppsala, kind: individ}` reads "Uppsala" as a key without a value.
COMMA_HINT = (
    " (ett fält utan värde: står det ett kommatecken i en text på en rad inom {…}? "
    'Sätt då texten inom citattecken, t.ex. name: "Lokussamordnare, Uppsala")'
)


def _suggest(key, fields):
    close = difflib.get_close_matches(str(key), list(fields), n=1, cutoff=0.6)
    if close:
        return f" (menar du {v.quoted(close[0])}?)"
    return f" (tillåtna: {', '.join(fields)})"


def record(fields):
    def read(value, path, errors):
        return read_record(value, path, fields, errors)

    return read


def records(fields):
    def read(value, path, errors):
        if not isinstance(value, list):
            errors.append(f"{path}: ska vara en lista (rader som börjar med -)")
            return []
        return [read_record(item, f"{path}[{i}]", fields, errors) for i, item in enumerate(value)]

    return read


def texts(value, path, errors):
    if not isinstance(value, list):
        errors.append(f"{path}: ska vara en lista (rader som börjar med -)")
        return []
    return [scalar(v.text)(item, f"{path}[{i}]", errors) for i, item in enumerate(value)]


def per_year(reader):
    """{2025: 5857500, 2026: 5872500}: an amount per year, sorted by year."""

    def read(value, path, errors):
        if not isinstance(value, dict):
            errors.append(f"{path}: ska vara en mappning år: belopp, t.ex. 2026: 2523000")
            return {}
        clean = {}
        for key, amount in value.items():
            try:
                year = v.year(key)
            except v.Invalid as error:
                errors.append(f"{path}: {error}")
                continue
            clean[year] = scalar(reader)(amount, f"{path}.{key}", errors)
        return dict(sorted(clean.items()))

    return read


def choice(choices, unknown="okänt värde", blank=False):
    return scalar(v.choice(choices, unknown, blank))


TEXT = scalar(v.text)

FORBUND = {
    "slug": Field(scalar(v.slug), required=True),
    "name": Field(TEXT, required=True),
    "organisationsnummer": Field(TEXT),
    "display_unit": Field(choice(Forbund.Unit), default=Forbund.Unit.TKR.value),
    "report_interval": Field(
        choice(Forbund.ReportInterval), default=Forbund.ReportInterval.KVARTAL.value
    ),
    "report_due_days": Field(scalar(v.days_until_due), default=30),
    "equity_ceiling_percent": Field(scalar(v.decimal), default=v.decimal(20)),
}

MEDLEM = {
    "name": Field(TEXT, required=True),
    "short_name": Field(TEXT),
    "kind": Field(choice(Medlem.Kind, "okänd typ"), required=True),
    "key_share": Field(scalar(v.percent), default=None),
    "avgifter": Field(per_year(v.non_negative_amount), default={}),
}

MALGRUPP = {
    "name": Field(TEXT, required=True),
    "description": Field(TEXT),
    "prioritized": Field(scalar(v.boolean), default=False),
}

LEDAMOT = {
    "medlem": Field(TEXT, required=True),
    "name": Field(TEXT, required=True),
    "party": Field(TEXT),
    "kind": Field(choice(Ledamot.Kind, "okänd typ"), required=True),
    "chair_role": Field(choice(Ledamot.ChairRole, "okänd ordföranderoll", blank=True)),
    "mandate_start": Field(scalar(v.date), required=True),
    "mandate_end": Field(scalar(v.date), required=True),
    "email": Field(TEXT),
}

ARENDE = {
    "number": Field(scalar(v.integer), default=None),  # None: its place in the list, from 1
    "title": Field(TEXT, required=True),
    "kind": Field(choice(Arende.Kind, "okänd typ"), default=Arende.Kind.BESLUT.value),
    "description": Field(TEXT),
    "diarienummer": Field(TEXT),
    "beslut": Field(TEXT),
}

SAMMANTRADE = {
    "date": Field(scalar(v.date), required=True),
    "start_time": Field(scalar(v.time), default=None),
    "kind": Field(
        choice(Sammantrade.Kind, "okänd typ"), default=Sammantrade.Kind.STYRELSEMOTE.value
    ),
    "status": Field(
        choice(Sammantrade.Status, "okänd status"), default=Sammantrade.Status.PLANERAT.value
    ),
    "location": Field(TEXT),
    "notes": Field(TEXT),
    "arenden": Field(records(ARENDE), default=[]),
}

RESULTATMAL = {
    "number": Field(TEXT, required=True),
    "text": Field(TEXT, required=True),
    "indicator": Field(
        choice(Resultatmal.Indicator, "okänd indikator"),
        default=Resultatmal.Indicator.MANUELL.value,
    ),
    "target": Field(scalar(v.decimal), default=None),
    "unit": Field(choice(Resultatmal.Unit, "okänd enhet", blank=True)),
    "follow_up": Field(TEXT),
}

MAL = {
    "number": Field(scalar(v.integer), required=True),
    "title": Field(TEXT, required=True),
    "focus": Field(TEXT),
    "description": Field(TEXT),
    "measured_by": Field(TEXT),
    "resultatmal": Field(records(RESULTATMAL), default=[]),
}

AVSNITT = {
    "key": Field(scalar(v.slug), required=True),
    "title": Field(TEXT, required=True),
    "body": Field(TEXT),
}

RISK = {
    "risk": Field(TEXT, required=True),
    "likelihood": Field(scalar(v.one_to_four), required=True),
    "consequence": Field(scalar(v.one_to_four), required=True),
    "control": Field(TEXT),
    "responsible": Field(TEXT),
    "follow_up_1": Field(TEXT),
    "follow_up_2": Field(TEXT),
}

BESLUT = {
    "date": Field(scalar(v.date), required=True),
    "text": Field(TEXT, required=True),
    "diarienummer": Field(TEXT),
}


def disposition(value, path, errors):
    """The plan's outline: a section's key, `{del: mal}`, or `{del: mal, avsnitt: mal_text}`.

    Clean: [{"avsnitt": key or "", "del": kind or ""}], in order.
    """
    if not isinstance(value, list):
        errors.append(f"{path}: ska vara en lista (rader som börjar med -)")
        return None
    clean = []
    for i, item in enumerate(value):
        place = f"{path}[{i}]"
        if isinstance(item, str):
            key = scalar(v.slug)(item, place, errors)
            clean.append({"avsnitt": key or "", "del": ""})
            continue
        entry = read_record(item, place, DISPOSITION_ITEM, errors)
        if entry is None:
            continue
        if not entry["del"] and not _failed(errors, f"{place}.del"):
            errors.append(f"{place}.del: saknas (eller skriv bara avsnittets nyckel)")
        clean.append({"avsnitt": entry["avsnitt"] or "", "del": entry["del"] or ""})
    return clean


DISPOSITION_ITEM = {
    "del": Field(
        scalar(v.choice([Avsnitt.Kind(k) for k in SYSTEM_KINDS], "okänd del")), default=""
    ),
    "avsnitt": Field(scalar(v.slug)),
}

ARSHJULSPOST = {
    "months": Field(scalar(v.months), required=True),
    "text": Field(TEXT, required=True),
}

VERKSAMHETSPLAN = {
    "year": Field(scalar(v.year), required=True),
    "version": Field(scalar(v.integer), default=1),
    "status": Field(
        choice(Verksamhetsplan.Status, "okänd status"), default=Verksamhetsplan.Status.UTKAST.value
    ),
    "beslut": Field(record(BESLUT), default=None),
    "disposition": Field(disposition, default=None),
    "avsnitt": Field(records(AVSNITT), default=[]),
    "mal": Field(records(MAL), default=[]),
    "arshjul": Field(records(ARSHJULSPOST), default=[]),
    "arshjul_noter": Field(TEXT),
    "risker": Field(records(RISK), default=[]),
}

INSATS = {
    "name": Field(TEXT, required=True),
    "agare": Field(TEXT, required=True),
    "deltagare": Field(texts, default=[]),
    "kind": Field(choice(Insats.Kind, "okänd typ"), required=True),
    "status": Field(choice(Insats.Status, "okänd status"), default=Insats.Status.PLANERAD.value),
    "malgrupp": Field(TEXT),
    "start": Field(scalar(v.date), default=None),
    "end": Field(scalar(v.date), default=None),
    "description": Field(TEXT),
    "anslag": Field(per_year(v.non_negative_amount), default={}),
}

BUDGETRAD = {
    "group": Field(choice(Budgetrad.Group, "okänd grupp"), required=True),
    "name": Field(TEXT, required=True),
    "source": Field(choice(Budgetrad.Source, "okänd källa"), default=Budgetrad.Source.TYPED.value),
    "amount": Field(scalar(v.amount), default=None),
    "outcome": Field(scalar(v.amount), default=None),
    "forecast": Field(scalar(v.amount), default=None),
    "owner": Field(TEXT),  # a typed line's owner column: "Förbundet", or empty
    "owner_column": Field(scalar(v.boolean), default=True),  # source: insatser
    "per": Field(choice(Budgetrad.Per, "okänt värde", blank=True)),  # source: medlemsavgifter
}


def budget_lines(value, path, errors):
    """`rader`: lines, and blocks (a mapping with `block:`) holding lines and blocks."""
    if not isinstance(value, list):
        errors.append(f"{path}: ska vara en lista (rader som börjar med -)")
        return []
    clean = []
    for i, item in enumerate(value):
        fields = BLOCK if isinstance(item, dict) and "block" in item else BUDGETRAD
        record_ = read_record(item, f"{path}[{i}]", fields, errors)
        if record_ is not None and fields is BLOCK:
            record_["block"] = record_["block"] or ""
        clean.append(record_)
    return clean


BLOCK = {
    "block": Field(TEXT),  # the heading; may be empty ("block: ''")
    "group": Field(choice(Budgetrad.Group, "okänd grupp"), default=None),  # else its first line's
    "sum_label": Field(TEXT),
    "total_on_heading": Field(scalar(v.boolean), default=False),
    "published": Field(scalar(v.amount), default=None),
    "rader": Field(budget_lines, default=[]),
}


class ClosingLine(TextChoices):
    RESULTAT = "resultat"
    TIDIGARE = "tidigare"
    PROGNOS = "prognos"
    KVAR = "kvar"
    EGET_KAPITAL = "eget_kapital"


class CostSign(TextChoices):
    PLUS = "plus"
    MINUS = "minus"


SLUTRAD = {
    "line": Field(choice(ClosingLine, "okänd slutrad"), required=True),
    "label": Field(TEXT),
    "published": Field(scalar(v.amount), default=None),
}

BUDGET = {
    "year": Field(scalar(v.year), required=True),
    "version": Field(scalar(v.integer), default=1),
    "status": Field(choice(Budget.Status, "okänd status"), default=Budget.Status.UTKAST.value),
    "beslut": Field(record(BESLUT), default=None),
    "previous_surplus": Field(scalar(v.amount), default=v.amount(0)),
    "forecast_previous_year": Field(scalar(v.amount), default=None),
    "cost_sign": Field(choice(CostSign, "okänt tecken"), default="plus"),
    "income_published": Field(scalar(v.amount), default=None),
    "cost_published": Field(scalar(v.amount), default=None),
    "closing": Field(records(SLUTRAD), default=None),
    "rader": Field(budget_lines, default=[]),
}

FILE = {
    "forbund": Field(record(FORBUND), required=True),
    "medlemmar": Field(records(MEDLEM), required=True),
    "malgrupper": Field(records(MALGRUPP), default=[]),
    "ledamoter": Field(records(LEDAMOT), default=[]),
    "sammantraden": Field(records(SAMMANTRADE), default=[]),
    "verksamhetsplaner": Field(records(VERKSAMHETSPLAN), default=[]),
    "insatser": Field(records(INSATS), default=[]),
    "budgetar": Field(records(BUDGET), default=[]),
}


def read(text):
    """(clean data, errors) of a förbund file's text; data is None if unreadable."""
    try:
        raw = yaml.load(text, Loader=v.StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"rad {mark.line + 1}" if mark else "filen"
        return None, [f"{where}: felaktig YAML: {error.problem or error.context}"]
    except yaml.YAMLError as error:
        return None, [f"filen: felaktig YAML: {error}"]
    if raw is None:
        return None, ["filen: är tom"]
    errors = []
    if not isinstance(raw, dict):
        return None, ["filen: ska vara en mappning med nycklar som forbund, medlemmar, insatser"]
    for key in raw:
        if key not in FILE:
            errors.append(f"{key}: okänt fält {v.quoted(key)}{_suggest(key, FILE)}")
    data = {}
    for name, field in FILE.items():
        value = raw.get(name)
        if value is None:
            if field.required:
                errors.append(f"{name}: saknas")
            data[name] = copy.copy(field.default) if not field.required else None
        else:
            data[name] = field.read(value, name, errors)
    _check(data, errors)
    return data, errors


def normalize(data):
    """The data with every budget's lines as blocks (`as_tree`): a file written before
    blocks and its dump (which writes the blocks) mean the same table."""
    data = copy.deepcopy(data)
    for budget in data.get("budgetar") or []:
        if budget is not None:
            budget["rader"] = as_tree(budget["rader"] or [])
    return data


def parse(text):
    data, errors = read(text)
    if errors:
        raise ForbundsfilError(errors)
    return data


def _items(data, key):
    """(index, record) of a list in the data, skipping records that were not mappings."""
    return [(i, item) for i, item in enumerate(data.get(key) or []) if item is not None]


def _check(data, errors):
    """What no single value shows: duplicates, references, rules between fields."""
    members = _items(data, "medlemmar")
    _unique(members, "medlemmar", "name", errors)
    lookup = MemberLookup([m for _, m in members if m["name"]])

    malgrupper = _items(data, "malgrupper")
    _unique(malgrupper, "malgrupper", "name", errors)
    malgrupp_names = {m["name"] for _, m in malgrupper}

    for i, ledamot in _items(data, "ledamoter"):
        path = f"ledamoter[{i}]"
        ledamot["medlem"] = lookup.resolve(ledamot["medlem"], f"{path}.medlem", errors)
        _in_order(ledamot, "mandate_start", "mandate_end", path, errors)

    for i, sammantrade in _items(data, "sammantraden"):
        arenden = [(j, a) for j, a in enumerate(sammantrade["arenden"] or []) if a is not None]
        for j, arende in arenden:
            if arende["number"] is None and not _failed(
                errors, f"sammantraden[{i}].arenden[{j}].number"
            ):
                arende["number"] = j + 1
        _unique(arenden, f"sammantraden[{i}].arenden", "number", errors)

    for i, plan in _items(data, "verksamhetsplaner"):
        path = f"verksamhetsplaner[{i}]"
        _unique([(j, m) for j, m in enumerate(plan["mal"]) if m], f"{path}.mal", "number", errors)
        _unique(
            [(j, a) for j, a in enumerate(plan["avsnitt"]) if a], f"{path}.avsnitt", "key", errors
        )
        _check_beslut(plan, path, "verksamhetsplan", errors)
        _check_disposition(plan, path, errors)
    _unique_versions(_items(data, "verksamhetsplaner"), "verksamhetsplaner", errors)

    for i, insats in _items(data, "insatser"):
        path = f"insatser[{i}]"
        insats["agare"] = lookup.resolve(insats["agare"], f"{path}.agare", errors)
        deltagare = []
        for j, name in enumerate(insats["deltagare"]):
            medlem = lookup.resolve(name, f"{path}.deltagare[{j}]", errors)
            if medlem is None:
                continue
            if medlem == insats["agare"]:
                errors.append(f"{path}.deltagare[{j}]: {v.quoted(name)} är insatsägare")
            elif medlem in deltagare:
                errors.append(f"{path}.deltagare[{j}]: finns redan: {v.quoted(name)}")
            else:
                deltagare.append(medlem)
        insats["deltagare"] = lookup.in_order(deltagare)
        if insats["malgrupp"] and insats["malgrupp"] not in malgrupp_names:
            errors.append(f"{path}.malgrupp: okänd målgrupp {v.quoted(insats['malgrupp'])}")
        _in_order(insats, "start", "end", path, errors)

    for i, budget in _items(data, "budgetar"):
        path = f"budgetar[{i}]"
        _check_budget_lines(budget, budget["rader"], f"{path}.rader", None, errors)
        _check_cost_sign(budget, path, errors)
        _check_beslut(budget, path, "budget", errors)
    _unique_versions(_items(data, "budgetar"), "budgetar", errors)


def _check_disposition(plan, path, errors):
    """Every section once in the outline, every system chapter at most once.

    A plan that names no outline gets the order of its sections' keys
    (budget.plan.outline.inferred_outline), as before the outline was data.
    """
    keys = [a["key"] for a in plan["avsnitt"] if a and a["key"]]
    if plan["disposition"] is None:
        plan["disposition"] = inferred_outline(keys)
        return
    seen_keys, seen_kinds = set(), set()
    for i, entry in enumerate(plan["disposition"]):
        place = f"{path}.disposition[{i}]"
        key, kind = entry["avsnitt"], entry["del"]
        if key and key not in keys:
            errors.append(f"{place}: okänt avsnitt {v.quoted(key)} (nycklarna står under avsnitt)")
        elif key and key in seen_keys:
            errors.append(f"{place}: avsnittet {v.quoted(key)} står redan i dispositionen")
        if kind and kind in seen_kinds:
            errors.append(f"{place}.del: {v.quoted(kind)} står redan i dispositionen")
        seen_keys.add(key)
        seen_kinds.add(kind)
    for key in keys:
        if key not in seen_keys:
            errors.append(f"{path}.disposition: avsnittet {v.quoted(key)} saknas i dispositionen")


ADOPTED = ("faststalld", "publicerad")


def _check_beslut(item, path, noun, errors):
    """Only an adopted (fastställd or publicerad) budget or plan has a decision."""
    if item["beslut"] is not None and item["status"] and item["status"] not in ADOPTED:
        errors.append(f"{path}.beslut: bara en fastställd eller publicerad {noun} har ett beslut")


def _check_budget_lines(budget, items, path, section, errors):
    """Each line's own rules; a block's group (else its first line's); every line of a
    top-level block in the block's section (Intäkter or Kostnader)."""
    for j, item in enumerate(items):
        if item is None:
            continue
        place = f"{path}[{j}]"
        if "rader" in item:
            if item["group"] is None and not _failed(errors, f"{place}.group"):
                item["group"] = _first_group(item["rader"])
                if item["group"] is None:
                    errors.append(f"{place}.group: saknas (ett block utan rader behöver group)")
            own = _section(item["group"])
            if section and own and own != section:
                errors.append(f"{place}.group: {v.quoted(item['group'])} hör inte till {section}")
            _check_budget_lines(budget, item["rader"], f"{place}.rader", section or own, errors)
            continue
        _check_budgetrad(item, place, errors)
        own = _section(item["group"])
        if section and own and own != section:
            errors.append(
                f"{place}.group: {v.quoted(item['group'])} är en "
                f"{'intäkt' if own == 'intakt' else 'kostnad'} men står i ett block under "
                f"{'Intäkter' if section == 'intakt' else 'Kostnader'}"
            )


def _first_group(items):
    for item in items:
        if item is None:
            continue
        group = _first_group(item["rader"]) if "rader" in item else item["group"]
        if group:
            return group
    return None


def _section(group):
    if not group:
        return None
    return "intakt" if group in Budgetrad.INCOME_GROUPS else "kostnad"


def as_tree(rader):
    """A budget's `rader` as blocks: as written, or, for a file written before blocks,
    the blocks that print the table as it always did (budget.layout)."""
    if layout.is_tree(rader):
        return rader
    return _with_block_defaults(layout.legacy_tree([r for r in rader if r is not None]))


def line_places(items, path):
    """(item, place) of every line and block of `rader` as written, blocks first."""
    for j, item in enumerate(items):
        if item is None:
            continue
        place = f"{path}[{j}]"
        yield item, place
        if "rader" in item:
            yield from line_places(item["rader"], f"{place}.rader")


def _with_block_defaults(items):
    out = []
    for item in items:
        if "rader" in item:
            full = {name: copy.copy(f.default) for name, f in BLOCK.items()}
            full.update(item)
            full["rader"] = _with_block_defaults(item["rader"])
            item = full
        out.append(item)
    return out


def walk_lines(items, section=None):
    """(item, its section) of every line and block of a budget's `rader`, in order."""
    for item in items:
        if item is None:
            continue
        own = section or _section(item["group"])
        yield item, own
        if "rader" in item:
            yield from walk_lines(item["rader"], own)


def _check_cost_sign(budget, path, errors):
    """Costs are stored without a sign. A file that prints costs with a minus says so
    (`cost_sign: minus`) and writes every cost that way; a minus elsewhere is refused
    with the reason, never read as a negative cost."""
    minus = budget["cost_sign"] == "minus"
    places = _cost_places(budget["rader"], f"{path}.rader")
    places.append((budget, "cost_published", f"{path}.cost_published"))
    for item, key, place in places:
        value = item.get(key)
        if value is None:
            continue
        if minus and value > 0:
            errors.append(
                f"{place}: {v.quoted(value)} saknar minustecken; med cost_sign: minus skrivs "
                "varje kostnad med minus (t.ex. -450000)"
            )
        elif not minus and value < 0:
            errors.append(
                f"{place}: en kostnad med minustecken ({v.quoted(value)}); skriv beloppet "
                "utan minus, eller ange cost_sign: minus på budgeten om tabellen skriver "
                "kostnaderna med minus"
            )
        elif minus:
            item[key] = -value


def _cost_places(items, path, section=None):
    found = []
    for j, item in enumerate(items):
        if item is None:
            continue
        place = f"{path}[{j}]"
        own = section or _section(item["group"])
        if "rader" in item:
            if own == "kostnad":
                found.append((item, "published", f"{place}.published"))
            found += _cost_places(item["rader"], f"{place}.rader", own)
        elif own == "kostnad":
            found += [(item, k, f"{place}.{k}") for k in ("amount", "outcome", "forecast")]
    return found


def _check_budgetrad(rad, path, errors):
    source, group = rad["source"], rad["group"]
    if source == Budgetrad.Source.TYPED:
        if rad["amount"] is None and not _failed(errors, f"{path}.amount"):
            errors.append(f"{path}.amount: saknas")
        return
    if source is None:
        return
    if rad["amount"] is not None:
        errors.append(
            f"{path}.amount: ska inte anges när source är {v.quoted(source)} (beloppet räknas fram)"
        )
    if group and group != source:
        errors.append(f"{path}.group: ska vara {v.quoted(source)} när source är {v.quoted(source)}")


def _failed(errors, path):
    return any(error.startswith(f"{path}: ") for error in errors)


def _unique(items, path, key, errors):
    seen = set()
    for i, item in items:
        value = item[key]
        if value is None or value == "":
            continue
        if value in seen:
            errors.append(f"{path}[{i}].{key}: finns redan: {v.quoted(value)}")
        seen.add(value)


def _unique_versions(items, path, errors):
    seen = set()
    for i, item in items:
        key = (item["year"], item["version"])
        if None in key:
            continue
        if key in seen:
            errors.append(f"{path}[{i}]: finns redan: år {key[0]} version {key[1]}")
        seen.add(key)


def _in_order(item, start, end, path, errors):
    if item[start] and item[end] and item[end] < item[start]:
        errors.append(f"{path}.{end}: före {start} ({item[start]:%Y-%m-%d})")


class MemberLookup:
    """Members referred to by name, or by short name where that is unambiguous."""

    def __init__(self, members):
        self.names = [m["name"] for m in members]
        self.short = {}
        for m in members:
            if m["short_name"]:
                self.short.setdefault(m["short_name"], []).append(m["name"])

    def find(self, reference):
        if reference in self.names:
            return [reference]
        return self.short.get(reference, [])

    def resolve(self, reference, path, errors):
        if reference is None:
            return None
        found = self.find(reference)
        if not found:
            errors.append(f"{path}: okänd medlem {v.quoted(reference)}")
            return None
        if len(found) > 1:
            errors.append(
                f"{path}: {v.quoted(reference)} kan vara flera medlemmar ({', '.join(found)});"
                " skriv hela namnet"
            )
            return None
        return found[0]

    def in_order(self, names):
        return sorted(names, key=self.names.index)
