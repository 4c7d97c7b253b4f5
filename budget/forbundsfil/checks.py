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
        for j, rad in enumerate((budget or {}).get("rader") or []):
            if rad and _small(rad["amount"]):
                _looks_like_tkr(f"budgetar[{i}].rader[{j}].amount", rad["amount"], found)


def _derived_lines(data, members, found):
    """A typed line for what the system derives: contributions, or the insatser."""
    for i, budget in enumerate(data.get("budgetar") or []):
        if not budget:
            continue
        rader = [(j, r) for j, r in enumerate(budget["rader"] or []) if r]
        year = budget["year"]
        derived = {r["source"] for _, r in rader if r["source"] != Source.TYPED}
        has_contributions = any((m["avgifter"] or {}).get(year) is not None for _, m in members)
        has_grants = any(
            ((ins or {}).get("anslag") or {}).get(year) for ins in data.get("insatser") or []
        )
        for j, rad in rader:
            if rad["source"] != Source.TYPED:
                continue
            place = f"budgetar[{i}].rader[{j}]"
            if rad["group"] == Group.MEDLEMSAVGIFTER and (
                Source.MEDLEMSAVGIFTER in derived or has_contributions
            ):
                found.append(
                    f"{place}: medlemsavgifterna skrivs in som belopp men kan räknas fram ur "
                    f"medlemmarnas avgifter för {year} (source: medlemsavgifter); "
                    "annars räknas de två gånger eller skiljer sig åt"
                )
            elif rad["group"] == Group.INSATSER and (Source.INSATSER in derived or has_grants):
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
