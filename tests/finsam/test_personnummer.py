"""No personal data about participants: a personnummer is refused in every free text."""

import copy
import importlib
import pkgutil

import pytest
from django import forms

from budget.forbundsfil import ForbundsfilError, load_forbund_file
from finsam.hardening import FinsamFormMixin, harden_field
from finsam.validators import MESSAGE, find_personnummer, validate_no_personnummer
from tests.factories import BudgetFactory


def check_digit(nine):
    """The Luhn check digit of YYMMDDNNN, computed here apart from the code under test."""
    total = 0
    for i, char in enumerate(nine):
        n = int(char) * (2 - i % 2)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


def wrong_digit(nine):
    return str((int(check_digit(nine)) + 1) % 10)


PERSON = "811228987"  # born 1981-12-28
SAMORDNING = "701063239"  # day 03 + 60
VALID = [
    f"{PERSON[:6]}-{PERSON[6:]}{check_digit(PERSON)}",
    f"{PERSON}{check_digit(PERSON)}",
    f"19{PERSON[:6]}-{PERSON[6:]}{check_digit(PERSON)}",
    f"19{PERSON}{check_digit(PERSON)}",
    f"{PERSON[:6]}+{PERSON[6:]}{check_digit(PERSON)}",
    f"{SAMORDNING[:6]}-{SAMORDNING[6:]}{check_digit(SAMORDNING)}",
    f"20{SAMORDNING}{check_digit(SAMORDNING)}",
]
HARMLESS = [
    f"{PERSON[:6]}-{PERSON[6:]}{wrong_digit(PERSON)}",  # a date-like number, wrong check digit
    f"19{PERSON}{wrong_digit(PERSON)}",
    "2026/14",
    "Dnr 2025/103, beslut 2026-01-15",
    "Beviljat 2 753 000 kr, utfall 1 234 567,50 kr",
    "Ring 070-123 45 67 eller 018-727 00 00, +46 70 123 45 67",
    "Kontonummer 12345678901234",
    "",
]


@pytest.mark.parametrize("text", VALID)
def test_it_finds_a_personnummer(text):
    assert find_personnummer(f"Deltagaren {text} har börjat.")


@pytest.mark.parametrize("text", HARMLESS)
def test_it_lets_other_numbers_pass(text):
    assert find_personnummer(text) is None


def _project_forms():
    for app in ("finsam", "insatser", "budget", "uppfoljning"):
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if "migrations" in info.name or "management" in info.name:
                continue
            importlib.import_module(info.name)
    seen, stack = set(), [forms.BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            if sub.__module__.split(".")[0] in ("finsam", "insatser", "budget", "uppfoljning"):
                seen.add(sub)
    return seen


def test_every_form_of_the_project_checks_for_personnummer():
    found = _project_forms()
    assert len(found) > 10
    unchecked = [
        f"{c.__module__}.{c.__name__}" for c in found if not issubclass(c, FinsamFormMixin)
    ]
    assert unchecked == []


def test_every_text_field_of_every_form_refuses_it():
    """What each form's fields get when the form is made (FinsamFormMixin)."""
    for cls in _project_forms():
        for name, field in cls.base_fields.items():
            if not isinstance(field, forms.CharField):
                continue
            field = copy.deepcopy(field)
            harden_field(field)
            if isinstance(field.widget, forms.PasswordInput | forms.HiddenInput):
                # A password is never stored as text; a hidden field is the page's own.
                assert validate_no_personnummer not in field.validators
            else:
                assert validate_no_personnummer in field.validators, f"{cls.__name__}.{name}"
            assert field.max_length is not None, f"{cls.__name__}.{name}"


def test_an_insats_description_with_a_personnummer_is_refused(client, kansli, heby, tierp):
    client.force_login(kansli)
    data = {
        "name": "Ny insats",
        "agare": heby.pk,
        "deltagare": [tierp.pk],
        "kind": "individ",
        "start": "2026-01-01",
        "end": "2026-12-31",
        "status": "planerad",
        "description": f"Deltagaren {VALID[1]} började i januari.",
        "anslag-TOTAL_FORMS": "0",
        "anslag-INITIAL_FORMS": "0",
    }
    response = client.post("/uppsala/insatser/ny/", data)
    assert response.status_code == 200
    assert MESSAGE in response.context["form"].errors["description"]
    data["description"] = f"Diarienummer 2026/14; {HARMLESS[0]} är inget personnummer."
    assert client.post("/uppsala/insatser/ny/", data).status_code == 302


def test_a_transition_reason_with_a_personnummer_is_refused(client, kansli, forbund):
    from budget.models import Budget

    BudgetFactory(forbund=forbund, year=2026)
    client.force_login(kansli)
    response = client.post(
        "/uppsala/budget/2026/forslag/", {"reason": f"Gäller {VALID[2]}"}, follow=True
    )
    assert MESSAGE in response.content.decode()
    assert Budget.objects.get().status == Budget.Status.UTKAST


FILE = """\
forbund:
  slug: pnr
  name: Samordningsförbundet Test
medlemmar:
  - name: Heby kommun
    kind: kommun
malgrupper:
  - name: "Unga {text}"
"""


def test_the_forbund_file_refuses_it_with_its_place(db):
    with pytest.raises(ForbundsfilError) as error:
        load_forbund_file(FILE.format(text=VALID[0]))
    assert any(e.startswith("malgrupper[0].name") and MESSAGE in e for e in error.value.errors)


def test_the_forbund_file_takes_harmless_numbers(db):
    load_forbund_file(FILE.format(text=HARMLESS[0]))


def test_a_password_shaped_like_a_personnummer_still_signs_in(client, kansli):
    kansli.set_password(VALID[0])
    kansli.save()

    response = client.post("/konto/logga-in/", {"username": kansli.username, "password": VALID[0]})

    assert response.status_code == 302
