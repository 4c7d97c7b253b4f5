import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpRequest

from budget.forbundsfil import (
    ForbundsfilError,
    dump_forbund,
    load_forbund_file,
    normalize,
    parse,
)
from budget.models import Budget, Budgetrad, Medlemsavgift, Resultatmal, Verksamhetsplan
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
)
from insatser.models import Anslag, Ansokan, Insats

from ..factories import AnslagFactory, BeslutFactory, BudgetFactory, InsatsFactory

ROOT = Path(__file__).resolve().parents[2]
UPPSALA = ROOT / "budget" / "demo" / "uppsala.yaml"
NORRBACKA = ROOT / "budget" / "demo" / "norrbacka.yaml"
FJALLBO = ROOT / "budget" / "demo" / "fjallbo.yaml"
DATA = Path(__file__).resolve().parent / "data"

MINIMAL = """\
forbund: {slug: liten, name: Samordningsförbundet Liten}
medlemmar:
  - {name: Försäkringskassan, kind: forsakringskassan}
  - {name: Arbetsförmedlingen, kind: arbetsformedlingen}
  - {name: Region Liten, kind: region}
  - {name: Heby kommun, short_name: Heby, kind: kommun}
"""


def errors_of(text, **kwargs):
    with pytest.raises(ForbundsfilError) as info:
        load_forbund_file(text, **kwargs)
    return info.value.errors


def row_counts():
    models = [
        Forbund, Medlem, Medlemsavgift, Malgrupp, Ledamot, Sammantrade, Arende, Beslut,
        Verksamhetsplan, Insats, Anslag, Budget, Budgetrad,
    ]  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


# Loading the demo


@pytest.mark.django_db
def test_it_loads_the_uppsala_demo():
    forbund = load_forbund_file(UPPSALA)

    assert forbund.slug == "uppsala"
    assert forbund.display_unit == "tkr"
    assert forbund.report_interval == "kvartal"
    assert forbund.equity_ceiling_percent == 20
    medlemmar = Medlem.objects.of(forbund)
    assert [m.display_name for m in medlemmar] == [
        "Arbetsförmedlingen", "Försäkringskassan", "Region Uppsala", "Enköping", "Heby", "Håbo",
        "Knivsta", "Tierp", "Uppsala", "Älvkarleby", "Östhammar",
    ]  # fmt: skip
    assert Ledamot.objects.of(forbund).count() == 22
    assert Ledamot.objects.of(forbund).get(chair_role="ordforande").medlem.name == "Uppsala kommun"
    assert Sammantrade.objects.of(forbund).of_year(2026).count() == 5
    assert Malgrupp.objects.of(forbund).filter(prioritized=True).count() == 2
    avgifter = Medlemsavgift.objects.of(forbund)
    assert sum(a.amount for a in avgifter.filter(year=2026)) == 23_490_000
    assert sum(a.amount for a in avgifter.filter(year=2025)) == 23_430_000
    insatser = Insats.objects.of(forbund).order_by("pk")
    assert insatser.count() == 11
    assert [(i.name, i.agare.display_name) for i in insatser][:2] == [
        ("Växtkraft", "Enköping"),
        ("Plattform för individstöd", "Heby"),
    ]
    assert all(i.deltagare.exists() for i in insatser)
    assert sum(a.amount for a in Anslag.objects.of(forbund).filter(year=2026)) == 20_690_000


@pytest.mark.django_db
def test_it_loads_the_budget_lines_in_order():
    forbund = load_forbund_file(UPPSALA)

    budget = Budget.objects.of(forbund).get(year=2026)
    assert budget.status == Budget.Status.PUBLICERAD
    assert budget.previous_surplus == 4_495_000
    assert budget.forecast_previous_year == -518_000
    rader = [(r.group, r.name, r.source, r.amount) for r in budget.rader.filter(kind="rad")]
    # The file has no blocks: the insatser line is laid out under Samverkansinsatser,
    # named for the column heading it prints.
    assert rader == [
        ("medlemsavgifter", "Medlemsavgifter", "medlemsavgifter", None),
        ("forsaljning", "Försäljning av tjänster", "typed", 240_000),
        ("eu_medel", "ESF medel ISA", "typed", 450_000),
        ("styrelse", "Förtroendevalda", "typed", 500_000),
        ("forvaltning", "Förvaltning", "typed", 4_550_000),
        ("forvaltning", "Förvaltning ISA", "typed", 450_000),
        ("insatser", "Namn på insats", "insatser", None),
        ("ovriga_samverkansinsatser", "Ekonom projektstöd", "typed", 430_000),
        ("ovriga_samverkansinsatser", "Verksamhetsutvecklare", "typed", 430_000),
        ("ovriga_samverkansinsatser", "Kompetenshöjande insatser", "typed", 100_000),
    ]


