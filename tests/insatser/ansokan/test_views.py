"""The pages: the applicant writes, saves, resumes and sends in; kansli prepares."""

import datetime

import pytest
from django.db import transaction

from finsam.concurrency import CONFLICT
from finsam.models import Handelse
from insatser.ansokan import workflow
from insatser.models import Ansokan
from tests.factories import BudgetFactory, BudgetradFactory, SammantradeFactory
from tests.helpers import page_form, xlsx_rows

S = Ansokan.Status
pytestmark = pytest.mark.django_db


def _fill(data, heby_or_none, tierp):
    data.update(
        {
            "title": "Arbetsträning i Heby",
            "kind": "individ",
            "deltagare": [str(tierp.pk)],
            "start": "2027-01-01",
            "end": "2028-12-31",
            "description": "Många står långt från arbete.",
            "expected_women": "12",
            "expected_men": "9",
            "jamstalldhet": "Lika villkor.",
            "tillganglighet": "Tillgängliga lokaler.",
            "icke_diskriminering": "Alla välkomna.",
            "contact_name": "Hanna Holm",
            "contact_email": "hanna@example.org",
            "belopp-0-year": "2027",
            "belopp-0-amount": "450 000",
            "belopp-1-year": "2028",
            "belopp-1-amount": "400 000",
            "mal-0-text": "Fler i arbete",
            "mal-0-target": "40 % i arbete efter ett år",
        }
    )
    if heby_or_none is not None:
        data["agare"] = str(heby_or_none.pk)
    return data


def test_applicant_saves_a_draft_resumes_and_sends_in(client, agare, heby, tierp, omgang):
    client.force_login(agare)
    page = client.get("/uppsala/ansokningar/ny/")
    assert page.status_code == 200
    assert "sista ansökningsdag" in page.content.decode()
    data = page_form(page)
    data["title"] = "Arbetsträning i Heby"
    response = client.post("/uppsala/ansokningar/ny/", data)
    assert response.status_code == 302
    ansokan = Ansokan.objects.get()
    assert ansokan.status == S.UTKAST and ansokan.agare == heby and ansokan.omgang == omgang
    # Resumed later: the form holds what was saved.
    edit = f"/uppsala/ansokningar/{ansokan.pk}/andra/"
    data = _fill(page_form(client.get(edit)), None, tierp)
    data["skicka_in"] = "1"
    response = client.post(edit, data, follow=True)
    ansokan.refresh_from_db()
    assert ansokan.status == S.INSKICKAD, response.content.decode()[:3000]
    assert ansokan.diarienummer.endswith("/1")
    assert "diarienummer" in response.content.decode()
    assert [(b.year, int(b.amount)) for b in ansokan.belopp.all()] == [
        (2027, 450000),
        (2028, 400000),
    ]
    assert ansokan.submitted["mal"] == [
        {"text": "Fler i arbete", "target": "40 % i arbete efter ett år"}
    ]
    # A sent-in application is no longer edited.
    assert client.get(edit).status_code == 302


def test_an_incomplete_send_in_keeps_the_draft_and_says_why(client, agare, heby):
    client.force_login(agare)
    data = page_form(client.get("/uppsala/ansokningar/ny/"))
    data.update({"title": "Halvfärdig", "skicka_in": "1"})
    response = client.post("/uppsala/ansokningar/ny/", data, follow=True)
    ansokan = Ansokan.objects.get()
    assert ansokan.status == S.UTKAST
    assert "Minst två medlemmar" in response.content.decode()


def test_submitting_twice_from_the_page_gives_one_number(client, agare, draft):
    client.force_login(agare)
    url = f"/uppsala/ansokningar/{draft.pk}/skicka-in/"
    assert client.post(url).status_code == 302
    response = client.post(url, follow=True)
    assert "redan inskickad" in response.content.decode()
    assert Handelse.objects.filter(action="inskickad").count() == 1


def test_kansli_registers_on_the_applicants_behalf(
    client, kansli, agare, heby, tierp, omgang, media
):
    client.force_login(kansli)
    data = _fill(page_form(client.get("/uppsala/ansokningar/ny/")), heby, tierp)
    data["received_on"] = "2026-05-14"
    assert client.post("/uppsala/ansokningar/ny/", data).status_code == 302
    ansokan = Ansokan.objects.get()
    assert ansokan.registered_by_kansli and ansokan.status == S.UTKAST
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("brev.pdf", b"%PDF-1.4 brevet", content_type="application/pdf")
    url = f"/uppsala/ansokningar/{ansokan.pk}/bilagor/ny/"
    assert client.post(url, {"file": upload, "original": "on"}).status_code == 302
    assert client.post(f"/uppsala/ansokningar/{ansokan.pk}/skicka-in/").status_code == 302
    ansokan.refresh_from_db()
    assert ansokan.status == S.INSKICKAD
    assert ansokan.received_at.date() == datetime.date(2026, 5, 14)
    assert ansokan.late is True  # after 12 May
    assert ansokan.diarienummer == "2026/1"
    # The applicant's contacts see it from then on.
    client.force_login(agare)
    assert ansokan.title in client.get("/uppsala/ansokningar/").content.decode()


