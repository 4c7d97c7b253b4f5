"""The law's split of the members' contributions and the kommuner's key."""

from dataclasses import dataclass
from decimal import Decimal

from finsam.models import Medlem
from finsam.templatetags.finsam import belopp

from .figures import ZERO, percent


@dataclass(frozen=True)
class SplitPart:
    """One payer group of the law's split: its amount and the share it should pay."""

    label: str
    amount: Decimal
    expected_share: Decimal
    total: Decimal

    TOLERANCE = Decimal("1")

    @property
    def expected_amount(self):
        return self.total * self.expected_share

    @property
    def share(self):
        return self.amount / self.total if self.total else ZERO

    @property
    def ok(self):
        return abs(self.amount - self.expected_amount) <= self.TOLERANCE

    @property
    def share_percent(self):
        """The actual share as Swedish text with one decimal: "51,1"."""
        return f"{self.share * 100:.1f}".replace(".", ",")

    @property
    def expected_percent(self):
        return f"{self.expected_share * 100:.0f}"

    @property
    def warning(self):
        """A Swedish sentence where the part breaks the law's split, else ""."""
        if self.ok or not self.total:
            return ""
        return (
            f"{self.label} ska enligt lagen betala {self.expected_percent} % av "
            f"{belopp(self.total, 'kr')} kr, alltså {belopp(self.expected_amount, 'kr')} kr, "
            f"men betalar {belopp(self.amount, 'kr')} kr ({self.share_percent} %)."
        )


@dataclass(frozen=True)
class ContributionSplit:
    total: Decimal
    parts: list[SplitPart]

    @property
    def ok(self):
        return all(p.ok for p in self.parts)


def contribution_split(avgifter):
    """The law's split of the contributions: state 50 %, region 25 %, kommuner 25 %.

    `avgifter` are Medlemsavgift rows of one year with `medlem` loaded.
    """
    sums = {"state": ZERO, "region": ZERO, "kommun": ZERO}
    for avgift in avgifter:
        kind = avgift.medlem.kind
        key = "state" if kind in Medlem.STATE_KINDS else kind
        sums[key] += avgift.amount
    total = sum(sums.values(), ZERO)
    labels = {
        "state": ("Staten (Försäkringskassan och Arbetsförmedlingen)", Decimal("0.50")),
        "region": ("Regionen", Decimal("0.25")),
        "kommun": ("Kommunerna", Decimal("0.25")),
    }
    return ContributionSplit(
        total=total,
        parts=[SplitPart(label, sums[key], share, total) for key, (label, share) in labels.items()],
    )


@dataclass(frozen=True)
class KeyShare:
    """A kommun's contribution against its share by the förbund's key."""

    medlem: Medlem
    key_share: Decimal | None  # percent of the kommuner's part
    amount: Decimal
    kommuner_total: Decimal

    # A key share is kept to four decimals of a percent, so the amount it gives
    # is exact only to ±0.00005 % of the kommuner's part; whole kronor add 1 kr.
    KEY_PRECISION = Decimal("0.0000005")

    @property
    def tolerance(self):
        return Decimal("1") + self.kommuner_total * self.KEY_PRECISION

    @property
    def key_share_text(self):
        return "" if self.key_share is None else percent(self.key_share)

    @property
    def expected_amount(self):
        return self.kommuner_total * (self.key_share or ZERO) / 100

    @property
    def difference(self):
        return self.amount - self.expected_amount

    @property
    def ok(self):
        return abs(self.difference) <= self.tolerance

    @property
    def warning(self):
        if self.ok:
            return ""
        name = self.medlem.name
        if self.key_share is None:
            return (
                f"{name} har ingen andel i fördelningsnyckeln men betalar "
                f"{belopp(self.amount, 'kr')} kr."
            )
        return (
            f"{name} ska enligt fördelningsnyckeln betala {percent(self.key_share)} % av "
            f"kommunernas {belopp(self.kommuner_total, 'kr')} kr, alltså "
            f"{belopp(self.expected_amount, 'kr')} kr, men betalar "
            f"{belopp(self.amount, 'kr')} kr."
        )


@dataclass(frozen=True)
class KeySplit:
    """The kommuner's part split by the förbund's key (Medlem.key_share)."""

    kommuner_total: Decimal
    rows: list[KeyShare]

    SUM_TOLERANCE = Decimal("0.01")  # percentage points, for rounded population keys

    @property
    def applies(self):
        """The check is made only where the förbund keeps a key."""
        return any(r.key_share is not None for r in self.rows)

    @property
    def share_sum(self):
        return sum((r.key_share or ZERO for r in self.rows), ZERO)

    @property
    def share_sum_text(self):
        return percent(self.share_sum)

    @property
    def sum_warning(self):
        if not self.applies or abs(self.share_sum - 100) <= self.SUM_TOLERANCE:
            return ""
        return f"Fördelningsnyckelns andelar summerar till {percent(self.share_sum)} %, inte 100 %."

    @property
    def warnings(self):
        if not self.applies:
            return []
        found = [self.sum_warning] if self.sum_warning else []
        return found + [r.warning for r in self.rows if r.warning]


def key_split(kommuner, avgifter):
    """Each kommun's contribution against the key: kommunernas del × key_share / 100.

    `kommuner` are the förbund's kommun members; `avgifter` the year's
    Medlemsavgift rows. The kommuner's part is what they pay together, so
    this check is apart from the law's 25 % (which `contribution_split` checks).
    """
    paid = {a.medlem_id: a.amount for a in avgifter}
    total = sum((paid.get(m.pk, ZERO) for m in kommuner), ZERO)
    return KeySplit(
        kommuner_total=total,
        rows=[KeyShare(m, m.key_share, paid.get(m.pk, ZERO), total) for m in kommuner],
    )
