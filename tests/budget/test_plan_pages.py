"""The plan's pages: read it, write its sections, goals and risks, adopt and publish it."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budget.forbundsfil import load_forbund_file
from budget.models import Avsnitt, Budget, Mal, Resultatmal, Risk, Verksamhetsplan
from finsam.models import Beslut, Handelse, Medlem, Roll
from tests.factories import (
    AnslagFactory,
    ArendeFactory,
    BeslutFactory,
    BudgetFactory,
    InsatsFactory,
    LedamotFactory,
    MalgruppFactory,
    MedlemsavgiftFactory,
    RollFactory,
    SammantradeFactory,
)
from tests.helpers import form_data

Status = Verksamhetsplan.Status
READERS = ["kansli", "styrelse", "revisor"]


@pytest.fixture(autouse=True)
def year_2026(monkeypatch):
    monkeypatch.setattr("budget.plan.views.current_year", lambda: 2026)


@pytest.fixture
def plan(forbund, heby, region):
    plan = Verksamhetsplan.objects.create(forbund=forbund, year=2026)
    Avsnitt.objects.create(
        plan=plan,
        key="inledning",
        title="Bakgrund och uppdrag",
        body="## Styrelsens uppdrag\nStyrelsen ska:\n- besluta om mål\n- stödja samverkan",
        order=10,
    )
    Avsnitt.objects.create(
        plan=plan, key="inriktning", title="Inriktning", body="Individ först.", order=20
    )
    Avsnitt.objects.create(
        plan=plan, key="internkontroll", title="Riskanalys", order=30, kind="risker"
    )
    # The rest of the outline: the chapters the system fills, each on its own.
    for order, kind in [(12, "medlemmar"), (14, "styrelsen"), (22, "malgrupper"), (24, "mal")]:
        Avsnitt.objects.create(plan=plan, key=kind, title=kind.capitalize(), order=order, kind=kind)
    Avsnitt.objects.create(
        plan=plan, key="arshjul", title="Årets process", order=26, kind="arshjul"
    )
    Avsnitt.objects.create(plan=plan, key="budget", title="Budget", order=40, kind="budget")
    mal = Mal.objects.create(plan=plan, number=1, title="Deltagarna närmar sig arbete.")
    Resultatmal.objects.create(mal=mal, number="1.1", text="Minst 35 % i arbete eller studier.")
    Risk.objects.create(
        plan=plan, risk="Rapporter kommer sent", likelihood=3, consequence=2, order=1
    )
    Risk.objects.create(plan=plan, risk="Budgeten överskrids", likelihood=4, consequence=4, order=2)
    MalgruppFactory(forbund=forbund, name="Unga 16–29 år", prioritized=True)
    LedamotFactory(medlem=heby, name="Ingrid Falk")
    meeting = SammantradeFactory(forbund=forbund, date=datetime.date(2026, 10, 22))
    ArendeFactory(sammantrade=meeting, number=1, title="Delårsrapport 2026")
    MedlemsavgiftFactory(medlem=heby, year=2026, amount=Decimal("211189"))
    return plan


def publish(plan):
    Verksamhetsplan.objects.filter(pk=plan.pk).update(status=Status.PUBLICERAD)


def adopt(plan):
    Verksamhetsplan.objects.filter(pk=plan.pk).update(status=Status.FASTSTALLD)


def avsnitt(plan, key):
    return plan.avsnitt.get(key=key)


# Who may open which page


def page_urls(plan):
    a, r = avsnitt(plan, "inriktning").pk, plan.risker.first().pk
    return {
        "read": ["/uppsala/plan/2026/", "/uppsala/plan/2026/risker/"],
        "edit": [
            f"/uppsala/plan/2026/avsnitt/{a}/andra/",
            "/uppsala/plan/2026/avsnitt/ny/",
            f"/uppsala/plan/2026/avsnitt/{a}/ta-bort/",
            "/uppsala/plan/2026/mal/",
            "/uppsala/plan/2026/risker/ny/",
            f"/uppsala/plan/2026/risker/{r}/andra/",
            f"/uppsala/plan/2026/risker/{r}/ta-bort/",
            "/uppsala/plan/2026/faststall/",
        ],
    }


@pytest.mark.parametrize("role", READERS)
def test_readers_open_the_plan_pages(client, roles, plan, role):
    client.force_login(roles[role])
    for url in ["/uppsala/plan/", *page_urls(plan)["read"]]:
        assert client.get(url).status_code == 200, url


def test_kansli_opens_the_edit_pages(client, kansli, plan):
    client.force_login(kansli)
    for url in page_urls(plan)["edit"]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["styrelse", "revisor", "insatsagare"])
def test_other_roles_may_not_edit(client, roles, plan, role):
    client.force_login(roles[role])
    for url in page_urls(plan)["edit"]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    assert client.post("/uppsala/plan/2026/publicera/").status_code == 403
    assert client.post("/uppsala/plan/", {"year": "2027"}).status_code == 403
    assert Verksamhetsplan.objects.count() == 1
    assert Avsnitt.objects.count() == 9


def test_an_insatsagare_may_not_read_a_draft(client, agare, plan):
    client.force_login(agare)
    for url in page_urls(plan)["read"]:
        assert client.get(url).status_code == 403, url


def test_an_insatsagare_may_not_read_an_adopted_plan_before_it_is_published(client, agare, plan):
    adopt(plan)
    client.force_login(agare)
    assert client.get("/uppsala/plan/2026/").status_code == 403


def test_an_insatsagare_reads_a_published_plan(client, agare, plan):
    publish(plan)
    client.force_login(agare)
    for url in page_urls(plan)["read"]:
        assert client.get(url).status_code == 200, url
    response = client.get("/uppsala/plan/2026/")
    assert "Individ först." in response.content.decode()
    assert "Ändra" not in response.content.decode()
    for url in page_urls(plan)["edit"]:
        assert client.get(url).status_code == 403, url


def test_the_index_shows_an_insatsagare_only_published_plans(client, agare, forbund, plan):
    Verksamhetsplan.objects.create(forbund=forbund, year=2025, status=Status.PUBLICERAD)
    client.force_login(agare)

    response = client.get("/uppsala/plan/")

    assert response.status_code == 200
    assert [p.year for p in response.context["plans"]] == [2025]
    assert "Ny verksamhetsplan" not in response.content.decode()


def test_another_forbunds_user_gets_404(client, outsider, plan):
    client.force_login(outsider)
    urls = ["/uppsala/plan/", *page_urls(plan)["read"], *page_urls(plan)["edit"]]
    for url in [*urls, "/uppsala/plan/2026/publicera/"]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


def test_a_year_without_a_plan_is_404(client, kansli, plan):
    client.force_login(kansli)
    assert client.get("/uppsala/plan/2031/").status_code == 404
    assert client.get("/uppsala/plan/2031/risker/").status_code == 404


def test_another_plans_section_and_risk_are_404(client, kansli, forbund, other_forbund, plan):
    other_year = Verksamhetsplan.objects.create(forbund=forbund, year=2025)
    own_other = Avsnitt.objects.create(plan=other_year, key="x", title="X")
    foreign_plan = Verksamhetsplan.objects.create(forbund=other_forbund, year=2026)
    foreign = Avsnitt.objects.create(plan=foreign_plan, key="x", title="Gävle")
    foreign_risk = Risk.objects.create(plan=foreign_plan, risk="R", likelihood=1, consequence=1)
    client.force_login(kansli)

    for pk in (own_other.pk, foreign.pk):
        assert client.get(f"/uppsala/plan/2026/avsnitt/{pk}/andra/").status_code == 404
    assert client.get(f"/uppsala/plan/2026/risker/{foreign_risk.pk}/andra/").status_code == 404
    response = client.post(f"/uppsala/plan/2026/risker/{foreign_risk.pk}/ta-bort/")
    assert response.status_code == 404
    assert Risk.objects.filter(pk=foreign_risk.pk).exists()


# The plan as the reader meets it


def test_the_plan_shows_the_sections_and_what_the_system_knows(client, styrelse, forbund, plan):
    BudgetFactory(forbund=forbund, year=2026)
    client.force_login(styrelse)

    response = client.get("/uppsala/plan/2026/")

    html = response.content.decode()
    assert "Verksamhetsplan och budget 2026" in html
    assert ">Styrelsens uppdrag</h3>" in html
    assert "<li>besluta om mål</li>" in html
    assert "Individ först." in html
    assert "Hämtas från systemet" in html
    assert "Heby kommun" in html  # the members
    assert "211" in html  # Heby's contribution in tkr
    assert "Ingrid Falk" in html  # the board
    assert "Unga 16–29 år" in html  # the target groups
    assert "Deltagarna närmar sig arbete." in html  # the goals
    assert "Minst 35 % i arbete eller studier." in html
    assert "Delårsrapport 2026" in html  # the annual cycle
    assert "Rapporter kommer sent" in html  # the risk register
    assert 'class="riskmatris"' in html
    assert "/uppsala/budget/2026/" in html
    assert 'id="plan-pdf"' in html
    assert "Ändra" not in html


def test_the_chapters_follow_the_sections_order(client, styrelse, plan):
    client.force_login(styrelse)

    chapters = client.get("/uppsala/plan/2026/").context["chapters"]

    titles = [c.title for c in chapters]
    assert titles.index("Bakgrund och uppdrag") < titles.index("Inriktning")
    assert titles.index("Inriktning") < titles.index("Riskanalys")
    risker = next(c for c in chapters if c.avsnitt.kind == "risker")
    assert risker.avsnitt == avsnitt(plan, "internkontroll")


def test_kansli_gets_edit_links_on_a_draft(client, kansli, plan):
    client.force_login(kansli)

    html = client.get("/uppsala/plan/2026/").content.decode()

    assert f"/uppsala/plan/2026/avsnitt/{avsnitt(plan, 'inriktning').pk}/andra/" in html
    assert "/uppsala/plan/2026/mal/" in html
    assert "/uppsala/plan/2026/faststall/" in html
    assert "Publicera" not in html


def test_a_frozen_plan_has_no_edit_links(client, kansli, plan):
    adopt(plan)
    client.force_login(kansli)

    html = client.get("/uppsala/plan/2026/").content.decode()

    assert "/andra/" not in html
    assert "/uppsala/plan/2026/faststall/" not in html
    assert "kan inte längre ändras" in html
    assert "Publicera" in html


def test_an_insatsagare_sees_no_draft_budget_in_a_published_plan(client, agare, forbund, plan):
    publish(plan)
    BudgetFactory(forbund=forbund, year=2026, status=Budget.Status.FASTSTALLD)
    client.force_login(agare)

    response = client.get("/uppsala/plan/2026/")

    assert response.context["table"] is None
    assert "/uppsala/budget/2026/" not in response.content.decode()


def test_the_plan_page_needs_the_same_queries_for_many_insatser(client, styrelse, forbund, plan):
    BudgetFactory(forbund=forbund, year=2026)
    owner = Medlem.objects.of(forbund).first()

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/uppsala/plan/2026/").status_code == 200
        return len(queries)

    client.force_login(styrelse)
    for _ in range(3):
        AnslagFactory(insats=InsatsFactory(forbund=forbund, agare=owner), year=2026)
    few = count()
    for _ in range(30):
        AnslagFactory(insats=InsatsFactory(forbund=forbund, agare=owner), year=2026)
    assert count() == few


# The index: a new plan from last year's


def test_kansli_is_offered_next_years_plan(client, kansli, plan):
    client.force_login(kansli)

    html = client.get("/uppsala/plan/").content.decode()

    assert "Ny verksamhetsplan för 2027" in html
    assert "Ny verksamhetsplan för 2026" not in html


def test_kansli_starts_next_years_plan_from_this_years(client, kansli, plan):
    client.force_login(kansli)

    response = client.post("/uppsala/plan/", {"year": "2027"})

    new = Verksamhetsplan.objects.get(year=2027)
    assert response.status_code == 302
    assert response["Location"] == "/uppsala/plan/2027/"
    assert new.status == Status.UTKAST
    assert new.avsnitt.get(key="inriktning").body == "Individ först."
    assert new.mal.get().resultatmal.count() == 1
    assert new.risker.count() == 2
    assert Handelse.objects.filter(subject_id=new.pk, action="skapad", user=kansli).exists()


def test_a_first_plan_gets_the_standard_sections(client, kansli):
    client.force_login(kansli)

    html = client.get("/uppsala/plan/").content.decode()
    assert "Ny verksamhetsplan för 2026" in html
    client.post("/uppsala/plan/", {"year": "2026"})

    plan = Verksamhetsplan.objects.get(year=2026)
    assert plan.avsnitt.filter(key="budget_text", title="Budget").exists()


def test_it_refuses_a_year_that_has_a_plan_or_is_not_offered(client, kansli, plan):
    client.force_login(kansli)

    for year in ("2026", "2030", "x"):
        response = client.post("/uppsala/plan/", {"year": year}, follow=True)
        assert "Välj ett år som ännu inte har någon verksamhetsplan." in response.content.decode()
    assert Verksamhetsplan.objects.count() == 1


# Sections


def test_kansli_edits_a_section(client, kansli, plan):
    section = avsnitt(plan, "inriktning")
    client.force_login(kansli)
    data = form_data(client.get(f"/uppsala/plan/2026/avsnitt/{section.pk}/andra/"), "form")
    data["body"] = "Individ först.\n\nSedan struktur."

    response = client.post(f"/uppsala/plan/2026/avsnitt/{section.pk}/andra/", data)

    assert response.status_code == 302
    assert response["Location"] == "/uppsala/plan/2026/#avsnitt-inriktning"
    section.refresh_from_db()
    assert section.body == "Individ först.\n\nSedan struktur."
    handelse = Handelse.objects.get(subject_id=section.pk, action="ändrad")
    assert handelse.user == kansli
    assert handelse.changes["body"] == ["Individ först.", "Individ först.\n\nSedan struktur."]


def test_a_section_needs_a_title(client, kansli, plan):
    section = avsnitt(plan, "inriktning")
    client.force_login(kansli)

    response = client.post(
        f"/uppsala/plan/2026/avsnitt/{section.pk}/andra/",
        {"title": "", "body": "Ändrad text", "order": "x"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Inget är sparat" in html
    assert "Detta fält måste fyllas i." in html
    assert "Ange ordningen som ett heltal." in html
    section.refresh_from_db()
    assert section.body == "Individ först."
    assert not Handelse.objects.exists()


def test_kansli_adds_a_section_with_a_key_from_its_title(client, kansli, plan):
    Avsnitt.objects.create(plan=plan, key="lokusgrupper", title="Äldre", order=5)
    client.force_login(kansli)

    response = client.post(
        "/uppsala/plan/2026/avsnitt/ny/",
        {"title": "Lokusgrupper", "body": "Åtta grupper.", "order": "25"},
    )

    new = plan.avsnitt.get(title="Lokusgrupper")
    assert response["Location"] == "/uppsala/plan/2026/#avsnitt-lokusgrupper-2"
    assert (new.key, new.body, new.order) == ("lokusgrupper-2", "Åtta grupper.", 25)
    assert Handelse.objects.filter(subject_id=new.pk, action="skapad").exists()


def test_the_new_section_page_suggests_the_last_place(client, kansli, plan):
    client.force_login(kansli)

    response = client.get("/uppsala/plan/2026/avsnitt/ny/")

    assert response.context["form"]["order"].value() == 50


def test_kansli_reorders_sections(client, kansli, plan):
    section = avsnitt(plan, "inriktning")
    client.force_login(kansli)
    data = form_data(client.get(f"/uppsala/plan/2026/avsnitt/{section.pk}/andra/"), "form")
    data["order"] = "5"

    client.post(f"/uppsala/plan/2026/avsnitt/{section.pk}/andra/", data)

    assert [a.key for a in plan.avsnitt.all()][0] == "inriktning"


def test_kansli_deletes_a_section(client, kansli, plan):
    section = avsnitt(plan, "inriktning")
    client.force_login(kansli)

    response = client.post(f"/uppsala/plan/2026/avsnitt/{section.pk}/ta-bort/")

    assert response.status_code == 302
    assert not plan.avsnitt.filter(key="inriktning").exists()
    handelse = Handelse.objects.get(action="avsnitt borttaget")
    assert handelse.changes == {"avsnitt": "Inriktning", "text": "Individ först."}


@pytest.mark.parametrize("frozen", [Status.FASTSTALLD, Status.PUBLICERAD])
def test_a_frozen_plans_sections_cannot_change(client, kansli, plan, frozen):
    Verksamhetsplan.objects.filter(pk=plan.pk).update(status=frozen)
    section = avsnitt(plan, "inriktning")
    client.force_login(kansli)
    url = f"/uppsala/plan/2026/avsnitt/{section.pk}/andra/"

    page = client.get(url)
    refused = client.post(url, {"title": "Ny", "body": "Ny text", "order": "1"})
    created = client.post("/uppsala/plan/2026/avsnitt/ny/", {"title": "Ny", "order": "1"})
    deleted = client.post(f"/uppsala/plan/2026/avsnitt/{section.pk}/ta-bort/")

    assert page.status_code == 200
    assert "är fastställd" in page.content.decode()
    assert "<form" not in page.content.decode().split("<main")[1]
    assert (refused.status_code, created.status_code, deleted.status_code) == (403, 403, 403)
    section.refresh_from_db()
    assert (section.title, section.body) == ("Inriktning", "Individ först.")
    assert plan.avsnitt.count() == 9
    assert not Handelse.objects.exists()


# Goals and result targets


def test_kansli_edits_goals_and_adds_a_target(client, kansli, plan):
    client.force_login(kansli)
    data = editor_data(client)
    data["mal-0-title"] = "Fler deltagare närmar sig arbete."
    data["mal-0-rm-1-number"] = "1.2"
    data["mal-0-rm-1-text"] = "Minst 90 % har en plan."
    data["mal-0-rm-1-indicator"] = "andel_plan"
    data["mal-0-rm-1-target"] = "90"
    data["mal-0-rm-1-unit"] = "procent"

    response = client.post("/uppsala/plan/2026/mal/", data)

    assert response.status_code == 302
    mal = plan.mal.get()
    assert mal.title == "Fler deltagare närmar sig arbete."
    assert [(r.number, r.target) for r in mal.resultatmal.order_by("pk")] == [
        ("1.1", None),
        ("1.2", Decimal("90")),
    ]
    handelse = Handelse.objects.get(action="mål ändrade")
    assert handelse.changes == {"ändrade mål": [1], "ändrade resultatmål under mål": [1]}


def test_kansli_adds_a_goal_with_its_targets(client, kansli, plan):
    client.force_login(kansli)
    data = editor_data(client)
    data.update(
        {
            "mal-1-number": "2",
            "mal-1-title": "Förbundet är en arena för kunskap.",
            "mal-1-focus": "kunskapsförmedlare",
            "mal-1-rm-0-number": "2.1",
            "mal-1-rm-0-text": "Minst 8 aktiviteter.",
            "mal-1-rm-0-indicator": "antal_aktiviteter",
            "mal-1-rm-0-target": "8",
            "mal-1-rm-0-unit": "antal",
        }
    )

    assert client.post("/uppsala/plan/2026/mal/", data).status_code == 302

    new = plan.mal.get(number=2)
    assert new.focus == "kunskapsförmedlare"
    assert new.resultatmal.get().indicator == "antal_aktiviteter"


def test_kansli_swaps_two_goals_numbers(client, kansli, plan):
    Mal.objects.create(plan=plan, number=2, title="Andra målet")
    client.force_login(kansli)
    data = editor_data(client)
    data["mal-0-number"], data["mal-1-number"] = "2", "1"

    assert client.post("/uppsala/plan/2026/mal/", data).status_code == 302

    assert [m.title for m in plan.mal.order_by("number")] == [
        "Andra målet",
        "Deltagarna närmar sig arbete.",
    ]


def test_kansli_deletes_a_goal_and_its_targets(client, kansli, plan):
    client.force_login(kansli)
    data = editor_data(client)
    data["mal-0-DELETE"] = "on"
    data["mal-0-rm-0-text"] = ""  # a deleted goal's targets are not checked

    assert client.post("/uppsala/plan/2026/mal/", data).status_code == 302

    assert not plan.mal.exists()
    assert not Resultatmal.objects.exists()


def test_bad_goals_are_refused_and_nothing_is_saved(client, kansli, plan):
    Mal.objects.create(plan=plan, number=2, title="Andra målet")
    client.force_login(kansli)
    data = editor_data(client)
    data["mal-0-title"] = "Ändrad titel"
    data["mal-1-number"] = "1"
    data["mal-0-rm-1-number"] = "1.2"
    data["mal-0-rm-1-text"] = "Mätt utan målvärde."
    data["mal-0-rm-1-indicator"] = "andel_arbete_studier"
    data["mal-2-rm-0-text"] = "Resultatmål utan mål."

    response = client.post("/uppsala/plan/2026/mal/", data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Inget är sparat" in html
    assert "Mål 1 finns redan i planen." in html
    assert "Ange målvärdet som systemet ska mäta mot." in html
    assert "Skriv målet som resultatmålen hör till." in html
    assert plan.mal.get(number=1).title == "Deltagarna närmar sig arbete."
    assert Resultatmal.objects.count() == 1
    assert not Handelse.objects.exists()


def test_a_target_value_needs_a_unit_and_a_sensible_percentage(client, kansli, plan):
    client.force_login(kansli)
    data = editor_data(client)
    data["mal-0-rm-0-target"] = "135"
    data["mal-0-rm-0-unit"] = "procent"
    data["mal-0-rm-1-number"] = "1.2"
    data["mal-0-rm-1-text"] = "Ett värde utan enhet."
    data["mal-0-rm-1-target"] = "12,5"

    html = client.post("/uppsala/plan/2026/mal/", data).content.decode()

    assert "En andel i procent ligger mellan 0 och 100." in html
    assert "Ange om målvärdet är i procent eller antal." in html
    assert Resultatmal.objects.get().target is None


def test_a_frozen_plans_goals_cannot_change(client, kansli, plan):
    adopt(plan)
    client.force_login(kansli)

    page = client.get("/uppsala/plan/2026/mal/")
    refused = client.post("/uppsala/plan/2026/mal/", {"mal-TOTAL_FORMS": "0"})

    assert "är fastställd" in page.content.decode()
    assert "editor" not in page.context
    assert refused.status_code == 403
    assert plan.mal.count() == 1


def editor_data(client):
    response = client.get("/uppsala/plan/2026/mal/")
    editor = response.context["editor"]
    data = {}
    for form, targets in editor.pairs:
        for formset_or_form in (form, targets.management_form, *targets.forms):
            for field in formset_or_form:
                value = field.value()
                if value is not None and value is not False:
                    data[field.html_name] = value
    for field in editor.goals.management_form:
        data[field.html_name] = field.value()
    return data


# The risk register


def test_the_register_shows_values_and_the_matrix(client, revisor, plan):
    client.force_login(revisor)

    response = client.get("/uppsala/plan/2026/risker/")

    html = response.content.decode()
    assert "Rapporter kommer sent" in html
    assert '<span class="d-inline-block px-2 risk-medel">6</span>' in html
    assert '<span class="d-inline-block px-2 risk-hog">16</span>' in html
    matrix = response.context["matrix"]
    cells = {
        (c["likelihood"], row["consequence"]): c["numbers"] for row in matrix for c in row["cells"]
    }
    assert cells[(3, 2)] == [1]
    assert cells[(4, 4)] == [2]
    assert "Ny risk" not in html


def test_kansli_adds_a_risk(client, kansli, plan):
    client.force_login(kansli)
    assert client.get("/uppsala/plan/2026/risker/ny/").context["form"]["order"].value() == 3

    response = client.post(
        "/uppsala/plan/2026/risker/ny/",
        {
            "risk": "Personuppgifter i rapporter",
            "likelihood": "2",
            "consequence": "4",
            "control": "Granskning",
            "responsible": "Kansliet",
            "follow_up_1": "Inga fynd.",
            "follow_up_2": "",
            "order": "3",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/uppsala/plan/2026/risker/"
    risk = plan.risker.get(risk="Personuppgifter i rapporter")
    assert (risk.value, risk.follow_up_1) == (8, "Inga fynd.")
    assert Handelse.objects.filter(subject_id=risk.pk, action="skapad").exists()


def test_kansli_edits_a_risks_follow_up(client, kansli, plan):
    risk = plan.risker.first()
    client.force_login(kansli)
    data = form_data(client.get(f"/uppsala/plan/2026/risker/{risk.pk}/andra/"), "form")
    data["follow_up_1"] = "Två sena rapporter."
    data["likelihood"] = "2"

    client.post(f"/uppsala/plan/2026/risker/{risk.pk}/andra/", data)

    risk.refresh_from_db()
    assert (risk.follow_up_1, risk.likelihood) == ("Två sena rapporter.", 2)
    handelse = Handelse.objects.get(subject_id=risk.pk, action="ändrad")
    assert handelse.changes["likelihood"] == [3, 2]


def test_a_bad_risk_is_refused(client, kansli, plan):
    client.force_login(kansli)

    response = client.post(
        "/uppsala/plan/2026/risker/ny/",
        {"risk": "", "likelihood": "5", "consequence": "", "order": "1"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Beskriv risken." in html
    assert "Välj ett giltigt alternativ. 5 finns inte bland tillgängliga alternativ." in html
    assert "Välj hur allvarlig konsekvensen blir." in html
    assert plan.risker.count() == 2


def test_kansli_deletes_a_risk(client, kansli, plan):
    risk = plan.risker.first()
    client.force_login(kansli)

    client.post(f"/uppsala/plan/2026/risker/{risk.pk}/ta-bort/")

    assert not Risk.objects.filter(pk=risk.pk).exists()
    assert Handelse.objects.get(action="risk borttagen").changes["risk"] == "Rapporter kommer sent"


def test_a_frozen_plans_risks_cannot_change(client, kansli, plan):
    publish(plan)
    risk = plan.risker.first()
    client.force_login(kansli)

    register = client.get("/uppsala/plan/2026/risker/").content.decode()
    edit = client.get(f"/uppsala/plan/2026/risker/{risk.pk}/andra/")
    refused = [
        client.post(f"/uppsala/plan/2026/risker/{risk.pk}/andra/", {"follow_up_1": "Ny"}),
        client.post("/uppsala/plan/2026/risker/ny/", {"risk": "Ny"}),
        client.post(f"/uppsala/plan/2026/risker/{risk.pk}/ta-bort/"),
    ]

    assert "Ny risk" not in register
    assert f"/risker/{risk.pk}/andra/" not in register
    assert "är fastställd" in edit.content.decode()
    assert [r.status_code for r in refused] == [403, 403, 403]
    assert plan.risker.count() == 2
    risk.refresh_from_db()
    assert risk.follow_up_1 == ""


# Adopt and publish


@pytest.fixture
def beslut(forbund):
    meeting = SammantradeFactory(forbund=forbund, date=datetime.date(2025, 11, 20))
    arende = ArendeFactory(sammantrade=meeting, number=2, title="Verksamhetsplan och budget 2026")
    return BeslutFactory(
        forbund=forbund,
        arende=arende,
        date=meeting.date,
        text="Styrelsen fastställer verksamhetsplan och budget för 2026.",
    )


def test_the_adopt_page_suggests_the_decision_on_the_plan(client, kansli, plan, beslut):
    BeslutFactory(forbund=plan.forbund, text="Något annat.")
    client.force_login(kansli)

    response = client.get("/uppsala/plan/2026/faststall/")

    assert response.context["form"]["beslut"].value() == beslut.pk
    assert "2025-11-20 § 2 Verksamhetsplan och budget 2026:" in response.content.decode()


def test_kansli_adopts_the_plan_with_the_boards_decision(client, kansli, plan, beslut):
    client.force_login(kansli)

    response = client.post("/uppsala/plan/2026/faststall/", {"beslut": beslut.pk})

    assert response["Location"] == "/uppsala/plan/2026/"
    plan.refresh_from_db()
    assert (plan.status, plan.beslut) == (Status.FASTSTALLD, beslut)
    handelse = Handelse.objects.get(subject_id=plan.pk, action="fastställd")
    assert handelse.user == kansli
    assert handelse.changes["beslutsdatum"] == "2025-11-20"


def test_kansli_adopts_the_plan_with_a_decision_written_in(client, kansli, plan):
    client.force_login(kansli)

    client.post(
        "/uppsala/plan/2026/faststall/",
        {"date": "2025-11-20", "text": "Styrelsen fastställer planen.", "diarienummer": "2025/60"},
    )

    plan.refresh_from_db()
    assert plan.status == Status.FASTSTALLD
    assert (plan.beslut.date, plan.beslut.text, plan.beslut.diarienummer) == (
        datetime.date(2025, 11, 20),
        "Styrelsen fastställer planen.",
        "2025/60",
    )
    assert plan.beslut.forbund == plan.forbund


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Välj styrelsens beslut, eller skriv in beslutet med datum och text."),
        ({"text": "Styrelsen fastställer planen."}, "Ange beslutsdatum."),
        ({"date": "2025-11-20"}, "Skriv beslutets text."),
        ({"date": "20/11", "text": "Beslut"}, "Ange datumet som ÅÅÅÅ-MM-DD."),
    ],
)
def test_adopting_needs_a_decision(client, kansli, plan, data, message):
    client.force_login(kansli)

    response = client.post("/uppsala/plan/2026/faststall/", data)

    assert response.status_code == 200
    assert message in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Status.UTKAST
    assert not Beslut.objects.exists()


def test_it_refuses_a_chosen_and_a_written_decision_together(client, kansli, plan, beslut):
    client.force_login(kansli)

    response = client.post(
        "/uppsala/plan/2026/faststall/", {"beslut": beslut.pk, "text": "Ett till beslut"}
    )

    assert "Välj ett beslut eller skriv in ett nytt, inte båda." in response.content.decode()
    assert Beslut.objects.count() == 1


def test_another_forbunds_decision_cannot_be_chosen(client, kansli, plan, other_forbund):
    foreign = BeslutFactory(forbund=other_forbund)
    client.force_login(kansli)

    response = client.post("/uppsala/plan/2026/faststall/", {"beslut": foreign.pk})

    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Status.UTKAST


def test_an_adopted_plan_is_not_adopted_again(client, kansli, plan, beslut):
    adopt(plan)
    client.force_login(kansli)

    page = client.get("/uppsala/plan/2026/faststall/")
    refused = client.post("/uppsala/plan/2026/faststall/", {"beslut": beslut.pk})

    assert "är fastställd" in page.content.decode()
    assert refused.status_code == 403
    assert not Handelse.objects.exists()


def test_kansli_publishes_an_adopted_plan(client, kansli, plan, beslut):
    client.force_login(kansli)
    client.post("/uppsala/plan/2026/faststall/", {"beslut": beslut.pk})

    response = client.post("/uppsala/plan/2026/publicera/", follow=True)

    plan.refresh_from_db()
    assert plan.status == Status.PUBLICERAD
    assert "är publicerad" in response.content.decode()
    assert Handelse.objects.get(subject_id=plan.pk, action="publicerad").user == kansli


def test_a_draft_is_not_published(client, kansli, plan):
    client.force_login(kansli)

    response = client.post("/uppsala/plan/2026/publicera/", follow=True)

    assert "Bara en fastställd verksamhetsplan kan publiceras." in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Status.UTKAST


def test_publish_by_get_only_goes_back_to_the_plan(client, kansli, plan):
    adopt(plan)
    client.force_login(kansli)

    response = client.get("/uppsala/plan/2026/publicera/")

    assert response["Location"] == "/uppsala/plan/2026/"
    plan.refresh_from_db()
    assert plan.status == Status.FASTSTALLD


# The demo förbund


def test_the_demo_plan_reads_as_the_seed(client, db):
    forbund = load_forbund_file("budget/demo/uppsala.yaml")
    heby = Medlem.objects.of(forbund).get(short_name="Heby")
    agare = RollFactory(forbund=forbund, kind=Roll.Kind.INSATSAGARE, medlem=heby).user
    client.force_login(agare)

    response = client.get("/uppsala/plan/2026/")

    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Bakgrund och uppdrag",
        '<h3 id="avsnitt-inledning-styrelsens-uppdrag">Styrelsens uppdrag</h3>',
        "<li>upprätta budget och årsredovisning för den finansiella samordningen</li>",
        "Förbundet har sedan flera år en prioritering",
        "Riskanalys och internkontrollplan",
        "Personuppgifter om deltagare kommer med i rapporter till förbundet",
        "Elisabet Runesson",
        "Plattform för individstöd",
        "Tabellen på nästa sida avser budget för 2026.",
    ]:
        assert text in html, text
