"""Röjandekontroll: counts of 1–4 hidden, and a second cell where a total gives one away."""

from decimal import Decimal
from itertools import product

import pytest

from uppfoljning.rojande import HIDDEN, by_gender, cell, grid, share


@pytest.mark.parametrize(
    "value, shown",
    [(0, 0), (1, HIDDEN), (4, HIDDEN), (5, 5), (120, 120), (None, "")],
)
def test_cell_hides_one_to_four(value, shown):
    assert cell(value) == shown


def test_by_gender_hides_the_other_gender_when_the_total_is_shown():
    # 3 women and 10 men, total 13: showing 10 and 13 would give the 3 away.
    assert by_gender(3, 10) == [HIDDEN, HIDDEN, 13]
    assert by_gender(12, 10) == [12, 10, 22]
    assert by_gender(0, 7) == [0, 7, 7]
    assert by_gender(0, 3) == [0, HIDDEN, HIDDEN]
    assert by_gender(2, 2) == [HIDDEN, HIDDEN, HIDDEN]
    assert by_gender(0, 0) == [0, 0, 0]


def test_secondary_cell_is_the_smallest_other():
    g = grid([[2, 30, 8]], row_totals=True, col_totals=False)
    assert g.cells == [[HIDDEN, 30, HIDDEN]]
    assert g.row_totals == [40]


def test_grid_with_column_totals_hides_a_second_row():
    # Two insatser by women/men, summed per column for the förbund.
    g = grid([[3, 12], [9, 11]])
    # Row 1: 3 hidden → 12 hidden. Column 1: 3 hidden alone → 9 hidden;
    # row 2 then has 9 hidden alone → 11 hidden; column 2 has 12 and 11 hidden.
    assert g.cells == [[HIDDEN, HIDDEN], [HIDDEN, HIDDEN]]
    assert g.row_totals == [15, 20]
    assert g.col_totals == [12, 23]
    assert g.total == 35


def test_zero_is_never_picked_when_a_real_cell_can_be():
    g = grid([[0, 2, 9]], row_totals=True, col_totals=False)
    assert g.cells == [[0, HIDDEN, HIDDEN]]


def _derivable(g):
    """Whether any hidden cell can be computed from what is shown (one unknown in a line)."""
    rows = g.rows()
    cols = [[r[c] for r in rows] + [[*g.col_totals, g.total][c]] for c in range(len(rows[0]))]
    return any(sum(1 for v in line if v == HIDDEN) == 1 for line in rows + cols)


@pytest.mark.parametrize(
    "values",
    [
        list(map(list, zip(a, b, strict=True)))
        for a, b in product([(0, 3), (5, 1), (2, 2), (7, 9)], [(4, 0), (6, 8), (1, 12), (3, 3)])
    ],
)
def test_no_line_has_a_lone_hidden_cell(values):
    g = grid(values)
    assert not _derivable(g)
    for r, row in enumerate(values):
        for c, v in enumerate(row):
            if 0 < v <= 4:
                assert g.cells[r][c] == HIDDEN
            elif g.cells[r][c] != HIDDEN:
                assert g.cells[r][c] == v


def test_share():
    assert share(20, 40) == Decimal("50")
    assert share(3, 40) == HIDDEN  # the count is small
    assert share(38, 40) == HIDDEN  # what is left is small
    assert share(2, 4) == HIDDEN  # the base is small
    assert share(0, 10) == Decimal("0")
    assert share(0, 0) is None
    assert share(10, 30, places=1) == Decimal("33.3")
