"""The minutes of a meeting: made as a PDF, signed online, frozen, archived, posted.

- `start_minutes_pdf(sammantrade, user=)` queues the minutes' PDF (a held
  meeting, not yet signed by anyone: after the first signature the signed
  document stays the one everybody signs).
- `sign(protokoll, user=, checksum=)` records the user's signature(s) on the
  current PDF, which must be the one they saw (its checksum). When the chair
  and every minutes checker have signed, `_freeze` makes the meeting justerat,
  queues the PDF/A archive copy, posts the minutes on the anslagstavla
  (publicerat) and sends `minutes_signed`.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from finsam.documents import DokumentError, queue_dokument
from finsam.models import Dokument, Handelse, Justering, Protokoll, Sammantrade

from .frozen import MeetingFrozen
from .signals import minutes_signed

Status = Sammantrade.Status


class MinutesError(Exception):
    """The minutes cannot do this now; the message is Swedish, for the user."""


def protokoll_of(sammantrade):
    protokoll, _ = Protokoll.objects.get_or_create(sammantrade=sammantrade)
    return protokoll


def title_of(sammantrade):
    return f"Protokoll {sammantrade.get_kind_display().lower()} {sammantrade.date:%Y-%m-%d}"


def documents_of(protokoll, *, archived=None):
    rows = Dokument.objects.filter(
        kind=Dokument.Kind.PROTOKOLL,
        subject_type=ContentType.objects.get_for_model(Protokoll),
        subject_id=protokoll.pk,
    )
    if archived is not None:
        rows = rows.filter(archived=archived)
    return rows.order_by("-version", "-pk")


def current_document(protokoll):
    """The PDF to sign: the latest version that is not the archive copy."""
    return documents_of(protokoll, archived=False).first()


def signers(protokoll):
    """[(ledamot, role)]: the chair first, then the minutes checkers."""
    rows = []
    if protokoll.ordforande_id:
        rows.append((protokoll.ordforande, Justering.Role.ORDFORANDE))
    for ledamot in protokoll.justerare.all():
        if ledamot.pk != protokoll.ordforande_id:
            rows.append((ledamot, Justering.Role.JUSTERARE))
    return rows


def waiting_for(protokoll):
    signed = set(protokoll.signaturer.values_list("ledamot_id", flat=True))
    return [(ledamot, role) for ledamot, role in signers(protokoll) if ledamot.pk not in signed]


def seats_to_sign(protokoll, user):
    """The seats of `user` that still have to sign (a chair may also be a checker: once)."""
    return [
        (ledamot, role) for ledamot, role in waiting_for(protokoll) if ledamot.user_id == user.pk
    ]


def can_generate(sammantrade, protokoll):
    return (
        sammantrade.status == Status.GENOMFORT
        and protokoll is not None
        and not protokoll.signaturer.exists()
    )


@transaction.atomic
def start_minutes_pdf(sammantrade, *, user):
    from .tasks import generate_minutes_pdf

    Sammantrade.objects.select_for_update().filter(pk=sammantrade.pk).first()
    sammantrade.refresh_from_db()
    if sammantrade.is_frozen:
        raise MinutesError("Protokollet är redan justerat och skapas inte om.")
    if sammantrade.status != Status.GENOMFORT:
        raise MinutesError("Protokollet kan skapas när sammanträdet är genomfört.")
    protokoll = protokoll_of(sammantrade)
    if protokoll.signaturer.exists():
        raise MinutesError(
            "Protokollet har redan justerats av någon och skapas därför inte om: "
            "alla justerar samma dokument."
        )
    dokument = queue_dokument(
        forbund=sammantrade.forbund,
        kind=Dokument.Kind.PROTOKOLL,
        title=title_of(sammantrade),
        subject=protokoll,
        user=user,
    )
    Handelse.record(
        forbund=sammantrade.forbund,
        user=user,
        subject=sammantrade,
        action="protokoll skapat",
        changes={"protokoll": [None, f"version {dokument.version}"]},
    )
    generate_minutes_pdf.delay_on_commit(dokument.pk)
    return dokument


@transaction.atomic
def sign(protokoll, *, user, checksum):
    """Sign the current PDF as each of the user's seats that still has to; returns them."""
    sammantrade = Sammantrade.objects.select_for_update().get(pk=protokoll.sammantrade_id)
    if sammantrade.is_frozen:
        raise MinutesError("Protokollet är redan justerat.")
    dokument = current_document(protokoll)
    if dokument is None or dokument.status != Dokument.Status.DONE:
        raise MinutesError("Det finns inget färdigt protokoll att justera ännu.")
    if not checksum or checksum != dokument.checksum:
        raise MinutesError(
            "Protokollet har ändrats sedan du öppnade sidan. Läs den senaste versionen och "
            "justera igen."
        )
    seats = seats_to_sign(protokoll, user)
    if not seats:
        raise MinutesError(
            "Du är inte ordförande eller justerare för protokollet, eller har redan justerat."
        )
    now = timezone.now()
    for ledamot, role in seats:
        Justering.objects.create(
            protokoll=protokoll,
            ledamot=ledamot,
            role=role,
            user=user,
            signed_at=now,
            dokument=dokument,
            checksum=dokument.checksum,
        )
        Handelse.record(
            forbund=sammantrade.forbund,
            user=user,
            subject=sammantrade,
            action=f"protokoll justerat av {role.label}".lower(),
            changes={"justerat": [None, f"{ledamot.name}, SHA-256 {dokument.checksum}"]},
        )
    if not waiting_for(protokoll):
        _freeze(sammantrade, protokoll, user=user)
    return seats


