"""A decision applied to its application: the insats, its grants, the letter.

- The board's decisions are applied when the minutes are signed
  (`finsam.minutes.signals.minutes_signed` → `apply_meeting`): a decision on
  an item is final only with signed minutes.
- A delegated decision (`decide_delegated`) is the director's, within the
  förbund's delegation limit, and is applied at once; it is reported at the
  next meeting whose notice is not yet sent (Beslut.reported_at).

`apply_decision` makes a granted application an Insats with its taking-part
members and one Anslag per year tied to the decision, gives the application
its status and decision, and queues the decision letter: a PDF (Dokument kind
BESLUTSBREV, subject the application) mailed to the applicant's contact and
the insatsägare users of its member organisation.
"""

from decimal import Decimal

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from finsam.documents import generate, of_subject, queue_dokument
from finsam.models import Beslut, BeslutBelopp, Dokument, Handelse, Roll, Sammantrade
from finsam.templatetags.finsam import belopp

from .models import Anslag, Ansokan, Insats

Outcome = Beslut.Outcome
APPLIED_STATUS = {
    Outcome.BEVILJAS: Ansokan.Status.BEVILJAD,
    Outcome.DELVIS: Ansokan.Status.DELVIS_BEVILJAD,
    Outcome.AVSLAS: Ansokan.Status.AVSLAGEN,
}
DELEGATED_OUTCOMES = [Outcome.BEVILJAS, Outcome.DELVIS, Outcome.AVSLAS]


class DecisionError(Exception):
    """The decision cannot be made or applied; the message is Swedish, for the user."""


def ansokan_of(beslut):
    if beslut.delegated:
        subject = beslut.subject
        return subject if isinstance(subject, Ansokan) else None
    if beslut.arende_id is None:
        return None
    return Ansokan.objects.filter(arende_id=beslut.arende_id).first()


def total_asked(ansokan):
    return sum((row.amount for row in ansokan.belopp.all()), Decimal(0))


def within_delegation(ansokan):
    limit = ansokan.forbund.delegation_limit
    return limit > 0 and total_asked(ansokan) <= limit


def next_meeting_to_report(forbund, today=None):
    """The next meeting whose notice is not sent yet: the delegated decision goes on its agenda."""
    today = today or timezone.localdate()
    return (
        Sammantrade.objects.of(forbund)
        .filter(date__gte=today, notice_sent_at__isnull=True)
        .exclude(status__in=Sammantrade.FROZEN_STATUSES)
        .order_by("date", "start_time")
        .first()
    )


@transaction.atomic
def apply_decision(beslut, *, user, reason=""):
    """Apply one decision to its application; None if there is nothing to apply (once).

    `user` is who decided (the director), or None when the system applies the
    board's decisions as their minutes are signed (`reason` says so).
    """
    ansokan = ansokan_of(beslut)
    if ansokan is None or beslut.outcome not in APPLIED_STATUS:
        return None
    ansokan = Ansokan.objects.select_for_update().get(pk=ansokan.pk)
    if ansokan.beslut_id == beslut.pk:
        return None  # applied already
    if ansokan.status == Ansokan.Status.ATERTAGEN:
        return None  # withdrawn by the applicant: nothing to grant
    before = ansokan.get_status_display()
    insats = None
    if beslut.outcome in (Outcome.BEVILJAS, Outcome.DELVIS):
        insats = Insats.objects.create(
            forbund=ansokan.forbund,
            name=ansokan.title,
            agare=ansokan.agare,
            kind=ansokan.kind,
            malgrupp=ansokan.malgrupper.first(),
            ansokan=ansokan,
            start=ansokan.start,
            end=ansokan.end,
            description=ansokan.description,
        )
        insats.deltagare.set(ansokan.deltagare.exclude(pk=ansokan.agare_id))
        for row in beslut.belopp.all():
            Anslag.objects.create(insats=insats, year=row.year, amount=row.amount, beslut=beslut)
        Handelse.record(
            forbund=ansokan.forbund,
            user=user,
            subject=insats,
            action="skapad genom beslut",
            reason=reason,
            changes={"beslut": [None, _describe(beslut)]},
        )
    ansokan.status = APPLIED_STATUS[beslut.outcome]
    ansokan.beslut = beslut
    ansokan.save(update_fields=["status", "beslut"])
    Handelse.record(
        forbund=ansokan.forbund,
        user=user,
        subject=ansokan,
        action="beslut",
        reason=reason,
        changes={
            "status": [before, ansokan.get_status_display()],
            "beslut": [None, _describe(beslut)],
        },
    )
    start_decision_letter(ansokan, beslut, user=user)
    return insats


def _describe(beslut):
    amounts = ", ".join(f"{row.year}: {belopp(row.amount, 'kr')} kr" for row in beslut.belopp.all())
    kind = "delegationsbeslut" if beslut.delegated else "styrelsens beslut"
    text = f"{beslut.get_outcome_display()} ({kind} {beslut.date:%Y-%m-%d})"
    return f"{text}, {amounts}" if amounts else text


def apply_meeting(sender, *, sammantrade, user, **kwargs):
    """minutes_signed receiver: apply the meeting's decisions on applications."""
    decisions = Beslut.objects.filter(arende__sammantrade=sammantrade).select_related("arende")
    reason = f"Protokollet från {sammantrade} är justerat; styrelsens beslut gäller."
    for beslut in decisions:
        apply_decision(beslut, user=None, reason=reason)


