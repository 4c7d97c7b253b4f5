"""The insatsägare's report form, and kansli's approval or return, through the client."""

import datetime
import re

import pytest

from finsam.models import Handelse
from insatser.models import Insats
from tests.factories import AnsokanFactory, InsatsFactory
from tests.helpers import form_data
from uppfoljning.models import Deltagarantal, Rapport, RapportMal

TODAY = datetime.date(2026, 5, 10)
Q1 = datetime.date(2026, 1, 1)
Q2 = datetime.date(2026, 4, 1)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("uppfoljning.rapporter.views.current_date", lambda: TODAY)


@pytest.fixture
def insats(forbund, heby):
    return InsatsFactory(
        forbund=forbund,
        agare=heby,
        name="Östra vägen",
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
    )


@pytest.fixture
def rapport(insats):
    return Rapport.objects.get(insats=insats, kind="kvartal", period_start=Q1)


@pytest.fixture
def other_rapport(forbund, tierp):
    insats = InsatsFactory(forbund=forbund, agare=tierp, start=Q1, end=datetime.date(2026, 12, 31))
    return Rapport.objects.get(insats=insats, kind="kvartal", period_start=Q1)


def url(rapport, action="andra/"):
    return f"/uppsala/rapporter/{rapport.pk}/{action}"


COMPLETE = {
    "nya_women": "4",
    "nya_men": "3",
    "nya_young_women": "1",
    "nya_young_men": "2",
    "aktiva_women": "10",
    "aktiva_men": "8",
    "avslutade_women": "3",
    "avslutade_men": "2",
    "avslutade_young_women": "1",
    "till_arbete_women": "1",
    "till_studier_women": "1",
    "ovrigt_women": "1",
    "till_rehabplan_men": "2",
    "jamstalldhet": "Vi följer kvinnors och mäns deltagande varje månad.",
    "deviations": "Inga.",
    "money_used": "125 000,50",
}


def shown(client, rapport, *names):
    """The form as the page shows it, as POST data."""
    response = client.get(url(rapport))
    assert response.status_code == 200
    return form_data(response, *(names or ("form",)))


def post(client, rapport, changes, submit=False, names=("form",)):
    data = shown(client, rapport, *names)
    data.update(changes)
    if submit:
        data["skicka_in"] = "1"
    return client.post(url(rapport), data)