@pytest.mark.django_db
def test_it_loads_meetings_with_their_decisions():
    forbund = load_forbund_file(UPPSALA)

    march = Sammantrade.objects.of(forbund).get(date=datetime.date(2026, 3, 12))
    assert march.status == Sammantrade.Status.PUBLICERAT
    assert march.start_time == datetime.time(13, 0)
    arende = march.arenden.get(title="Årsredovisning 2025")
    assert arende.number == 2
    assert arende.beslut.date == march.date
    assert arende.beslut.text.startswith("Styrelsen fastställer årsredovisningen för 2025")
    november = Sammantrade.objects.of(forbund).get(date=datetime.date(2026, 11, 26))
    assert november.status == Sammantrade.Status.KALLAT
    assert november.arenden.count() >= 2
    assert not Beslut.objects.filter(arende__sammantrade=november).exists()


@pytest.mark.django_db
def test_the_demo_plan_and_budget_share_one_decision():
    forbund = load_forbund_file(UPPSALA)

    plan = Verksamhetsplan.objects.of(forbund).get(year=2026)
    budget = Budget.objects.of(forbund).get(year=2026)
    assert plan.beslut is not None
    assert budget.beslut_id == plan.beslut_id
    assert plan.beslut.date == datetime.date(2025, 11, 20)
    assert plan.beslut.text == "Styrelsen fastställer verksamhetsplan och budget för 2026."
    assert plan.beslut.arende is None
    assert plan.beslut.delegated is False
    assert Beslut.objects.of(forbund).filter(arende__isnull=True).count() == 1


@pytest.mark.django_db
def test_a_plan_and_budget_with_different_decisions_get_one_each():
    text = MINIMAL + (
        "verksamhetsplaner:\n"
        "  - year: 2026\n"
        "    status: faststalld\n"
        "    beslut: {date: 2025-11-20, text: Planen fastställs.}\n"
        "budgetar:\n"
        "  - year: 2026\n"
        "    status: faststalld\n"
        "    beslut: {date: 2025-11-20, text: Budgeten fastställs., diarienummer: 2025/12}\n"
    )

    forbund = load_forbund_file(text)
    dumped = dump_forbund(forbund)

    budget = Budget.objects.of(forbund).get()
    assert budget.beslut.diarienummer == "2025/12"
    assert Verksamhetsplan.objects.of(forbund).get().beslut.text == "Planen fastställs."
    assert Beslut.objects.of(forbund).count() == 2
    assert "diarienummer: 2025/12" in dumped
    assert normalize(parse(dumped)) == normalize(parse(text))
    assert dump_forbund(load_forbund_file(dumped, replace=True)) == dumped
    assert Beslut.objects.count() == 2


@pytest.mark.django_db
def test_it_loads_the_plans_goals_and_targets():
    forbund = load_forbund_file(UPPSALA)

    plan = Verksamhetsplan.objects.of(forbund).get(year=2026)
    assert [m.number for m in plan.mal.all()] == [1, 2, 3]
    target = Resultatmal.objects.of(forbund).get(mal__number=2)
    assert (target.indicator, target.target, target.unit) == ("antal_aktiviteter", 8, "antal")