@transaction.atomic
def decide_delegated(ansokan, *, user, outcome, amounts, text="", conditions="", today=None):
    """The director decides an application within the delegation limit; applied at once.

    `amounts` is {year: Decimal} for beviljas / beviljas delvis.
    """
    ansokan = Ansokan.objects.select_for_update().select_related("forbund").get(pk=ansokan.pk)
    if ansokan.status != Ansokan.Status.KLAR_FOR_BESLUT or ansokan.beslut_id:
        raise DecisionError("Ansökan är inte klar för beslut, eller redan beslutad.")
    if not within_delegation(ansokan):
        raise DecisionError(
            f"Det sökta beloppet ({belopp(total_asked(ansokan), 'kr')} kr) ryms inte inom "
            f"delegationsgränsen ({belopp(ansokan.forbund.delegation_limit, 'kr')} kr): "
            "styrelsen beslutar."
        )
    if outcome not in DELEGATED_OUTCOMES:
        raise DecisionError("Välj beviljas, beviljas delvis eller avslås.")
    amounts = {year: amount for year, amount in amounts.items() if amount}
    if outcome == Outcome.AVSLAS:
        amounts = {}
    elif not amounts:
        raise DecisionError("Ange beviljat belopp för minst ett år.")
    today = today or timezone.localdate()
    beslut = Beslut.objects.create(
        forbund=ansokan.forbund,
        date=today,
        text=text.strip() or _delegated_text(ansokan, outcome, amounts),
        delegated=True,
        decided_by=user,
        reported_at=next_meeting_to_report(ansokan.forbund, today),
        diarienummer=ansokan.diarienummer,
        outcome=outcome,
        conditions=conditions,
        subject=ansokan,
    )
    for year, amount in sorted(amounts.items()):
        BeslutBelopp.objects.create(beslut=beslut, year=year, amount=amount)
    Handelse.record(
        forbund=ansokan.forbund,
        user=user,
        subject=beslut,
        action="delegationsbeslut",
        changes={"beslut": [None, _describe(beslut)]},
    )
    apply_decision(beslut, user=user)
    return beslut


def _delegated_text(ansokan, outcome, amounts):
    if outcome == Outcome.AVSLAS:
        return f"Förbundschefen avslår ansökan {ansokan.title} enligt delegation."
    total = belopp(sum(amounts.values(), Decimal(0)), "kr")
    verb = "beviljar delvis" if outcome == Outcome.DELVIS else "beviljar"
    return f"Förbundschefen {verb} {ansokan.title} {total} kr enligt delegation."


# The decision letter -------------------------------------------------------------


def letter_title(ansokan):
    return f"Beslutsbrev {ansokan.diarienummer or ansokan.title}"


def latest_letter(ansokan):
    return (
        of_subject(ansokan, Dokument.Kind.BESLUTSBREV)
        .filter(status=Dokument.Status.DONE)
        .order_by("-version")
        .first()
    )


def letter_pending(ansokan):
    """A letter is queued or being made (the page waits for it)."""
    return (
        of_subject(ansokan, Dokument.Kind.BESLUTSBREV)
        .filter(status__in=[Dokument.Status.QUEUED, Dokument.Status.RUNNING])
        .exists()
    )


def start_decision_letter(ansokan, beslut, *, user):
    dokument = queue_dokument(
        forbund=ansokan.forbund,
        kind=Dokument.Kind.BESLUTSBREV,
        title=letter_title(ansokan),
        subject=ansokan,
        user=user,
    )
    send_decision_letter.delay_on_commit(dokument.pk, beslut.pk)
    return dokument


def letter_context(ansokan, beslut):
    return {
        "forbund": ansokan.forbund,
        "title": letter_title(ansokan),
        "ansokan": ansokan,
        "beslut": beslut,
        "belopp": list(beslut.belopp.all()),
        "asked": list(ansokan.belopp.all()),
        "insats": Insats.objects.filter(ansokan=ansokan).first(),
        "sammantrade": beslut.arende.sammantrade if beslut.arende_id else None,
        "paragraf": (beslut.arende.paragraf or beslut.arende.number) if beslut.arende_id else None,
        "generated_on": timezone.localdate(),
    }


def letter_html(ansokan, beslut):
    return render_to_string("print/beslutsbrev.html", letter_context(ansokan, beslut))


def recipients(ansokan):
    """The application's contact and the insatsägare users of its member, once each."""
    found = [ansokan.contact_email] if ansokan.contact_email else []
    users = Roll.objects.filter(
        forbund=ansokan.forbund, kind=Roll.Kind.INSATSAGARE, medlem=ansokan.agare
    ).select_related("user")
    found += [roll.user.email for roll in users if roll.user.email and roll.user.is_active]
    return list(dict.fromkeys(email.lower() for email in found))


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.PDF_SOFT_TIME_LIMIT,
    time_limit=settings.PDF_TIME_LIMIT,
)
def send_decision_letter(self, dokument_id, beslut_id):
    """Make the letter's PDF, then mail it (once: a redelivered task finds it done)."""
    beslut = Beslut.objects.filter(pk=beslut_id).first()
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))

    def build(dokument):
        return letter_html(dokument.subject, beslut)

    dokument = generate(dokument_id, build, redelivered=redelivered)
    if dokument is None or dokument.status != Dokument.Status.DONE:
        return
    ansokan = dokument.subject
    to = recipients(ansokan)
    if not to:
        return
    context = letter_context(ansokan, beslut)
    subject = " ".join(render_to_string("insatser/mail/beslut_subject.txt", context).split())
    body = render_to_string("insatser/mail/beslut.txt", context)
    message = EmailMessage(subject, body, None, to)
    with dokument.file.open("rb") as pdf:
        message.attach(f"{letter_title(ansokan)}.pdf", pdf.read(), "application/pdf")
    message.send()
