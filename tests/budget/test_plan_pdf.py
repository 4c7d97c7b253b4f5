"""The "Verksamhetsplan och budget" PDF, made by the task and read back from the file."""

import datetime
import hashlib
import io
import re
import time
from decimal import Decimal

import pytest
from pypdf import PdfReader

from budget.forbundsfil import load_forbund_file
from budget.models import Avsnitt, Budget, Budgetrad, Mal, Resultatmal, Risk, Verksamhetsplan
from budget.plan.content import load_plan, plan_context, plan_html
from budget.plan.markdown import render
from budget.plan.outline import SYSTEM_KINDS, chapters, inferred_outline
from budget.tasks import generate_plan_pdf, start_plan_pdf
from finsam.documents import DokumentError
from finsam.models import Dokument, Medlem
from finsam.pdf import render_pdf
from insatser.models import Anslag, Insats
from tests.factories import (
    ArendeFactory,
    BudgetFactory,
    BudgetradFactory,
    LedamotFactory,
    MedlemFactory,
    MedlemsavgiftFactory,
    SammantradeFactory,
    UserFactory,
)

DEMO = "budget/demo/uppsala.yaml"

SEED_INSATSER = [
    ("Växtkraft", "Enköping", "2 753"),
    ("Plattform för individstöd", "Heby", "2 523"),
    ("Framsteget", "Håbo", "1 861"),
    ("En väg in - steget vidare", "Knivsta", "1 599"),
    ("RegExPro", "Region Uppsala", "1 245"),
    ("Min framtid", "Tierp", "2 843"),
    ("Lokussamordnare", "Uppsala", "280"),
    ("Samordnat stöd för arbete/studier", "Uppsala", "3 368"),
    ("Lokussamordnare", "Älvkarleby", "161"),
    ("Förstärkt stöd till arb/studier", "Älvkarleby", "1 800"),
    ("Nystart Östhammar", "Östhammar", "2 257"),
]

SEED_TOTALS = [
    ("S:A INTÄKTER", "24 180"),
    ("S:A KOSTNADER", "27 150"),
    ("ÅRETS BERÄKNADE RESULTAT", "-2 970"),
    ("Över-/underskott från tidigare år", "4 495"),
    ("Prognostiserat underskott 2025", "-518"),
    ("KVARVARANDE BESLUTSUTRYMME", "1 007"),
    ("Medlemsavgifter", "23 490"),
    ("S:a samverkansinsatser", "20 690"),
]


def pages_of(content):
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def plain(text):
    """Swedish typography back to plain characters: NBSP/thin spaces, U+2212 minus."""
    for space in ("\u00a0", "\u202f", "\u2009"):
        text = text.replace(space, " ")
    return re.sub(r"[ \t]+", " ", text.replace("\u2212", "-"))


def flat(text):
    return re.sub(r"\s+", " ", plain(text))


def squashed(text):
    """Letters only: a sentence survives line breaks and hyphenation."""
    return re.sub(r"[\W_]", "", text)


def wait_for(dokument, timeout=120):
    """Poll the row (the worker runs elsewhere) until the document is done or failed."""
    deadline = time.monotonic() + timeout
    while dokument.status not in (Dokument.Status.DONE, Dokument.Status.FAILED):
        if time.monotonic() > deadline:
            pytest.fail(f"Dokumentet blev inte klart på {timeout} s (status {dokument.status}).")
        time.sleep(0.05)
        dokument.refresh_from_db()
    return dokument


@pytest.fixture
def demo_plan(db):
    forbund = load_forbund_file(DEMO)
    return load_plan(forbund, Verksamhetsplan.objects.of(forbund).get(year=2026).pk)


