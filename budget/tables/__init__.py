"""The budget table: its figures, the builder that follows the budget's tree of
lines and blocks, and the law's split of the contributions.

- figures.py: what a table holds (Figures, Row, BudgetTable), no queries;
- build.py: `budget_table(budget)`, the one code path from lines to rows;
- split.py: `contribution_split` and `key_split`, the checks of the contributions.

Callers import from here.
"""

from .build import approved_claims, budget_remaining, budget_table
from .figures import ZERO, BudgetTable, Figures, InsatsLine, Line, Row, percent
from .split import ContributionSplit, KeyShare, KeySplit, SplitPart, contribution_split, key_split

__all__ = [
    "ZERO",
    "BudgetTable",
    "ContributionSplit",
    "Figures",
    "InsatsLine",
    "KeyShare",
    "KeySplit",
    "Line",
    "Row",
    "SplitPart",
    "approved_claims",
    "budget_remaining",
    "budget_table",
    "contribution_split",
    "key_split",
    "percent",
]
