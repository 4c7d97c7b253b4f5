"""Approved reports with fixed figures, built for the follow-up tests."""

import datetime
from decimal import Decimal

from budget.models import Mal, Resultatmal, Verksamhetsplan
from insatser.models import Insats
from tests.factories import InsatsFactory
from uppfoljning.models import Aktivitet, Deltagarantal, Rapport, RapportMal

D = datetime.date


def report(insats, start, end, status=Rapport.Status.GODKAND, goals=(), **counts):
    """The insats's report for the period with `counts` (category=(women, men))."""
    rapport, _ = Rapport.objects.update_or_create(
        insats=insats,
        kind=Rapport.Kind.KVARTAL,
        period_start=start,
        defaults={"period_end": end, "due_date": end + datetime.timedelta(days=30)},
    )
    Rapport.objects.filter(pk=rapport.pk).update(status=status)
    for category, (women, men) in counts.items():
        Deltagarantal.objects.update_or_create(
            rapport=rapport, category=category, defaults={"women": women, "men": men}
        )
    for n, bedomning in enumerate(goals):
        RapportMal.objects.create(rapport=rapport, text=f"Mål {n + 1}", bedomning=bedomning)
    return rapport


def plan_with_targets(forbund, year=2026, status=Verksamhetsplan.Status.FASTSTALLD):
    plan = Verksamhetsplan.objects.create(forbund=forbund, year=year, status=status)
    mal = Mal.objects.create(plan=plan, number=1, title="Fler i arbete")
    I, U = Resultatmal.Indicator, Resultatmal.Unit  # noqa: E741
    for number, indicator, target, unit in [
        ("1.1", I.ANDEL_ARBETE_STUDIER, "40", U.PROCENT),
        ("1.2", I.ANDEL_PLAN, "20", U.PROCENT),
        ("1.3", I.ANDEL_STRUKTURMAL, "50", U.PROCENT),
        ("1.4", I.ANTAL_AKTIVITETER, "3", U.ANTAL),
        ("1.5", I.ANTAL_AKTIVITETSDELTAGARE, "30", U.ANTAL),
        ("1.6", I.MANUELL, None, ""),
    ]:
        Resultatmal.objects.create(
            mal=mal,
            number=number,
            text=f"Resultatmål {number}",
            indicator=indicator,
            target=Decimal(target) if target else None,
            unit=unit,
        )
    return plan


def two_insatser(forbund, heby, tierp):
    """Heby's and Tierp's individual insatser and a structural one, with H1 2026 reported.

    Heby, Q1 and Q2 approved; Tierp, Q1 approved and Q2 only submitted; the
    structural insats's Q2 approved with four goals.
    """
    a = InsatsFactory(forbund=forbund, agare=heby, name="Alfa")
    b = InsatsFactory(forbund=forbund, agare=tierp, name="Beta")
    s = InsatsFactory(forbund=forbund, agare=heby, name="Struktur", kind=Insats.Kind.STRUKTUR)
    report(
        a, D(2026, 1, 1), D(2026, 3, 31),
        nya=(10, 8), aktiva=(20, 15), avslutade=(6, 5),
        till_arbete=(3, 2), till_studier=(1, 1), till_rehabplan=(2, 0), ovrigt=(0, 2),
    )  # fmt: skip
    report(
        a, D(2026, 4, 1), D(2026, 6, 30),
        nya=(5, 5), aktiva=(18, 14), avslutade=(6, 5),
        till_arbete=(2, 2), till_studier=(1, 0), till_arbetssokande=(1, 1),
        till_rehabplan=(1, 1), ovrigt=(1, 1),
    )  # fmt: skip
    report(
        b, D(2026, 1, 1), D(2026, 3, 31),
        nya=(2, 7), aktiva=(9, 12), avslutade=(1, 6),
        till_arbete=(1, 3), till_rehabplan=(0, 3),
    )  # fmt: skip
    report(b, D(2026, 4, 1), D(2026, 6, 30), status=Rapport.Status.INSKICKAD, nya=(50, 50))
    report(
        s, D(2026, 4, 1), D(2026, 6, 30),
        goals=["uppnatt", "uppnatt", "ej", "tidigt"],
    )  # fmt: skip
    Aktivitet.objects.create(
        forbund=forbund, title="Utbildningsdag", kind="utbildning", date=D(2026, 2, 3),
        insats=a, participants_women=12, participants_men=9,
    )  # fmt: skip
    Aktivitet.objects.create(
        forbund=forbund, title="Nätverk", kind="natverk", date=D(2026, 5, 4),
        participants_women=3, participants_men=8,
    )  # fmt: skip
    Aktivitet.objects.create(
        forbund=forbund, title="Hösten", kind="natverk", date=D(2026, 9, 4),
        participants_women=30, participants_men=30,
    )  # fmt: skip
    return a, b, s
