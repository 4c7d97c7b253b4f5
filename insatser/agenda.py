"""Applications on a meeting's agenda: how each shows itself, and where it goes when postponed.

The meeting (finsam) knows nothing of applications. `subjects` tells the
agenda which items are applications (`Ansokan.arende`) and what the notice,
the meeting page and the minutes say of each; `move_postponed` follows an
item postponed to the next meeting.
"""

from django.urls import NoReverseMatch

from finsam.agenda import Subject, register_subjects
from finsam.meetings.signals import item_postponed
from finsam.models import Handelse

from .models import Ansokan

SUMMARY_LENGTH = 600


def _url(ansokan):
    try:
        return ansokan.get_absolute_url()
    except NoReverseMatch:  # the application pages are not installed
        return ""


def _summary(ansokan):
    lines = []
    kind = ansokan.get_kind_display()
    period = ""
    if ansokan.start and ansokan.end:
        period = f", {ansokan.start:%Y-%m-%d}–{ansokan.end:%Y-%m-%d}"
    lines.append(f"{kind}{period}.")
    deltagare = [m.display_name for m in ansokan.deltagare.all()]
    if deltagare:
        lines.append("Deltagande medlemmar: " + ", ".join(deltagare) + ".")
    malgrupper = [m.name for m in ansokan.malgrupper.all()]
    if malgrupper:
        lines.append("Målgrupper: " + ", ".join(malgrupper) + ".")
    if ansokan.description:
        text = ansokan.description.strip()
        if len(text) > SUMMARY_LENGTH:
            text = text[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + " …"
        lines.append(text)
    return lines


def subjects(items, roll=None):
    applications = (
        Ansokan.objects.filter(arende__in=[item.pk for item in items])
        .select_related("agare", "forbund")
        .prefetch_related("belopp", "deltagare", "malgrupper")
    )
    found = {}
    for ansokan in applications:
        belopp = list(ansokan.belopp.all())
        found[ansokan.arende_id] = Subject(
            title=str(ansokan),
            url=_url(ansokan),
            applicant=ansokan.agare.display_name,
            summary=_summary(ansokan),
            asked={b.year: b.amount for b in belopp},
            proposed={b.year: b.proposed for b in belopp if b.proposed is not None},
            proposal=ansokan.proposal,
            conditions=ansokan.proposal_conditions,
            obj=ansokan,
            closed="Ansökan är återtagen." if ansokan.status == ansokan.Status.ATERTAGEN else "",
        )
    return found


def move_postponed(sender, old, new, **kwargs):
    """A postponed application follows its item to the next meeting."""
    for ansokan in Ansokan.objects.filter(arende=old):
        ansokan.arende = new
        ansokan.save(update_fields=["arende"])
        Handelse.record(
            forbund=ansokan.forbund,
            user=None,
            subject=ansokan,
            action="bordlagd",
            changes={"ärende": [str(old.sammantrade), str(new.sammantrade)]},
        )


def register():
    register_subjects(subjects)
    item_postponed.connect(move_postponed, dispatch_uid="insatser.agenda.move_postponed")
