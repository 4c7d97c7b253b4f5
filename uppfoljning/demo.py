"""Demo stage: the follow-up of 2026 (the demo command's last stage).

Uppsala reports quarterly, Norrbacka half-yearly. The demo world's today is
23 November 2026 (`TODAY`): every periodic report of a running insats whose
period has ended is filled in with participant counts and moved through the
real workflow (submit, approve), the earlier years' ones too, so the active
participants carry over from quarter to quarter:

    active at the end of a period = active at the end of the one before + new − ended

and the reasons for ending add up to the ended. Three of Uppsala's Q3 2026
reports are left in the other states: Heby's is late and not started (Heby's
login has a report to write), Tierp's is a draft, Enköping's was returned and
sent in again. Beside them: payment claims (approved, one rejected with its
reason, one waiting) and a dozen competence activities of every kind.

The counts come from a seeded generator, so every run gives the same figures.
The workflow takes its times from `timezone.now`, held at the day each step
happened in the demo world; the audit trail's own time is the real one.
"""

import datetime
import random
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

from django.db import transaction
from django.utils import timezone

from finsam.models import Handelse, Roll, User
from insatser.models import Insats, Rekvisition
from insatser.rekvisitioner import workflow as claims

from .models import Aktivitet, Deltagarantal, Rapport, RapportMal
from .rapporter import workflow
from .rapporter.schedule import create_reports_for

TODAY = datetime.date(2026, 11, 23)
C = Deltagarantal.Category
REASONS = workflow.REASONS
# How the ended go on, as weights: work, studies, job-seeking, rehabilitation plan, other.
REASON_WEIGHTS = (4, 2, 2, 2, 1)

# Per insats (förbund, name): new participants per quarter and gender (low, high), and
# the share of the new who are 16–29. One is small, so that its counts are suppressed.
FLOW = {
    "Växtkraft": ((4, 9), 0.3),
    "Plattform för individstöd": ((3, 7), 0.4),
    "Framsteget": ((2, 6), 1.0),
    "En väg in - steget vidare": ((0, 2), 0.2),
    "Min framtid": ((3, 6), 1.0),
    "Samordnat stöd för arbete/studier": ((5, 10), 1.0),
    "Förstärkt stöd till arb/studier": ((2, 5), 0.3),
    "Nystart Östhammar": ((2, 5), 0.3),
    "Steget före": ((3, 6), 1.0),
    "Hälsa och arbete": ((1, 3), 0.2),
}
LATE = ("Plattform för individstöd", datetime.date(2026, 7, 1))
DRAFT = ("Min framtid", datetime.date(2026, 7, 1))
RETURNED = ("Växtkraft", datetime.date(2026, 7, 1))
RETURN_COMMENT = (
    "Skälen till att deltagarna avslutade stämmer inte med de avslutade: "
    "en man saknas. Rätta och skicka in rapporten igen."
)

GOALS = {
    "RegExPro": [
        "Parterna söker extern finansiering tillsammans",
        "Nätverket Forum för inkluderande arbetsmarknad träffas varje kvartal",
    ],
    "Lokussamordnare": [
        "De lokala samverkansgrupperna har en gemensam handlingsplan",
        "Handläggarna hos parterna känner till varandras uppdrag",
    ],
}
SCALE = [
    RapportMal.Bedomning.TIDIGT,
    RapportMal.Bedomning.DELVIS,
    RapportMal.Bedomning.DELVIS,
    RapportMal.Bedomning.UPPNATT,
]


def run(forbund_by_slug, stdout=None):
    """The call from the demo command."""
    made = []
    for slug in ("uppsala", "norrbacka"):
        if slug in forbund_by_slug:
            made.append(load(forbund_by_slug[slug]))
    if stdout is not None:
        for forbund, counts in made:
            stdout.write(
                f"Uppföljning {forbund.name}: {counts['rapporter']} rapporter, "
                f"{counts['rekvisitioner']} rekvisitioner, {counts['aktiviteter']} aktiviteter."
            )
    return made