def test_inbox_filters_searches_sorts_and_exports(client, kansli, submitted, others):
    client.force_login(kansli)
    page = client.get("/uppsala/ansokningar/").content.decode()
    assert submitted.title in page and others.title in page
    assert client.get("/uppsala/ansokningar/").context["by_status"] == [
        ("inskickad", "Inskickad", 2)
    ]
    page = client.get("/uppsala/ansokningar/?q=hemliga").content.decode()
    assert others.title in page and submitted.title not in page
    page = client.get(f"/uppsala/ansokningar/?omgang={submitted.omgang_id}").content.decode()
    assert submitted.title in page and others.title not in page
    page = client.get("/uppsala/ansokningar/?status=beredning").content.decode()
    assert submitted.title not in page
    assert client.get("/uppsala/ansokningar/?sort=-asked").status_code == 200
    rows = xlsx_rows(client.get("/uppsala/ansokningar/?export=xlsx"))
    assert any(submitted.diarienummer in map(str, row) for row in rows)


def test_kansli_never_sees_an_applicants_draft(client, kansli, draft):
    client.force_login(kansli)
    assert draft.title not in client.get("/uppsala/ansokningar/").content.decode()
    assert client.get(f"/uppsala/ansokningar/{draft.pk}/").status_code == 403


def test_another_member_sees_nothing_not_in_list_count_or_search(client, agare, others):
    client.force_login(agare)
    page = client.get("/uppsala/ansokningar/")
    assert others.title not in page.content.decode()
    assert page.context["table"].paginator.count == 0
    assert page.context["by_status"] == []  # not even in a count
    assert client.get(f"/uppsala/ansokningar/{others.pk}/").status_code == 404
    found = client.get("/uppsala/sok/?q=hemliga").content.decode()
    assert others.title not in found
    by_number = client.get(f"/uppsala/sok/?q={others.diarienummer}").content.decode()
    assert others.title not in by_number


def test_search_links_to_the_application(client, kansli, submitted):
    client.force_login(kansli)
    found = client.get(f"/uppsala/sok/?q={submitted.title}").content.decode()
    assert f"/uppsala/ansokningar/{submitted.pk}/" in found


