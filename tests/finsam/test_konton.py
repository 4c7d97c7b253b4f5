"""Kansli's accounts page: invite people of its förbund, see them, remove a role."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from finsam.accounts import invitations, tasks
from finsam.models import Handelse, Roll, User
from tests.conftest import mail_body
from tests.factories import MedlemFactory, RollFactory, UserFactory

INVITE = "/uppsala/konton/bjud-in/"


def _invite(client, **data):
    return client.post(
        INVITE,
        {"first_name": "Maja", "last_name": "Lind", "email": "maja.lind@heby.se", **data},
    )


def test_it_lists_the_forbunds_accounts(client, kansli, agare, outsider):
    kansli.email = "kansli@uppsala.se"
    kansli.save()
    TOTPDevice.objects.create(user=agare, name="app", confirmed=True)
    client.force_login(kansli)

    response = client.get("/uppsala/konton/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "kansli@uppsala.se" in html
    assert str(agare) in html and "Heby kommun" in html
    assert str(outsider) not in html
    row = re.search(rf"<tr>\s*<td>{agare}</td>.*?</tr>", html, re.S).group(0)
    assert "Insatsägare" in row and "<td>På</td>" in row and "Aktiv" in row
    assert "Förbundet kräver inte tvåstegsverifiering" in html
    own_row = re.search(rf"<tr>\s*<td>{kansli}</td>.*?</tr>", html, re.S).group(0)
    assert "Ta bort" not in own_row


def test_it_invites_a_new_person_by_mail(client, kansli, heby, celery_worker, smtp_inbox):
    client.force_login(kansli)

    response = _invite(client, kind="insatsagare", medlem=heby.pk)

    assert response.status_code == 302
    user = User.objects.get(email="maja.lind@heby.se")
    assert user.username == "maja.lind@heby.se"
    assert not user.has_usable_password()
    roll = Roll.objects.get(user=user)
    assert (roll.forbund.slug, roll.kind, roll.medlem) == ("uppsala", "insatsagare", heby)
    handelse = Handelse.objects.get(action="inbjuden")
    assert handelse.user == kansli and handelse.subject == user
    assert handelse.changes["roll"] == [None, "Insatsägare, Heby kommun"]

    (message,) = smtp_inbox.wait_for(1)
    assert message["To"] == "maja.lind@heby.se"
    assert message["Subject"].strip() == "Inbjudan till Samordningsförbundet Uppsala län"
    body = mail_body(message)
    assert "insatsägare för Heby kommun" in body
    link = re.search(r"http://testserver(/konto/aktivera/\S+/)", body).group(1)

    page = client.get(link, follow=True)
    assert "Ditt användarnamn är <strong>maja.lind@heby.se</strong>" in page.content.decode()
    set_url = page.redirect_chain[-1][0]
    mismatch = client.post(
        set_url, {"new_password1": "Sommar-lov-2026", "new_password2": "Vinter-lov-2026"}
    )
    assert "De två lösenordsfälten stämmer inte överens" in mismatch.content.decode()
    weak = client.post(set_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert "lösenord är alldeles för vanligt" in weak.content.decode()
    done = client.post(
        set_url, {"new_password1": "Sommar-lov-2026", "new_password2": "Sommar-lov-2026"}
    )
    assert done["Location"] == "/konto/logga-in/"
    assert client.get(link, follow=True).context["validlink"] is False  # used once

    client.logout()
    signed_in = client.post(
        "/konto/logga-in/", {"username": "maja.lind@heby.se", "password": "Sommar-lov-2026"}
    )
    assert signed_in.status_code == 302
    assert client.get("/uppsala/").status_code == 200


def test_an_existing_user_gets_the_role_and_a_mail(
    client, kansli, outsider, celery_worker, smtp_inbox
):
    outsider.email = "Anna@Gavle.se"
    outsider.save()
    client.force_login(kansli)

    response = _invite(client, email="anna@gavle.se", kind="revisor")

    assert response.status_code == 302
    assert User.objects.filter(email__iexact="anna@gavle.se").count() == 1
    assert set(outsider.roller.values_list("forbund__slug", "kind")) == {
        ("gavle", "kansli"),
        ("uppsala", "revisor"),
    }
    assert Handelse.objects.get(action="fick en roll").subject == outsider
    (message,) = smtp_inbox.wait_for(1)
    assert message["Subject"].strip() == "Du har fått en roll i Samordningsförbundet Uppsala län"
    assert "rollen revisor" in mail_body(message)
    assert "http://testserver/uppsala/" in mail_body(message)


def test_a_user_with_a_role_here_is_told(client, kansli, styrelse):
    styrelse.email = "styr@uppsala.se"
    styrelse.save()
    client.force_login(kansli)

    response = _invite(client, email="styr@uppsala.se", kind="revisor")

    assert response.status_code == 200
    assert f"{styrelse} har redan ett konto i förbundet, som styrelse." in (
        response.content.decode()
    )
    assert Roll.objects.get(user=styrelse).kind == "styrelse"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "insatsagare"}, "Välj den medlem som insatsägaren hör till."),
        ({"kind": "styrelse", "medlem": "HEBY"}, "Bara en insatsägare hör till en medlem"),
        ({"kind": "insatsagare", "medlem": "OTHER"}, "Välj ett giltigt alternativ"),
        ({"kind": "chef"}, "Välj ett giltigt alternativ"),
        ({"kind": "revisor", "email": "inte-en-adress"}, "Fyll i en giltig e-postadress"),
    ],
)
def test_it_refuses_a_bad_invitation(client, kansli, heby, other_forbund, data, message):
    other = MedlemFactory(forbund=other_forbund)
    data = {k: {"HEBY": heby.pk, "OTHER": other.pk}.get(v, v) for k, v in data.items()}
    client.force_login(kansli)

    response = _invite(client, **data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="maja.lind@heby.se").exists()


def test_it_removes_a_role_and_deactivates_a_user_without_roles(client, kansli, revisor):
    roll = Roll.objects.get(user=revisor)
    client.force_login(kansli)

    confirm = client.get(f"/uppsala/konton/{roll.pk}/ta-bort/")
    assert "Ta bort rollen" in confirm.content.decode()
    response = client.post(f"/uppsala/konton/{roll.pk}/ta-bort/", follow=True)

    assert "Kontot är avstängt" in response.content.decode()
    assert not Roll.objects.filter(pk=roll.pk).exists()
    revisor.refresh_from_db()
    assert not revisor.is_active
    handelse = Handelse.objects.get(action="roll borttagen")
    assert handelse.subject == revisor and handelse.changes == {"roll": ["Revisor", None]}


def test_a_user_keeps_other_forbunds_roles(client, kansli, other_forbund):
    user = UserFactory()
    here = RollFactory(user=user, forbund=kansli.roller.get().forbund, kind="styrelse")
    RollFactory(user=user, forbund=other_forbund, kind="revisor")
    client.force_login(kansli)

    client.post(f"/uppsala/konton/{here.pk}/ta-bort/")

    user.refresh_from_db()
    assert user.is_active
    assert list(user.roller.values_list("forbund__slug", flat=True)) == ["gavle"]


def test_kansli_cannot_remove_its_own_role(client, kansli):
    roll = Roll.objects.get(user=kansli)
    client.force_login(kansli)

    assert (
        "Du kan inte ta bort din egen roll"
        in client.get(f"/uppsala/konton/{roll.pk}/ta-bort/").content.decode()
    )
    response = client.post(f"/uppsala/konton/{roll.pk}/ta-bort/", follow=True)

    assert "Du kan inte ta bort din egen roll." in response.content.decode()
    assert Roll.objects.filter(pk=roll.pk).exists()
    assert not Handelse.objects.exists()


def test_another_forbunds_role_cannot_be_removed(client, kansli, outsider):
    roll = Roll.objects.get(user=outsider)
    client.force_login(kansli)

    assert client.post(f"/uppsala/konton/{roll.pk}/ta-bort/").status_code == 404
    assert Roll.objects.filter(pk=roll.pk).exists()


def test_a_removed_invitee_gets_no_mail(kansli, forbund, celery_worker, smtp_inbox):
    roll = RollFactory(forbund=forbund, kind="revisor", user=UserFactory(is_active=False))
    tasks.send_invitation(roll.pk, "http://testserver/")  # here, at once: sends nothing
    invitations.invite(
        forbund=forbund,
        by=kansli,
        first_name="Per",
        last_name="Ek",
        email="per@heby.se",
        kind="styrelse",
        base_url="http://testserver/",
    )

    (message,) = smtp_inbox.wait_for(1)
    assert message["To"] == "per@heby.se"
