"""Every change of an application's state, each one function, each recorded (Handelse).

Call inside a transaction (the views do); each function locks the
application's row first, so that two people pressing the same button get one
change and the second is told (`NotAllowed`).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from finsam import agenda
from finsam.models import Handelse, Lopnummer

from ..models import Ansokan, Bilaga, Komplettering
from . import attachments

S = Ansokan.Status
SERIES = "ansokan"


class NotAllowed(Exception):
    """The application is not (or no longer) in a state that allows this; str() says why."""


class Incomplete(Exception):
    """Submitting refused: `problems` lists what is missing."""

    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = problems


def _locked(ansokan):
    """The row as it is now, locked until the transaction ends."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("The application workflow needs a transaction.")
    fresh = Ansokan.objects.select_for_update().get(pk=ansokan.pk)
    for field in ("status", "revision", "diarienummer", "received_at", "arende_id", "beslut_id"):
        setattr(ansokan, field, getattr(fresh, field))
    return ansokan


def _record(ansokan, user, action, reason="", changes=None):
    Handelse.record(
        forbund=ansokan.forbund,
        user=user,
        subject=ansokan,
        action=action,
        reason=reason,
        changes=changes,
    )


def _move(ansokan, status, extra=()):
    before = ansokan.get_status_display()
    ansokan.status = status
    ansokan.revision += 1
    ansokan.save(update_fields=["status", "revision", *extra])
    return {"status": [before, ansokan.get_status_display()]}


def _require(ansokan, *statuses, message):
    if ansokan.status not in statuses:
        raise NotAllowed(message)


# Submitting --------------------------------------------------------------------


def members_taking_part(ansokan):
    others = [m for m in ansokan.deltagare.all() if m.pk != ansokan.agare_id]
    return [ansokan.agare, *others]


def problems(ansokan):
    """What a complete application has and this one lacks, in Swedish (empty: complete)."""
    missing = []
    required = [
        ("title", "insatsens namn"),
        ("kind", "typ av insats"),
        ("start", "startdatum"),
        ("end", "slutdatum"),
        ("description", "bakgrund och behov"),
        ("jamstalldhet", "hur jämställdhet hanteras"),
        ("tillganglighet", "hur tillgänglighet hanteras"),
        ("icke_diskriminering", "hur icke-diskriminering hanteras"),
        ("contact_name", "kontaktperson"),
        ("contact_email", "kontaktpersonens e-post"),
    ]
    for field, label in required:
        if getattr(ansokan, field) in (None, ""):
            missing.append(f"Ange {label}.")
    if ansokan.expected_women is None or ansokan.expected_men is None:
        missing.append("Ange förväntat antal deltagare, kvinnor och män.")
    if ansokan.start and ansokan.end and ansokan.end < ansokan.start:
        missing.append("Slutdatum kan inte vara före startdatum.")
    if len(members_taking_part(ansokan)) < 2:
        missing.append("Minst två medlemmar ska delta i insatsen: välj minst en till.")
    belopp = list(ansokan.belopp.all())
    if not belopp or not any(b.amount > 0 for b in belopp):
        missing.append("Ange sökt belopp för minst ett år.")
    if not ansokan.mal.exists():
        missing.append("Ange minst ett mål med ett mätbart målvärde.")
    if ansokan.registered_by_kansli and not ansokan.received_on:
        missing.append("Ange vilket datum ansökan kom in (enligt brevet eller e-posten).")
    if ansokan.received_on and ansokan.received_on > timezone.localdate():
        missing.append("Ankomstdatum kan inte ligga i framtiden.")
    if ansokan.registered_by_kansli and not ansokan.bilagor.filter(original=True).exists():
        missing.append("Bifoga originalet (ansökan som den kom in per post eller e-post).")
    return missing


