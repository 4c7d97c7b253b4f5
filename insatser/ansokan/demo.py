"""The demo's applications for 2027: a round with deadline 12 May 2026 and an application
in every state up to "klar för beslut" (and one withdrawn), some from Heby.

The decided states (beviljad, delvis beviljad, avslagen) come from the meeting and
minutes stages of the demo, which decide applications made here.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from finsam.models import Malgrupp, Medlem, User

from ..models import Ansokan, AnsokanBelopp, AnsokanMal, Ansokningsomgang, Medfinansiering
from . import workflow

ROUND = "Ansökningar 2027"
DEADLINE = datetime.date(2026, 5, 12)

# title, owner, others, kind, amounts 2027/2028, the state to bring it to, received (May 2026)
APPLICATIONS = [
    (
        "Stegvis till arbete i Heby",
        "Heby kommun",
        ["Arbetsförmedlingen"],
        "individ",
        (650_000, 650_000),
        "klar_for_beslut",
        6,
    ),
    (
        "Unga vuxna Heby–Tierp",
        "Heby kommun",
        ["Tierps kommun", "Försäkringskassan"],
        "individ",
        (480_000, 0),
        "komplettering",
        8,
    ),
    (
        "Gemensam kartläggning i Heby",
        "Heby kommun",
        ["Region Uppsala"],
        "struktur",
        (200_000, 0),
        "utkast",
        None,
    ),
    (
        "Hälsoinriktad rehabilitering Enköping",
        "Enköpings kommun",
        ["Region Uppsala"],
        "individ",
        (900_000, 900_000),
        "beredning",
        11,
    ),
    (
        "Kompetenslyft handläggare",
        "Uppsala kommun",
        ["Arbetsförmedlingen", "Försäkringskassan"],
        "kompetens",
        (150_000, 0),
        "inskickad",
        12,
    ),
    (
        "Arbetsträning Östhammar",
        "Östhammars kommun",
        ["Region Uppsala"],
        "individ",
        (520_000, 540_000),
        "klar_for_beslut",
        9,
    ),
    (
        "Språk och arbete Knivsta",
        "Knivsta kommun",
        ["Arbetsförmedlingen"],
        "individ",
        (300_000, 0),
        "atertagen",
        10,
    ),
    (
        "Samverkan psykisk hälsa Tierp",
        "Tierps kommun",
        ["Region Uppsala", "Heby kommun"],
        "struktur",
        (400_000, 400_000),
        "by_post",
        14,
    ),
]


def load(forbund, *, kansli, applicant):
    """Idempotent: the round and its applications are made again (earlier ones removed)."""
    with transaction.atomic():
        Ansokan.objects.of(forbund).filter(omgang__title=ROUND, insats__isnull=True).delete()
        omgang, _ = Ansokningsomgang.objects.update_or_create(
            forbund=forbund, title=ROUND, defaults={"year": 2027, "deadline": DEADLINE}
        )
        medlemmar = {m.name: m for m in Medlem.objects.of(forbund)}
        malgrupper = list(Malgrupp.objects.of(forbund)[:2])
        made = []
        for title, owner, others, kind, amounts, state, day in APPLICATIONS:
            if owner not in medlemmar:
                continue
            made.append(
                _make(forbund, omgang, medlemmar, malgrupper, kansli, applicant,
                      title, owner, others, kind, amounts, state, day)
            )  # fmt: skip
        return made


def _make(forbund, omgang, medlemmar, malgrupper, kansli, applicant, *row):
    title, owner, others, kind, amounts, state, day = row
    by_post = state == "by_post"
    ansokan = Ansokan.objects.create(
        forbund=forbund,
        title=title,
        agare=medlemmar[owner],
        kind=kind,
        omgang=omgang,
        start=datetime.date(2027, 1, 1),
        end=datetime.date(2028 if amounts[1] else 2027, 12, 31),
        description=(
            f"{owner} ser ett växande behov av samordnade insatser för personer långt från "
            "arbetsmarknaden. Insatsen bygger på erfarenheterna från tidigare projekt."
        ),
        expected_women=14,
        expected_men=11,
        jamstalldhet="Kvinnor och män erbjuds samma stöd; utfallet följs upp per kön.",
        tillganglighet="Lokalerna är tillgängliga och material finns på lätt svenska.",
        icke_diskriminering="Personalen är utbildad i bemötande och diskrimineringsgrunderna.",
        contact_name="Hanna Holm" if owner == "Heby kommun" else "Kim Andersson",
        contact_email="hanna.holm@example.org" if owner == "Heby kommun" else "kim@example.org",
        registered_by_kansli=by_post,
        received_on=datetime.date(2026, 5, day) if by_post else None,
        created_by=kansli if by_post else applicant,
    )
    ansokan.deltagare.set([medlemmar[n] for n in others if n in medlemmar])
    ansokan.malgrupper.set(malgrupper)
    for year, amount in zip((2027, 2028), amounts, strict=True):
        if amount:
            AnsokanBelopp.objects.create(ansokan=ansokan, year=year, amount=Decimal(amount))
            Medfinansiering.objects.create(
                ansokan=ansokan,
                medlem=medlemmar[owner],
                year=year,
                amount=Decimal(amount) / 4,
                description="Personaltid",
            )
    AnsokanMal.objects.create(
        ansokan=ansokan, text="Fler deltagare går till arbete eller studier", target="40 %"
    )
    AnsokanMal.objects.create(
        ansokan=ansokan, text="Deltagarna upplever bättre hälsa", target="70 % av deltagarna"
    )
    if state == "utkast":
        return ansokan
    if by_post:
        from django.core.files.base import ContentFile

        workflow.add_attachment(
            ansokan,
            kansli,
            _named(ContentFile(b"%PDF-1.4\n% Ansokan som kom per post\n"), "ansokan-post.pdf"),
            original=True,
        )
        workflow.submit(ansokan, kansli)
        return ansokan
    workflow.submit(ansokan, applicant, received_on=datetime.date(2026, 5, day))
    if state == "inskickad":
        return ansokan
    if state == "atertagen":
        workflow.withdraw(ansokan, applicant, "Insatsen finansieras på annat sätt.")
        return ansokan
    workflow.start_preparation(ansokan, kansli)
    workflow.add_note(ansokan, kansli, "Stämt av med ägaren: budgeten är rimlig.")
    if state == "komplettering":
        workflow.request_completion(
            ansokan, kansli, "Beskriv hur Försäkringskassan deltar och bifoga en tidsplan."
        )
        return ansokan
    if state == "beredning":
        return ansokan
    workflow.request_completion(ansokan, kansli, "Hur följs målen upp?")
    workflow.answer_completion(ansokan, applicant, "Med kvartalsrapporter och slutrapport.")
    ansokan.proposal = f"Styrelsen beviljar {title} medel enligt ansökan."
    ansokan.proposal_conditions = "Insatsen rapporterar enligt förbundets rapportplan."
    ansokan.save(update_fields=["proposal", "proposal_conditions"])
    for belopp in ansokan.belopp.all():
        belopp.proposed = belopp.amount
        belopp.save(update_fields=["proposed"])
    workflow.mark_ready(ansokan, kansli)
    return ansokan


def _named(content, name):
    content.name = name
    return content


def run(forbund_by_slug, stdout=None):
    """The call from the demo command: Uppsala's applications."""
    forbund = forbund_by_slug.get("uppsala")
    if forbund is None:
        return []
    kansli = User.objects.get(username="kansli")
    applicant = User.objects.get(username="heby")
    made = load(forbund, kansli=kansli, applicant=applicant)
    if stdout is not None:
        stdout.write(f"Ansökningar: {len(made)} för 2027 ({ROUND}, sista dag {DEADLINE}).")
    return made
