"""Who may do what with a payment claim (Rekvisition). Every view here asks this module.

- An insatsägare sees and claims for its own member's insatser only; never
  another member's claims: not in a list, a count or a total.
- Kansli registers a claim that came by post, approves or rejects; styrelse and
  revisor read.
"""

from finsam.permissions import INSATSAGARE, KANSLI


def visible(queryset, roll):
    """The claims the role may know of (a queryset of Rekvisition)."""
    if roll.kind == INSATSAGARE:
        return queryset.filter(insats__agare=roll.medlem_id)
    return queryset


def can_see(roll, rekvisition):
    if roll.kind == INSATSAGARE:
        return rekvisition.insats.agare_id == roll.medlem_id
    return True


def can_claim(roll, insats):
    """The insats's owner claims its money."""
    return roll.kind == INSATSAGARE and insats.agare_id == roll.medlem_id


def can_register(roll):
    """Kansli registers a claim that came by post or e-mail, for the insats's owner."""
    return roll.kind == KANSLI


def can_decide(roll):
    return roll.kind == KANSLI
