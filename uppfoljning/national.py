"""Generated förbund at national scale, for the page benchmark and the query-count tests.

`build_forbund(...)` writes one förbund with rows of every kind over a span
of years (see docs/drift.md), all with `bulk_create`; the same seed gives
the same rows.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from budget.layout import lay_out_flat_budget
from budget.models import (
    STANDARD_AVSNITT,
    Avsnitt,
    Budget,
    Budgetrad,
    Mal,
    Medlemsavgift,
    Resultatmal,
    Risk,
    Verksamhetsplan,
)
from finsam.models import (
    Arende,
    Beslut,
    Forbund,
    Handelse,
    Ledamot,
    Malgrupp,
    Medlem,
    Roll,
    Sammantrade,
    User,
)
from insatser.models import Anslag, Ansokan, Insats, Rekvisition

from .models import Aktivitet, Deltagarantal, Rapport

PASSWORD = "demo1234"
KOMMUNER = [
    "Alby", "Berga", "Dala", "Ekby", "Fors", "Gran", "Hult", "Ilby", "Jarl", "Kvarn",
]  # fmt: skip
MEETINGS_PER_YEAR = 6
ITEMS_PER_MEETING = 5


@dataclass
class Size:
    """How much one förbund holds per year (the national default, or smaller for tests)."""

    members: tuple = (4, 12)  # at least FK, AF, a region and a kommun
    new_insatser: tuple = (2, 4)  # per year, each running three years
    meetings: int = MEETINGS_PER_YEAR
    items: int = ITEMS_PER_MEETING
    events: int = 100  # audit events per year


def year_span(years, today=None):
    """`years` years ending with next year (its budget and plan are drafts)."""
    last = (today or timezone.localdate()).year + 1
    return list(range(last - years + 1, last + 1))


def build(*, forbund_count, years, seed=1, size=None, prefix="nat", stdout=None):
    """`forbund_count` förbund named `<prefix>01`…; refused where the prefix is taken.

    (Generated rows are not deleted: decisions and applications are protected.)
    """
    if Forbund.objects.filter(slug__startswith=prefix).exists():
        raise ValueError(
            f"Databasen har redan förbund vars kortnamn börjar med {prefix}; "
            "välj ett annat --prefix eller en tom databas."
        )
    password = make_password(PASSWORD)
    built = []
    for n in range(1, forbund_count + 1):
        rng = random.Random(f"{seed}-{n}")
        forbund = Forbund.objects.create(
            slug=f"{prefix}{n:02}", name=f"Samordningsförbundet Nationell {n:02}"
        )
        build_forbund(forbund, years=years, rng=rng, size=size, password=password)
        built.append(forbund)
        if stdout is not None:
            stdout.write(f"  {forbund.slug}: klart")
    return built


def build_forbund(forbund, *, years, rng, size=None, password=None, today=None):
    size = size or Size()
    today = today or timezone.localdate()
    span = year_span(years, today)
    medlemmar = _members(forbund, rng, size)
    users = _users(forbund, medlemmar, password or make_password(PASSWORD))
    malgrupper = Malgrupp.objects.bulk_create(
        Malgrupp(forbund=forbund, name=f"Målgrupp {i}", prioritized=i == 1, order=i)
        for i in range(1, 4)
    )
    _seats(medlemmar, span)
    beslut = _meetings(forbund, span, rng, size, users["kansli"], today)
    insatser = _insatser(forbund, medlemmar, malgrupper, span, rng, size, beslut, today)
    _contributions(medlemmar, span, rng)
    _budgets(forbund, span, rng, beslut, today)
    _plans(forbund, span, beslut, today)
    _activities(forbund, insatser, span, rng)
    _events(forbund, users["kansli"], medlemmar, insatser, span, rng, size)
    return forbund


def _members(forbund, rng, size):
    count = rng.randint(*size.members)
    kinds = [
        ("Försäkringskassan", "FK", Medlem.Kind.FORSAKRINGSKASSAN),
        ("Arbetsförmedlingen", "AF", Medlem.Kind.ARBETSFORMEDLINGEN),
        (f"Region {forbund.slug}", "Region", Medlem.Kind.REGION),
    ]
    kinds += [(f"{k} kommun", k, Medlem.Kind.KOMMUN) for k in KOMMUNER[: count - 3]]
    kommuner = count - 3
    return Medlem.objects.bulk_create(
        Medlem(
            forbund=forbund,
            name=name,
            short_name=short,
            kind=kind,
            key_share=Decimal(100) / kommuner if kind == Medlem.Kind.KOMMUN else None,
            order=i,
        )
        for i, (name, short, kind) in enumerate(kinds)
    )


def _users(forbund, medlemmar, password):
    kinds = [Roll.Kind.KANSLI, Roll.Kind.STYRELSE, Roll.Kind.REVISOR, Roll.Kind.INSATSAGARE]
    users = User.objects.bulk_create(
        User(username=f"{forbund.slug}-{kind}", first_name=str(kind.label), password=password)
        for kind in kinds
    )
    kommun = next(m for m in medlemmar if m.kind == Medlem.Kind.KOMMUN)
    Roll.objects.bulk_create(
        Roll(
            user=user,
            forbund=forbund,
            kind=kind,
            medlem=kommun if kind == Roll.Kind.INSATSAGARE else None,
        )
        for user, kind in zip(users, kinds, strict=True)
    )
    return dict(zip(kinds, users, strict=True))


def _seats(medlemmar, span):
    seats = []
    first = span[0] - (span[0] - 3) % 4  # the periods run 2019–2022, 2023–2026 …
    for start in range(first, span[-1] + 1, 4):
        period = datetime.date(start, 1, 1), datetime.date(start + 3, 12, 31)
        for i, medlem in enumerate(medlemmar):
            for kind in Ledamot.Kind:
                chair = Ledamot.ChairRole.ORDFORANDE if i == 3 else ""
                seats.append(
                    Ledamot(
                        medlem=medlem,
                        name=f"{kind.label} {medlem.short_name} {start}",
                        kind=kind,
                        chair_role=chair if kind == Ledamot.Kind.ORDINARIE else "",
                        mandate_start=period[0],
                        mandate_end=period[1],
                    )
                )
    Ledamot.objects.bulk_create(seats)


def _meetings(forbund, span, rng, size, kansli, today):
    """Meetings with items, each decision item decided; returns the decisions by year."""
    months = [2, 4, 6, 9, 10, 11, 12, 3, 5, 8][: size.meetings]
    meetings = Sammantrade.objects.bulk_create(
        Sammantrade(
            forbund=forbund,
            date=datetime.date(year, month, 10 + rng.randint(0, 15)),
            start_time=datetime.time(13, 0),
            location="Kansliet",
            status=Sammantrade.Status.PUBLICERAT
            if datetime.date(year, month, 28) < today
            else Sammantrade.Status.PLANERAT,
        )
        for year in span
        for month in months
    )
    items = Arende.objects.bulk_create(
        Arende(
            sammantrade=meeting,
            number=n,
            title=f"Ärende {n} {meeting.date:%Y-%m}",
            kind=Arende.Kind.BESLUT if n % 2 else Arende.Kind.INFORMATION,
            diarienummer=f"{meeting.date.year}/{n}",
        )
        for meeting in meetings
        for n in range(1, size.items + 1)
    )
    dates = {m.pk: m.date for m in meetings}
    decisions = Beslut.objects.bulk_create(
        [
            Beslut(
                forbund=forbund,
                arende=item,
                date=dates[item.sammantrade_id],
                text=f"Styrelsen beslutar i {item.title.lower()}.",
            )
            for item in items
            if item.kind == Arende.Kind.BESLUT and dates[item.sammantrade_id] < today
        ]
        + [
            Beslut(
                forbund=forbund,
                date=datetime.date(year, 5, 2),
                text="Förbundschefen beslutar på delegation.",
                delegated=True,
                decided_by=kansli,
            )
            for year in span
            if datetime.date(year, 5, 2) < today
        ]
    )
    by_year = {}
    for beslut in decisions:
        by_year.setdefault(beslut.date.year, beslut)
    return by_year


def _insatser(forbund, medlemmar, malgrupper, span, rng, size, beslut, today):
    planned = []
    for year in span:
        for n in range(rng.randint(*size.new_insatser)):
            start, end = datetime.date(year, 1, 1), datetime.date(year + 2, 12, 31)
            status = (
                Insats.Status.AVSLUTAD
                if end < today
                else Insats.Status.PLANERAD
                if start > today
                else Insats.Status.PAGAENDE
            )
            planned.append((year, n, start, end, status))
    ansokningar = Ansokan.objects.bulk_create(
        Ansokan(
            forbund=forbund,
            diarienummer=f"{year}/A{n + 1}",
            title=f"Insats {year}-{n + 1}",
            agare=medlemmar[_owner(year, n, len(medlemmar))],
            kind=list(Insats.Kind)[n % 3],
            status=Ansokan.Status.BEVILJAD if start <= today else Ansokan.Status.BEREDNING,
            received_at=timezone.make_aware(datetime.datetime(year - 1, 10, 1)),
        )
        for year, n, start, end, status in planned
    )
    insatser = Insats.objects.bulk_create(
        Insats(
            forbund=forbund,
            name=ansokan.title,
            agare=ansokan.agare,
            kind=ansokan.kind,
            malgrupp=malgrupper[n % len(malgrupper)],
            ansokan=ansokan,
            start=start,
            end=end,
            status=status,
            description="En samverkansinsats mellan parterna.",
        )
        for ansokan, (year, n, start, end, status) in zip(ansokningar, planned, strict=True)
    )
    Through = Insats.deltagare.through
    taking_part = []
    for i, insats in enumerate(insatser):
        if i % 7 == 0:
            continue  # now and then one that breaks the law's two members: the start page says so
        others = [m for m in medlemmar if m.pk != insats.agare_id]
        chosen = {rng.choice(others), others[min(2, len(others) - 1)]}
        taking_part += [Through(insats=insats, medlem=medlem) for medlem in chosen]
    Through.objects.bulk_create(taking_part)
    grants, claims, reports = [], [], []
    for insats in insatser:
        for year in range(insats.start.year, insats.end.year + 1):
            grants.append(
                Anslag(
                    insats=insats,
                    year=year,
                    amount=Decimal(rng.randrange(200, 1500) * 1000),
                    beslut=beslut.get(year - 1) or beslut.get(year),
                )
            )
            for half in (1, 2):
                period = (
                    datetime.date(year, 1 if half == 1 else 7, 1),
                    datetime.date(year, 6, 30) if half == 1 else datetime.date(year, 12, 31),
                )
                done = period[1] < today
                claims.append(
                    Rekvisition(
                        insats=insats,
                        period_start=period[0],
                        period_end=period[1],
                        amount=Decimal(rng.randrange(100, 700) * 1000),
                        status=Rekvisition.Status.GODKAND if done else Rekvisition.Status.INSKICKAD,
                        diarienummer=f"{year}/R{insats.pk}-{half}",
                    )
                )
                reports.append(
                    Rapport(
                        insats=insats,
                        kind=Rapport.Kind.HALVAR,
                        period_start=period[0],
                        period_end=period[1],
                        due_date=period[1] + datetime.timedelta(days=30),
                        status=Rapport.Status.GODKAND if done else Rapport.Status.DUE,
                        goal_progress="Insatsen följer planen." if done else "",
                    )
                )
    Anslag.objects.bulk_create(grants)
    Rekvisition.objects.bulk_create(claims)
    reports = Rapport.objects.bulk_create(reports)
    Deltagarantal.objects.bulk_create(
        Deltagarantal(
            rapport=rapport, category=category, women=rng.randint(0, 30), men=rng.randint(0, 30)
        )
        for rapport in reports
        if rapport.status == Rapport.Status.GODKAND
        for category in (Deltagarantal.Category.NYA, Deltagarantal.Category.AVSLUTADE)
    )
    return insatser


def _owner(year, n, members):
    """Index of the insats's owner: every other year's first insats is the first kommun's (3)."""
    if n == 0:
        return 3 if year % 2 == 0 else year % 3
    return (year + n) % members