@pytest.mark.django_db
def test_it_loads_the_kommuners_key_shares():
    forbund = load_forbund_file(UPPSALA)

    kommuner = Medlem.objects.of(forbund).filter(kind=Medlem.Kind.KOMMUN)
    assert sum(m.key_share for m in kommuner) == 100
    assert kommuner.get(short_name="Heby").key_share == Decimal("3.5962")
    assert kommuner.get(short_name="Uppsala").key_share == Decimal("60.7639")
    assert not Medlem.objects.of(forbund).filter(key_share__isnull=False).exclude(kind="kommun")
    # The shares are the population-based split of the kommuner's 25 %, to the krona.
    kommunernas = sum(a.amount for a in Medlemsavgift.objects.of(forbund).filter(year=2026))
    for medlem in kommuner:
        avgift = medlem.avgifter.get(year=2026).amount
        assert abs(kommunernas / 4 * medlem.key_share / 100 - avgift) < 5, medlem


@pytest.mark.django_db
def test_it_loads_the_lines_outcome_and_forecast():
    forbund = load_forbund_file(UPPSALA)

    rader = Budget.objects.of(forbund).get(year=2026).rader
    forvaltning = rader.get(name="Förvaltning")
    assert (forvaltning.outcome, forvaltning.forecast) == (3_712_000, 4_480_000)
    assert rader.get(source="insatser").outcome is None


@pytest.mark.django_db
def test_it_loads_the_plans_sections_and_risks():
    forbund = load_forbund_file(UPPSALA)

    plan = Verksamhetsplan.objects.of(forbund).get(year=2026)
    assert plan.status == Verksamhetsplan.Status.PUBLICERAD
    # The file names no outline: the sections' keys give it, as before the outline was data.
    assert [(a.key, a.kind) for a in plan.avsnitt.all()] == [
        ("inledning", "text"), ("medlemmar", "medlemmar"), ("styrelsen", "styrelsen"),
        ("verksamhet", "text"), ("inriktning", "text"), ("malgrupper_text", "malgrupper"),
        ("mal_text", "mal"), ("uppfoljning", "text"), ("stod", "text"), ("kompetens", "text"),
        ("arsprocess", "arshjul"), ("kansliet", "text"), ("internkontroll", "risker"),
        ("budget_text", "budget"),
    ]  # fmt: skip
    inledning = plan.avsnitt.get(key="inledning")
    assert inledning.title == "Bakgrund och uppdrag"
    assert inledning.body.startswith("## Finsam\nLagen om finansiell samordning")
    assert "\n- upprätta budget och årsredovisning för den finansiella samordningen\n" in (
        inledning.body
    )
    assert "rimlig proportion till nyttan" in plan.avsnitt.get(key="internkontroll").body
    risker = list(plan.risker.all())
    assert len(risker) == 7
    assert (risker[0].risk, risker[0].value) == ("Verksamhetsmålen nås inte", 6)
    assert all(r.follow_up_1 and not r.follow_up_2 for r in risker)


@pytest.mark.django_db
def test_the_new_fields_survive_load_and_dump():
    text = MINIMAL.replace("kind: kommun}", "kind: kommun, key_share: '12.3456'}") + (
        "verksamhetsplaner:\n"
        "  - year: 2026\n"
        "    risker:\n"
        "      - {risk: R, likelihood: 2, consequence: 3,"
        " follow_up_1: Vid delåret., follow_up_2: Vid helåret.}\n"
        "budgetar:\n"
        "  - year: 2026\n"
        "    rader:\n"
        "      - {group: forvaltning, name: Porto, amount: 1000, outcome: '250.50', forecast: 0}\n"
        "      - {group: insatser, name: S, source: insatser, outcome: 5000}\n"
    )

    forbund = load_forbund_file(text)
    dumped = dump_forbund(forbund)

    assert Medlem.objects.of(forbund).get(short_name="Heby").key_share == Decimal("12.3456")
    risk = Verksamhetsplan.objects.of(forbund).get().risker.get()
    assert (risk.follow_up_1, risk.follow_up_2) == ("Vid delåret.", "Vid helåret.")
    porto = Budgetrad.objects.of(forbund).get(name="Porto")
    assert (porto.outcome, porto.forecast) == (Decimal("250.50"), 0)
    assert "follow_up_2: Vid helåret." in dumped
    assert "forecast: 0" in dumped
    assert normalize(parse(dumped)) == normalize(parse(text))
    assert dump_forbund(load_forbund_file(dumped, replace=True)) == dumped