def _freeze(sammantrade, protokoll, *, user):
    """All have signed: justerat, archived as PDF/A, posted (publicerat), decisions applied."""
    from .tasks import generate_minutes_pdf

    protokoll.signed_at = timezone.now()
    protokoll.save(update_fields=["signed_at"])
    sammantrade.status = Status.JUSTERAT
    sammantrade.save(update_fields=["status"])
    try:
        archive = queue_dokument(
            forbund=sammantrade.forbund,
            kind=Dokument.Kind.PROTOKOLL,
            title=title_of(sammantrade),
            subject=protokoll,
            user=user,
            archived=True,
        )
    except DokumentError as exc:  # pragma: no cover - an archive copy exists already
        raise MinutesError(str(exc)) from exc
    protokoll.dokument = archive
    protokoll.save(update_fields=["dokument"])
    protokoll.posted_at = timezone.localdate()
    protokoll.save(update_fields=["posted_at"])
    sammantrade.status = Status.PUBLICERAT
    sammantrade.save(update_fields=["status"])
    Handelse.record(
        forbund=sammantrade.forbund,
        user=user,
        subject=sammantrade,
        action="protokoll justerat och anslaget",
        changes={"status": [str(Status.GENOMFORT.label), str(Status.PUBLICERAT.label)]},
    )
    generate_minutes_pdf.delay_on_commit(archive.pk)
    minutes_signed.send(sender=Sammantrade, sammantrade=sammantrade, user=user)


def set_participants(protokoll, *, ordforande, justerare, sekreterare, ovriga_narvarande, user):
    """Who chairs, checks and keeps the minutes; refused after the first signature."""
    if protokoll.is_in_frozen_meeting():
        raise MeetingFrozen
    if protokoll.signaturer.exists():
        raise MinutesError("Protokollet har börjat justeras; vem som justerar ändras inte längre.")
    before = _participants(protokoll)
    protokoll.ordforande = ordforande
    protokoll.sekreterare = sekreterare
    protokoll.ovriga_narvarande = ovriga_narvarande
    protokoll.save()
    protokoll.justerare.set(justerare)
    after = _participants(protokoll)
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if changes:
        Handelse.record(
            forbund=protokoll.sammantrade.forbund,
            user=user,
            subject=protokoll.sammantrade,
            action="protokollets uppgifter ändrade",
            changes=changes,
        )


def _participants(protokoll):
    return {
        "ordförande": str(protokoll.ordforande or ""),
        "justerare": ", ".join(str(ledamot) for ledamot in protokoll.justerare.all()),
        "sekreterare": protokoll.sekreterare,
        "övriga närvarande": protokoll.ovriga_narvarande,
    }
