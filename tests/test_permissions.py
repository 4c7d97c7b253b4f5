"""The permission matrix: every förbund URL, every role.

Each row says which roles may open the page (200, or 302 where the page
redirects); every other role of the förbund gets 403, or 404 where the object
is not theirs to know of. A user of another förbund gets 404 everywhere,
and an anonymous visitor is sent to the login page. A new URL under
/<förbund>/ fails `test_every_forbund_url_is_in_the_matrix` until it is added.
"""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver

from budget.models import Avsnitt, Budget, Budgetrad, Mal, Resultatmal, Risk, Verksamhetsplan
from finsam.models import Dokument, Jav, Protokoll, Roll, Sammantrade
from insatser.models import Ansokan
from tests.factories import (
    AnslagFactory,
    ArendeFactory,
    BudgetFactory,
    BudgetradFactory,
    InsatsFactory,
    LedamotFactory,
    MedlemsavgiftFactory,
    RekvisitionFactory,
    RollFactory,
    SammantradeFactory,
)
from uppfoljning.models import Aktivitet, Rapport

ALL = {"kansli", "styrelse", "revisor", "insatsagare"}
READERS = {"kansli", "styrelse", "revisor"}
KANSLI = {"kansli"}
APPLICANTS = {"kansli", "insatsagare"}

