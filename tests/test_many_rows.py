"""Pages that write many rows: a missing field is "unchanged", a foreign row id is refused.

The contributions page sets a year's contribution for every member: an empty
post deletes nothing. A formset row id that is not one of the page's rows
(another förbund's grant, agenda item or budget line) is refused with a
message, and nothing is saved or recorded.
"""

from decimal import Decimal

import pytest

from budget.models import Medlemsavgift
from finsam.concurrency import FOREIGN_ROW
from finsam.models import Handelse

from .factories import (
    AnslagFactory,
    ArendeFactory,
    BudgetFactory,
    BudgetradFactory,
    InsatsFactory,
    MedlemFactory,
    MedlemsavgiftFactory,
    SammantradeFactory,
)
from .helpers import page_form

# The contributions page: a missing field is "unchanged" -------------------------


@pytest.fixture
def avgifter(heby, tierp):
    return [
        MedlemsavgiftFactory(medlem=heby, amount=Decimal("1000000")),
        MedlemsavgiftFactory(medlem=tierp, amount=Decimal("500000")),
    ]


def test_an_empty_post_to_the_contributions_page_deletes_nothing(client, kansli, avgifter):
    client.force_login(kansli)

    response = client.post("/uppsala/budget/2026/medlemsavgifter/", {})

    assert response.status_code == 200
    assert "inget är ändrat" in response.content.decode()
    assert Medlemsavgift.objects.count() == 2
    assert not Handelse.objects.exists()


def test_a_member_missing_from_the_post_keeps_its_contribution(
    client, kansli, heby, tierp, avgifter
):
    client.force_login(kansli)

    response = client.post("/uppsala/budget/2026/medlemsavgifter/", {f"medlem_{heby.pk}": ""})

    assert response.status_code == 302
    assert list(Medlemsavgift.objects.values_list("medlem", "amount")) == [
        (tierp.pk, Decimal("500000"))
    ]


# A row id from another förbund is refused --------------------------------------


@pytest.fixture
def gavle_rows(other_forbund):
    gavle = MedlemFactory(forbund=other_forbund, name="Gävle kommun")
    meeting = SammantradeFactory(forbund=other_forbund)
    budget = BudgetFactory(forbund=other_forbund, year=2026)
    return {
        "anslag": AnslagFactory(insats=InsatsFactory(forbund=other_forbund, agare=gavle)),
        "arenden": ArendeFactory(sammantrade=meeting, number=1),
        "rader": BudgetradFactory(budget=budget),
        "utfall": BudgetradFactory(budget=budget),
    }


def _foreign_cases(forbund, heby):
    insats = InsatsFactory(forbund=forbund, agare=heby)
    AnslagFactory(insats=insats)
    meeting = SammantradeFactory(forbund=forbund)
    ArendeFactory(sammantrade=meeting, number=1)
    BudgetradFactory(budget=BudgetFactory(forbund=forbund, year=2026))
    return [
        (f"/uppsala/insatser/{insats.pk}/andra/", "anslag", "amount", "5"),
        (f"/uppsala/sammantraden/{meeting.pk}/andra/", "arenden", "title", "Kapad"),
        ("/uppsala/budget/2026/andra/", "rader", "amount", "5"),
        ("/uppsala/budget/2026/utfall/", "utfall", "outcome", "5"),
    ]


@pytest.mark.parametrize("index", range(4))
def test_a_row_of_another_forbund_is_refused(client, kansli, forbund, heby, gavle_rows, index):
    url, prefix, field, value = _foreign_cases(forbund, heby)[index]
    client.force_login(kansli)
    data = page_form(client.get(url))
    foreign = gavle_rows[prefix]
    data[f"{prefix}-0-id"] = str(foreign.pk)
    data[f"{prefix}-0-{field}"] = value
    before = {f.name: getattr(foreign, f.attname) for f in type(foreign)._meta.concrete_fields}

    response = client.post(url, data)

    assert response.status_code == 200
    assert FOREIGN_ROW in response.content.decode()
    foreign.refresh_from_db()
    assert before == {
        f.name: getattr(foreign, f.attname) for f in type(foreign)._meta.concrete_fields
    }
    assert not Handelse.objects.exists()