def actions(rapport):
    return list(
        Handelse.objects.filter(subject_id=rapport.pk, subject_type__model="rapport")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def errors(response):
    return [str(e) for errors in response.context["form"].errors.values() for e in errors]


# Saving a draft and submitting ----------------------------------------------------------


def test_insatsagare_saves_a_draft(client, agare, rapport):
    client.force_login(agare)
    response = post(client, rapport, {"nya_women": "4", "nya_men": "", "jamstalldhet": "Utkast"})
    assert response.status_code == 302 and response["Location"] == url(rapport, "")
    rapport.refresh_from_db()
    assert rapport.status == "utkast" and rapport.jamstalldhet == "Utkast"
    nya = Deltagarantal.objects.get(rapport=rapport, category="nya")
    assert (nya.women, nya.men) == (4, 0)  # a blank count is 0
    assert actions(rapport) == ["utkast sparat"]
    page = client.get(url(rapport, "")).content.decode()
    assert "Nya deltagare, kvinnor" in page and "Fortsätt med utkastet" in page
    assert re.search(r"Nya deltagare, kvinnor:\s*</[a-z]+>\s*0 → 4", page)  # the history


def test_the_form_labels_every_cell_and_computes_the_totals(client, agare, rapport):
    client.force_login(agare)
    post(client, rapport, {"aktiva_women": "10", "aktiva_men": "8"})
    html = client.get(url(rapport)).content.decode()
    for label in (
        "Nya deltagare, kvinnor",
        "Aktiva vid periodens slut, män",
        "Avslutade deltagare, kvinnor 16–29 år",
        "Avslutade till arbete, män",
        "Avslutade av annan orsak, kvinnor",
    ):
        assert f'aria-label="{label}"' in html
    assert re.search(r'data-total-of="id_aktiva_women id_aktiva_men">18<', html)


def test_insatsagare_submits_a_complete_report(client, agare, rapport):
    client.force_login(agare)
    response = post(client, rapport, COMPLETE, submit=True)
    assert response.status_code == 302
    rapport.refresh_from_db()
    assert rapport.status == "inskickad" and rapport.diarienummer
    assert rapport.received_at is not None and rapport.submitted_by == agare
    assert str(rapport.money_used) == "125000.50"
    assert actions(rapport) == ["utkast sparat", "inskickad"]
    page = client.get(response["Location"]).content.decode()
    assert f"inskickad med diarienummer {rapport.diarienummer}" in page
    # Frozen: the form sends the insatsägare back to the report.
    assert client.get(url(rapport))["Location"] == url(rapport, "")


def test_reasons_that_do_not_add_up_are_refused_with_the_figures(client, agare, rapport):
    client.force_login(agare)
    response = post(client, rapport, {**COMPLETE, "ovrigt_women": "0"}, submit=True)
    assert response.status_code == 200
    message = (
        "Skälen till att deltagarna avslutade (2 kvinnor) ska vara lika många "
        "som de avslutade (3 kvinnor)."
    )
    assert response.context["form"].errors["avslutade_women"] == [message]
    html = response.content.decode()
    assert "Rapporten är inte inskickad och inget är sparat" in html
    assert 'href="#id_avslutade_women"' in html  # the summary links to the field
    rapport.refresh_from_db()
    assert rapport.status == "due" and not rapport.deltagarantal.exists()
    assert actions(rapport) == []


def test_a_report_for_a_period_not_ended_is_refused_with_the_date(client, agare, insats):
    q2 = Rapport.objects.get(insats=insats, kind="kvartal", period_start=Q2)
    client.force_login(agare)
    response = post(client, q2, COMPLETE, submit=True)
    assert response.status_code == 200
    assert any("Perioden är inte slut förrän 2026-06-30" in e for e in errors(response))
    q2.refresh_from_db()
    assert q2.status == "due"
    # A draft for the running period is fine.
    assert post(client, q2, COMPLETE).status_code == 302


def test_jamstalldhet_is_required_at_submit(client, agare, rapport):
    client.force_login(agare)
    response = post(client, rapport, {**COMPLETE, "jamstalldhet": "  "}, submit=True)
    assert response.context["form"].errors["jamstalldhet"] == [
        "Beskriv hur insatsen har arbetat med jämställdhet."
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "Antalet kan inte vara negativt."),
        ("\u22121", "Antalet kan inte vara negativt."),
        ("1.5", "Ange antalet som ett heltal, t.ex. 12."),
        ("1,5", "Ange antalet som ett heltal, t.ex. 12."),
        ("1e3", "Ange antalet som ett heltal, t.ex. 12."),
        ("tolv", "Ange antalet som ett heltal, t.ex. 12."),
        (str(2**63), "Antalet kan vara högst 100 000."),
        (str(2**31), "Antalet kan vara högst 100 000."),
    ],
)
def test_bad_numbers_are_told_beside_the_field_and_nothing_is_saved(
    client, agare, rapport, value, message
):
    client.force_login(agare)
    response = post(client, rapport, {"nya_women": value, "jamstalldhet": "Sparas inte"})
    assert response.status_code == 200
    assert response.context["form"].errors["nya_women"] == [message]
    html = response.content.decode()
    assert 'id="id_nya_women_error"' in html
    assert f'<a class="alert-link" href="#id_nya_women">Nya deltagare, kvinnor: {message}' in html
    rapport.refresh_from_db()
    assert rapport.status == "due" and rapport.jamstalldhet == ""
    assert not rapport.deltagarantal.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "Beloppet kan inte vara negativt."),
        ("1e3", "Ange beloppet i kronor med siffror, t.ex. 450 000."),
        ("mycket", "Ange beloppet i kronor med siffror, t.ex. 450 000."),
        ("12,345", "Ange beloppet med högst två decimaler (ören)."),
        (str(2**63), "Beloppet är för stort."),
    ],
)
def test_bad_amounts_are_told_beside_the_field(client, agare, rapport, value, message):
    client.force_login(agare)
    response = post(client, rapport, {"money_used": value})
    assert response.status_code == 200
    assert response.context["form"].errors["money_used"] == [message]
    rapport.refresh_from_db()
    assert rapport.money_used is None and rapport.status == "due"