@transaction.atomic
def load(forbund):
    """The follow-up of one förbund (loaded just before, so nothing of this is there yet)."""
    kansli = User.objects.filter(roller__forbund=forbund, roller__kind=Roll.Kind.KANSLI).first()
    contacts = {}
    insatser = list(
        Insats.objects.of(forbund)
        .filter(status=Insats.Status.PAGAENDE, start__lt=TODAY)
        .select_related("agare", "forbund")
        .order_by("pk")
    )
    filled = []
    for insats in insatser:
        create_reports_for(insats, TODAY)
        contacts.setdefault(insats.agare_id, _contact(forbund, insats.agare))
        filled += _fill(insats)
    # Sent in as time went by: the registration numbers follow the received times.
    for rapport in sorted(filled, key=lambda r: (r.period_end, r.insats_id)):
        _move(rapport, contacts[rapport.insats.agare_id], kansli)
    reports = len(filled)
    rekvisitioner = _claim(forbund, insatser, contacts, kansli)
    aktiviteter = _activities(forbund, kansli)
    return forbund, {
        "rapporter": reports,
        "rekvisitioner": rekvisitioner,
        "aktiviteter": aktiviteter,
    }


@contextmanager
def _on(day, hour=10):
    """The workflow's clock held at `day` (a date), so its times are the demo world's."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _contact(forbund, medlem):
    """The insatsägare's demo contact (Heby's is the `heby` login)."""
    existing = User.objects.filter(
        roller__forbund=forbund, roller__kind=Roll.Kind.INSATSAGARE, roller__medlem=medlem
    ).first()
    if existing:
        return existing
    slug = _ascii(medlem.display_name).lower().replace(" ", "-")
    user, _ = User.objects.get_or_create(username=f"{forbund.slug}-{slug}")
    user.first_name, user.last_name = "Kontakt", medlem.display_name
    user.email = f"{user.username}@example.org"
    user.set_unusable_password()  # a contact for the reports, not a demo login
    user.save()
    Roll.objects.update_or_create(
        user=user, forbund=forbund, defaults={"kind": Roll.Kind.INSATSAGARE, "medlem": medlem}
    )
    return user


def _ascii(text):
    return text.translate(str.maketrans("åäöÅÄÖéÉ", "aaoAAOeE"))


# Reports


def _fill(insats):
    """Fill in the counts and goals of the insats's ended periodic reports; those reports."""
    rapporter = list(
        Rapport.objects.filter(insats=insats, period_end__lt=TODAY)
        .exclude(kind=Rapport.Kind.SLUT)
        .order_by("period_start")
    )
    rng = random.Random(f"{insats.forbund.slug}/{insats.name}/{insats.agare.name}")
    flow = FLOW.get(insats.name)
    active = {"women": (0, 0), "men": (0, 0)}  # (all, of them 16–29)
    for rapport in rapporter:
        if flow:
            active = _counts(rapport, rng, flow, active)
        else:
            _zero_counts(rapport)
        _goals(insats, rapport, rng)
    return rapporter


