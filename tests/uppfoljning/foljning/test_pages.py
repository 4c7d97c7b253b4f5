"""The follow-up page, its period picker, kansli's assessments and the Excel."""

import datetime

import pytest

from budget.models import Resultatmal
from finsam.models import Handelse
from tests.helpers import page_form, xlsx_rows
from uppfoljning.models import Malbedomning

from .fixtures import plan_with_targets, two_insatser

URL = "/uppsala/uppfoljning/"


@pytest.fixture(autouse=True)
def today(monkeypatch):
    day = datetime.date(2026, 11, 23)
    monkeypatch.setattr("uppfoljning.foljning.indicators.current_date", lambda: day)
    return day


@pytest.fixture
def data(forbund, heby, tierp):
    insatser = two_insatser(forbund, heby, tierp)
    plan = plan_with_targets(forbund)
    return insatser, plan


def manual_target(plan):
    return Resultatmal.objects.get(mal__plan=plan, indicator="manuell")


@pytest.mark.parametrize("role", ["kansli", "styrelse", "revisor"])
def test_the_readers_see_the_figures_as_published(client, roles, data, role):
    client.force_login(roles[role])

    response = client.get(f"{URL}?ar=2026&period=h1")

    assert response.status_code == 200
    html = response.content.decode()
    assert "2026, första halvåret (2026-01-01–2026-06-30)" in html
    assert "godkända rapporter" in html
    assert "4 godkända" in html
    # The same published figures for kansli as for the board: Beta's two women are hidden.
    assert "Beta" in html and ">..<" in html
    assert "Uppnått" in html and "Ej uppnått" in html and "Kan inte bedömas" in html
    assert html.count('role="img"') == 2
    assert '<title id="diagram-deltagare-titel">' in html
    assert 'aria-current="page"' in html


def test_an_insatsagare_is_refused(client, agare, data):
    client.force_login(agare)
    assert client.get(URL).status_code == 403


def test_the_default_is_the_current_year_so_far(client, kansli, data):
    client.force_login(kansli)
    html = client.get(URL).content.decode()
    assert "2026, året hittills (2026-01-01–2026-11-23)" in html


@pytest.mark.parametrize(
    "query",
    ["ar=abc", "ar=-1", "ar=1.5", "ar=1e3", "ar=9223372036854775808", "period=q5", "ar=2030"],
)
def test_a_bad_period_gives_a_message_not_an_error(client, kansli, data, query):
    client.force_login(kansli)

    response = client.get(f"{URL}?{query}")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Perioden kunde inte visas" in html
    assert "Sidan visar i stället 2026" in html


def test_kansli_writes_an_assessment_with_history(client, kansli, data):
    _insatser, plan = data
    target = manual_target(plan)
    client.force_login(kansli)
    url = f"{URL}bedomning/{target.pk}/?ar=2026&period=h1"

    form = page_form(client.get(url))
    form.update({"met": "true", "text": "Utbildningarna är påbörjade."})
    response = client.post(url, form)

    assert response.status_code == 302
    assert response["Location"] == f"{URL}?ar=2026&period=h1"
    bedomning = Malbedomning.objects.get()
    assert (bedomning.period_start, bedomning.period_end, bedomning.met) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 6, 30),
        True,
    )
    assert Handelse.objects.filter(action="skapad", subject_id=bedomning.pk).exists()
    html = client.get(f"{URL}?ar=2026&period=h1").content.decode()
    assert "Utbildningarna är påbörjade." in html

    form = page_form(client.get(url))
    form.update({"met": "false"})
    assert client.post(url, form).status_code == 302
    page = client.get(url).content.decode()
    assert "Historik" in page and "Ej uppnått" in page
    assert Malbedomning.objects.get().met is False


