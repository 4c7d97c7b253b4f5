"""Every change of a report's state, each one function, each recorded (Handelse).

Draft, submit (registration number in the "rapport" series, received time,
frozen), kansli approves or returns with a comment, the insatsägare corrects
and resubmits. Approving the final report ends the insats.

Call inside a transaction (views do); each function locks the report's row
first, so two presses of the same button give one change and a NotAllowed.
"""

from django.db import transaction
from django.utils import timezone

from finsam.concurrency import lock
from finsam.models import Handelse, Lopnummer
from insatser.models import AnsokanMal, Insats

from ..models import Deltagarantal, Rapport, RapportMal

S = Rapport.Status
C = Deltagarantal.Category
SERIES = "rapport"
EDITABLE = (S.DUE, S.UTKAST, S.ATERFORVISAD)
REASONS = (C.TILL_ARBETE, C.TILL_STUDIER, C.TILL_ARBETSSOKANDE, C.TILL_REHABPLAN, C.OVRIGT)


class NotAllowed(Exception):
    """The report is not (or no longer) in a state that allows this; str() says why."""


class Incomplete(Exception):
    """Submitting refused: `problems` lists what is missing or does not add up.

    `where` has the same problems with the place on the form each belongs to
    (see `placed_problems`).
    """

    def __init__(self, problems, where=()):
        super().__init__("; ".join(problems))
        self.problems = problems
        self.where = list(where) or [(None, p) for p in problems]


def _locked(rapport):
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("The report workflow needs a transaction.")
    fresh = Rapport.objects.select_for_update().get(pk=rapport.pk)
    for field in ("status", "revision", "diarienummer", "received_at", "decided_at"):
        setattr(rapport, field, getattr(fresh, field))
    return rapport


def _record(rapport, user, action, reason="", changes=None):
    Handelse.record(
        forbund=rapport.insats.forbund,
        user=user,
        subject=rapport,
        action=action,
        reason=reason,
        changes=changes,
    )


def _move(rapport, status, extra=()):
    before = rapport.get_status_display()
    rapport.status = status
    rapport.revision += 1
    rapport.save(update_fields=["status", "revision", *extra])
    return {"status": [before, rapport.get_status_display()]}


def _require(rapport, *statuses, message):
    if rapport.status not in statuses:
        raise NotAllowed(message)


def is_editable(rapport):
    return rapport.status in EDITABLE


def counts(rapport):
    """{category: Deltagarantal} of the report (missing categories as zero rows)."""
    rows = {row.category: row for row in rapport.deltagarantal.all()}
    return {c: rows.get(c) or Deltagarantal(rapport=rapport, category=c) for c in C.values}


def problems(rapport, today=None):
    """What a complete report has and this one lacks, in Swedish (empty: complete)."""
    return [message for _where, message in placed_problems(rapport, today)]


def placed_problems(rapport, today=None):
    """problems(), each as (where, message): where on the report form it belongs.

    `where` is a field of the form ("jamstalldhet", "avslutade_women"), a goal
    ("mal", pk), or None for the report as a whole.
    """
    today = today or timezone.localdate()
    found = []
    if rapport.period_end >= today:
        found.append(
            (
                None,
                f"Perioden är inte slut förrän {rapport.period_end:%Y-%m-%d}: "
                "rapporten kan lämnas när perioden har tagit slut.",
            )
        )
    if not rapport.jamstalldhet.strip():
        found.append(("jamstalldhet", "Beskriv hur insatsen har arbetat med jämställdhet."))
    rows = counts(rapport)
    ended = rows[C.AVSLUTADE]
    for attr, label in (("women", "kvinnor"), ("men", "män")):
        reasons = sum(getattr(rows[c], attr) for c in REASONS)
        if reasons != getattr(ended, attr):
            found.append(
                (
                    f"{C.AVSLUTADE}_{attr}",
                    f"Skälen till att deltagarna avslutade ({reasons} {label}) "
                    f"ska vara lika många som de avslutade ({getattr(ended, attr)} {label}).",
                )
            )
    if rapport.insats.kind == Insats.Kind.STRUKTUR:
        for mal in rapport.mal.all():
            if not mal.bedomning:
                found.append((("mal", mal.pk), f"Bedöm målet ”{mal.text[:60]}”."))
    return found