def _counts(rapport, rng, flow, active):
    (low, high), young_share = flow
    rows = {c: Deltagarantal(rapport=rapport, category=c) for c in C.values}
    after = {}
    for gender in ("women", "men"):
        was, was_young = active[gender]
        new = rng.randint(low, high)
        new_young = round(new * young_share)
        ended = rng.randint(0, (was + new) // 3) if was else 0
        # the 16–29 among the ended: no more than there are, no fewer than the rest allows
        older = (was - was_young) + (new - new_young)
        ended_young = rng.randint(max(0, ended - older), min(ended, was_young + new_young))
        now, now_young = was + new - ended, was_young + new_young - ended_young
        for category, count, young in (
            (C.NYA, new, new_young),
            (C.AKTIVA, now, now_young),
            (C.AVSLUTADE, ended, ended_young),
        ):
            _set(rows[category], gender, count, young)
        left_young = ended_young
        for category, count in zip(REASONS, _split(ended, rng), strict=True):
            young = min(count, left_young)
            left_young -= young
            _set(rows[category], gender, count, young)
        after[gender] = (now, now_young)
    Deltagarantal.objects.bulk_create(rows.values())
    return after


def _set(row, gender, count, young):
    setattr(row, gender, count)
    setattr(row, f"young_{gender}", young)


def _split(total, rng):
    """`total` ended participants spread over the reasons, by REASON_WEIGHTS."""
    parts = [0] * len(REASON_WEIGHTS)
    for _ in range(total):
        parts[rng.choices(range(len(REASON_WEIGHTS)), REASON_WEIGHTS)[0]] += 1
    return parts


def _zero_counts(rapport):
    """A structural or competence insats: no participants of its own."""
    Deltagarantal.objects.bulk_create(
        Deltagarantal(rapport=rapport, category=c) for c in (C.NYA, C.AKTIVA, C.AVSLUTADE)
    )


def _goals(insats, rapport, rng):
    if insats.kind != Insats.Kind.STRUKTUR:
        return
    step = min(rapport.period_end.year - insats.start.year, len(SCALE) - 1)
    for text in GOALS.get(insats.name, GOALS["Lokussamordnare"]):
        bedomning = SCALE[min(len(SCALE) - 1, step + rng.randint(0, 1))]
        RapportMal.objects.create(
            rapport=rapport,
            text=text,
            bedomning=bedomning,
            comment=f"{RapportMal.Bedomning(bedomning).label} enligt styrgruppens bedömning.",
        )


def _texts(rapport):
    rapport.jamstalldhet = (
        "Kvinnor och män erbjuds samma stöd. Vi följer deltagandet per kön varje kvartal "
        "och har sett över hur vi når män som inte söker sig till insatsen själva."
    )
    rapport.goal_progress = "Insatsen följer sin plan."
    rapport.money_used = Decimal("0")
    for anslag in rapport.insats.anslag.all():
        if anslag.year == rapport.period_end.year:
            months = (rapport.period_end.month - rapport.period_start.month) + 1
            rapport.money_used = (anslag.amount * months / 12).quantize(Decimal("1"))
    rapport.save(update_fields=["jamstalldhet", "goal_progress", "money_used"])


def _move(rapport, agare, kansli):
    """The report's steps in the demo world: due, draft, sent in, approved (or not yet)."""
    key = (rapport.insats.name, rapport.period_start)
    if key == LATE:
        rapport.deltagarantal.all().delete()  # not started: an empty form for the heby login
        return
    sent = rapport.period_end + datetime.timedelta(days=18)
    with _on(sent):
        workflow.draft_saved(rapport, agare, {"deltagare": "ifyllda"})
    if key == DRAFT:
        return  # counts in, the text on gender equality not yet written
    _texts(rapport)
    with _on(sent):
        workflow.submit(rapport, agare, today=sent)
    if key == RETURNED:
        with _on(sent + datetime.timedelta(days=3), 14):
            workflow.return_report(rapport, kansli, RETURN_COMMENT)
        again = sent + datetime.timedelta(days=7)
        rapport.deviations = (
            "En deltagare avslutade till studier; rättat efter kansliets kommentar."
        )
        rapport.save(update_fields=["deviations"])
        with _on(again):
            workflow.draft_saved(rapport, agare, {"deviations": [None, rapport.deviations]})
            workflow.submit(rapport, agare, today=again)
        return  # waiting for kansli again
    with _on(sent + datetime.timedelta(days=6), 15):
        workflow.approve(rapport, kansli)


# Payment claims

# (insats, first and last month of each claim in 2026); a quarter of the year's grant each
# (half for a half-year). The last of Framsteget's is rejected, then claimed again.
CLAIMS = {
    "Växtkraft": [(1, 3), (4, 6), (7, 9)],
    "Plattform för individstöd": [(1, 3), (4, 6)],
    "Framsteget": [(1, 3), (4, 6), (7, 9)],
    "Min framtid": [(1, 6)],
    "Samordnat stöd för arbete/studier": [(1, 3), (4, 6), (7, 9)],
    "RegExPro": [(1, 6)],
    "Steget före": [(1, 6)],
    "Hälsa och arbete": [(1, 6)],
}
REJECTED = ("Framsteget", 7)
REJECT_REASON = (
    "Underlaget för personalkostnaderna saknas. Skicka in rekvisitionen igen med "
    "lönespecifikationerna för perioden."
)
WAITING = ("Samordnat stöd för arbete/studier", 7)


def _claim(forbund, insatser, contacts, kansli):
    """Claims as they came in, month by month (their numbers follow their received times)."""
    wanted = sorted(
        (last, insats.pk, insats, first)
        for insats in insatser
        for first, last in CLAIMS.get(insats.name, [])
    )
    made, again = 0, []
    for last, _, insats, first in wanted:
        grant = insats.anslag.get(year=2026)
        amount = (grant.amount * (last - first + 1) / 12).quantize(Decimal("1"))
        start = datetime.date(2026, first, 1)
        end = _month_end(datetime.date(2026, last, 1))
        sent = end + datetime.timedelta(days=10)
        agare = contacts[insats.agare_id]
        made += 1
        rekvisition = _submit_claim(insats, agare, start, end, amount, sent)
        key = (insats.name, first)
        if key == WAITING:
            continue
        decided = sent + datetime.timedelta(days=5)
        if key == REJECTED:
            with _on(decided):
                claims.reject(rekvisition, kansli, REJECT_REASON)
            again.append((insats, agare, start, end, amount, decided + datetime.timedelta(days=4)))
            continue
        with _on(decided, 15):
            claims.approve(rekvisition, kansli)
    for args in again:  # claimed anew after the rejection; waits for kansli
        _submit_claim(*args)
        made += 1
    return made


def _submit_claim(insats, agare, start, end, amount, sent):
    rekvisition = Rekvisition(insats=insats, period_start=start, period_end=end, amount=amount)
    with _on(sent):
        claims.submit(rekvisition, agare)
    return rekvisition


def _month_end(first):
    after = datetime.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return after - datetime.timedelta(days=1)


# Competence activities

K = Aktivitet.Kind
# date, title, kind, organiser, women, men, insats (by name) or None
ACTIVITIES = {
    "uppsala": [
        ((2, 5), "Motiverande samtal, grundkurs", K.UTBILDNING, "Förbundet", 18, 4, None),
        ((2, 19), "Nätverksträff lokussamordnare", K.NATVERK, "Förbundet", 9, 3, "Lokussamordnare"),
        ((3, 12), "Psykisk ohälsa och arbete", K.SEMINARIUM, "Region Uppsala", 41, 17, None),
        ((4, 16), "Finsamkonferensen 2026", K.KONFERENS, "Nationella rådet", 6, 2, None),
        ((5, 7), "Arbetssättet i Växtkraft", K.UTBILDNING, "Enköpings kommun", 12, 5, "Växtkraft"),
        ((5, 28), "Nätverket för arbetsgivarkontakter", K.NATVERK, "Förbundet", 11, 9, None),
        ((6, 11), "Studiebesök hos ett grannförbund", K.OVRIGT, "Förbundet", 3, 2, None),
        ((8, 27), "Unga vuxna utan sysselsättning", K.SEMINARIUM, "Håbo kommun", 24, 11,
         "Framsteget"),
        ((9, 17), "Sociala konsekvensanalyser", K.UTBILDNING, "Förbundet", 15, 6, None),
        ((10, 1), "Nätverksträff om extern finansiering", K.NATVERK, "Region Uppsala", 4, 4,
         "RegExPro"),
        ((10, 8), "Arbete och hälsa i länet", K.KONFERENS, "Förbundet", 63, 28, None),
        ((11, 12), "Medlemssamråd om insatserna 2027", K.OVRIGT, "Förbundet", 14, 1, None),
    ],
    "norrbacka": [
        ((3, 19), "Samverkansdag om unga vuxna", K.UTBILDNING, "Försäkringskassan", 22, 9,
         "Samverkansdagar"),
        ((9, 24), "Samverkansdag om psykisk hälsa", K.SEMINARIUM, "Försäkringskassan", 19, 7,
         "Samverkansdagar"),
    ],
}  # fmt: skip


def _activities(forbund, kansli):
    insatser = {i.name: i for i in Insats.objects.of(forbund)}
    made = 0
    for (month, day), title, kind, organiser, women, men, insats in ACTIVITIES.get(
        forbund.slug, []
    ):
        if organiser == "Förbundet":
            organiser = forbund.name
        aktivitet = Aktivitet.objects.create(
            forbund=forbund,
            date=datetime.date(2026, month, day),
            title=title,
            kind=kind,
            organiser=organiser,
            insats=insatser.get(insats),
            participants_women=women,
            participants_men=men,
        )
        Handelse.record(forbund=forbund, user=kansli, subject=aktivitet, action="registrerad")
        made += 1
    return made