def test_young_participants_cannot_outnumber_the_count(client, agare, rapport):
    client.force_login(agare)
    response = post(client, rapport, {"nya_women": "3", "nya_young_women": "5"})
    assert response.context["form"].errors["nya_young_women"] == [
        "Varav 16–29 år (5) kan inte vara fler än nya deltagare, kvinnor (3)."
    ]
    assert not Deltagarantal.objects.filter(rapport=rapport).exists()


def test_a_personnummer_in_free_text_is_refused(client, agare, rapport):
    client.force_login(agare)
    response = post(client, rapport, {"deviations": "Deltagaren 19121212-1212 slutade."})
    assert "personnummer" in response.context["form"].errors["deviations"][0]
    rapport.refresh_from_db()
    assert rapport.deviations == ""


def test_free_text_is_bounded(client, agare, rapport):
    client.force_login(agare)
    response = post(client, rapport, {"goal_progress": "x" * 20_001})
    assert "högst 20000 tecken" in response.context["form"].errors["goal_progress"][0]


# Structural insatser: the application's goals ------------------------------------------


@pytest.fixture
def struktur(forbund, heby):
    ansokan = AnsokanFactory(forbund=forbund, agare=heby)
    ansokan.mal.all().delete()  # the factory's own goal
    ansokan.mal.create(text="Gemensam rutin för samverkan", target="Antagen", order=1)
    ansokan.mal.create(text="Utbildad personal", target="40 personer", order=2)
    insats = InsatsFactory(
        forbund=forbund,
        agare=heby,
        kind=Insats.Kind.STRUKTUR,
        ansokan=ansokan,
        start=Q1,
        end=datetime.date(2026, 12, 31),
    )
    return Rapport.objects.get(insats=insats, kind="kvartal", period_start=Q1)


def test_structural_goals_come_from_the_application_once(client, agare, struktur):
    client.force_login(agare)
    client.get(url(struktur))
    client.get(url(struktur))
    assert list(struktur.mal.values_list("text", flat=True)) == [
        "Gemensam rutin för samverkan",
        "Utbildad personal",
    ]
    html = client.get(url(struktur)).content.decode()
    assert '<option value="" selected>Välj …</option>' in html


def test_structural_goals_must_be_assessed_at_submit(client, agare, struktur):
    client.force_login(agare)
    names = ("form", "goals")
    response = post(client, struktur, COMPLETE, submit=True, names=names)
    assert response.status_code == 200
    goal_errors = [f.errors.get("bedomning") for f in response.context["goals"].forms]
    assert goal_errors == [
        ["Bedöm målet ”Gemensam rutin för samverkan”."],
        ["Bedöm målet ”Utbildad personal”."],
    ]
    data = {**COMPLETE, "mal-0-bedomning": "uppnatt", "mal-1-bedomning": "delvis"}
    data["mal-1-comment"] = "Hälften är utbildade."
    response = post(client, struktur, data, submit=True, names=names)
    assert response.status_code == 302
    struktur.refresh_from_db()
    assert struktur.status == "inskickad"
    assert list(struktur.mal.values_list("bedomning", "comment")) == [
        ("uppnatt", ""),
        ("delvis", "Hälften är utbildade."),
    ]
    page = client.get(url(struktur, "")).content.decode()
    assert "Delvis uppnått – Hälften är utbildade." in page
    assert "– → Delvis uppnått" in page  # the history