# path template, the roles that may open it, the status the others get
MATRIX = [
    ("/uppsala/", ALL, 403),
    ("/uppsala/medlemmar/", READERS, 403),
    ("/uppsala/medlemmar/ny/", KANSLI, 403),
    ("/uppsala/medlemmar/{medlem}/", READERS, 403),
    ("/uppsala/medlemmar/{medlem}/andra/", KANSLI, 403),
    ("/uppsala/styrelsen/", READERS, 403),
    ("/uppsala/styrelsen/ny/", KANSLI, 403),
    ("/uppsala/styrelsen/{ledamot}/andra/", KANSLI, 403),
    ("/uppsala/sammantraden/", READERS, 403),
    ("/uppsala/sammantraden/ny/", KANSLI, 403),
    ("/uppsala/sammantraden/{sammantrade}/", READERS, 403),
    ("/uppsala/sammantraden/{sammantrade}/andra/", KANSLI, 403),
    ("/uppsala/insatser/", ALL, 403),
    ("/uppsala/sok/", ALL, 403),
    ("/uppsala/insatser/ny/", KANSLI, 403),
    ("/uppsala/insatser/{own_insats}/", ALL, 403),
    ("/uppsala/insatser/{other_insats}/", READERS, 404),
    ("/uppsala/insatser/{own_insats}/andra/", KANSLI, 403),
    ("/uppsala/rapporter/forsenade/", KANSLI, 403),
    ("/uppsala/rapporter/installningar/", KANSLI, 403),
    ("/uppsala/rapporter/{own_rapport}/", ALL, 403),
    ("/uppsala/rapporter/{other_rapport}/", READERS, 404),
    ("/uppsala/rapporter/", ALL, 403),
    ("/uppsala/rapporter/{own_rapport}/andra/", APPLICANTS, 403),
    ("/uppsala/rapporter/{own_rapport}/godkann/", KANSLI, 403),
    ("/uppsala/rapporter/{own_rapport}/aterforvisa/", KANSLI, 403),
    ("/uppsala/budget/", READERS, 403),
    ("/uppsala/budget/{year}/", READERS, 403),
    ("/uppsala/budget/{year}/andra/", KANSLI, 403),
    ("/uppsala/budget/{year}/medlemsavgifter/", READERS, 403),
    ("/uppsala/budget/{year}/utfall/", KANSLI, 403),
    ("/uppsala/budget/{year}/excel/", READERS, 403),
    ("/uppsala/budget/{year}/forslag/", KANSLI, 403),
    ("/uppsala/budget/{year}/faststall/", KANSLI, 403),
    ("/uppsala/budget/{year}/publicera/", KANSLI, 403),
    ("/uppsala/budget/{year}/ny-version/", KANSLI, 403),
    ("/uppsala/budget/{year}/pdf/", KANSLI, 403),
    ("/uppsala/budget/{year}/dokument/", READERS, 403),
    ("/uppsala/plan/", ALL, 403),
    ("/uppsala/plan/{year}/", READERS, 403),
    ("/uppsala/plan/{year}/faststall/", KANSLI, 403),
    ("/uppsala/plan/{year}/publicera/", KANSLI, 403),
    ("/uppsala/plan/{year}/avsnitt/ny/", KANSLI, 403),
    ("/uppsala/plan/{year}/avsnitt/{avsnitt}/andra/", KANSLI, 403),
    ("/uppsala/plan/{year}/avsnitt/{avsnitt}/ta-bort/", KANSLI, 403),
    ("/uppsala/plan/{year}/disposition/", KANSLI, 403),
    ("/uppsala/plan/{year}/arshjul/", KANSLI, 403),
    ("/uppsala/plan/{year}/mal/", KANSLI, 403),
    ("/uppsala/plan/{year}/risker/", READERS, 403),
    ("/uppsala/plan/{year}/risker/ny/", KANSLI, 403),
    ("/uppsala/plan/{year}/risker/{risk}/andra/", KANSLI, 403),
    ("/uppsala/plan/{year}/risker/{risk}/ta-bort/", KANSLI, 403),
    ("/uppsala/plan/{year}/pdf/", KANSLI, 403),
    ("/uppsala/plan/{year}/dokument/", READERS, 403),
    ("/uppsala/plan/{year}/forhandsvisning/", READERS, 403),
    ("/uppsala/dokument/{dokument}/", READERS, 403),
    ("/uppsala/dokument/{dokument}/fil/", READERS, 403),
    ("/uppsala/konton/", KANSLI, 403),
    ("/uppsala/konton/bjud-in/", KANSLI, 403),
    ("/uppsala/konton/{roll}/ta-bort/", KANSLI, 403),
    # --- part A: applications (own_*: Heby's, the matrix's insatsägare; other_*: Tierp's)
    ("/uppsala/ansokningar/", ALL, 403),
    ("/uppsala/ansokningar/ny/", APPLICANTS, 403),
    ("/uppsala/ansokningar/{own_ansokan}/", ALL, 403),
    ("/uppsala/ansokningar/{other_ansokan}/", READERS, 404),
    ("/uppsala/ansokningar/{own_draft}/", {"insatsagare"}, 403),
    ("/uppsala/ansokningar/{own_draft}/andra/", {"insatsagare"}, 403),
    ("/uppsala/ansokningar/{kansli_draft}/andra/", KANSLI, 403),
    ("/uppsala/ansokningar/{own_draft}/skicka-in/", {"insatsagare"}, 403),
    ("/uppsala/ansokningar/{own_ansokan}/aterta/", APPLICANTS, 403),
    ("/uppsala/ansokningar/{own_draft}/bilagor/ny/", {"insatsagare"}, 403),
    ("/uppsala/ansokningar/{own_ansokan}/bilagor/ny/", KANSLI, 403),
    ("/uppsala/ansokningar/{own_ansokan}/bilagor/{own_bilaga}/fil/", ALL, 403),
    ("/uppsala/ansokningar/{other_ansokan}/bilagor/{other_bilaga}/fil/", READERS, 404),
    ("/uppsala/ansokningar/{own_komplettering}/svar/", APPLICANTS, 403),
    ("/uppsala/ansokningar/{own_ansokan}/anteckning/", KANSLI, 403),
    ("/uppsala/ansokningar/{own_ansokan}/komplettering/", KANSLI, 403),
    ("/uppsala/ansokningar/{own_ansokan}/beredning/", KANSLI, 403),
    ("/uppsala/ansokningar/{own_ansokan}/forslag/", KANSLI, 403),
    ("/uppsala/ansokningar/{own_ansokan}/klar/", KANSLI, 403),
    ("/uppsala/ansokningar/{own_ansokan}/dagordning/", KANSLI, 403),
    ("/uppsala/ansokningsomgangar/", KANSLI, 403),
    ("/uppsala/ansokningsomgangar/ny/", KANSLI, 403),
    ("/uppsala/ansokningsomgangar/{omgang}/andra/", KANSLI, 403),
    # --- part B: the meeting (a board member declares jäv only for its own seat:
    # the matrix's styrelse user has none, see tests/finsam/meetings/test_pages.py)
    ("/uppsala/dagordningsmall/", KANSLI, 403),
    ("/uppsala/sammantraden/kommande/", READERS, 403),
    ("/uppsala/sammantraden/{sammantrade}/dagordning/", KANSLI, 403),
    ("/uppsala/sammantraden/{sammantrade}/staende-punkter/", KANSLI, 403),
    ("/uppsala/sammantraden/{sammantrade}/kallelse/", KANSLI, 403),
    ("/uppsala/sammantraden/{sammantrade}/genomfort/", KANSLI, 403),
    ("/uppsala/sammantraden/{sammantrade}/narvaro/", KANSLI, 403),
    ("/uppsala/sammantraden/{sammantrade}/arenden/{arende}/jav/", KANSLI, 403),
    ("/uppsala/sammantraden/{sammantrade}/arenden/{arende}/jav/{jav}/ta-bort/", KANSLI, 403),
    ("/uppsala/sammantraden/{sammantrade}/arenden/{arende}/beslut/", KANSLI, 403),
    # --- part C: minutes, decisions
    ("/uppsala/sammantraden/{sammantrade}/protokoll/", READERS, 403),
    ("/uppsala/sammantraden/{sammantrade}/protokoll/andra/", KANSLI, 403),
    ("/uppsala/sammantraden/{sammantrade}/protokoll/pdf/", KANSLI, 403),
    ("/uppsala/sammantraden/{sammantrade}/protokoll/justera/", {"styrelse"}, 403),
    ("/uppsala/sammantraden/{sammantrade}/protokoll/fil/{protokoll_dokument}/", READERS, 403),
    ("/uppsala/beslut/", READERS, 403),
    ("/uppsala/installningar/delegation/", KANSLI, 403),
    ("/uppsala/ansokningar/{own_ansokan}/delegationsbeslut/", KANSLI, 403),
    ("/uppsala/ansokningar/{own_ansokan}/beslutsbrev.pdf", ALL, 403),
    ("/uppsala/ansokningar/{other_ansokan}/beslutsbrev.pdf", READERS, 404),
    # --- payment claims (Rekvisition)
    ("/uppsala/rekvisitioner/", ALL, 403),
    ("/uppsala/rekvisitioner/{own_rekvisition}/", ALL, 403),
    ("/uppsala/rekvisitioner/{other_rekvisition}/", READERS, 404),
    ("/uppsala/rekvisitioner/{own_rekvisition}/beslut/", KANSLI, 403),
    ("/uppsala/insatser/{own_insats}/rekvisitioner/ny/", {"insatsagare"}, 403),
    ("/uppsala/insatser/{own_insats}/rekvisitioner/registrera/", KANSLI, 403),
    # --- competence activities (Aktivitet)
    ("/uppsala/aktiviteter/", READERS, 403),
    ("/uppsala/aktiviteter/ny/", KANSLI, 403),
    ("/uppsala/aktiviteter/{aktivitet}/andra/", KANSLI, 403),
    ("/uppsala/aktiviteter/{aktivitet}/ta-bort/", KANSLI, 403),
    # --- the board's follow-up (an insatsägare reads none of it)
    ("/uppsala/uppfoljning/", READERS, 403),
    ("/uppsala/uppfoljning/excel/", READERS, 403),
    ("/uppsala/uppfoljning/pdf/", KANSLI, 403),
    ("/uppsala/uppfoljning/bedomning/{resultatmal}/", KANSLI, 403),
    ("/uppsala/dokument/{uppfoljning_dokument}/", READERS, 403),
    ("/uppsala/dokument/{uppfoljning_dokument}/fil/", READERS, 403),
]