def test_a_personnummer_in_the_assessment_is_refused(client, kansli, data):
    _insatser, plan = data
    client.force_login(kansli)
    url = f"{URL}bedomning/{manual_target(plan).pk}/?ar=2026&period=h1"
    form = page_form(client.get(url))
    form["text"] = "Samtal med 811218-9876 om planen."

    response = client.post(url, form)

    assert response.status_code == 200
    assert "personnummer" in response.content.decode()
    assert not Malbedomning.objects.exists()


def test_the_board_reads_the_assessment_but_cannot_write_it(client, styrelse, data):
    _insatser, plan = data
    target = manual_target(plan)
    Malbedomning.objects.create(
        resultatmal=target,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
        text="Följer plan.",
        met=True,
    )
    client.force_login(styrelse)

    html = client.get(f"{URL}?ar=2026&period=h1").content.decode()

    assert "Följer plan." in html
    assert "Ändra bedömningen" not in html
    assert client.get(f"{URL}bedomning/{target.pk}/?ar=2026&period=h1").status_code == 403


def test_only_a_manual_target_of_the_years_plan_has_an_assessment_page(client, kansli, data):
    _insatser, plan = data
    client.force_login(kansli)
    measured = Resultatmal.objects.filter(mal__plan=plan).exclude(indicator="manuell").first()
    manual = manual_target(plan)

    assert client.get(f"{URL}bedomning/{measured.pk}/").status_code == 404
    assert client.get(f"{URL}bedomning/{manual.pk}/?ar=2025").status_code == 404
    assert client.get(f"{URL}bedomning/{manual.pk}/").status_code == 200


def test_another_forbunds_target_does_not_exist(client, outsider, data):
    _insatser, plan = data
    client.force_login(outsider)
    assert client.get(f"/gavle/uppfoljning/bedomning/{manual_target(plan).pk}/").status_code == 404


def test_the_excel_has_the_published_figures_escaped(client, styrelse, data):
    insatser, _plan = data
    alfa = insatser[0]
    alfa.name = "=HYPERLINK(1)"
    alfa.save()
    client.force_login(styrelse)

    response = client.get(f"{URL}excel/?ar=2026&period=h1")

    assert 'filename="uppfoljning-uppsala-2026-h1.xlsx"' in response["Content-Disposition"]
    rows = xlsx_rows(response)
    assert rows[0][0] == "Uppföljning 2026, första halvåret (2026-01-01–2026-06-30)"
    heads = [row[:5] for row in rows]
    nya = heads.index(["Nya deltagare", "Insatsägare", "Kvinnor", "Män", "Totalt"])
    assert rows[nya + 1][2:5] == [17, 20, 37]
    by_name = {row[0]: row for row in rows[nya + 1 : nya + 5]}
    assert by_name["'=HYPERLINK(1)"][2:5] == ["..", "..", 28]
    assert by_name["Beta"][2:5] == ["..", "..", 9]
    assert not any(isinstance(cell, str) and cell.startswith("=") for row in rows for cell in row)


def test_the_tabs_mark_the_current_page(client, kansli, data):
    client.force_login(kansli)

    html = client.get(URL).content.decode()

    nav = html[html.index('<nav aria-label="Uppföljning"') :]
    nav = nav[: nav.index("</nav>")]
    assert f'class="nav-link active" aria-current="page" href="{URL}"' in nav
    assert 'href="/uppsala/rekvisitioner/"' in nav
    assert 'href="/uppsala/aktiviteter/"' in nav
    assert nav.count("aria-current") == 1


def test_the_page_shows_how_many_reports_are_not_yet_approved(client, styrelse, data):
    client.force_login(styrelse)

    html = client.get(f"{URL}?ar=2026&period=h1").content.decode()

    assert "ännu inte godkända, varav 1 inskickade och väntar på kansliet" in html


