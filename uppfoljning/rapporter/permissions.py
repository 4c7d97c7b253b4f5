"""Who may do what with reports. Every report view asks here; none improvises a check."""

from finsam.permissions import EDITORS, EVERYONE, INSATSAGARE

# The late reports, by insats and owner: the kansli's work list.
LATE_LIST_ROLES = EDITORS


def visible_reports(queryset, roll):
    """The reports `roll` may know of: an insatsägare its own member's only."""
    if roll.kind == INSATSAGARE:
        return queryset.filter(insats__agare_id=roll.medlem_id)
    return queryset


# One report's page: every role, an insatsägare its own member's only (404 otherwise).
DETAIL_ROLES = EVERYONE
