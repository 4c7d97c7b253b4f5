"""Warnings about a förbund file that is legal but probably wrong.

A load never refuses a file for these; `load_forbund` prints them after the
load, each with its place in the file, so the person who wrote the file by
hand from a published plan can look again. `warnings(data)` reads the clean
data of `schema.read()` and touches no database.
"""

from decimal import Decimal

from budget.models import Budgetrad
from finsam.models import Medlem

from . import values as v
from .schema import as_tree, line_places

SHARES = (("staten", Decimal(50)), ("regionen", Decimal(25)), ("kommunerna", Decimal(25)))
# An amount below this many kronor in a kronor file looks like tkr (2 753 for 2 753 000).
SMALL_KRONOR = Decimal(10_000)
Group, Source = Budgetrad.Group, Budgetrad.Source


def warnings(data):
    """Swedish warnings, each "place: what looks wrong"."""
    found = []
    members = [(i, m) for i, m in enumerate(data.get("medlemmar") or []) if m]
    _split(members, found)
    _key_shares(members, found)
    _insats_members(data, found)
    _small_amounts(data, members, found)
    _derived_lines(data, members, found)
    _published(data, members, found)
    return found


def _party(kind):
    if kind in Medlem.STATE_KINDS:
        return "staten"
    return "regionen" if kind == Medlem.Kind.REGION else "kommunerna"


def _split(members, found):
    """Finsam: the state pays half, the region a quarter, the kommuner a quarter."""
    years = sorted({year for _, m in members for year in (m["avgifter"] or {})})
    for year in years:
        paid = {name: Decimal(0) for name, _ in SHARES}
        for _, m in members:
            amount = (m["avgifter"] or {}).get(year)
            if amount is not None and m["kind"]:
                paid[_party(m["kind"])] += amount
        total = sum(paid.values())
        if not total:
            continue
        off = [
            f"{name} {_pct(paid[name] * 100 / total)} % (ska vara {share} %)"
            for name, share in SHARES
            if abs(paid[name] * 100 / total - share) >= Decimal("0.05")
        ]
        if off:
            found.append(
                f"medlemmar[*].avgifter.{year}: fördelningen 50/25/25 håller inte: "
                + ", ".join(off)
                + f" av {_kr(total)}"
            )


def _key_shares(members, found):
    given = [(i, m) for i, m in members if m["key_share"] is not None]
    if not given:
        return
    total = sum((m["key_share"] for _, m in given), Decimal(0))
    if total != 100:
        found.append(
            f"medlemmar[*].key_share: andelarna enligt fördelningsnyckeln är tillsammans "
            f"{_pct(total)} %, inte 100 %"
        )
    given_names = {m["name"] for _, m in given}
    missing = [
        m["name"]
        for _, m in members
        if m["kind"] == Medlem.Kind.KOMMUN and m["name"] not in given_names
    ]
    if missing:
        found.append(
            "medlemmar[*].key_share: kommuner utan andel enligt fördelningsnyckeln: "
            + ", ".join(missing)
        )


def _insats_members(data, found):
    for i, insats in enumerate(data.get("insatser") or []):
        if not insats:
            continue
        count = (1 if insats["agare"] else 0) + len(insats["deltagare"] or [])
        if count < 2:
            found.append(
                f"insatser[{i}]: {v.quoted(insats['name'])} har {count} deltagande medlem"
                f"{'mar' if count != 1 else ''}; en samverkansinsats har minst två "
                "(lägg till dem under deltagare)"
            )


def _small(amount):
    return amount is not None and 0 < abs(amount) < SMALL_KRONOR


def _looks_like_tkr(place, amount, found):
    found.append(
        f"{place}: {_kr(amount)} är ett litet belopp; filens belopp är i kronor "
        f"(står det i tkr ska det skrivas {_plain(amount * 1000)})"
    )


def _small_amounts(data, members, found):
    for i, m in members:
        for year, amount in (m["avgifter"] or {}).items():
            if _small(amount):
                _looks_like_tkr(f"medlemmar[{i}].avgifter.{year}", amount, found)
    for i, insats in enumerate(data.get("insatser") or []):
        for year, amount in ((insats or {}).get("anslag") or {}).items():
            if _small(amount):
                _looks_like_tkr(f"insatser[{i}].anslag.{year}", amount, found)
    for i, budget in enumerate(data.get("budgetar") or []):
        for rad, place in line_places((budget or {}).get("rader") or [], f"budgetar[{i}].rader"):
            if "rader" not in rad and _small(rad["amount"]):
                _looks_like_tkr(f"{place}.amount", rad["amount"], found)