def _contributions(medlemmar, span, rng):
    Medlemsavgift.objects.bulk_create(
        Medlemsavgift(
            medlem=medlem,
            year=year,
            amount=Decimal(rng.randrange(500, 5000) * 1000 if medlem.is_state else 800_000),
        )
        for year in span
        for medlem in medlemmar
    )


TYPED_LINES = [
    (Budgetrad.Group.EGET_KAPITAL, "Ianspråktaget eget kapital", 20),
    (Budgetrad.Group.STYRELSE, "Arvoden och resor", 40),
    (Budgetrad.Group.FORVALTNING, "Kansli", 50),
    (Budgetrad.Group.FORVALTNING, "Lokaler och IT", 60),
    (Budgetrad.Group.OVRIGA_SAMVERKANSINSATSER, "Kompetensutveckling", 110),
    (Budgetrad.Group.EJ_BESLUTADE, "Ej beslutade insatser", 120),
]


def _status(year, today, kinds):
    """Past years adopted and published, this year published, next year a draft."""
    return kinds.UTKAST if year > today.year else kinds.PUBLICERAD


def _budgets(forbund, span, rng, beslut, today):
    budgets = Budget.objects.bulk_create(
        Budget(
            forbund=forbund,
            year=year,
            status=_status(year, today, Budget.Status),
            beslut=beslut.get(year - 1) if year <= today.year else None,
            previous_surplus=Decimal(rng.randrange(500, 3000) * 1000),
            forecast_previous_year=Decimal(rng.randrange(-500, 500) * 1000),
        )
        for year in span
    )
    Source, Group = Budgetrad.Source, Budgetrad.Group
    lines = []
    for budget in budgets:
        lines += [
            Budgetrad(budget=budget, group=Group.MEDLEMSAVGIFTER, name="Medlemsavgifter",
                      source=Source.MEDLEMSAVGIFTER, order=10),
            Budgetrad(budget=budget, group=Group.INSATSER, name="Samverkansinsatser",
                      source=Source.INSATSER, order=100),
        ]  # fmt: skip
        lines += [
            Budgetrad(
                budget=budget,
                group=group,
                name=name,
                amount=Decimal(rng.randrange(100, 2000) * 1000),
                outcome=Decimal(rng.randrange(100, 2000) * 1000)
                if budget.year <= today.year
                else None,
                order=order,
            )
            for group, name, order in TYPED_LINES
        ]
    Budgetrad.objects.bulk_create(lines)
    for budget in budgets:
        lay_out_flat_budget(Budgetrad, budget)  # the Samverkansinsatser block, as a file gets it
        if budget.is_frozen:
            budget.frozen_sources = budget.current_sources()
    Budget.objects.bulk_update(budgets, ["frozen_sources"])