def test_the_task_makes_the_seeds_plan(celery_worker):
    forbund = load_forbund_file(DEMO)
    plan = Verksamhetsplan.objects.of(forbund).get(year=2026)

    dokument = wait_for(start_plan_pdf(plan, user=UserFactory()))

    assert dokument.status == Dokument.Status.DONE, dokument.error
    assert dokument.title == "Verksamhetsplan och budget 2026"
    assert dokument.finished_at is not None
    content = dokument.file.read()
    assert hashlib.sha256(content).hexdigest() == dokument.checksum
    pages = [plain(page) for page in pages_of(content)]
    text = "\n".join(pages)
    assert "Samordningsförbundet Uppsala län" in pages[0]
    assert "Verksamhetsplan och budget 2026" in flat(pages[0])
    for medlem in Medlem.objects.of(forbund):
        assert medlem.name in text
    for name in ("Elisabet Runesson", "Eva Granqvist", "Johan Berglind", "Fredrik Ståhl"):
        assert name in text
    for mal in Mal.objects.filter(plan=plan):
        assert squashed(mal.title) in squashed(text)
    for target in Resultatmal.objects.filter(mal__plan=plan):
        assert squashed(target.text) in squashed(text)
    for month in ("Mars", "Maj", "September", "Oktober", "November"):
        assert re.search(rf"^{month} 2026-\d\d-\d\d", text, re.M), month
    assert "Årsredovisning 2025" in text
    assert "Verksamhetsplan och budget 2027" in text
    assert_the_seeds_budget_table(pages[-1])


def assert_the_seeds_budget_table(page):
    """The seed's "Ekonomisk information" to the krona, line by line."""
    assert "Ekonomisk information, belopp i tkr" in page
    for label, amount in SEED_TOTALS:
        assert re.search(rf"^{re.escape(label)} {amount}$", page, re.M), label
    for name, owner, amount in SEED_INSATSER:
        line = rf"^{re.escape(name)} {re.escape(owner)} {amount}$"
        assert re.search(line, page, re.M), name
    for name, amount in [("Ekonom projektstöd", "430"), ("Kompetenshöjande insatser", "100")]:
        assert re.search(rf"^{name} {amount}$", page, re.M), name


def test_the_table_of_contents_gives_each_chapters_page(demo_plan):
    pages = pages_of(render_pdf(plan_html(demo_plan)))
    toc = plain(pages[1])
    titles = [c.title for c in plan_context(demo_plan)["chapters"]]
    assert len(titles) > 5

    for title in titles:
        match = re.search(rf"^{re.escape(title)}[ .]*?(\d+)$", toc, re.M)
        assert match, f"{title} saknar sidnummer i innehållsförteckningen"
        page = int(match.group(1))
        assert page > 2
        assert re.search(rf"^{re.escape(title)}$", plain(pages[page - 1]), re.M), title


def test_every_page_after_the_cover_has_the_running_header_and_its_number(demo_plan):
    pages = [plain(p) for p in pages_of(render_pdf(plan_html(demo_plan)))]

    assert "Sida" not in pages[0]
    for number, page in enumerate(pages[1:], start=2):
        assert f"Sida {number} av {len(pages)}" in page
        assert "Samordningsförbundet Uppsala län" in page
        assert "Verksamhetsplan och budget 2026" in page


def test_the_cover_says_whether_the_plan_is_adopted(demo_plan):
    demo_plan.status = Verksamhetsplan.Status.UTKAST
    assert "Utkast" in pages_of(render_pdf(plan_html(demo_plan)))[0]

    demo_plan.status = Verksamhetsplan.Status.FASTSTALLD
    cover = pages_of(render_pdf(plan_html(demo_plan)))[0]
    assert "Fastställd av styrelsen" in cover