def add_goals(rapport):
    """A structural insats's report gets one row per goal of its application, once.

    Asked when the form is opened: goals added to the application later are
    added then too. Rows already assessed are kept as they are.
    """
    insats = rapport.insats
    if insats.kind != Insats.Kind.STRUKTUR or not insats.ansokan_id or not is_editable(rapport):
        return
    goals = AnsokanMal.objects.filter(ansokan_id=insats.ansokan_id)
    if not goals.exclude(pk__in=rapport.mal.values("mal_id")).exists():
        return
    with transaction.atomic():
        lock(rapport)  # two people opening the form at once add the rows once
        have = set(rapport.mal.values_list("mal_id", flat=True))
        RapportMal.objects.bulk_create(
            RapportMal(rapport=rapport, mal=goal, text=goal.text)
            for goal in goals
            if goal.pk not in have
        )


# The reason recorded where kansli fills in or sends in a report for its owner.
ON_BEHALF = "Av kansliet för insatsägarens räkning."


def draft_saved(rapport, user, changes, on_behalf=False):
    """The form saved the draft: the first save moves a due report to draft; on the history."""
    if rapport.status == S.DUE:
        changes = {**_move(rapport, S.UTKAST), **changes}
    _record(rapport, user, "utkast sparat", reason=ON_BEHALF if on_behalf else "", changes=changes)


def submit(rapport, user, today=None, on_behalf=False):
    _locked(rapport)
    _require(rapport, *EDITABLE, message="Rapporten är redan inskickad.")
    missing = placed_problems(rapport, today)
    if missing:
        raise Incomplete([message for _where, message in missing], where=missing)
    resubmitted = rapport.status == S.ATERFORVISAD
    now = timezone.now()
    extra = ["received_at", "submitted_by"]
    if not rapport.diarienummer:  # a resubmitted report keeps its number
        local = timezone.localtime(now)
        number = Lopnummer.next(rapport.insats.forbund, SERIES, local.year)
        rapport.diarienummer = Lopnummer.format(local.year, number, SERIES)
        extra.append("diarienummer")
    rapport.received_at = now
    rapport.submitted_by = user
    changes = _move(rapport, S.INSKICKAD, extra=extra)
    changes["diarienummer"] = rapport.diarienummer
    changes["inkom"] = f"{timezone.localtime(now):%Y-%m-%d %H:%M}"
    _record(
        rapport,
        user,
        "inskickad på nytt" if resubmitted else "inskickad",
        reason=ON_BEHALF if on_behalf else "",
        changes=changes,
    )
    return rapport


def approve(rapport, user):
    _locked(rapport)
    _require(rapport, S.INSKICKAD, message="Bara en inskickad rapport kan godkännas.")
    rapport.decided_at = timezone.now()
    _record(rapport, user, "godkänd", changes=_move(rapport, S.GODKAND, extra=["decided_at"]))
    if rapport.kind == Rapport.Kind.SLUT:
        _end_insats(rapport.insats, user, rapport)
    return rapport


def return_report(rapport, user, comment):
    _locked(rapport)
    _require(rapport, S.INSKICKAD, message="Bara en inskickad rapport kan återförvisas.")
    if not comment.strip():
        raise NotAllowed("Skriv en kommentar om vad som ska rättas.")
    rapport.return_comment = comment
    changes = _move(rapport, S.ATERFORVISAD, extra=["return_comment"])
    changes["kommentar"] = comment
    _record(rapport, user, "återförvisad", reason=comment, changes=changes)
    return rapport


def _end_insats(insats, user, rapport):
    insats = Insats.objects.select_for_update().get(pk=insats.pk)
    if insats.status == Insats.Status.AVSLUTAD:
        return
    before = insats.get_status_display()
    insats.status = Insats.Status.AVSLUTAD
    insats.revision += 1
    insats.save(update_fields=["status", "revision"])
    Handelse.record(
        forbund=insats.forbund,
        user=user,
        subject=insats,
        action="avslutad",
        reason=f"Slutrapporten {rapport.diarienummer} är godkänd.",
        changes={"status": [before, insats.get_status_display()]},
    )