def snapshot(ansokan):
    """The application as submitted, in plain JSON: kept as it is, whatever preparation does."""

    def text(value):
        return "" if value is None else str(value)

    return {
        "diarienummer": ansokan.diarienummer,
        "received_at": ansokan.received_at.isoformat() if ansokan.received_at else "",
        "title": ansokan.title,
        "agare": ansokan.agare.name,
        "deltagare": [m.name for m in members_taking_part(ansokan)[1:]],
        "kind": ansokan.get_kind_display(),
        "omgang": text(ansokan.omgang),
        "malgrupper": [
            {"name": m.name, "prioritized": m.prioritized} for m in ansokan.malgrupper.all()
        ],
        "start": text(ansokan.start),
        "end": text(ansokan.end),
        "description": ansokan.description,
        "belopp": [{"year": b.year, "amount": str(b.amount)} for b in ansokan.belopp.all()],
        "medfinansiering": [
            {
                "medlem": m.medlem.name,
                "year": m.year,
                "amount": str(m.amount),
                "description": m.description,
            }
            for m in ansokan.medfinansiering.select_related("medlem")
        ],
        "mal": [{"text": m.text, "target": m.target} for m in ansokan.mal.all()],
        "expected_women": ansokan.expected_women,
        "expected_men": ansokan.expected_men,
        "jamstalldhet": ansokan.jamstalldhet,
        "tillganglighet": ansokan.tillganglighet,
        "icke_diskriminering": ansokan.icke_diskriminering,
        "contact_name": ansokan.contact_name,
        "contact_email": ansokan.contact_email,
        "contact_phone": ansokan.contact_phone,
        "registered_by_kansli": ansokan.registered_by_kansli,
        "bilagor": [{"name": b.name, "sha256": b.sha256} for b in ansokan.bilagor.all()],
    }


def submit(ansokan, user, *, received_on=None):
    """Send in a draft: a registration number, an unchangeable received time, the snapshot.

    `received_on` (a date) is kansli's: the received date on the letter. A
    second submission of the same draft is refused (NotAllowed): one number.
    """
    _locked(ansokan)
    _require(ansokan, S.UTKAST, message="Ansökan är redan inskickad.")
    if received_on is None and ansokan.registered_by_kansli:
        received_on = ansokan.received_on
    missing = problems(ansokan)
    if missing:
        raise Incomplete(missing)
    now = timezone.now()
    if received_on is not None:
        received = timezone.make_aware(datetime.datetime.combine(received_on, datetime.time(12)))
    else:
        received = now
    local = timezone.localtime(received)
    number = Lopnummer.next(ansokan.forbund, SERIES, local.year)
    ansokan.diarienummer = Lopnummer.format(local.year, number)
    ansokan.received_at = received
    ansokan.submitted_by = user
    ansokan.late = bool(ansokan.omgang and local.date() > ansokan.omgang.deadline)
    ansokan.submitted = snapshot(ansokan)
    changes = _move(
        ansokan,
        S.INSKICKAD,
        extra=["diarienummer", "received_at", "submitted_by", "late", "submitted"],
    )
    changes["diarienummer"] = [None, ansokan.diarienummer]
    changes["inkom"] = f"{local:%Y-%m-%d %H:%M}"
    if ansokan.late:
        changes["sen"] = f"efter sista ansökningsdag {ansokan.omgang.deadline:%Y-%m-%d}"
    action = "registrerad av kansliet" if ansokan.registered_by_kansli else "inskickad"
    _record(ansokan, user, action, changes=changes)
    return ansokan


def withdraw(ansokan, user, reason=""):
    _locked(ansokan)
    if ansokan.beslut_id:
        raise NotAllowed("Ansökan är redan beslutad och kan inte återtas.")
    _require(
        ansokan,
        S.UTKAST,
        S.INSKICKAD,
        S.BEREDNING,
        S.KOMPLETTERING,
        S.KLAR_FOR_BESLUT,
        message="Ansökan kan inte återtas i det här läget.",
    )
    changes = _move(ansokan, S.ATERTAGEN)
    if ansokan.arende_id and (left := agenda.withdraw_item(ansokan.arende, "återtagen")):
        changes["dagordning"] = left
        ansokan.refresh_from_db(fields=["arende"])  # a removed item is no longer its
    _record(ansokan, user, "återtagen", reason=reason, changes=changes)
    return ansokan


# Preparation -------------------------------------------------------------------


def start_preparation(ansokan, user):
    _locked(ansokan)
    _require(ansokan, S.INSKICKAD, message="Beredningen är redan påbörjad.")
    _record(ansokan, user, "beredning påbörjad", changes=_move(ansokan, S.BEREDNING))
    return ansokan


def request_completion(ansokan, user, question):
    _locked(ansokan)
    _require(
        ansokan,
        S.INSKICKAD,
        S.BEREDNING,
        S.KLAR_FOR_BESLUT,
        message="Komplettering kan bara begäras av en ansökan under beredning.",
    )
    request = Komplettering.objects.create(ansokan=ansokan, question=question, asked_by=user)
    changes = _move(ansokan, S.KOMPLETTERING)
    changes["begäran"] = question
    _record(ansokan, user, "komplettering begärd", changes=changes)
    return request