@pytest.mark.django_db
def test_it_loads_the_small_forbund():
    forbund = load_forbund_file(NORRBACKA)

    assert forbund.display_unit == "kr"
    assert forbund.report_interval == "halvar"
    assert Medlem.objects.of(forbund).count() == 4
    assert Sammantrade.objects.of(forbund).count() == 4
    assert Insats.objects.of(forbund).count() == 3
    assert sum(a.amount for a in Medlemsavgift.objects.of(forbund)) == 1_700_000


# Round trip


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", [UPPSALA, NORRBACKA, FJALLBO], ids=["uppsala", "norrbacka", "fjallbo"]
)
def test_dump_gives_the_data_of_the_file(path):
    text = path.read_text(encoding="utf-8")

    dumped = dump_forbund(load_forbund_file(text))

    # The dump writes the blocks a file without them is laid out in.
    assert normalize(parse(dumped)) == normalize(parse(text))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", [UPPSALA, NORRBACKA, FJALLBO], ids=["uppsala", "norrbacka", "fjallbo"]
)
def test_load_dump_load_dump_is_identical(path):
    first = dump_forbund(load_forbund_file(path))

    second = dump_forbund(load_forbund_file(first, replace=True))

    assert second == first
    assert Forbund.objects.count() == 1


@pytest.mark.django_db
def test_dump_writes_short_names_and_leaves_out_defaults():
    forbund = load_forbund_file(UPPSALA)

    dumped = dump_forbund(forbund)

    assert "  agare: Heby\n" in dumped
    assert "source: typed" not in dumped
    assert "short_name: ''" not in dumped
    assert "amount: 240000\n" in dumped


@pytest.mark.django_db
def test_dump_keeps_ore_and_numbers_out_of_order():
    text = MINIMAL + (
        "sammantraden:\n"
        "  - date: 2026-03-12\n"
        "    arenden: [{title: Första, number: 7}, {title: Andra, number: 8}]\n"
        "budgetar:\n"
        "  - year: 2026\n"
        "    rader: [{group: forvaltning, name: Porto, amount: '1234.50'}]\n"
    )

    dumped = dump_forbund(load_forbund_file(text))

    assert "amount: '1234.50'" in dumped
    assert "number: 7" in dumped
    assert parse(dumped) == parse(text)


# Values a person writes by hand


@pytest.mark.django_db
def test_it_reads_values_as_people_write_them():
    text = MINIMAL + (
        "sammantraden:\n"
        "  - date: 2026-03-12\n"
        "    start_time: 13:00\n"
        "    status: Publicerat\n"
        "insatser:\n"
        "  - {name: X, agare: heby kommun, kind: individ, anslag: {2026: '2 753 000'}}\n"
        "budgetar:\n"
        "  - {year: 2026, forecast_previous_year: −518 000, rader: []}\n"
    )

    errors = errors_of(text)

    # Member names are exact; everything else above is read.
    assert errors == ["insatser[0].agare: okänd medlem 'heby kommun'"]
    forbund = load_forbund_file(text.replace("heby kommun", "Heby"))
    assert Sammantrade.objects.of(forbund).get().start_time == datetime.time(13, 0)
    assert Sammantrade.objects.of(forbund).get().status == "publicerat"
    assert Anslag.objects.of(forbund).get().amount == Decimal("2753000")
    assert Budget.objects.of(forbund).get().forecast_previous_year == -518_000


# Bad files


