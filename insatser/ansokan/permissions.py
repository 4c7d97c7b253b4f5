"""Who may do what with an application. Every view of insatser.ansokan asks here.

- An insatsägare sees its own member's applications (the owner), drafts too;
  never another member's: not in a list, a count, a search or a file.
- Kansli sees every application that is sent in, and its own drafts
  (registered on an applicant's behalf); never an applicant's draft.
- Styrelse and revisor read applications that are sent in.
"""

from finsam.permissions import INSATSAGARE, KANSLI, REVISOR

from ..models import Ansokan

S = Ansokan.Status
OPEN = (S.INSKICKAD, S.BEREDNING, S.KOMPLETTERING, S.KLAR_FOR_BESLUT)
PREPARING = (S.INSKICKAD, S.BEREDNING, S.KOMPLETTERING, S.KLAR_FOR_BESLUT)
DECIDED = (S.BEVILJAD, S.DELVIS_BEVILJAD, S.AVSLAGEN)


def visible(queryset, roll):
    """The applications the role may know of."""
    if roll.kind == INSATSAGARE:
        return queryset.filter(agare=roll.medlem_id)
    if roll.kind == KANSLI:
        return queryset.exclude(status=S.UTKAST, registered_by_kansli=False)
    return queryset.exclude(status=S.UTKAST)


def can_see(roll, ansokan):
    if roll.kind == INSATSAGARE:
        return ansokan.agare_id == roll.medlem_id
    if ansokan.status == S.UTKAST:
        return roll.kind == KANSLI and ansokan.registered_by_kansli
    return True


def is_applicant(roll, ansokan):
    return roll.kind == INSATSAGARE and ansokan.agare_id == roll.medlem_id


def can_create(roll):
    """An insatsägare writes its own; kansli registers one that came by post or e-mail."""
    return roll.kind in (INSATSAGARE, KANSLI)


def can_edit_draft(roll, ansokan):
    if ansokan.status != S.UTKAST:
        return False
    if ansokan.registered_by_kansli:
        return roll.kind == KANSLI
    return is_applicant(roll, ansokan)


can_submit = can_edit_draft


def can_withdraw(roll, ansokan):
    """Not after a decision; the applicant, or kansli on its behalf."""
    if ansokan.status not in (S.UTKAST, *OPEN) or ansokan.beslut_id:
        return False
    if roll.kind == KANSLI:
        return ansokan.status != S.UTKAST or ansokan.registered_by_kansli
    return is_applicant(roll, ansokan)


def can_answer(roll, ansokan):
    """A request for completion: the applicant answers (kansli enters an answer by post)."""
    if ansokan.status != S.KOMPLETTERING:
        return False
    return is_applicant(roll, ansokan) or roll.kind == KANSLI


def can_prepare(roll, ansokan):
    """Notes, completion requests, the proposal, "klar för beslut", the agenda: kansli."""
    return roll.kind == KANSLI and ansokan.status in PREPARING and not ansokan.beslut_id


def can_read_notes(roll):
    """The preparation notes are internal: kansli, and the revisor who reads everything."""
    return roll.kind in (KANSLI, REVISOR)


def can_add_attachment(roll, ansokan):
    if can_edit_draft(roll, ansokan):
        return True
    if ansokan.status == S.KOMPLETTERING and is_applicant(roll, ansokan):
        return True
    return roll.kind == KANSLI and ansokan.status in PREPARING


can_read_attachment = can_see


def can_read_history(roll, ansokan):
    """Every step is on the application's history: its applicant and the förbund's readers."""
    return can_see(roll, ansokan)


def can_manage_rounds(roll):
    return roll.kind == KANSLI
