"""A board meeting's state changes, each one function that records itself in the audit trail.

The agenda template, standing items, moving items, § numbers, the notice,
attendance, jäv, quorum per item, decisions and postponing, and the meeting
held. Every function that writes takes the meeting's row lock and refuses a
meeting whose minutes are signed.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ..agenda import add_item, renumber, subjects_for
from ..concurrency import lock
from ..documents import queue_dokument
from ..models import (
    Arende,
    Beslut,
    BeslutBelopp,
    Dagordningspunkt,
    Dokument,
    Handelse,
    Jav,
    Ledamot,
    Narvaro,
    Protokoll,
    Sammantrade,
    StandingItem,
)
from .signals import item_postponed

Status = Sammantrade.Status
Outcome = Beslut.Outcome


class MeetingError(Exception):
    """A state change the meeting refuses; the message is Swedish, for the user."""


FROZEN = "Protokollet är justerat. Sammanträdet och dess ärenden kan inte längre ändras."
HELD = "Mötet är genomfört. Dagordningen kan inte längre ändras."


def _refuse_frozen(sammantrade):
    if sammantrade.is_frozen:
        raise MeetingError(FROZEN)


def _locked(sammantrade):
    """The meeting as it is now, its row locked until the transaction ends."""
    lock(sammantrade)
    sammantrade.refresh_from_db()
    _refuse_frozen(sammantrade)
    return sammantrade


# The agenda template -----------------------------------------------------------

# Applications take the ANSOKNINGAR slot themselves: no standing item of its own.
INFORMATION_ITEMS = {
    StandingItem.OPPNANDE,
    StandingItem.DELEGATION,
    StandingItem.INFORMATION,
    StandingItem.OVRIGT,
    StandingItem.AVSLUTNING,
}


def default_template(forbund):
    """The standing items every board meeting has, unsaved, in their usual order."""
    return [
        Dagordningspunkt(
            forbund=forbund,
            order=i,
            standing=item.value,
            title=str(item.label),
            kind=Arende.Kind.INFORMATION if item in INFORMATION_ITEMS else Arende.Kind.BESLUT,
        )
        for i, item in enumerate(StandingItem, 1)
        if item != StandingItem.ANSOKNINGAR
    ]


def agenda_template(forbund):
    """The förbund's template; the default one while the kansli has made none."""
    return list(Dagordningspunkt.objects.of(forbund)) or default_template(forbund)


@transaction.atomic
def save_template(*, forbund, rows, user):
    """Replace the template with `rows` (dicts of standing, title, kind) in their order."""
    lock(forbund)
    before = [p.title for p in agenda_template(forbund)]
    Dagordningspunkt.objects.of(forbund).delete()
    saved = Dagordningspunkt.objects.bulk_create(
        Dagordningspunkt(forbund=forbund, order=i, **row) for i, row in enumerate(rows, 1)
    )
    after = [p.title for p in saved]
    Handelse.record(
        forbund=forbund,
        user=user,
        subject=forbund,
        action="dagordningens mall ändrad",
        changes={"dagordningens mall": [", ".join(before), ", ".join(after)]},
    )
    return saved


@transaction.atomic
def add_standing_items(*, sammantrade, user):
    """Give a meeting the template's standing items that it does not yet have."""
    _locked(sammantrade)
    have = set(sammantrade.arenden.values_list("standing", flat=True))
    added = []
    for punkt in agenda_template(sammantrade.forbund):
        if punkt.standing in have:
            continue
        item = add_item(sammantrade, title=punkt.title, standing=punkt.standing, kind=punkt.kind)
        added.append(item.title)
    if added:
        _number_if_noticed(sammantrade)
        Handelse.record(
            forbund=sammantrade.forbund,
            user=user,
            subject=sammantrade,
            action="stående punkter tillagda",
            changes={"stående punkter": added},
        )
    return added


# Order and § numbers ------------------------------------------------------------


def _refuse_held(sammantrade):
    if sammantrade.status != Status.PLANERAT and sammantrade.status != Status.KALLAT:
        raise MeetingError(HELD)


