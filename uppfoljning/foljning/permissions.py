"""Who may do what with the board's follow-up. Every view here asks this module.

Kansli, styrelse and revisor read the follow-up page, its Excel and its PDFs;
kansli writes the assessments of manual targets and orders the PDF. An
insatsägare does not see it: it covers every member's insatser.
"""

from finsam.permissions import EDITORS, READERS

READ = READERS
EDIT = EDITORS


def can_edit(roll):
    return roll.kind in EDIT