def test_an_adopted_plan_is_archived_as_pdfa_once(
    demo_plan, media, kansli, django_capture_on_commit_callbacks
):
    Verksamhetsplan.objects.filter(pk=demo_plan.pk).update(status="faststalld")
    demo_plan.refresh_from_db()

    with django_capture_on_commit_callbacks() as enqueued:
        dokument = start_plan_pdf(demo_plan, user=kansli)
    assert len(enqueued) == 1
    generate_plan_pdf(dokument.pk)

    dokument.refresh_from_db()
    assert dokument.status == Dokument.Status.DONE, dokument.error
    assert dokument.archived
    xmp = PdfReader(io.BytesIO(dokument.file.read())).xmp_metadata.rdf_root.toxml()
    assert 'pdfaid:part="3"' in xmp
    assert 'pdfaid:conformance="B"' in xmp
    with pytest.raises(DokumentError, match="arkiverad som PDF/A"):
        start_plan_pdf(demo_plan, user=kansli)
    assert Dokument.objects.count() == 1


def test_a_draft_plan_is_not_archived_and_may_be_made_again(demo_plan, media, kansli):
    Verksamhetsplan.objects.filter(pk=demo_plan.pk).update(status="utkast")
    demo_plan.refresh_from_db()

    first = start_plan_pdf(demo_plan, user=kansli)
    second = start_plan_pdf(demo_plan, user=kansli)

    assert (first.version, second.version) == (1, 2)
    assert not first.archived
    generate_plan_pdf(second.pk)
    second.refresh_from_db()
    assert second.file.name.endswith("verksamhetsplan-och-budget-2026-v2.pdf")
    assert b"pdfaid" not in second.file.read()


def test_text_sections_are_markdown_headings_lists_tables_and_footnotes():
    body = (
        "## Rubrik\nFörsta raden\nandra raden\n\n"
        "Styrelsen ska:\n- besluta om mål\n  - och riktlinjer\n• stödja samverkan\n\n"
        "| Part | Andel |\n|---|--:|\n| Staten | 50 % |\n\n"
        "Slut[^1]. <script>alert(1)</script> ![bild](https://example.org/x.png)\n\n"
        "[^1]: Enligt lagen (2003:1210)."
    )

    rendered = render(body, anchor="avsnitt-x")

    html = str(rendered.html)
    assert '<h3 id="avsnitt-x-rubrik">Rubrik</h3>' in html
    assert "<p>Första raden<br>\nandra raden</p>" in html
    assert "<li>besluta om mål\n<ul>\n<li>och riktlinjer</li>" in html
    assert "<li>stödja samverkan</li>" in html
    assert '<td style="text-align:right">50 %</td>' in html
    assert 'href="#fn-avsnitt-x-1"' in html and "Enligt lagen (2003:1210)." in html
    assert "<script" not in html and "<img" not in html
    assert rendered.headings == [("avsnitt-x-rubrik", "Rubrik")]


def test_a_plan_without_an_outline_gets_the_order_its_keys_gave_before():
    keys = ["inledning", "egen-text", "verksamhet", "malgrupper_text", "budget_text"]

    assert inferred_outline(keys) == [
        {"avsnitt": "inledning", "del": ""},
        {"avsnitt": "egen-text", "del": ""},
        {"avsnitt": "", "del": "medlemmar"},
        {"avsnitt": "", "del": "styrelsen"},
        {"avsnitt": "verksamhet", "del": ""},
        {"avsnitt": "malgrupper_text", "del": "malgrupper"},
        {"avsnitt": "", "del": "mal"},
        {"avsnitt": "", "del": "arshjul"},
        {"avsnitt": "", "del": "risker"},
        {"avsnitt": "budget_text", "del": "budget"},
    ]


def test_chapters_follow_the_outline_and_an_empty_one_is_marked():
    sections = [
        Avsnitt(key="budget", title="Budget", kind="budget"),
        Avsnitt(key="inledning", title="Inledning", body="Text."),
        Avsnitt(key="tom", title="Tom"),
        Avsnitt(key="mal", title="Mål", kind="mal"),
    ]

    result = [(c.title, c.block, c.empty) for c in chapters(sections, {"mal": False})]

    assert result == [
        ("Budget", "budget", False),
        ("Inledning", "", False),
        ("Tom", "", True),
        ("Mål", "", True),
    ]