# --- part C: pages for everyone, without login (the anslagstavla).
PUBLIC = [
    "/uppsala/anslagstavla/",
    "/uppsala/anslagstavla/{posted_protokoll}/protokoll.pdf",
]

# Pages that only take a POST: the roles allowed get 405 for a GET, after the
# role is checked.
POST_ONLY = {
    "/uppsala/rapporter/{own_rapport}/godkann/",
    "/uppsala/budget/{year}/pdf/",
    "/uppsala/plan/{year}/pdf/",
    "/uppsala/ansokningar/{own_draft}/skicka-in/",
    "/uppsala/ansokningar/{own_ansokan}/beredning/",
    "/uppsala/ansokningar/{own_ansokan}/klar/",
    # --- part B
    "/uppsala/sammantraden/{sammantrade}/staende-punkter/",
    "/uppsala/sammantraden/{sammantrade}/kallelse/",
    "/uppsala/sammantraden/{sammantrade}/genomfort/",
    "/uppsala/sammantraden/{sammantrade}/arenden/{arende}/jav/{jav}/ta-bort/",
    "/uppsala/sammantraden/{sammantrade}/protokoll/pdf/",
    "/uppsala/sammantraden/{sammantrade}/protokoll/justera/",
    "/uppsala/uppfoljning/pdf/",
}