@transaction.atomic
def reorder(*, sammantrade, order, user):
    """Put the items in the order of `order` (item ids); ids not on the agenda are refused."""
    _locked(sammantrade)
    _refuse_held(sammantrade)
    items = {a.pk: a for a in sammantrade.arenden.order_by("number")}
    if sorted(order) != sorted(items):
        raise MeetingError(
            "Dagordningen ändrades samtidigt av någon annan. Inget har flyttats; försök igen."
        )
    shown = list(items)  # in number order
    if order == shown:
        return False
    before = [str(items[pk]) for pk in shown]
    renumber(sammantrade, [items[pk] for pk in order])
    _number_if_noticed(sammantrade)
    Handelse.record(
        forbund=sammantrade.forbund,
        user=user,
        subject=sammantrade,
        action="dagordningen ordnad om",
        changes={"dagordning": [before, [str(items[pk]) for pk in order]]},
    )
    return True


def move_item(*, arende, step, user):
    """Move one item up (step -1) or down (+1) one place."""
    order = list(arende.sammantrade.arenden.order_by("number").values_list("pk", flat=True))
    i = order.index(arende.pk)
    j = i + step
    if not 0 <= j < len(order):
        return False
    order[i], order[j] = order[j], order[i]
    return reorder(sammantrade=arende.sammantrade, order=order, user=user)


def _last_paragraf(meeting, previous_last):
    numbers = meeting.arenden.aggregate(last=Max("paragraf"))["last"]
    if numbers:
        return numbers
    return previous_last + meeting.arenden.count()


def first_paragraf(sammantrade):
    """The § number the meeting's first item gets: after the year's earlier meetings' last."""
    earlier = (
        Sammantrade.objects.of(sammantrade.forbund)
        .of_year(sammantrade.date.year)
        .filter(date__lte=sammantrade.date)
        .exclude(pk=sammantrade.pk)
        .order_by("date", "pk")
    )
    last = 0
    for meeting in earlier:
        if meeting.date == sammantrade.date and meeting.pk > sammantrade.pk:
            continue
        last = _last_paragraf(meeting, last)
    return last + 1


def number_paragrafer(sammantrade):
    """Give the items their § numbers, running on from the year's earlier meetings."""
    if sammantrade.is_frozen:
        return
    start = first_paragraf(sammantrade)
    for i, item in enumerate(sammantrade.arenden.order_by("number")):
        if item.paragraf != start + i:
            Arende.objects.filter(pk=item.pk).update(paragraf=start + i)


def _number_if_noticed(sammantrade):
    if sammantrade.notice_sent_at or sammantrade.status != Status.PLANERAT:
        number_paragrafer(sammantrade)


# The notice -------------------------------------------------------------------


def notice_title(sammantrade):
    return f"Kallelse {sammantrade.get_kind_display().lower()} {sammantrade.date:%Y-%m-%d}"


@transaction.atomic
def send_notice(*, sammantrade, user, base_url):
    """Number the items, queue the notice PDF; the task publishes it and mails the board.

    Pressed again, it makes a new version of the PDF; each board member is
    mailed once (finsam.meetings.tasks.mail_notice).
    """
    from . import tasks

    _locked(sammantrade)
    _refuse_held(sammantrade)
    if not sammantrade.arenden.exists():
        raise MeetingError("Dagordningen är tom. Lägg in ärendena innan kallelsen skickas.")
    number_paragrafer(sammantrade)
    dokument = queue_dokument(
        forbund=sammantrade.forbund,
        kind=Dokument.Kind.KALLELSE,
        title=notice_title(sammantrade),
        subject=sammantrade,
        user=user,
    )
    changes = {"kallelse": f"version {dokument.version}"}
    if sammantrade.status == Status.PLANERAT:
        changes["status"] = [str(Status.PLANERAT.label), str(Status.KALLAT.label)]
        sammantrade.status = Status.KALLAT
    sammantrade.notice_sent_at = sammantrade.notice_sent_at or timezone.now()
    sammantrade.save(update_fields=["status", "notice_sent_at"])
    Handelse.record(
        forbund=sammantrade.forbund,
        user=user,
        subject=sammantrade,
        action="kallelse skickad",
        changes=changes,
    )
    tasks.generate_kallelse_pdf.delay_on_commit(dokument.pk, base_url)
    return dokument


# Attendance -------------------------------------------------------------------