def test_completion_request_and_answer_through_the_pages(client, kansli, agare, submitted):
    client.force_login(kansli)
    url = f"/uppsala/ansokningar/{submitted.pk}/komplettering/"
    assert client.post(url, {"text": "Bifoga budgeten."}).status_code == 302
    client.force_login(agare)
    page = client.get(f"/uppsala/ansokningar/{submitted.pk}/").content.decode()
    assert "Bifoga budgeten." in page and "Svara på kompletteringen" in page
    url = f"/uppsala/ansokningar/{submitted.pk}/svar/"
    assert client.post(url, {"text": "Budgeten är bifogad."}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.BEREDNING
    page = client.get(f"/uppsala/ansokningar/{submitted.pk}/").content.decode()
    assert "komplettering besvarad" in page.lower()  # on the history the applicant reads


def test_notes_are_for_kansli_only(client, kansli, agare, submitted):
    client.force_login(kansli)
    url = f"/uppsala/ansokningar/{submitted.pk}/anteckning/"
    assert client.post(url, {"text": "Ring Heby om budgeten."}).status_code == 302
    assert "Ring Heby" in client.get(f"/uppsala/ansokningar/{submitted.pk}/").content.decode()
    client.force_login(agare)
    assert "Ring Heby" not in client.get(f"/uppsala/ansokningar/{submitted.pk}/").content.decode()


def test_proposal_shows_the_room_to_decide_before_and_after(client, kansli, submitted, forbund):
    budget = BudgetFactory(forbund=forbund, year=2027)
    BudgetradFactory(budget=budget, group="ovriga_intakter", name="Intäkt", amount=2_000_000)
    client.force_login(kansli)
    url = f"/uppsala/ansokningar/{submitted.pk}/forslag/"
    page = client.get(url)
    assert page.status_code == 200
    data = page_form(page)
    data.update({"proposal": "Bevilja 300 000 kr för 2027.", "proposed_2027": "300 000"})
    assert client.post(url, data).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.BEREDNING
    assert int(submitted.belopp.get().proposed) == 300000
    rooms = client.get(url).context["room"]
    assert rooms[0].year == 2027 and rooms[0].before is not None
    assert rooms[0].after == rooms[0].before - 300000


def test_two_kansli_editing_the_same_proposal_the_second_is_told(
    client, kansli, submitted, forbund
):
    from tests.factories import RollFactory

    other = RollFactory(forbund=forbund, kind="kansli").user
    url = f"/uppsala/ansokningar/{submitted.pk}/forslag/"
    client.force_login(kansli)
    first = page_form(client.get(url))
    second_client = type(client)()
    second_client.force_login(other)
    second = page_form(second_client.get(url))
    first["proposal"] = "Bevilja."
    assert client.post(url, first).status_code == 302
    second["proposal"] = "Avslå."
    response = second_client.post(url, second)
    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.proposal == "Bevilja."


def test_ready_and_on_the_agenda(client, kansli, submitted, forbund):
    meeting = SammantradeFactory(forbund=forbund, date=datetime.date(2099, 9, 15))
    submitted.proposal = "Bevilja."
    submitted.save()
    client.force_login(kansli)
    assert client.post(f"/uppsala/ansokningar/{submitted.pk}/klar/").status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.KLAR_FOR_BESLUT
    url = f"/uppsala/ansokningar/{submitted.pk}/dagordning/"
    assert client.post(url, {"sammantrade": meeting.pk}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.arende.sammantrade == meeting


def test_withdraw_through_the_page(client, agare, submitted):
    client.force_login(agare)
    url = f"/uppsala/ansokningar/{submitted.pk}/aterta/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "Annan finansiering"}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.ATERTAGEN
    assert client.get(url).status_code == 403


def test_rounds_page(client, kansli, omgang):
    client.force_login(kansli)
    assert omgang.title in client.get("/uppsala/ansokningsomgangar/").content.decode()
    data = page_form(client.get("/uppsala/ansokningsomgangar/ny/"))
    data.update({"title": "Ansökningar 2028", "year": "2028", "deadline": "2027-05-12"})
    assert client.post("/uppsala/ansokningsomgangar/ny/", data).status_code == 302
    data = page_form(client.get(f"/uppsala/ansokningsomgangar/{omgang.pk}/andra/"))
    data["title"] = "Ansökningar 2028"
    response = client.post(f"/uppsala/ansokningsomgangar/{omgang.pk}/andra/", data)
    assert response.status_code == 200  # the name is taken


def test_detail_shows_what_was_submitted(client, kansli, submitted):
    submitted.title = "Ändrat namn efteråt"
    submitted.description = "Ändrad text"
    submitted.save()
    client.force_login(kansli)
    page = client.get(f"/uppsala/ansokningar/{submitted.pk}/").content.decode()
    assert "Behovet är stort." in page and "Ändrad text" not in page


def test_every_step_is_on_the_history(client, kansli, submitted):
    with transaction.atomic():
        workflow.start_preparation(submitted, kansli)
    client.force_login(kansli)
    page = client.get(f"/uppsala/ansokningar/{submitted.pk}/").content.decode()
    assert "beredning påbörjad" in page.lower() and "inskickad" in page.lower()


def test_two_people_editing_the_same_draft_the_second_is_told(client, agare, heby, tierp, forbund):
    from tests.factories import RollFactory

    colleague = RollFactory(forbund=forbund, kind="insatsagare", medlem=heby).user
    client.force_login(agare)
    data = page_form(client.get("/uppsala/ansokningar/ny/"))
    data["title"] = "Gemensamt utkast"
    client.post("/uppsala/ansokningar/ny/", data)
    ansokan = Ansokan.objects.get()
    edit = f"/uppsala/ansokningar/{ansokan.pk}/andra/"
    first = page_form(client.get(edit))
    other = type(client)()
    other.force_login(colleague)
    second = page_form(other.get(edit))
    first.update({"belopp-0-year": "2027", "belopp-0-amount": "100 000"})
    assert client.post(edit, first).status_code == 302
    second["description"] = "Min text"
    response = other.post(edit, second)
    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    ansokan.refresh_from_db()
    assert ansokan.description == ""
    # Saving again keeps both edits.
    again = page_form(response)
    assert other.post(edit, again).status_code == 302
    ansokan.refresh_from_db()
    assert ansokan.description == "Min text"
    assert ansokan.belopp.get().amount == 100000


def test_the_applicant_is_mailed_a_completion_request(
    client, kansli, agare, submitted, celery_worker, smtp_inbox
):
    agare.email = "hanna@example.org"
    agare.save()
    client.force_login(kansli)
    url = f"/uppsala/ansokningar/{submitted.pk}/komplettering/"
    assert client.post(url, {"text": "Bifoga en tidsplan."}).status_code == 302
    (message,) = smtp_inbox.wait_for(1)
    assert sorted(message["To"].addresses[i].addr_spec for i in range(2)) == [
        "hanna@example.org",
        "kim@example.org",
    ]
    assert submitted.diarienummer in message["Subject"]
    body = message.get_body().get_content()
    assert "Bifoga en tidsplan." in body
    assert f"/uppsala/ansokningar/{submitted.pk}/" in body


def test_the_applicants_start_page_lists_its_open_applications(client, agare, submitted, others):
    from insatser.ansokan import workflow as wf

    with transaction.atomic():
        wf.request_completion(submitted, agare, "Mer underlag?")
    client.force_login(agare)
    page = client.get("/uppsala/").content.decode()
    assert submitted.title in page and "svara på kompletteringen" in page
    assert others.title not in page