@pytest.fixture
def objects(forbund, heby, tierp, region, media):
    meeting = SammantradeFactory(forbund=forbund, date=datetime.date(2026, 11, 26))
    arende = ArendeFactory(sammantrade=meeting, number=1)
    jav = Jav.objects.create(arende=arende, ledamot=LedamotFactory(medlem=heby), reason="Jäv")
    own = InsatsFactory(forbund=forbund, agare=heby, name="Plattform för individstöd")
    own.deltagare.add(region)
    AnslagFactory(insats=own, year=2026)
    other = InsatsFactory(forbund=forbund, agare=tierp, name="Min framtid")
    AnslagFactory(insats=other, year=2026)
    MedlemsavgiftFactory(medlem=heby, year=2026)
    budget = BudgetFactory(forbund=forbund, year=2026, status=Budget.Status.UTKAST)
    BudgetradFactory(
        budget=budget,
        group=Budgetrad.Group.MEDLEMSAVGIFTER,
        name="Medlemsavgifter",
        source=Budgetrad.Source.MEDLEMSAVGIFTER,
        amount=None,
    )
    BudgetradFactory(budget=budget)
    plan = Verksamhetsplan.objects.create(forbund=forbund, year=2026)
    avsnitt = Avsnitt.objects.create(plan=plan, key="inledning", title="Inledning", body="Text.")
    risk = Risk.objects.create(plan=plan, risk="Sen rapportering", likelihood=2, consequence=3)
    dokument = Dokument.objects.create(
        forbund=forbund,
        kind=Dokument.Kind.VERKSAMHETSPLAN,
        title="Verksamhetsplan och budget 2026",
        status=Dokument.Status.DONE,
        file=ContentFile(b"%PDF-1.7 test", name="plan.pdf"),
        subject=plan,
    )
    applications = _ansokan_objects(forbund, heby, tierp)
    own_claim = RekvisitionFactory(insats=own, status="inskickad", diarienummer="2026/1")
    other_claim = RekvisitionFactory(insats=other, status="inskickad", diarienummer="2026/2")
    return {
        **applications,
        "own_rekvisition": own_claim.pk,
        "aktivitet": Aktivitet.objects.create(
            forbund=forbund, title="Nätverksträff", kind="natverk", date=datetime.date(2026, 5, 4)
        ).pk,
        "other_rekvisition": other_claim.pk,
        "medlem": heby.pk,
        "ledamot": LedamotFactory(medlem=heby).pk,
        "sammantrade": meeting.pk,
        "arende": arende.pk,  # part B
        "jav": jav.pk,  # part B
        "own_insats": own.pk,
        "other_insats": other.pk,
        "own_rapport": Rapport.objects.filter(insats=own).first().pk,
        "other_rapport": Rapport.objects.filter(insats=other).first().pk,
        "year": 2026,
        "avsnitt": avsnitt.pk,
        "risk": risk.pk,
        "dokument": dokument.pk,
        "roll": RollFactory(forbund=forbund, kind=Roll.Kind.REVISOR).pk,
        **_part_c_objects(forbund, meeting, applications),
        **_followup_objects(forbund, plan),
    }