def test_the_year_so_far_is_assessed_as_its_half_year(client, kansli, data):
    _insatser, plan = data
    target = manual_target(plan)
    client.force_login(kansli)
    Malbedomning.objects.create(
        resultatmal=target,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
        text="Första halvåret: påbörjat.",
    )

    html = client.get(URL).content.decode()  # the year so far, 2026-11-23

    assert "Första halvåret: påbörjat." in html
    assert "(Bedömningen gäller 2026-01-01–2026-06-30.)" in html
    link = f"{URL}bedomning/{target.pk}/?ar=2026&amp;period=h2"
    assert link in html
    assert 'Skriv bedömning<span class="visually-hidden"> av 1.6</span> för andra' in html

    url = f"{URL}bedomning/{target.pk}/?ar=2026&period=hittills"
    form = page_form(client.get(url))
    form.update({"met": "true", "text": "Andra halvåret: klart."})
    assert client.post(url, form).status_code == 302

    assert Malbedomning.objects.filter(period_start=datetime.date(2026, 7, 1)).exists()
    html = client.get(URL).content.decode()
    assert "Andra halvåret: klart." in html
    assert 'Ändra bedömningen<span class="visually-hidden"> av 1.6</span> för andra' in html


def test_two_saving_the_same_assessment_lose_nothing(client, kansli, data):
    _insatser, plan = data
    target = manual_target(plan)
    Malbedomning.objects.create(
        resultatmal=target,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
        text="Först.",
    )
    client.force_login(kansli)
    url = f"{URL}bedomning/{target.pk}/?ar=2026&period=h1"
    mine, theirs = page_form(client.get(url)), page_form(client.get(url))
    theirs["text"] = "Den andras text."
    assert client.post(url, theirs).status_code == 302

    mine["met"] = "false"
    response = client.post(url, mine)

    assert response.status_code == 200
    assert "Någon annan har sparat ändringar" in response.content.decode()
    assert Malbedomning.objects.get().text == "Den andras text."


def test_the_start_page_lists_an_assessment_among_the_latest_events(client, kansli, data):
    _insatser, plan = data
    client.force_login(kansli)
    url = f"{URL}bedomning/{manual_target(plan).pk}/?ar=2026&period=h1"
    form = page_form(client.get(url))
    form["text"] = "Bedömt."
    client.post(url, form)

    response = client.get("/uppsala/")

    assert response.status_code == 200
    assert "Resultatmål 1.6" in response.content.decode()


def test_two_writing_the_first_assessment_lose_nothing(client, kansli, data):
    _insatser, plan = data
    client.force_login(kansli)
    url = f"{URL}bedomning/{manual_target(plan).pk}/?ar=2026&period=h1"
    mine, theirs = page_form(client.get(url)), page_form(client.get(url))
    theirs.update({"text": "Den andras text.", "met": "true"})
    assert client.post(url, theirs).status_code == 302

    mine.update({"text": "Min text."})
    response = client.post(url, mine)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Någon annan har sparat ändringar" in html and "Den andras text." in html
    assert "Min text." in html  # the form keeps what I wrote
    assert Malbedomning.objects.get().text == "Den andras text."


def _grow(forbund, heby, count):
    from tests.factories import InsatsFactory

    from .fixtures import D, report

    for n in range(count):
        insats = InsatsFactory(forbund=forbund, agare=heby, name=f"Extra {n}")
        report(insats, D(2026, 1, 1), D(2026, 3, 31), nya=(n, 7), aktiva=(9, 9), avslutade=(5, 6))


def test_the_page_asks_the_same_queries_however_many_insatser(client, kansli, data, forbund, heby):
    from tests.helpers import query_count

    _insatser, plan = data
    Malbedomning.objects.create(
        resultatmal=manual_target(plan),
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
        text="Bedömt.",
    )
    client.force_login(kansli)
    url = f"{URL}?ar=2026&period=h1"
    client.get(url)

    few = query_count(client, url)
    _grow(forbund, heby, 12)
    many = query_count(client, url)

    assert few == many
    assert "Extra 11" in client.get(url).content.decode()


def test_the_picker_shows_the_default_period(client, kansli, data):
    client.force_login(kansli)

    form = client.get(URL).context["period_form"]

    assert (form["ar"].value(), form["period"].value()) == (2026, "hittills")
