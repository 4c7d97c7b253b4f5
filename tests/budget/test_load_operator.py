"""A förbund set up by platform staff: load warnings, --replace keeps access, --kansli invites."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from budget.forbundsfil import ForbundsfilError, load_forbund_file
from budget.forbundsfil.checks import warnings
from budget.forbundsfil.schema import parse
from finsam.models import Forbund, Ledamot, Medlem, Roll, User
from tests.factories import RollFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
NORRBACKA = ROOT / "budget" / "demo" / "norrbacka.yaml"

SMALL = """\
forbund: {slug: liten, name: Samordningsförbundet Liten, display_unit: kr}
medlemmar:
  - {name: Försäkringskassan, kind: forsakringskassan, avgifter: {2026: 250000}}
  - {name: Arbetsförmedlingen, kind: arbetsformedlingen, avgifter: {2026: 250000}}
  - {name: Region Liten, kind: region, avgifter: {2026: 250000}}
  - {name: Heby kommun, short_name: Heby, kind: kommun, key_share: 60, avgifter: {2026: 150000}}
  - {name: Tierp kommun, short_name: Tierp, kind: kommun, key_share: 30, avgifter: {2026: 100000}}
insatser:
  - {name: Ensam, agare: Heby, kind: individ, anslag: {2026: 2753}}
budgetar:
  - year: 2026
    rader:
      - {group: medlemsavgifter, name: Medlemsavgifter, amount: 1000000}
      - {group: insatser, name: Insatser, source: insatser}
      - {group: forvaltning, name: Kansli, amount: 300000}