def _derived_lines(data, members, found):
    """A typed line for what the system derives: contributions, or the insatser."""
    for i, budget in enumerate(data.get("budgetar") or []):
        if not budget:
            continue
        rader = [
            (place, r)
            for r, place in line_places(budget["rader"] or [], f"budgetar[{i}].rader")
            if "rader" not in r
        ]
        year = budget["year"]
        derived = {r["source"] for _, r in rader if r["source"] != Source.TYPED}
        has_contributions = any((m["avgifter"] or {}).get(year) is not None for _, m in members)
        granted = sum(
            (
                ((ins or {}).get("anslag") or {}).get(year) or Decimal(0)
                for ins in data.get("insatser") or []
            ),
            Decimal(0),
        )
        for place, rad in rader:
            if rad["source"] != Source.TYPED:
                continue
            if rad["group"] == Group.MEDLEMSAVGIFTER and (
                Source.MEDLEMSAVGIFTER in derived or has_contributions
            ):
                found.append(
                    f"{place}: medlemsavgifterna skrivs in som belopp men kan räknas fram ur "
                    f"medlemmarnas avgifter för {year} (source: medlemsavgifter); "
                    "annars räknas de två gånger eller skiljer sig åt"
                )
            # Beside a source: insatser line, a typed line of the group is one of the
            # förbund's own (its ESF project, an insats without an owner yet), unless it
            # repeats the grants' total.
            elif rad["group"] == Group.INSATSER and (
                (Source.INSATSER not in derived and granted)
                or (Source.INSATSER in derived and rad["amount"] == granted)
            ):
                found.append(
                    f"{place}: insatserna skrivs in som belopp men kan räknas fram ur "
                    f"insatsernas anslag för {year} (source: insatser)"
                )


def _pct(value):
    text = f"{Decimal(value).quantize(Decimal('0.1')).normalize():f}"
    return text.replace(".", ",")


def _plain(amount):
    return f"{Decimal(amount).normalize():f}"


def _kr(amount):
    text = f"{Decimal(amount).quantize(Decimal(1)):,}".replace(",", "\u00a0")
    return f"{text} kr"


def _published(data, members, found):
    """A figure as published/adopted (`published:`, income_published, cost_published,
    a closing line's published) that is not what its parts sum to. The load keeps
    both; the warning names the place and says the difference in kronor."""
    grants = {}
    for ins in data.get("insatser") or []:
        for year, amount in ((ins or {}).get("anslag") or {}).items():
            grants[year] = grants.get(year, Decimal(0)) + (amount or 0)
    for i, budget in enumerate(data.get("budgetar") or []):
        if not budget or budget.get("year") is None:
            continue
        year = budget["year"]
        contributions = sum(
            ((m["avgifter"] or {}).get(year) or Decimal(0) for _, m in members), Decimal(0)
        )
        derived = {Source.MEDLEMSAVGIFTER: contributions, Source.INSATSER: grants.get(year, 0)}
        path = f"budgetar[{i}]"
        sums = {"intakt": Decimal(0), "kostnad": Decimal(0), "eget_kapital": Decimal(0)}

        def total(item, derived=derived):
            if "rader" not in item:
                if item["source"] == Source.TYPED:
                    return item["amount"] or Decimal(0)
                return derived.get(item["source"], Decimal(0))
            return sum((total(x) for x in item["rader"] if x), Decimal(0))

        minus = budget.get("cost_sign") == "minus"

        def sign(value, section, minus=minus):
            return -value if minus and section == "kostnad" else value

        rader = budget["rader"] or []
        for item, place in line_places(rader, f"{path}.rader"):
            if "rader" in item and item["published"] is not None:
                section = _section_of(item)
                _differs(f"{place}.published", item["published"], total(item), section, sign, found)
        for item in as_tree(rader):
            if item is None:
                continue
            section = _section_of(item)
            if section:
                sums[section] += total(item)
            if "rader" not in item and item["group"] == Group.EGET_KAPITAL:
                sums["eget_kapital"] += total(item)
            elif "rader" in item:
                sums["eget_kapital"] += sum(
                    (
                        total(x)
                        for x, _ in line_places(item["rader"], "")
                        if "rader" not in x and x["group"] == Group.EGET_KAPITAL
                    ),
                    Decimal(0),
                )
        for key, section in (("income_published", "intakt"), ("cost_published", "kostnad")):
            if budget.get(key) is not None:
                _differs(f"{path}.{key}", budget[key], sums[section], section, sign, found)
        result = sums["intakt"] - sums["kostnad"]
        earlier = (budget["previous_surplus"] or 0) + (budget["forecast_previous_year"] or 0)
        remaining = result - sums["eget_kapital"] + earlier
        values = {
            "resultat": result,
            "tidigare": budget["previous_surplus"] or Decimal(0),
            "prognos": budget["forecast_previous_year"],
            "kvar": remaining,
            "eget_kapital": remaining,
        }
        for k, line in enumerate(budget.get("closing") or []):
            if line and line["published"] is not None and values.get(line["line"]) is not None:
                place = f"{path}.closing[{k}].published"
                _differs(place, line["published"], values[line["line"]], None, sign, found)


def _section_of(item):
    group = item.get("group")
    if not group:
        return None
    return "intakt" if group in Budgetrad.INCOME_GROUPS else "kostnad"


def _differs(place, published, computed, section, sign, found):
    if published == computed:
        return
    diff = computed - published
    found.append(
        f"{place}: den publicerade siffran {_kr(sign(published, section))} är inte summan av "
        f"raderna, {_kr(sign(computed, section))} ({_kr(abs(diff))} "
        f"{'mer' if diff > 0 else 'mindre'}); båda visas, inget ändras"
    )