@pytest.mark.django_db
def test_it_names_an_unknown_kind():
    errors = errors_of(DATA / "bad_kind.yaml")

    assert errors == [
        "medlemmar[3].kind: okänd typ 'kommunn'"
        " (tillåtna: forsakringskassan, arbetsformedlingen, region, kommun)"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("addition", "expected"),
    [
        ("  - {kind: kommun}\n", "medlemmar[4].name: saknas"),
        ("  - {namn: Tierps kommun, kind: kommun}\n", "medlemmar[4]: okänt fält 'namn'"),
        (
            "  - {name: Heby kommun, kind: kommun}\n",
            "medlemmar[4].name: finns redan: 'Heby kommun'",
        ),
        (
            "  - {name: Tierp, kind: kommun, avgifter: {2026: tjugo}}\n",
            "medlemmar[4].avgifter.2026: inte ett belopp: 'tjugo'",
        ),
        (
            "  - {name: Tierp, kind: kommun, avgifter: {2026: -5}}\n",
            "medlemmar[4].avgifter.2026: får inte vara negativt: '-5'",
        ),
        (
            "ledamoter:\n  - {medlem: Heby, name: A, kind: ordinarie,"
            " mandate_start: 2026-13-01, mandate_end: 2026-12-31}\n",
            "ledamoter[0].mandate_start: inte ett datum (ÅÅÅÅ-MM-DD): '2026-13-01'",
        ),
        (
            "insatser:\n  - {name: X, agare: Hebby kommun, kind: individ}\n",
            "insatser[0].agare: okänd medlem 'Hebby kommun'",
        ),
        (
            "insatser:\n  - {name: X, agare: Heby, deltagare: [Heby kommun], kind: individ}\n",
            "insatser[0].deltagare[0]: 'Heby kommun' är insatsägare",
        ),
        (
            "insatser:\n  - {name: X, agare: Heby, kind: individ, malgrupp: Unga}\n",
            "insatser[0].malgrupp: okänd målgrupp 'Unga'",
        ),
        (
            "insatser:\n  - {name: X, agare: Heby, kind: individ,"
            " start: 2026-06-01, end: 2026-01-01}\n",
            "insatser[0].end: före start (2026-06-01)",
        ),
        (
            "budgetar:\n  - year: 2026\n    rader:\n      - {group: forvaltning, name: F}\n",
            "budgetar[0].rader[0].amount: saknas",
        ),
        (
            "budgetar:\n  - year: 2026\n    rader:\n"
            "      - {group: insatser, name: S, source: insatser, amount: 5}\n",
            "budgetar[0].rader[0].amount: ska inte anges när source är 'insatser'",
        ),
        ("budget: []\n", "budget: okänt fält 'budget' (menar du 'budgetar'?)"),
        (
            "  - {name: Tierp, kind: kommun, key_share: 120}\n",
            "medlemmar[4].key_share: ska vara mellan 0 och 100 (procent): '120'",
        ),
        (
            "  - {name: Tierp, kind: kommun, key_share: '5.12345'}\n",
            "medlemmar[4].key_share: högst fyra decimaler: '5.12345'",
        ),
        (
            "  - {name: Tierp, kind: kommun, key_share: en tredjedel}\n",
            "medlemmar[4].key_share: inte en andel i procent: 'en tredjedel'",
        ),
        (
            "budgetar:\n  - year: 2026\n    rader:\n"
            "      - {group: forvaltning, name: F, amount: 5, outcome: tjugo}\n",
            "budgetar[0].rader[0].outcome: inte ett belopp: 'tjugo'",
        ),
        (
            "budgetar:\n  - year: 2026\n    status: faststalld\n"
            "    beslut: {date: 2025-11-31, text: Budgeten fastställs.}\n",
            "budgetar[0].beslut.date: inte ett datum (ÅÅÅÅ-MM-DD): '2025-11-31'",
        ),
        (
            "budgetar:\n  - year: 2026\n    status: faststalld\n    beslut: {date: 2025-11-20}\n",
            "budgetar[0].beslut.text: saknas",
        ),
        (
            "budgetar:\n  - year: 2026\n"
            "    beslut: {date: 2025-11-20, text: Budgeten fastställs.}\n",
            "budgetar[0].beslut: bara en fastställd eller publicerad budget har ett beslut",
        ),
        (
            "verksamhetsplaner:\n  - year: 2026\n    status: utkast\n"
            "    beslut: {text: Planen fastställs.}\n",
            "verksamhetsplaner[0].beslut.date: saknas",
        ),
        (
            "verksamhetsplaner:\n  - year: 2026\n    status: utkast\n"
            "    beslut: {date: 2025-11-20, text: Planen fastställs.}\n",
            "verksamhetsplaner[0].beslut: bara en fastställd eller publicerad verksamhetsplan"
            " har ett beslut",
        ),
        (
            "verksamhetsplaner:\n  - year: 2026\n    risker:\n"
            "      - {risk: R, likelihood: 2, consequence: 5, uppfoljning: x}\n",
            "verksamhetsplaner[0].risker[0].consequence: ska vara 1, 2, 3 eller 4: '5'",
        ),
    ],
)
def test_it_refuses_a_bad_value_and_says_where(addition, expected):
    errors = errors_of(MINIMAL + addition)

    assert any(expected in error for error in errors), errors
    assert set(row_counts().values()) == {0}


