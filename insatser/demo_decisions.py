"""Demo stage (with finsam/minutes/demo.py): two applications decided at the October meeting.

`decided_applications(meeting)` puts them on the agenda with the board's
decisions; the minutes stage signs the minutes, and insatser.decisions makes
the granted one an insats with its grants and letters.
"""

import datetime
from decimal import Decimal

from finsam.agenda import add_item
from finsam.models import Beslut, BeslutBelopp, Lopnummer, Malgrupp, Medlem

from .ansokan import workflow
from .models import Ansokan, AnsokanBelopp, AnsokanMal, InsatsKind

APPLICATIONS = [
    {
        "title": "Arbetsträning i Heby",
        "agare": "Heby kommun",
        "deltagare": ["Arbetsförmedlingen"],
        "kind": InsatsKind.INDIVID,
        "asked": {2027: Decimal("400000"), 2028: Decimal("400000")},
        "outcome": Beslut.Outcome.DELVIS,
        "granted": {2027: Decimal("350000"), 2028: Decimal("300000")},
        "text": (
            "Styrelsen beviljar delvis Arbetsträning i Heby 350 000 kr för 2027 och "
            "300 000 kr för 2028."
        ),
        "conditions": "Insatsen redovisar deltagarnas utfall i varje kvartalsrapport.",
        "reservations": "",
        "contact": ("Hanna Holm", "heby@example.org"),
        "description": (
            "Unga vuxna i Heby som uppbär ekonomiskt bistånd behöver arbetsträning nära "
            "hemmet, med stöd från kommunen och Arbetsförmedlingen samtidigt."
        ),
        "goal": ("Fler deltagare går vidare till arbete eller studier", "minst 40 %"),
    },
    {
        "title": "Jobbspåret Älvkarleby",
        "agare": "Älvkarleby kommun",
        "deltagare": ["Arbetsförmedlingen", "Region Uppsala"],
        "kind": InsatsKind.INDIVID,
        "asked": {2027: Decimal("300000")},
        "outcome": Beslut.Outcome.BEVILJAS,
        "granted": {2027: Decimal("300000")},
        "text": "Styrelsen beviljar Jobbspåret Älvkarleby 300 000 kr för 2027.",
        "conditions": "",
        "reservations": "",
        "contact": ("Alva Ek", "alvkarleby@example.org"),
        "description": (
            "Personer med långvarigt försörjningsstöd i Älvkarleby behöver ett samlat stöd "
            "mot arbete från kommunen, Arbetsförmedlingen och regionens vård."
        ),
        "goal": ("Fler deltagare får arbete eller börjar studera", "minst 35 %"),
    },
    {
        "title": "Digital vägledning i Tierp",
        "agare": "Tierps kommun",
        "deltagare": ["Försäkringskassan"],
        "kind": InsatsKind.STRUKTUR,
        "asked": {2027: Decimal("600000")},
        "outcome": Beslut.Outcome.AVSLAS,
        "granted": {},
        "text": "Styrelsen avslår ansökan: insatsen ryms inte inom årets beslutsutrymme.",
        "conditions": "",
        "reservations": "Bengt Mattsson (S) reserverar sig till förmån för bifall.",
        "contact": ("Tove Tierp", "tierp@example.org"),
        "description": (
            "Invånare i Tierp behöver en gemensam digital väg in till kommunens och "
            "Försäkringskassans stöd för arbete och hälsa."
        ),
        "goal": ("En gemensam digital vägledning är i bruk", "i bruk december 2027"),
    },
]


def decided_applications(meeting):
    forbund = meeting.forbund
    members = {m.name: m for m in Medlem.objects.of(forbund)}
    malgrupp = Malgrupp.objects.of(forbund).first()
    items = []
    for spec in APPLICATIONS:
        number = Lopnummer.next(forbund, "ansokan", 2026)
        dnr = Lopnummer.format(2026, number)
        ansokan = Ansokan.objects.create(
            forbund=forbund,
            diarienummer=dnr,
            title=spec["title"],
            agare=members[spec["agare"]],
            kind=spec["kind"],
            status=Ansokan.Status.KLAR_FOR_BESLUT,
            received_at=datetime.datetime(2026, 9, 1, 10, 0, tzinfo=datetime.UTC),
            start=datetime.date(2027, 1, 1),
            end=datetime.date(2027 + len(spec["asked"]) - 1, 12, 31),
            contact_name=spec["contact"][0],
            contact_email=spec["contact"][1],
            description=spec["description"],
            expected_women=12,
            expected_men=10,
            jamstalldhet="Kvinnor och män får samma stöd; deltagarna räknas per kön.",
            tillganglighet="Lokaler utan trappor, material på lätt svenska och tolk vid behov.",
            icke_diskriminering="Insatsen följer medlemmarnas riktlinjer mot diskriminering.",
            proposal=spec["text"],
            proposal_conditions=spec["conditions"],
        )
        AnsokanMal.objects.create(ansokan=ansokan, text=spec["goal"][0], target=spec["goal"][1])
        ansokan.deltagare.set([members[name] for name in spec["deltagare"]])
        if malgrupp:
            ansokan.malgrupper.add(malgrupp)
        for year, amount in spec["asked"].items():
            AnsokanBelopp.objects.create(
                ansokan=ansokan, year=year, amount=amount, proposed=spec["granted"].get(year)
            )
        item = add_item(meeting, title=f"Ansökan: {spec['title']}", diarienummer=dnr)
        beslut = Beslut.objects.create(
            forbund=forbund,
            arende=item,
            date=meeting.date,
            text=spec["text"],
            outcome=spec["outcome"],
            conditions=spec["conditions"],
            reservations=spec["reservations"],
            diarienummer=dnr,
        )
        for year, amount in spec["granted"].items():
            BeslutBelopp.objects.create(beslut=beslut, year=year, amount=amount)
        ansokan.arende = item
        # As it was sent in (the proposal's amounts are preparation's, not the applicant's).
        ansokan.submitted = workflow.snapshot(ansokan)
        ansokan.save(update_fields=["arende", "submitted"])
        items.append(item)
    return items
