"""Who may do what with reports. Every report view asks here; none improvises a check."""

from finsam.permissions import EDITORS, EVERYONE, INSATSAGARE, KANSLI

from ..models import Rapport
from .workflow import EDITABLE

S = Rapport.Status

# The late reports, by insats and owner: the kansli's work list.
LATE_LIST_ROLES = EDITORS

# The list of reports: every role, an insatsägare its own member's only.
LIST_ROLES = EVERYONE

# The report form: the insatsägare of the insats's owner, and kansli on its behalf.
FORM_ROLES = frozenset({INSATSAGARE, KANSLI})

# Approving and returning a submitted report: kansli.
DECIDE_ROLES = EDITORS


def visible_reports(queryset, roll):
    """The reports `roll` may know of: an insatsägare its own member's only."""
    if roll.kind == INSATSAGARE:
        return queryset.filter(insats__agare_id=roll.medlem_id)
    return queryset


# One report's page: every role, an insatsägare its own member's only (404 otherwise).
DETAIL_ROLES = EVERYONE


def can_edit(roll, rapport):
    """Fill in, save and send in: while the report is due, a draft or returned."""
    if rapport.status not in EDITABLE:
        return False
    if roll.kind == INSATSAGARE:
        return rapport.insats.agare_id == roll.medlem_id
    return roll.kind == KANSLI


def on_behalf(roll):
    """Kansli fills in a report for its owner (one that came by post, say): so recorded."""
    return roll.kind == KANSLI


def can_decide(roll, rapport):
    return roll.kind in DECIDE_ROLES and rapport.status == S.INSKICKAD


# The förbund's reporting settings (interval, days until due): kansli.
SETTINGS_ROLES = EDITORS
