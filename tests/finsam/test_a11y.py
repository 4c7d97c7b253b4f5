"""Accessible pages without a browser: the menu, the error summary, labelled cells, units."""

import re
from decimal import Decimal

import pytest
from django import forms

from finsam.templatetags.a11y import section_of, with_row
from tests.factories import AnslagFactory, BudgetFactory, BudgetradFactory, InsatsFactory
from tests.helpers import form_data


@pytest.fixture
def vaxtkraft(forbund, heby, tierp):
    insats = InsatsFactory(forbund=forbund, name="Växtkraft", agare=heby)
    insats.deltagare.add(tierp)
    AnslagFactory(insats=insats, year=2027, amount=Decimal("2753000"))
    return insats


def ids_on(html):
    return set(re.findall(r'\bid="([^"]+)"', html))


def test_every_page_has_a_skip_link_to_the_main_content(client, kansli, forbund):
    client.force_login(kansli)
    html = client.get("/uppsala/insatser/").content.decode()
    assert (
        '<a class="skip-link visually-hidden-focusable" href="#innehall">Hoppa till innehållet</a>'
        in html
    )
    assert '<main id="innehall"' in html


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/uppsala/", "Start"),
        ("/uppsala/insatser/", "Insatser"),
        ("/uppsala/medlemmar/ny/", "Medlemmar"),
        ("/uppsala/styrelsen/", "Styrelsen"),
    ],
)
def test_the_menu_marks_the_current_section(client, kansli, forbund, path, current):
    client.force_login(kansli)
    html = client.get(path).content.decode()
    marked = re.findall(
        r'<a class="nav-link active" aria-current="page" href="[^"]+">([^<]+)</a>', html
    )
    assert marked == [current]


def test_a_section_is_the_first_part_after_the_forbund():
    assert section_of("/uppsala/insatser/12/andra/") == "insatser"
    assert section_of("/uppsala/") == ""
    assert section_of("/uppsala/budget/2026/medlemsavgifter/") == "budget"


def test_a_row_goes_before_the_unit():
    assert with_row("Beviljat belopp (kr)", 2027) == "Beviljat belopp 2027 (kr)"
    assert with_row("År", 2027) == "År 2027"
    assert with_row("Belopp (kr)", "") == "Belopp (kr)"


def test_a_failed_submit_shows_an_error_summary_linked_to_the_fields(client, kansli, vaxtkraft):
    client.force_login(kansli)
    url = f"/uppsala/insatser/{vaxtkraft.pk}/andra/"
    data = form_data(client.get(url), "form", "formset")
    data.update({"name": "", "anslag-0-amount": "tjugo"})
    html = client.post(url, data).content.decode()

    summary = html[
        html.index('id="fel-sammanfattning"') : html.index(
            "</div>", html.index('id="fel-sammanfattning"')
        )
    ]
    assert 'tabindex="-1"' in summary
    assert "Inget är sparat." in summary
    assert '<a class="alert-link" href="#id_name">Namn: ' in summary
    assert (
        '<a class="alert-link" href="#id_anslag-0-amount">Beviljat belopp 2027 (kr): '
        "Ange beloppet i kronor med siffror, t.ex. 450 000.</a>"
    ) in summary
    # Every link and every aria-describedby points at an element on the page.
    ids = ids_on(html)
    for target in re.findall(r'href="#([^"]+)"', summary):
        assert target in ids
    for described in re.findall(r'aria-describedby="([^"]+)"', html):
        assert set(described.split()) <= ids, described


def test_table_cells_are_labelled_with_row_and_column(client, kansli, vaxtkraft):
    client.force_login(kansli)
    html = client.get(f"/uppsala/insatser/{vaxtkraft.pk}/andra/").content.decode()
    amount = re.search(r'<input[^>]*name="anslag-0-amount"[^>]*>', html).group(0)
    assert 'aria-label="Beviljat belopp 2027 (kr)"' in amount
    new_row = re.search(r'<input[^>]*name="anslag-1-amount"[^>]*>', html).group(0)
    assert 'aria-label="Beviljat belopp rad 2 (kr)"' in new_row


def test_an_error_in_a_cell_is_described_by_its_message(client, kansli, vaxtkraft):
    client.force_login(kansli)
    url = f"/uppsala/insatser/{vaxtkraft.pk}/andra/"
    data = form_data(client.get(url), "form", "formset")
    data["anslag-0-amount"] = "tjugo"
    html = client.post(url, data).content.decode()
    amount = re.search(r'<input[^>]*name="anslag-0-amount"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in amount
    assert 'aria-describedby="id_anslag-0-amount_error"' in amount
    assert '<div id="id_anslag-0-amount_error" class="invalid-feedback d-block">' in html


def test_the_required_mark_is_explained_once(client, kansli, forbund):
    client.force_login(kansli)
    html = client.get("/uppsala/insatser/ny/").content.decode()
    assert html.count("Fält markerade med * måste fyllas i.") == 1


def test_a_required_select_starts_with_choose(client, kansli, forbund, heby):
    client.force_login(kansli)
    html = client.get("/uppsala/insatser/ny/").content.decode()
    agare = re.search(r'<select name="agare".*?</select>', html, re.S).group(0)
    assert re.search(r'<option value="" selected>Välj …</option>', agare)
    assert "---------" not in agare


def test_an_optional_select_keeps_its_blank_choice():
    class Form(forms.Form):
        must = forms.ChoiceField(choices=[("", "---------"), ("a", "A")])
        may = forms.ChoiceField(choices=[("", "---------"), ("a", "A")], required=False)

    html = str(Form())
    assert '<option value="" selected>Välj …</option>' in html
    assert '<option value="" selected>---------</option>' in html


def test_the_outcome_page_shows_kronor_beside_fields_in_kronor(client, kansli, forbund):
    forbund.display_unit = "tkr"
    forbund.save()
    budget = BudgetFactory(forbund=forbund, year=2026)
    BudgetradFactory(budget=budget, name="Kansli", amount=Decimal("2450000"))
    client.force_login(kansli)
    html = client.get("/uppsala/budget/2026/utfall/").content.decode()
    assert "Budget i kr" in html and "Budget i tkr" not in html
    assert "2\u00a0450\u00a0000" in html
    assert 'aria-label="Utfall hittills Kansli (kr)"' in html


def test_the_contributions_page_is_in_kronor_for_the_kansli_who_types_kronor(
    client, kansli, styrelse, forbund
):
    forbund.display_unit = "tkr"
    forbund.save()
    client.force_login(kansli)
    assert "Belopp i kr<" in client.get("/uppsala/budget/2026/medlemsavgifter/").content.decode()
    client.force_login(styrelse)
    assert "Belopp i tkr<" in client.get("/uppsala/budget/2026/medlemsavgifter/").content.decode()


def test_contribution_cells_name_the_member(client, kansli, forbund, heby):
    client.force_login(kansli)
    html = client.get("/uppsala/budget/2026/medlemsavgifter/").content.decode()
    assert 'aria-label="Medlemsavgift Heby kommun (kr)"' in html