def _followup_objects(forbund, plan):
    """The board's follow-up: a manual result target of the year's plan, a PDF."""
    mal = Mal.objects.create(plan=plan, number=1, title="Fler i arbete")
    target = Resultatmal.objects.create(mal=mal, number="1.1", text="Samverkan fördjupas")
    pdf = Dokument.objects.create(
        forbund=forbund,
        kind=Dokument.Kind.UPPFOLJNING,
        title="Uppföljning till styrelsen 2026, första halvåret",
        status=Dokument.Status.DONE,
        file=ContentFile(b"%PDF-1.7 test", name="uppfoljning.pdf"),
        subject=forbund,
    )
    return {"resultatmal": target.pk, "uppfoljning_dokument": pdf.pk}


def _part_c_objects(forbund, meeting, applications):
    """Part C: the meeting's minutes with a PDF, letters for part A's sent-in
    applications (Heby's and Tierp's), posted minutes."""
    protokoll = Protokoll.objects.create(sammantrade=meeting)
    pdf = Dokument.objects.create(
        forbund=forbund,
        kind=Dokument.Kind.PROTOKOLL,
        title="Protokoll",
        status=Dokument.Status.DONE,
        file=ContentFile(b"%PDF-1.7 test", name="protokoll.pdf"),
        subject=protokoll,
    )
    for key in ("own_ansokan", "other_ansokan"):
        ansokan = Ansokan.objects.get(pk=applications[key])
        Dokument.objects.create(
            forbund=forbund,
            kind=Dokument.Kind.BESLUTSBREV,
            title=f"Beslutsbrev {ansokan.diarienummer}",
            status=Dokument.Status.DONE,
            file=ContentFile(b"%PDF-1.7 brev", name="brev.pdf"),
            subject=ansokan,
        )
    held = SammantradeFactory(forbund=forbund, date=datetime.date(2026, 9, 17))
    posted = Protokoll.objects.create(sammantrade=held, posted_at=datetime.date(2026, 9, 25))
    signed = Dokument.objects.create(
        forbund=forbund,
        kind=Dokument.Kind.PROTOKOLL,
        title="Protokoll 2026-09-17",
        status=Dokument.Status.DONE,
        archived=True,
        file=ContentFile(b"%PDF-1.7 arkiv", name="arkiv.pdf"),
        subject=posted,
    )
    posted.dokument = signed
    posted.save()
    held.status = Sammantrade.Status.PUBLICERAT
    held.save()
    return {
        "protokoll_dokument": pdf.pk,
        "posted_protokoll": posted.pk,
    }