def seats(sammantrade):
    """The board seats on the meeting's day, regular members first."""
    return list(
        Ledamot.objects.of(sammantrade.forbund)
        .current(sammantrade.date)
        .select_related("medlem", "user")
        .order_by("medlem__order", "medlem__name", "kind", "name")
    )


def check_attendance(sammantrade, present, serving):
    """Errors (Swedish) of an attendance: a deputy serves for an absent regular of its member."""
    by_pk = {seat.pk: seat for seat in seats(sammantrade)}
    errors = []
    taken = {}
    for deputy_pk, regular_pk in serving.items():
        deputy, regular = by_pk.get(deputy_pk), by_pk.get(regular_pk)
        if deputy is None or regular is None:
            errors.append("En ledamot i formuläret hör inte till sammanträdet.")
            continue
        if deputy.kind != Ledamot.Kind.ERSATTARE or regular.kind != Ledamot.Kind.ORDINARIE:
            errors.append(f"{deputy.name} är inte ersättare för en ordinarie ledamot.")
        elif deputy.medlem_id != regular.medlem_id:
            errors.append(
                f"{deputy.name} kan inte tjänstgöra för {regular.name}: "
                "en ersättare tjänstgör bara för en ledamot från samma medlem."
            )
        elif regular_pk in present:
            errors.append(
                f"{deputy.name} kan inte tjänstgöra för {regular.name}, som är närvarande."
            )
        elif deputy_pk not in present:
            errors.append(f"{deputy.name} tjänstgör och måste vara markerad som närvarande.")
        elif regular_pk in taken:
            errors.append(
                f"{regular.name} kan bara ersättas av en ersättare "
                f"({taken[regular_pk]} och {deputy.name} är valda)."
            )
        taken.setdefault(regular_pk, deputy.name)
    return errors


@transaction.atomic
def record_attendance(*, sammantrade, present, serving, ovriga, user):
    """Save who was present, which deputies served for whom, and others present."""
    _locked(sammantrade)
    errors = check_attendance(sammantrade, present, serving)
    if errors:
        raise MeetingError(" ".join(errors))
    by_pk = {seat.pk: seat for seat in seats(sammantrade)}
    before = _attendance_text(sammantrade)
    sammantrade.narvaro.all().delete()
    Narvaro.objects.bulk_create(
        Narvaro(
            sammantrade=sammantrade,
            ledamot=seat,
            present=seat.pk in present,
            serving_for_id=serving.get(seat.pk),
        )
        for seat in by_pk.values()
    )
    protokoll, _ = Protokoll.objects.get_or_create(sammantrade=sammantrade)
    old_ovriga = protokoll.ovriga_narvarande
    protokoll.ovriga_narvarande = ovriga.strip()
    protokoll.save(update_fields=["ovriga_narvarande"])
    changes = {}
    after = _attendance_text(sammantrade)
    if before != after:
        changes["närvaro"] = [before, after]
    if old_ovriga != protokoll.ovriga_narvarande:
        changes["övriga närvarande"] = [old_ovriga, protokoll.ovriga_narvarande]
    Handelse.record(
        forbund=sammantrade.forbund,
        user=user,
        subject=sammantrade,
        action="närvaro registrerad",
        changes=changes,
    )


def _attendance_text(sammantrade):
    parts = []
    for row in sammantrade.narvaro.select_related("ledamot", "serving_for"):
        if row.serving_for_id:
            parts.append(f"{row.ledamot.name} (tjänstgör för {row.serving_for.name})")
        elif row.present:
            parts.append(row.ledamot.name)
    return ", ".join(parts)


# Quorum -------------------------------------------------------------------------


@dataclass
class Quorum:
    """Whether the board may decide an item: more than half its regular seats voting."""

    seats: int
    present_voting: list = field(default_factory=list)
    jav: list = field(default_factory=list)

    @property
    def required(self):
        return self.seats // 2 + 1

    @property
    def has_quorum(self):
        return self.seats > 0 and len(self.present_voting) >= self.required

    def message(self, arende):
        return (
            f"Styrelsen är inte beslutför i {label(arende)}: {len(self.present_voting)} av "
            f"{self.seats} ordinarie platser är besatta av röstberättigade (tjänstgörande "
            f"ersättare räknas, jäviga inte); minst {self.required} behövs. "
            "Registrera närvaron, eller bordlägg ärendet vid ett beslutfört möte."
        )


