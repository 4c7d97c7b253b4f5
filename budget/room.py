"""The remaining room to decide in a year, for the application's proposal (insatser.ansokan.room).

The budget table's last line, "Kvarvarande beslutsutrymme", of the year's
latest budget version: what is left after everything already granted.
"""

from .models import Budget
from .tables import budget_table


def remaining_room(forbund, year):
    budget = Budget.objects.of(forbund).latest_version(year)
    if budget is None:
        return None
    return budget_table(budget).remaining