def test_a_plan_without_sections_prints_no_placeholders(forbund):
    plan = Verksamhetsplan.start_from_previous(forbund=forbund, year=2026, user=UserFactory())

    pages = [plain(p) for p in pages_of(render_pdf(plan_html(load_plan(forbund, plan.pk))))]

    text = "\n".join(pages)
    assert "Verksamhetsplan och budget 2026" in flat(pages[0])
    assert "Utkast" in pages[0]
    for placeholder in ("ännu", "ingen text", "saknas", "tomt", "Mål och uppföljning"):
        assert placeholder not in text


def add_outline(plan):
    """The chapters the system fills, in the standard order, after the plan's sections."""
    start = (plan.avsnitt.order_by("-order").values_list("order", flat=True).first() or 0) + 10
    Avsnitt.objects.bulk_create(
        Avsnitt(plan=plan, key=kind, title=kind.capitalize(), kind=kind, order=start + i)
        for i, kind in enumerate(SYSTEM_KINDS)
    )


def _plan_with_insatser(forbund, count):
    """A plan with every part filled in, and `count` insatser granted for 2026."""
    members = [MedlemFactory(forbund=forbund, name=f"Kommun {i}", order=i) for i in range(6)]
    for medlem in members:
        MedlemsavgiftFactory(medlem=medlem, year=2026)
        LedamotFactory(medlem=medlem, name=f"Ordinarie {medlem.name}")
        LedamotFactory(medlem=medlem, name=f"Ersättare {medlem.name}", kind="ersattare")
    for month in (3, 5, 9, 11):
        meeting = SammantradeFactory(forbund=forbund, date=datetime.date(2026, month, 15))
        ArendeFactory(sammantrade=meeting, number=1, title="Val av justerare")
        ArendeFactory(sammantrade=meeting, number=2, title=f"Beslut i månad {month}")
    plan = Verksamhetsplan.objects.create(forbund=forbund, year=2026)
    for number in (1, 2, 3):
        mal = Mal.objects.create(plan=plan, number=number, title=f"Mål nummer {number}")
        Resultatmal.objects.create(mal=mal, number=f"{number}.1", text="Ett resultatmål")
    Risk.objects.create(plan=plan, risk="En risk", likelihood=2, consequence=3)
    Avsnitt.objects.create(plan=plan, key="inledning", title="Inledning", body="Text.")
    add_outline(plan)
    budget = BudgetFactory(forbund=forbund, year=2026, status=Budget.Status.UTKAST)
    BudgetradFactory(
        budget=budget,
        group=Budgetrad.Group.MEDLEMSAVGIFTER,
        name="Medlemsavgifter",
        source=Budgetrad.Source.MEDLEMSAVGIFTER,
        amount=None,
    )
    BudgetradFactory(
        budget=budget,
        group=Budgetrad.Group.INSATSER,
        name="Samverkansinsatser",
        source=Budgetrad.Source.INSATSER,
        amount=None,
    )
    insatser = Insats.objects.bulk_create(
        Insats(
            forbund=forbund,
            name=f"Insats {i:03}",
            agare=members[i % len(members)],
            kind=Insats.Kind.INDIVID,
            status=Insats.Status.PAGAENDE,
        )
        for i in range(count)
    )
    Anslag.objects.bulk_create(
        Anslag(insats=insats, year=2026, amount=Decimal("100000")) for insats in insatser
    )
    return load_plan(forbund, plan.pk)


@pytest.mark.parametrize("count", [10, 200])
def test_the_plan_takes_the_same_queries_however_many_insatser(
    forbund, count, django_assert_max_num_queries
):
    plan = _plan_with_insatser(forbund, count)

    with django_assert_max_num_queries(15):
        html = plan_html(plan)

    assert f"Insats {count - 1:03}" in html
    assert "Ordinarie Kommun 5" in html
    assert "Beslut i månad 11" in html
    assert "Val av justerare" not in html
