"""Writing a förbund back as a förbund file, in the format load.py reads."""

from decimal import Decimal

import yaml

from budget.models import Budget, Budgetrad, Medlemsavgift, Resultatmal, Verksamhetsplan
from budget.plan.outline import default_title, inferred_outline
from finsam.models import Ledamot, Malgrupp, Medlem, Sammantrade
from insatser.models import Insats

from . import schema


def dump_forbund(forbund):
    """The förbund as YAML text; loading it gives the same data back."""
    header = (
        f"# Förbundsfil för {forbund.name}.\n"
        "# Formatet beskrivs i docs/forbundsfil.md. Belopp i kronor, datum ÅÅÅÅ-MM-DD.\n"
    )
    body = yaml.dump(
        to_data(forbund),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    return header + body


def to_data(forbund):
    medlemmar = list(Medlem.objects.of(forbund).order_by("order", "pk"))
    ref = _references(medlemmar)
    data = {
        "forbund": _fields(forbund, schema.FORBUND),
        "medlemmar": [_medlem(m) for m in medlemmar],
        "malgrupper": [
            _fields(m, schema.MALGRUPP)
            for m in Malgrupp.objects.of(forbund).order_by("order", "pk")
        ],
        "ledamoter": [
            _fields(ledamot, schema.LEDAMOT, medlem=ref[ledamot.medlem_id])
            for ledamot in Ledamot.objects.of(forbund).order_by("pk")
        ],
        "sammantraden": [
            _sammantrade(s)
            for s in Sammantrade.objects.of(forbund).order_by("date", "start_time", "pk")
        ],
        "verksamhetsplaner": [
            _plan(p) for p in Verksamhetsplan.objects.of(forbund).order_by("year", "version")
        ],
        "insatser": [
            _insats(i, ref, medlemmar)
            for i in Insats.objects.of(forbund).select_related("malgrupp").order_by("pk")
        ],
        "budgetar": [_budget(b) for b in Budget.objects.of(forbund).order_by("year", "version")],
    }
    return {key: value for key, value in data.items() if value or key == "medlemmar"}


def _references(medlemmar):
    """How each member is named in references: its short name where that is unambiguous."""
    lookup = schema.MemberLookup([{"name": m.name, "short_name": m.short_name} for m in medlemmar])
    return {
        m.pk: m.short_name if m.short_name and lookup.find(m.short_name) == [m.name] else m.name
        for m in medlemmar
    }


def _fields(obj, fields, **values):
    """The object's values for the file's fields, in their order, leaving out empty ones."""
    data = {}
    for name in fields:
        value = values[name] if name in values else getattr(obj, name, None)
        if isinstance(value, Decimal):
            value = _number(value)
        if value is None or value == "" or value == [] or value == {} or value is False:
            continue
        data[name] = value
    return data


def _number(value):
    """5872500.00 as 5872500; 1234.50 as the text "1234.50" (YAML would make it a float)."""
    return int(value) if value == value.to_integral_value() else str(value)


def _per_year(rows):
    return {row.year: _number(row.amount) for row in sorted(rows, key=lambda r: r.year)}


def _medlem(medlem):
    avgifter = _per_year(Medlemsavgift.objects.filter(medlem=medlem))
    return _fields(medlem, schema.MEDLEM, avgifter=avgifter)


def _sammantrade(sammantrade):
    arenden = []
    for position, arende in enumerate(sammantrade.arenden.order_by("number", "pk"), start=1):
        beslut = getattr(arende, "beslut", None)
        arenden.append(
            _fields(
                arende,
                schema.ARENDE,
                number=None if arende.number == position else arende.number,
                beslut=beslut.text if beslut else None,
            )
        )
    start_time = sammantrade.start_time.strftime("%H:%M") if sammantrade.start_time else None
    return _fields(sammantrade, schema.SAMMANTRADE, start_time=start_time, arenden=arenden)


def _plan(plan):
    mal = []
    for m in plan.mal.order_by("number"):
        resultatmal = [
            _fields(
                r,
                schema.RESULTATMAL,
                indicator=None if r.indicator == Resultatmal.Indicator.MANUELL else r.indicator,
            )
            for r in m.resultatmal.order_by("pk")
        ]
        mal.append(_fields(m, schema.MAL, resultatmal=resultatmal))
    return _fields(
        plan,
        schema.VERKSAMHETSPLAN,
        beslut=_beslut(plan.beslut),
        **_outline(plan),
        mal=mal,
        arshjul=[
            {"months": post.months.lower(), "text": post.text}
            for post in plan.arshjul.order_by("order", "month", "pk")
        ],
        risker=[_fields(r, schema.RISK) for r in plan.risker.order_by("order", "pk")],
    )


def _outline(plan):
    """The sections and, unless the keys give it (inferred_outline), the outline."""
    avsnitt, entries = [], []
    for a in plan.avsnitt.order_by("order", "pk"):
        bare = (
            a.is_system
            and not a.body
            and a.key == a.kind
            and a.title == default_title(a.kind, plan.year)
        )
        if not bare:
            avsnitt.append(_fields(a, schema.AVSNITT))
        entries.append({"avsnitt": "" if bare else a.key, "del": "" if not a.is_system else a.kind})
    keys = [a["key"] for a in avsnitt]
    if entries == inferred_outline(keys):
        return {"disposition": None, "avsnitt": avsnitt}
    written = [
        e["avsnitt"] if not e["del"] else {k: e[k] for k in ("del", "avsnitt") if e[k]}
        for e in entries
    ]
    return {"disposition": written, "avsnitt": avsnitt}


def _insats(insats, ref, medlemmar):
    order = {m.pk: i for i, m in enumerate(medlemmar)}
    deltagare = sorted(insats.deltagare.all(), key=lambda m: order[m.pk])
    return _fields(
        insats,
        schema.INSATS,
        agare=ref[insats.agare_id],
        deltagare=[ref[m.pk] for m in deltagare],
        malgrupp=insats.malgrupp.name if insats.malgrupp else None,
        anslag=_per_year(insats.anslag.all()),
    )


def _budget(budget):
    lines = list(budget.rader.order_by("order", "pk"))
    children = {}
    for rad in lines:
        children.setdefault(rad.parent_id, []).append(rad)
    sign = -1 if budget.costs_negative else 1

    def signed(value, section):
        if value is None or section != Budgetrad.Section.KOSTNAD:
            return value
        return sign * value

    def tree(parent, section):
        out = []
        for rad in children.get(parent, []):
            own = section or rad.section
            if rad.is_block:
                item = {"block": rad.name}  # always written: it makes the item a block
                item.update(
                    _fields(
                        rad,
                        schema.BLOCK,
                        block=None,
                        published=signed(rad.published, own),
                        rader=tree(rad.pk, own),
                    )
                )
                out.append(item)
                continue
            item = _fields(
                rad,
                schema.BUDGETRAD,
                source=None if rad.source == Budgetrad.Source.TYPED else rad.source,
                amount=signed(rad.amount, own),
                outcome=signed(rad.outcome, own),
                forecast=signed(rad.forecast, own),
                owner_column=None,
            )
            if not rad.show_owner:
                item["owner_column"] = False
            out.append(item)
        return out

    closing = None
    if budget.closing is not None:
        closing = [
            {
                k: (_number(Decimal(val)) if k == "published" else val)
                for k, val in x.items()
                if val not in (None, "")
            }
            for x in budget.closing
        ]
    return _fields(
        budget,
        schema.BUDGET,
        beslut=_beslut(budget.beslut),
        cost_sign="minus" if budget.costs_negative else None,
        cost_published=signed(budget.cost_published, Budgetrad.Section.KOSTNAD),
        closing=closing,
        rader=tree(None, None),
    )


def _beslut(beslut):
    return _fields(beslut, schema.BESLUT) if beslut else None


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        # Indent list items under their key, as people write them by hand.
        return super().increase_indent(flow, False)


def _represent_str(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)