@pytest.mark.django_db
def test_it_gives_the_line_of_a_yaml_error():
    errors = errors_of(DATA / "syntax_error.yaml")

    assert len(errors) == 1
    assert errors[0].startswith("rad 7: felaktig YAML")


@pytest.mark.django_db
def test_it_reads_anchors_and_merge_keys():
    text = MINIMAL + (
        "ledamoter:\n"
        "  - &mandat {medlem: Heby, name: A, kind: ordinarie,"
        " mandate_start: 2023-01-01, mandate_end: 2026-12-31}\n"
        "  - {<<: *mandat, name: B, kind: ersattare}\n"
    )

    forbund = load_forbund_file(text)

    seats = Ledamot.objects.of(forbund).order_by("pk")
    assert [(s.name, s.kind, s.mandate_end.year) for s in seats] == [
        ("A", "ordinarie", 2026),
        ("B", "ersattare", 2026),
    ]


@pytest.mark.django_db
def test_it_refuses_a_key_written_twice():
    errors = errors_of(MINIMAL.replace("forbund: {slug: liten,", "forbund: {slug: liten, slug: x,"))

    assert errors == ["rad 1: felaktig YAML: nyckeln 'slug' står två gånger"]


@pytest.mark.django_db
def test_it_reports_every_error_at_once():
    errors = errors_of(DATA / "many_errors.yaml")

    assert errors == [
        "forbund.display_unit: okänt värde 'mkr' (tillåtna: tkr, kr)",
        "medlemmar[5]: okänt fält 'namn' (menar du 'name'?)",
        "medlemmar[5].name: saknas",
        "ledamoter[0].mandate_start: inte ett datum (ÅÅÅÅ-MM-DD): '2026-13-01'",
        "ledamoter[1].name: saknas",
        "budgetar[0].rader[1].amount: inte ett belopp: 'tjugo'",
        "medlemmar[4].name: finns redan: 'Heby kommun'",
        "insatser[0].agare: okänd medlem 'Hebby kommun'",
    ]
    assert set(row_counts().values()) == {0}


@pytest.mark.django_db
def test_a_fault_found_while_saving_leaves_nothing_behind():
    too_long = "x" * 301
    text = MINIMAL + f"sammantraden:\n  - date: 2026-03-12\n    arenden: [{{title: {too_long}}}]\n"

    errors = errors_of(text)

    assert len(errors) == 1
    assert errors[0].startswith("sammantraden[0].arenden[0].title: Säkerställ att")
    assert "300 tecken" in errors[0]
    assert set(row_counts().values()) == {0}


@pytest.mark.django_db
def test_it_refuses_a_forbund_that_exists():
    load_forbund_file(UPPSALA)
    before = row_counts()

    errors = errors_of(UPPSALA)

    assert errors == [
        "forbund.slug: förbundet 'uppsala' finns redan (ladda med --replace för att ersätta det)"
    ]
    assert row_counts() == before


@pytest.mark.django_db
def test_replace_deletes_everything_in_the_forbund_first():
    old = load_forbund_file(UPPSALA)
    heby = Medlem.objects.of(old).get(short_name="Heby")
    beslut = BeslutFactory(forbund=old)
    ansokan = Ansokan.objects.create(forbund=old, title="Ny", agare=heby, kind="individ")
    insats = InsatsFactory(forbund=old, agare=heby, ansokan=ansokan, name="Extra")
    AnslagFactory(insats=insats, beslut=beslut)
    BudgetFactory(forbund=old, year=2027, beslut=beslut)
    Handelse.record(forbund=old, user=None, subject=insats, action="skapad")

    new = load_forbund_file(UPPSALA, replace=True)

    assert not Forbund.objects.filter(pk=old.pk).exists()
    assert not Insats.objects.filter(name="Extra").exists()
    assert not Ansokan.objects.exists()
    assert not Handelse.objects.exists()
    assert Insats.objects.of(new).count() == 11
    assert Budget.objects.of(new).count() == 1
    assert Beslut.objects.of(new).filter(arende__isnull=True).count() == 1
    assert Beslut.objects.count() == Beslut.objects.of(new).count()