def answer_completion(ansokan, user, answer):
    _locked(ansokan)
    _require(ansokan, S.KOMPLETTERING, message="Ingen komplettering är begärd.")
    request = ansokan.kompletteringar.filter(answered_at__isnull=True).order_by("-pk").first()
    if request is None:
        raise NotAllowed("Ingen obesvarad begäran om komplettering.")
    request.answer, request.answered_by, request.answered_at = answer, user, timezone.now()
    request.save(update_fields=["answer", "answered_by", "answered_at"])
    changes = _move(ansokan, S.BEREDNING)
    changes["svar"] = answer
    _record(ansokan, user, "komplettering besvarad", changes=changes)
    return request


def proposal_saved(ansokan, user, changes):
    """The proposal (amounts per year, conditions) was saved by its form: on the history,
    and a sent-in application is then under preparation."""
    if ansokan.status == S.INSKICKAD:
        changes = {**changes, **_move(ansokan, S.BEREDNING)}
    _record(ansokan, user, "förslag till beslut", changes=changes)


def mark_ready(ansokan, user):
    _locked(ansokan)
    _require(
        ansokan,
        S.INSKICKAD,
        S.BEREDNING,
        message="Bara en ansökan under beredning kan bli klar för beslut.",
    )
    if not ansokan.proposal.strip():
        raise NotAllowed("Skriv ett förslag till beslut först.")
    _record(ansokan, user, "klar för beslut", changes=_move(ansokan, S.KLAR_FOR_BESLUT))
    return ansokan


def put_on_agenda(ansokan, user, sammantrade):
    """The application as an item on a meeting's agenda (in the applications' slot)."""
    _locked(ansokan)
    _require(
        ansokan,
        S.BEREDNING,
        S.KLAR_FOR_BESLUT,
        message="Bara en ansökan under beredning eller klar för beslut kan sättas på dagordningen.",
    )
    if sammantrade.is_frozen or sammantrade.status not in (
        sammantrade.Status.PLANERAT,
        sammantrade.Status.KALLAT,
    ):
        raise NotAllowed("Sammanträdet är redan genomfört; välj ett kommande.")
    if ansokan.arende_id and ansokan.arende.sammantrade_id == sammantrade.pk:
        raise NotAllowed(f"Ansökan står redan på dagordningen för {sammantrade}.")
    if not ansokan.proposal.strip():
        raise NotAllowed("Skriv ett förslag till beslut först.")
    earlier = ""
    if ansokan.arende_id:  # moved from another meeting's agenda
        earlier = agenda.withdraw_item(ansokan.arende, f"flyttad till {sammantrade}")
    item = agenda.add_item(
        sammantrade,
        title=f"Ansökan: {ansokan.title}"[:300],
        diarienummer=ansokan.diarienummer,
        # No description: the item's subject (insatser/agenda.py) shows the current
        # proposal; a copy here would print it twice and go stale when it is revised.
    )
    ansokan.arende = item
    changes = _move(ansokan, S.KLAR_FOR_BESLUT, extra=["arende"])
    changes["dagordning"] = f"{sammantrade}, {item}"
    if earlier:
        changes["tidigare dagordning"] = earlier
    _record(ansokan, user, "satt på dagordningen", changes=changes)
    return item


def add_note(ansokan, user, text):
    """An internal note: on its own row's history, never on the application's (the
    applicant reads that)."""
    note = ansokan.anteckningar.create(text=text, user=user)
    Handelse.record(forbund=ansokan.forbund, user=user, subject=note, action="beredningsanteckning")
    return note


def add_attachment(ansokan, user, upload, *, original=False):
    kind, digest = attachments.check(upload)
    name = attachments.safe_name(upload.name, kind)
    bilaga = Bilaga(
        ansokan=ansokan,
        name=name,
        content_type=kind,
        size=upload.size,
        sha256=digest,
        original=original,
        uploaded_by=user,
    )
    bilaga.file.save(name, upload, save=False)
    bilaga.save()
    label = "original" if original else "bilaga"
    _record(ansokan, user, "bilaga tillagd", changes={label: name})
    return bilaga


def record_draft(ansokan, user, created, changes):
    """A draft saved through its form (no change of state, but on the history all the same).

    Saving an unchanged draft (as on the way to "Spara och skicka in") adds nothing.
    """
    if not created and not changes:
        return
    _record(ansokan, user, "utkast skapat" if created else "utkast ändrat", changes=changes)


def record_round(omgang, user, created, changes):
    Handelse.record(
        forbund=omgang.forbund,
        user=user,
        subject=omgang,
        action="skapad" if created else "ändrad",
        changes=changes,
    )
