"""Who may do what with competence activities. Every view here asks this module.

Kansli registers, changes and deletes them; styrelse and revisor read them.
An insatsägare does not see them: an activity may concern another member's insats.
"""

from finsam.permissions import EDITORS, READERS

READ = READERS
EDIT = EDITORS


def can_read(roll):
    return roll.kind in READ


def can_edit(roll):
    return roll.kind in EDIT