def _plans(forbund, span, beslut, today):
    plans = Verksamhetsplan.objects.bulk_create(
        Verksamhetsplan(
            forbund=forbund,
            year=year,
            status=_status(year, today, Verksamhetsplan.Status),
            beslut=beslut.get(year - 1) if year <= today.year else None,
        )
        for year in span
    )
    text = "Förbundet arbetar för att fler ska komma i arbete eller studier. " * 6
    Avsnitt.objects.bulk_create(
        Avsnitt(plan=plan, key=key, title=title, kind=kind, body=text, order=10 * (i + 1))
        for plan in plans
        for i, (key, title, kind) in enumerate(STANDARD_AVSNITT)
    )
    goals = Mal.objects.bulk_create(
        Mal(plan=plan, number=n, title=f"Mål {n} för {plan.year}", focus="Samverkan")
        for plan in plans
        for n in range(1, 4)
    )
    Resultatmal.objects.bulk_create(
        Resultatmal(
            mal=mal,
            number=f"{mal.number}.{n}",
            text="Andel avslutade deltagare i arbete eller studier",
            indicator=Resultatmal.Indicator.ANDEL_ARBETE_STUDIER,
            target=Decimal(30 + n * 5),
            unit=Resultatmal.Unit.PROCENT,
        )
        for mal in goals
        for n in range(1, 3)
    )
    Risk.objects.bulk_create(
        Risk(
            plan=plan,
            risk=f"Risk {n}: parterna prioriterar om",
            likelihood=1 + n % 4,
            consequence=1 + (n * 3) % 4,
            control="Dialog i beredningsgruppen.",
            responsible="Förbundschef",
            follow_up_1="Följd upp vid delåret." if plan.year < today.year else "",
            order=n,
        )
        for plan in plans
        for n in range(1, 7)
    )