def test_a_goal_with_a_made_up_assessment_is_refused(client, agare, struktur):
    client.force_login(agare)
    response = post(client, struktur, {"mal-0-bedomning": "superbra"}, names=("form", "goals"))
    assert response.status_code == 200
    assert response.context["goals"].forms[0].errors["bedomning"] == ["Välj en bedömning i listan."]
    assert not RapportMal.objects.filter(rapport=struktur).exclude(bedomning="").exists()


def test_a_goal_cannot_be_added_through_the_form(client, agare, struktur):
    client.force_login(agare)
    data = {**shown(client, struktur, "form", "goals"), "mal-TOTAL_FORMS": "3"}
    data.update({"mal-2-bedomning": "uppnatt", "mal-2-comment": "Ett eget mål"})
    response = client.post(url(struktur), data)
    assert response.status_code == 200
    assert "En rad i formuläret hör inte till den här sidan" in response.content.decode()
    assert struktur.mal.count() == 2


def test_a_goal_comment_is_bounded(client, agare, struktur):
    client.force_login(agare)
    response = post(client, struktur, {"mal-0-comment": "x" * 4001}, names=("form", "goals"))
    assert response.context["goals"].forms[0].errors["comment"]


# Who may -------------------------------------------------------------------------------


def test_another_owners_report_is_404(client, agare, other_rapport):
    client.force_login(agare)
    assert client.get(url(other_rapport)).status_code == 404
    assert client.post(url(other_rapport), COMPLETE).status_code == 404
    assert client.get(url(other_rapport, "")).status_code == 404
    assert not other_rapport.deltagarantal.exists()


def test_styrelse_and_revisor_cannot_post(client, styrelse, revisor, rapport):
    for user in (styrelse, revisor):
        client.force_login(user)
        assert client.get(url(rapport)).status_code == 403
        assert client.post(url(rapport), COMPLETE).status_code == 403
        assert client.post(url(rapport, "godkann/")).status_code == 403
        assert client.post(url(rapport, "aterforvisa/"), {"comment": "Nej"}).status_code == 403
    rapport.refresh_from_db()
    assert rapport.status == "due" and actions(rapport) == []


def test_insatsagare_cannot_approve_or_return(client, agare, rapport):
    client.force_login(agare)
    assert client.post(url(rapport, "godkann/")).status_code == 403
    assert client.post(url(rapport, "aterforvisa/"), {"comment": "x"}).status_code == 403


def test_kansli_fills_in_on_the_owners_behalf_marked_in_history(client, kansli, rapport):
    client.force_login(kansli)
    response = post(client, rapport, COMPLETE, submit=True)
    assert response.status_code == 302
    reasons = Handelse.objects.filter(subject_id=rapport.pk, subject_type__model="rapport")
    assert set(reasons.values_list("reason", flat=True)) == {
        "Av kansliet för insatsägarens räkning."
    }
    page = client.get(url(rapport, "")).content.decode()
    assert "Av kansliet för insatsägarens räkning." in page


# Two browsers, two presses -------------------------------------------------------------