def _ansokan_objects(forbund, heby, tierp):
    """Part A: Heby's draft, sent-in application (with an attachment) and one awaiting
    completion; kansli's draft for Heby; Tierp's sent-in application; a round."""
    from insatser.models import Ansokan, Bilaga, Komplettering
    from tests.factories import AnsokanFactory, AnsokningsomgangFactory, UserFactory

    S = Ansokan.Status
    omgang = AnsokningsomgangFactory(forbund=forbund)
    own_draft = AnsokanFactory(forbund=forbund, agare=heby, deltagare=[tierp])
    kansli_draft = AnsokanFactory(forbund=forbund, agare=heby, registered_by_kansli=True)
    own = AnsokanFactory(forbund=forbund, agare=heby, status=S.INSKICKAD, diarienummer="2026/1")
    other = AnsokanFactory(forbund=forbund, agare=tierp, status=S.INSKICKAD, diarienummer="2026/2")
    asked = AnsokanFactory(
        forbund=forbund, agare=heby, status=S.KOMPLETTERING, diarienummer="2026/3"
    )
    Komplettering.objects.create(ansokan=asked, question="Budget?", asked_by=UserFactory())

    def bilaga(ansokan):
        row = Bilaga(ansokan=ansokan, name="a.pdf", content_type="application/pdf", size=13)
        row.sha256 = "0" * 64
        row.file.save("a.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        row.save()
        return row.pk

    return {
        "omgang": omgang.pk,
        "own_draft": own_draft.pk,
        "kansli_draft": kansli_draft.pk,
        "own_ansokan": own.pk,
        "other_ansokan": other.pk,
        "own_komplettering": asked.pk,
        "own_bilaga": bilaga(own),
        "other_bilaga": bilaga(other),
    }


def _cases():
    for template, allowed, refused in MATRIX:
        for role in sorted(ALL):
            yield pytest.param(template, role, allowed, refused, id=f"{role}:{template}")


@pytest.mark.parametrize(("template", "role", "allowed", "refused"), list(_cases()))
def test_role_matrix(client, roles, objects, template, role, allowed, refused):
    client.force_login(roles[role])
    response = client.get(template.format(**objects))
    if role in allowed:
        expected = (405,) if template in POST_ONLY else (200, 302)
        assert response.status_code in expected, response.status_code
    else:
        assert response.status_code == refused


@pytest.mark.parametrize("template", [row[0] for row in MATRIX])
def test_another_forbunds_user_gets_404(client, outsider, objects, template):
    client.force_login(outsider)
    assert client.get(template.format(**objects)).status_code == 404


@pytest.mark.parametrize("template", [row[0] for row in MATRIX])
def test_another_forbunds_user_cannot_post(client, outsider, objects, template):
    client.force_login(outsider)
    assert client.post(template.format(**objects), {}).status_code == 404


@pytest.mark.parametrize("template", [row[0] for row in MATRIX])
def test_anonymous_is_sent_to_login(client, objects, template):
    response = client.get(template.format(**objects))
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")


@pytest.mark.parametrize("template", [row[0] for row in MATRIX if row[1] == KANSLI])
def test_readers_cannot_post_to_edit_pages(client, styrelse, revisor, objects, template):
    for user in (styrelse, revisor):
        client.force_login(user)
        assert client.post(template.format(**objects), {}).status_code == 403


def _forbund_routes():
    """Every route under /<slug:forbund>/, as a path template."""
    root = next(p for p in get_resolver().url_patterns if str(p.pattern) == "<slug:forbund>/")

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return set(walk(root.url_patterns, "<slug:forbund>/"))


def test_every_forbund_url_is_in_the_matrix():
    def normalize(path):
        return re.sub(r"\{[^}]+\}|<[^>]+>", "*", path.replace("/uppsala/", "<slug:forbund>/", 1))

    covered = {normalize(row[0]) for row in MATRIX} | {normalize(path) for path in PUBLIC}
    missing = {route for route in _forbund_routes() if normalize(route) not in covered}
    assert not missing, f"add these URLs to the permission matrix: {sorted(missing)}"


PUBLISHED_READS = [
    "/uppsala/budget/{year}/",
    "/uppsala/budget/{year}/excel/",
    "/uppsala/budget/{year}/dokument/",
    "/uppsala/plan/{year}/",
    "/uppsala/plan/{year}/risker/",
    "/uppsala/plan/{year}/dokument/",
    "/uppsala/plan/{year}/forhandsvisning/",
    "/uppsala/dokument/{dokument}/",
    "/uppsala/dokument/{dokument}/fil/",
]


@pytest.mark.parametrize("template", PUBLISHED_READS)
def test_insatsagare_reads_what_is_published(client, agare, objects, template):
    client.force_login(agare)
    url = template.format(**objects)
    assert client.get(url).status_code == 403
    Budget.objects.update(status=Budget.Status.PUBLICERAD)
    Verksamhetsplan.objects.update(status=Verksamhetsplan.Status.PUBLICERAD)
    assert client.get(url).status_code == 200


# --- part C: the anslagstavla is public


@pytest.mark.parametrize("template", PUBLIC)
def test_public_pages_need_no_login(client, objects, template):
    assert client.get(template.format(**objects)).status_code == 200


@pytest.mark.parametrize("template", PUBLIC)
def test_public_pages_are_the_same_for_every_role(client, roles, outsider, objects, template):
    for user in [*roles.values(), outsider]:
        client.force_login(user)
        assert client.get(template.format(**objects)).status_code == 200


def test_the_anslagstavla_lists_only_this_forbunds_posted_minutes(client, objects, other_forbund):
    page = client.get("/uppsala/anslagstavla/").content.decode()
    assert "2026-09-17" in page
    assert "2026-11-26" not in page  # the meeting whose minutes are not signed
    assert "2026-09-17" not in client.get("/gavle/anslagstavla/").content.decode()
    url = f"/gavle/anslagstavla/{objects['posted_protokoll']}/protokoll.pdf"
    assert client.get(url).status_code == 404