def quorum(arende, *, board=None):
    """The quorum on one item: regular members present and serving deputies, minus jäv.

    `board` (from `attendance(sammantrade)`) saves its queries when a page asks
    for every item; the item's `jav` may then be prefetched with its ledamot.
    """
    regular, rows = board or attendance(arende.sammantrade)
    present = {row.ledamot_id for row in rows if row.present and not row.serving_for_id}
    jav = [j.ledamot for j in arende.jav.all()]
    jav_pks = {seat.pk for seat in jav}
    voting = [s for s in regular if s.pk in present]
    voting += [row.ledamot for row in rows if row.serving_for_id]
    return Quorum(
        seats=len(regular),
        present_voting=[s for s in voting if s.pk not in jav_pks],
        jav=jav,
    )


def attendance(sammantrade):
    """(regular seats, attendance rows) of the meeting, for `quorum`."""
    regular = [s for s in seats(sammantrade) if s.kind == Ledamot.Kind.ORDINARIE]
    return regular, list(sammantrade.narvaro.select_related("ledamot"))


def label(arende):
    return f"§ {arende.paragraf or arende.number}"


# Jäv ----------------------------------------------------------------------------


@transaction.atomic
def declare_jav(*, arende, ledamot, reason, user):
    """The member takes no part in the item; a second declaration changes the reason."""
    sammantrade = _locked(arende.sammantrade)
    if arende.beslut_or_none:
        raise MeetingError(f"{label(arende)} är redan beslutat; jäv anmäls före beslutet.")
    jav, created = Jav.objects.update_or_create(
        arende=arende,
        ledamot=ledamot,
        defaults={"reason": reason.strip(), "declared_by": user, "declared_at": timezone.now()},
    )
    Handelse.record(
        forbund=sammantrade.forbund,
        user=user,
        subject=sammantrade,
        action="jäv anmält" if created else "jäv ändrat",
        changes={"jäv": f"{label(arende)} {arende.title}: {ledamot.name} – {jav.reason}"},
    )
    return jav


@transaction.atomic
def withdraw_jav(*, jav, user):
    arende = jav.arende
    sammantrade = _locked(arende.sammantrade)
    if arende.beslut_or_none:
        raise MeetingError(f"{label(arende)} är redan beslutat; jävet står kvar.")
    text = f"{label(arende)} {arende.title}: {jav.ledamot.name}"
    jav.delete()
    Handelse.record(
        forbund=sammantrade.forbund,
        user=user,
        subject=sammantrade,
        action="jäv återtaget",
        changes={"jäv": text},
    )


# Decisions ----------------------------------------------------------------------

GRANTS = (Outcome.BEVILJAS, Outcome.DELVIS)


def default_text(outcome, amounts, subject=None):
    """The decision as the minutes say it, when the kansli writes none."""
    what = "ansökan" if subject is not None else "ärendet"
    if outcome in GRANTS:
        sums = ", ".join(f"{_kr(amount)} kr för {year}" for year, amount in sorted(amounts.items()))
        verb = "bevilja" if outcome == Outcome.BEVILJAS else "delvis bevilja"
        return f"Styrelsen beslutar att {verb} {what}" + (f" med {sums}." if sums else ".")
    if outcome == Outcome.AVSLAS:
        return f"Styrelsen beslutar att avslå {what}."
    if outcome == Outcome.BORDLAGGS:
        return "Styrelsen beslutar att bordlägga ärendet till nästa sammanträde."
    return ""


def _kr(amount):
    return f"{int(amount):,}".replace(",", "\u00a0")


def next_meeting(sammantrade):
    return (
        Sammantrade.objects.of(sammantrade.forbund)
        .filter(date__gt=sammantrade.date, status__in=[Status.PLANERAT, Status.KALLAT])
        .order_by("date", "start_time", "pk")
        .first()
    )