def _activities(forbund, insatser, span, rng):
    Aktivitet.objects.bulk_create(
        Aktivitet(
            forbund=forbund,
            title=f"Utbildningsdag {year}-{n}",
            kind=Aktivitet.Kind.UTBILDNING,
            date=datetime.date(year, 3 + n * 3, 14),
            insats=rng.choice(insatser) if insatser else None,
            participants_women=rng.randint(5, 40),
            participants_men=rng.randint(5, 40),
        )
        for year in span
        for n in range(3)
    )


def _events(forbund, user, medlemmar, insatser, span, rng, size):
    insats_type = ContentType.objects.get_for_model(Insats)
    medlem_type = ContentType.objects.get_for_model(Medlem)
    events = []
    for year in span:
        for n in range(size.events):
            if n % 3:
                subject, kind = rng.choice(insatser), insats_type
            else:
                subject, kind = rng.choice(medlemmar), medlem_type
            at = datetime.datetime(year, 1 + n % 12, 1 + n % 28, 9, n % 60)
            events.append(
                Handelse(
                    forbund=forbund,
                    at=timezone.make_aware(at),
                    user=user,
                    action="ändrad",
                    subject_type=kind,
                    subject_id=subject.pk,
                    subject_repr=str(subject)[:300],
                    changes={"name": [str(subject), str(subject)]},
                )
            )
    Handelse.objects.bulk_create(events)