def test_two_saves_of_the_same_revision_lose_nothing(client, agare, rapport):
    client.force_login(agare)
    first = shown(client, rapport)
    second = shown(client, rapport)
    assert client.post(url(rapport), {**first, "nya_women": "4"}).status_code == 302
    response = client.post(url(rapport), {**second, "nya_men": "6"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Någon annan har sparat ändringar medan du arbetade" in text
    assert "Nya deltagare, kvinnor: 4" in text
    nya = Deltagarantal.objects.get(rapport=rapport, category="nya")
    assert (nya.women, nya.men) == (4, 0)
    # Saving again keeps both edits.
    again = form_data(response, "form")
    assert client.post(url(rapport), again).status_code == 302
    nya.refresh_from_db()
    assert (nya.women, nya.men) == (4, 6)


def test_the_same_submit_posted_twice_submits_once(client, agare, rapport):
    client.force_login(agare)
    data = {**shown(client, rapport), **COMPLETE, "skicka_in": "1"}
    assert client.post(url(rapport), data).status_code == 302
    response = client.post(url(rapport), data, follow=True)
    assert "Formuläret var redan skickat och är sparat" in response.content.decode()
    assert actions(rapport) == ["utkast sparat", "inskickad"]


# Kansli: return, resubmit, approve -----------------------------------------------------


def test_return_resubmit_and_approve(client, agare, kansli, rapport):
    client.force_login(agare)
    post(client, rapport, COMPLETE, submit=True)
    rapport.refresh_from_db()
    number = rapport.diarienummer

    client.force_login(kansli)
    page = client.get(url(rapport, "")).content.decode()
    assert "Godkänn" in page and "Återförvisa" in page
    response = client.post(url(rapport, "aterforvisa/"), {"comment": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["comment"]
    response = client.post(url(rapport, "aterforvisa/"), {"comment": "Rätta antalet män."})
    assert response.status_code == 302
    rapport.refresh_from_db()
    assert rapport.status == "aterforvisad"

    client.force_login(agare)
    assert "Rätta antalet män." in client.get(url(rapport, "")).content.decode()
    assert "Rätta antalet män." in client.get(url(rapport)).content.decode()
    assert post(client, rapport, {"aktiva_men": "9"}, submit=True).status_code == 302
    rapport.refresh_from_db()
    assert rapport.status == "inskickad" and rapport.diarienummer == number

    client.force_login(kansli)
    assert client.post(url(rapport, "godkann/")).status_code == 302
    rapport.refresh_from_db()
    assert rapport.status == "godkand" and rapport.decided_at is not None
    # A second press is told, not done twice.
    response = client.post(url(rapport, "godkann/"), follow=True)
    assert "Rapporten är redan godkänd." in response.content.decode()
    assert actions(rapport) == [
        "utkast sparat",
        "inskickad",
        "återförvisad",
        "utkast sparat",
        "inskickad på nytt",
        "godkänd",
    ]
    history = client.get(url(rapport, "")).content.decode()
    for step in ("Inskickad på nytt", "Återförvisad", "Godkänd", "Utkast sparat"):
        assert step in history


def test_approving_the_final_report_ends_the_insats(client, agare, kansli, insats):
    slut = Rapport.objects.get(insats=insats, kind="slut")
    Rapport.objects.filter(pk=slut.pk).update(period_end=datetime.date(2026, 4, 30))
    client.force_login(agare)
    assert post(client, slut, COMPLETE, submit=True).status_code == 302
    client.force_login(kansli)
    response = client.post(url(slut, "godkann/"), follow=True)
    assert "Insatsen är avslutad." in response.content.decode()
    insats.refresh_from_db()
    assert insats.status == Insats.Status.AVSLUTAD


def test_a_due_report_cannot_be_approved(client, kansli, rapport):
    client.force_login(kansli)
    response = client.post(url(rapport, "godkann/"), follow=True)
    assert "Bara en inskickad rapport" in response.content.decode()
    rapport.refresh_from_db()
    assert rapport.status == "due"


def test_approve_is_post_only(client, kansli, rapport):
    client.force_login(kansli)
    assert client.get(url(rapport, "godkann/")).status_code == 405


# The start page --------------------------------------------------------------------


def test_the_start_page_links_reports_to_hand_in_to_their_form(
    client, agare, rapport, insats, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    client.force_login(agare)
    html = client.get("/uppsala/").content.decode()
    assert f'href="{url(rapport)}"' in html
    q2 = Rapport.objects.get(insats=insats, kind="kvartal", period_start=Q2)
    assert f"/rapporter/{q2.pk}/" not in html  # its period has not ended