"""


def test_warnings_name_each_place():
    found = warnings(parse(SMALL))

    assert (
        "medlemmar[*].key_share: andelarna enligt fördelningsnyckeln är tillsammans 90 %, "
        "inte 100 %"
    ) in found
    assert any(w.startswith("insatser[0]: 'Ensam' har 1 deltagande medlem;") for w in found)
    assert (
        "insatser[0].anslag.2026: 2\u00a0753 kr är ett litet belopp; filens belopp är i kronor "
        "(står det i tkr ska det skrivas 2753000)"
    ) in found
    assert any(
        w.startswith("budgetar[0].rader[0]: medlemsavgifterna skrivs in som belopp men kan räknas")
        for w in found
    )
    assert not any("50/25/25" in w for w in found)


def test_a_broken_split_is_warned_with_the_shares():
    text = SMALL.replace("region, avgifter: {2026: 250000}", "region, avgifter: {2026: 150000}")

    [split] = [w for w in warnings(parse(text)) if "50/25/25" in w]

    assert split == (
        "medlemmar[*].avgifter.2026: fördelningen 50/25/25 håller inte: staten 55,6 % (ska vara "
        "50 %), regionen 16,7 % (ska vara 25 %), kommunerna 27,8 % (ska vara 25 %) av "
        "900\u00a0000 kr"
    )


def test_the_demo_files_give_no_warnings():
    for name in ("uppsala.yaml", "norrbacka.yaml"):
        text = (ROOT / "budget" / "demo" / name).read_text(encoding="utf-8")
        assert warnings(parse(text)) == []


@pytest.mark.django_db
def test_the_command_prints_the_warnings_and_loads(capsys, tmp_path):
    path = tmp_path / "liten.yaml"
    path.write_text(SMALL, encoding="utf-8")

    call_command("load_forbund", str(path))

    out = capsys.readouterr().out
    assert "Att se över (4):" in out
    assert "  insatser[0].anslag.2026: 2\u00a0753 kr är ett litet belopp" in out
    assert Forbund.objects.filter(slug="liten").exists()


@pytest.mark.django_db
def test_replace_keeps_the_roles_and_the_seats_logins():
    forbund = load_forbund_file(NORRBACKA)
    kansli = RollFactory(forbund=forbund, kind=Roll.Kind.KANSLI).user
    owner = Medlem.objects.of(forbund).get(short_name="Norrbacka")
    agare = RollFactory(forbund=forbund, kind=Roll.Kind.INSATSAGARE, medlem=owner).user
    chair = Ledamot.objects.of(forbund).get(chair_role="ordforande")
    chair.user = UserFactory()
    chair.save()

    report = []
    new = load_forbund_file(NORRBACKA, replace=True, report=report)

    assert new.pk != forbund.pk
    roles = {(r.user, r.kind, r.medlem and r.medlem.name) for r in Roll.objects.filter(forbund=new)}
    assert roles == {
        (kansli, "kansli", None),
        (agare, "insatsagare", "Norrbacka kommun"),
    }
    assert Ledamot.objects.of(new).get(chair_role="ordforande").user == chair.user
    assert report == []


@pytest.mark.django_db
def test_replace_refuses_when_an_insatsagare_would_lose_its_member():
    forbund = load_forbund_file(NORRBACKA)
    owner = Medlem.objects.of(forbund).get(short_name="Norrbacka")
    agare = RollFactory(forbund=forbund, kind=Roll.Kind.INSATSAGARE, medlem=owner).user
    text = NORRBACKA.read_text(encoding="utf-8").replace("Norrbacka kommun", "Norrbacka stad")

    with pytest.raises(ForbundsfilError) as info:
        load_forbund_file(text, replace=True)

    assert (
        f"medlemmar: 'Norrbacka kommun' finns inte i filen, men {agare} är insatsägare för den"
        in str(info.value)
    )
    assert Forbund.objects.get(slug="norrbacka").pk == forbund.pk  # nothing changed
    assert Roll.objects.get(user=agare).forbund_id == forbund.pk


@pytest.mark.django_db
def test_kansli_option_invites_the_first_user_who_sets_a_password(
    client, mailoutbox, capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "load_forbund",
            str(NORRBACKA),
            "--kansli",
            "Chef@Norrbacka.se",
            "--fornamn",
            "Karin",
            "--efternamn",
            "Ek",
            "--url",
            "https://finsam.example",
        )

    user = User.objects.get(email="chef@norrbacka.se")
    assert not user.has_usable_password()
    assert Roll.objects.get(user=user).kind == Roll.Kind.KANSLI
    assert "Inbjudan skickad till chef@norrbacka.se" in capsys.readouterr().out
    [mail] = mailoutbox
    assert mail.to == ["chef@norrbacka.se"]
    link = re.search(r"https://finsam\.example(/\S+)", mail.body).group(1)

    page = client.get(link, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    response = client.post(
        form_url, {"new_password1": "Ett-langt-losen-42", "new_password2": "Ett-langt-losen-42"}
    )
    assert response.status_code == 302
    client.logout()
    signed_in = client.post(
        "/konto/logga-in/", {"username": "chef@norrbacka.se", "password": "Ett-langt-losen-42"}
    )
    assert signed_in.status_code == 302
    assert client.get("/norrbacka/").status_code == 200


@pytest.mark.django_db
def test_kansli_option_needs_an_address_for_the_link(settings):
    settings.SITE_URL = ""
    with pytest.raises(CommandError, match="SITE_URL"):
        call_command("load_forbund", str(NORRBACKA), "--kansli", "chef@norrbacka.se")
    assert not Forbund.objects.exists()
    with pytest.raises(CommandError, match="ingen e-postadress"):
        call_command(
            "load_forbund", str(NORRBACKA), "--kansli", "inte en adress", "--url", "https://x.se"
        )


@pytest.mark.django_db
def test_a_comma_in_a_one_line_row_is_explained():
    text = SMALL.replace("{name: Ensam, agare: Heby,", "{name: Ensam, Heby, agare: Heby,")

    with pytest.raises(ForbundsfilError) as info:
        load_forbund_file(text)

    assert info.value.errors == [
        "insatser[0]: okänt fält 'Heby' (ett fält utan värde: står det ett kommatecken i en "
        "text på en rad inom {…}? Sätt då texten inom citattecken, t.ex. name: "
        '"Lokussamordnare, Uppsala")'
    ]
