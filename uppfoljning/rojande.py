"""Röjandekontroll: small counts in published figures, as Statistics Sweden does.

Every page, PDF and Excel that the board or an insatsägare sees, and every
export, passes its counts through this module:

- a count of 1–4 is shown as ``..`` (primary suppression);
- where a total would give a hidden cell away (the only hidden cell of a row
  or column whose total is shown), a second cell is hidden too: the smallest
  other cell of that line, or the total when there is no other (secondary
  suppression). This repeats until no line has exactly one hidden cell.
- a share is hidden when its count, its complement or its base is 1–4.

Zero is shown: it reveals nobody. Kansli's own working pages may show the
exact counts; everything else calls `cell`, `grid` or `share`.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HIDDEN = ".."
SMALL_MAX = 4


def is_small(value):
    return value is not None and 0 < value <= SMALL_MAX


def cell(value):
    """One count on its own (no total beside it): the figure, or ``..``."""
    if value is None:
        return ""
    return HIDDEN if is_small(value) else value


@dataclass
class Grid:
    """A table of counts with its row and column totals, as it may be published.

    `cells[r][c]`, `row_totals[r]`, `col_totals[c]` and `total` hold either an
    int or HIDDEN. `hidden` is the set of (r, c) cells hidden, where c is None for
    a row total, r None for a column total, (None, None) the grand total.
    """

    cells: list
    row_totals: list
    col_totals: list
    total: object
    hidden: set

    def rows(self):
        """Each row's cells followed by its total."""
        return [[*row, tot] for row, tot in zip(self.cells, self.row_totals, strict=True)]


def grid(values, row_totals=True, col_totals=True):
    """Suppress a table of counts `values[r][c]` published with its totals.

    With `row_totals` the rows add up to a shown total (e.g. women + men =
    total); with `col_totals` the columns do (e.g. the insatser add up to the
    förbund). A line whose total is not shown does not reveal anything.
    """
    values = [list(row) for row in values]
    n_rows = len(values)
    n_cols = len(values[0]) if values else 0
    rsum = [sum(row) for row in values]
    csum = [sum(values[r][c] for r in range(n_rows)) for c in range(n_cols)]
    gsum = sum(rsum)

    def value(r, c):
        if r is None and c is None:
            return gsum
        if c is None:
            return rsum[r]
        if r is None:
            return csum[c]
        return values[r][c]

    shown = set()
    for r in range(n_rows):
        shown.update((r, c) for c in range(n_cols))
        if row_totals:
            shown.add((r, None))
    if col_totals:
        shown.update((None, c) for c in range(n_cols))
    if row_totals and col_totals:
        shown.add((None, None))
    hidden = {key for key in shown if is_small(value(*key))}

    # Lines that add up: each row (cells + its total) and each column.
    lines = []
    if row_totals:
        for r in range(n_rows):
            lines.append([(r, c) for c in range(n_cols)] + [(r, None)])
        if col_totals:
            lines.append([(None, c) for c in range(n_cols)] + [(None, None)])
    if col_totals:
        for c in range(n_cols):
            lines.append([(r, c) for r in range(n_rows)] + [(None, c)])
        if row_totals:
            lines.append([(r, None) for r in range(n_rows)] + [(None, None)])

    changed = True
    while changed:
        changed = False
        for line in lines:
            line_hidden = [key for key in line if key in hidden]
            if len(line_hidden) != 1:
                continue
            total_key = line[-1]
            parts = [key for key in line[:-1] if key not in hidden]
            # Hide the smallest other part that is not zero, else any part,
            # else the total itself.
            candidates = sorted(parts, key=lambda key: (value(*key), key_order(key)))
            nonzero = [key for key in candidates if value(*key) > 0]
            pick = (nonzero or candidates or [total_key])[0]
            hidden.add(pick)
            changed = True

    def show(r, c):
        return HIDDEN if (r, c) in hidden else value(r, c)

    return Grid(
        cells=[[show(r, c) for c in range(n_cols)] for r in range(n_rows)],
        row_totals=[show(r, None) if row_totals else rsum[r] for r in range(n_rows)],
        col_totals=[show(None, c) if col_totals else csum[c] for c in range(n_cols)],
        total=show(None, None) if (row_totals and col_totals) else gsum,
        hidden=hidden,
    )


def key_order(key):
    r, c = key
    return (r is None, r or 0, c is None, c or 0)


def by_gender(women, men):
    """Women, men and their total as published: [women, men, total]."""
    g = grid([[women, men]], row_totals=True, col_totals=False)
    return [*g.cells[0], g.row_totals[0]]


def share(count, base, places=0):
    """`count` of `base` as a percentage (Decimal), or HIDDEN, or None without a base.

    Hidden when the count, what is left of the base, or the base itself is 1–4:
    3 of 40 in work tells who the three are as well as the count would.
    """
    if not base:
        return None
    if is_small(count) or is_small(base - count) or is_small(base):
        return HIDDEN
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(count) * 100 / Decimal(base)).quantize(quantum, rounding=ROUND_HALF_UP)