@pytest.mark.django_db
def test_a_refused_replacement_keeps_the_old_forbund():
    old = load_forbund_file(UPPSALA)
    before = row_counts()
    text = UPPSALA.read_text(encoding="utf-8").replace("kind: arbetsformedlingen", "kind: af")

    errors = errors_of(text, replace=True)

    assert errors[0].startswith("medlemmar[0].kind: okänd typ 'af'")
    assert Forbund.objects.get().pk == old.pk
    assert row_counts() == before


# Commands


@pytest.mark.django_db
def test_load_command_loads_and_summarises(capsys):
    call_command("load_forbund", str(NORRBACKA))

    out = capsys.readouterr().out
    assert "Samordningsförbundet Norrbacka (norrbacka): 4 medlemmar, 8 ledamöter" in out
    assert Forbund.objects.filter(slug="norrbacka").exists()


@pytest.mark.django_db
def test_load_command_lists_every_error():
    with pytest.raises(CommandError) as info:
        call_command("load_forbund", str(DATA / "many_errors.yaml"))

    message = str(info.value)
    assert "(8 fel, ingenting sparades)" in message
    assert "\nmedlemmar[5].name: saknas\n" in message
    assert message.endswith("insatser[0].agare: okänd medlem 'Hebby kommun'")


@pytest.mark.django_db
def test_load_command_refuses_an_existing_slug_unless_replace():
    call_command("load_forbund", str(NORRBACKA))

    with pytest.raises(CommandError, match="finns redan"):
        call_command("load_forbund", str(NORRBACKA))
    call_command("load_forbund", str(NORRBACKA), "--replace")

    assert Forbund.objects.filter(slug="norrbacka").count() == 1


@pytest.mark.django_db
def test_dump_command_writes_the_file(tmp_path):
    forbund = load_forbund_file(NORRBACKA)
    target = tmp_path / "norrbacka.yaml"

    call_command("dump_forbund", "norrbacka", "-o", str(target))

    assert target.read_text(encoding="utf-8") == dump_forbund(forbund)


@pytest.mark.django_db
def test_dump_command_refuses_an_unknown_slug():
    with pytest.raises(CommandError, match="inget förbund"):
        call_command("dump_forbund", "finnsinte")


@pytest.mark.django_db
def test_demo_creates_users_that_can_log_in(client, capsys, settings, media):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed
    call_command("demo", "--password", "hemligt-1")
    call_command("demo", "--password", "hemligt-1")  # twice is fine

    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/uppsala/" in out
    assert Forbund.objects.count() == 2
    roller = {r.user.username: r for r in Roll.objects.select_related("forbund", "medlem", "user")}
    # The owners' contacts who submit the demo's reports and claims cannot sign in.
    contacts = {u for u, r in roller.items() if not r.user.has_usable_password()}
    assert contacts and all(roller[u].kind == "insatsagare" for u in contacts)
    assert {u: (r.kind, r.forbund.slug) for u, r in roller.items() if u not in contacts} == {
        "kansli": ("kansli", "uppsala"),
        "styrelse": ("styrelse", "uppsala"),
        "justerare": ("styrelse", "uppsala"),
        "heby": ("insatsagare", "uppsala"),
        "revisor": ("revisor", "uppsala"),
        "norrbacka": ("kansli", "norrbacka"),
    }
    assert roller["heby"].medlem.name == "Heby kommun"
    chair = Ledamot.objects.get(chair_role="ordforande", medlem__forbund__slug="uppsala")
    assert chair.user == roller["styrelse"].user
    checker = Ledamot.objects.get(name="Kjell Nordin", medlem__forbund__slug="uppsala")
    assert checker.user == roller["justerare"].user
    signed = Sammantrade.objects.get(forbund__slug="uppsala", date="2026-10-22")
    assert signed.status == "publicerat" and signed.protokoll.signaturer.count() == 2
    for username in [*(set(roller) - contacts), "admin"]:
        # django-axes needs the request a sign-in comes from
        assert client.login(request=HttpRequest(), username=username, password="hemligt-1")
    assert client.get("/admin/").status_code == 200