@transaction.atomic
def decide(*, arende, outcome, text="", amounts=None, conditions="", reservations="", user):
    """Record the board's decision on an item; refused without quorum.

    `amounts` ({year: Decimal}) are the sums granted (beviljas, delvis).
    Bordläggs puts the item on the next meeting's agenda and tells the
    subject's app (signal item_postponed).
    """
    sammantrade = _locked(arende.sammantrade)
    arende.refresh_from_db()
    if arende.kind != Arende.Kind.BESLUT:
        raise MeetingError(f"{label(arende)} är ett informationsärende och har inget beslut.")
    existing = arende.beslut_or_none
    if existing and existing.outcome == Outcome.BORDLAGGS and arende.postponed_to.exists():
        raise MeetingError(
            f"{label(arende)} är bordlagt och finns på nästa sammanträdes dagordning; "
            "beslutet fattas där."
        )
    q = quorum(arende)
    if not q.has_quorum:
        raise MeetingError(q.message(arende))
    amounts = {year: Decimal(a) for year, a in (amounts or {}).items() if a is not None}
    if outcome in GRANTS and not any(amounts.values()):
        raise MeetingError("Ange beviljat belopp för minst ett år.")
    amounts = {year: a for year, a in amounts.items() if a} if outcome in GRANTS else {}
    subject = subjects_for([arende]).get(arende.pk)
    if outcome in GRANTS and subject is not None and subject.closed:
        raise MeetingError(f"{label(arende)}: {subject.closed} Inget kan beviljas.")
    text = text.strip() or default_text(outcome, amounts, subject)
    if not text:
        raise MeetingError("Skriv beslutet.")
    beslut = existing or Beslut(forbund=sammantrade.forbund, arende=arende)
    before = _decision_text(existing) if existing else ""
    beslut.date = sammantrade.date
    beslut.outcome = outcome or ""
    beslut.text = text
    beslut.conditions = conditions.strip()
    beslut.reservations = reservations.strip()
    beslut.diarienummer = arende.diarienummer
    if subject is not None and subject.obj is not None:
        beslut.subject = subject.obj
    beslut.save()
    beslut.belopp.all().delete()
    BeslutBelopp.objects.bulk_create(
        BeslutBelopp(beslut=beslut, year=year, amount=amount)
        for year, amount in sorted(amounts.items())
    )
    new_item = None
    if outcome == Outcome.BORDLAGGS:
        new_item = _postpone(arende, user)
    changes = {"beslut": [before, _decision_text(beslut)] if before else _decision_text(beslut)}
    if q.jav:
        changes["jäv"] = ", ".join(s.name for s in q.jav)
    if new_item is not None:
        changes["bordlagt till"] = str(new_item.sammantrade)
    Handelse.record(
        forbund=sammantrade.forbund,
        user=user,
        subject=sammantrade,
        action=f"beslut {label(arende)}",
        changes=changes,
    )
    return beslut


def _decision_text(beslut):
    sums = "; ".join(f"{b.year}: {_kr(b.amount)} kr" for b in beslut.belopp.all())
    outcome = beslut.get_outcome_display() if beslut.outcome else ""
    return " – ".join(part for part in (outcome, beslut.text, sums) if part)


def _postpone(arende, user):
    meeting = next_meeting(arende.sammantrade)
    if meeting is None:
        raise MeetingError(
            "Det finns inget kommande sammanträde att bordlägga ärendet till. "
            "Lägg först in nästa sammanträde."
        )
    lock(meeting)
    new = add_item(
        meeting,
        title=arende.title,
        standing=arende.standing,
        kind=arende.kind,
        description=arende.description,
        diarienummer=arende.diarienummer,
        postponed_from=arende,
    )
    _number_if_noticed(meeting)
    Handelse.record(
        forbund=meeting.forbund,
        user=user,
        subject=meeting,
        action="bordlagt ärende tillagt",
        changes={"ärende": f"{new.title} (bordlagt {arende.sammantrade})"},
    )
    item_postponed.send(sender=Arende, old=arende, new=new)
    return new


# The meeting held --------------------------------------------------------------


@transaction.atomic
def mark_held(*, sammantrade, user):
    """Mötet är genomfört: the agenda and its § numbers are final."""
    _locked(sammantrade)
    if sammantrade.status == Status.GENOMFORT:
        return False
    _refuse_held(sammantrade)
    number_paragrafer(sammantrade)
    before = sammantrade.get_status_display()
    sammantrade.status = Status.GENOMFORT
    sammantrade.save(update_fields=["status"])
    Handelse.record(
        forbund=sammantrade.forbund,
        user=user,
        subject=sammantrade,
        action="mötet genomfört",
        changes={"status": [before, sammantrade.get_status_display()]},
    )
    return True
