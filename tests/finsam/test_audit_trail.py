"""The audit trail cannot be changed or deleted: not by a model method, a queryset,
a form, the admin, nor (on PostgreSQL) the application's own SQL."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

import budget.forms
import budget.plan.forms
import finsam.forms
import insatser.forms
from budget.forbundsfil import delete_forbund, load_forbund_file
from finsam.models import Forbund, Handelse, Medlem, audit_purge_allowed
from tests.factories import (
    ForbundFactory,
    InsatsFactory,
    LedamotFactory,
    MedlemFactory,
    RollFactory,
    UserFactory,
)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)

LITEN = """\
forbund: {slug: uppsala, name: Samordningsförbundet Uppsala län}
medlemmar:
  - {name: Försäkringskassan, kind: forsakringskassan}
"""


@pytest.fixture
def handelse(forbund, heby, kansli):
    return Handelse.record(
        forbund=forbund,
        user=kansli,
        subject=heby,
        action="ändrad",
        reason="Rätt namn",
        changes={"name": ["Heby", "Heby kommun"]},
    )


def _unchanged(handelse):
    fresh = Handelse.objects.get(pk=handelse.pk)
    assert (fresh.action, fresh.reason, fresh.changes) == (
        "ändrad",
        "Rätt namn",
        {"name": ["Heby", "Heby kommun"]},
    )


# Model and queryset -----------------------------------------------------------


def test_an_event_cannot_be_saved_again(handelse):
    handelse.action = "borttagen"
    with pytest.raises(ValidationError):
        handelse.save()
    _unchanged(handelse)


def test_an_event_cannot_be_deleted(handelse):
    with pytest.raises(ValidationError):
        handelse.delete()
    _unchanged(handelse)


@pytest.mark.parametrize(
    "change",
    [
        lambda qs: qs.update(action="borttagen"),
        lambda qs: qs.delete(),
        lambda qs: qs.bulk_update(list(qs), ["action"]),
        lambda qs: Handelse.objects.update(reason=""),
        lambda qs: Handelse.objects.bulk_update(list(qs), ["reason"]),
        lambda qs: Handelse.objects.update_or_create(pk=qs.get().pk, defaults={"reason": ""}),
    ],
    ids=["update", "delete", "bulk_update", "manager_update", "manager_bulk_update", "upsert"],
)
def test_no_queryset_changes_or_deletes_events(handelse, change):
    for event in Handelse.objects.all():
        event.action = "borttagen"
    with pytest.raises(ValidationError):
        change(Handelse.objects.filter(pk=handelse.pk))
    _unchanged(handelse)


def test_new_events_are_still_recorded(forbund, heby):
    Handelse.record(forbund=forbund, user=None, subject=heby, action="skapad")
    Handelse.objects.bulk_create(
        [Handelse(forbund=forbund, subject=heby, subject_repr=str(heby), action="x")]
    )
    assert Handelse.objects.count() == 2


# Forms and views -----------------------------------------------------------------


def test_no_form_edits_the_audit_trail():
    modules = [finsam.forms, insatser.forms, budget.forms, budget.plan.forms]
    model_forms = [
        form
        for module in modules
        for form in vars(module).values()
        if isinstance(form, type) and issubclass(form, forms.ModelForm) and form._meta.model
    ]
    assert len(model_forms) > 5  # the check sees the project's forms
    assert [f for f in model_forms if f._meta.model is Handelse] == []


def test_editing_an_object_adds_an_event_and_keeps_the_old(client, kansli, heby, handelse):
    client.force_login(kansli)
    client.post(
        f"/uppsala/medlemmar/{heby.pk}/andra/",
        {"name": "Heby kommun", "short_name": "Heby k", "kind": "kommun", "order": 0},
    )
    assert Handelse.objects.count() == 2
    _unchanged(handelse)


# The admin -------------------------------------------------------------------------


@pytest.fixture
def staff(db, client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_the_admin_lists_events_without_a_delete_action(client, staff, handelse):
    response = client.get("/admin/finsam/handelse/")
    assert response.status_code == 200
    assert response.context["action_form"] is None
    assert "delete_selected" not in response.content.decode()
    assert "Heby kommun" in response.content.decode()


def test_the_admin_shows_an_event_read_only(client, staff, handelse):
    response = client.get(f"/admin/finsam/handelse/{handelse.pk}/change/")
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert response.context["has_delete_permission"] is False
    assert 'name="_save"' not in response.content.decode()
    assert "Namn: Heby → Heby kommun" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/finsam/handelse/add/",
        "/admin/finsam/handelse/{pk}/change/",
        "/admin/finsam/handelse/{pk}/delete/",
    ],
)
def test_the_admin_refuses_to_add_change_or_delete(client, staff, handelse, url):
    data = {"action": "ändrad", "reason": "", "subject_repr": "x", "changes": "{}", "post": "yes"}
    response = client.post(url.format(pk=handelse.pk), data)
    assert response.status_code == 403
    _unchanged(handelse)


def test_the_admin_refuses_a_bulk_delete(client, staff, handelse):
    response = client.post(
        "/admin/finsam/handelse/",
        {"action": "delete_selected", "_selected_action": [handelse.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    _unchanged(handelse)


def test_the_admin_does_not_delete_a_forbund_with_history(client, staff, forbund, handelse):
    assert (
        client.post(f"/admin/finsam/forbund/{forbund.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Forbund.objects.filter(pk=forbund.pk).exists()
    _unchanged(handelse)


def test_the_admin_deletes_a_forbund_without_history(client, staff):
    empty = ForbundFactory(slug="tom")
    response = client.post(f"/admin/finsam/forbund/{empty.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Forbund.objects.filter(pk=empty.pk).exists()


# The admin's lists: queries that do not grow with the rows ---------------------------


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _events(forbund, n):
    for _ in range(n):
        medlem = MedlemFactory(forbund=forbund)
        Handelse.record(
            forbund=forbund,
            user=UserFactory(),
            subject=medlem,
            action="ändrad",
            changes={"name": ["A", "B"]},
        )


def test_the_admin_audit_list_makes_the_same_queries_for_3_and_30_events(client, staff, forbund):
    other = ForbundFactory(slug="gavle")
    _events(forbund, 2)
    _events(other, 1)
    few = _list_queries(client, "/admin/finsam/handelse/")
    _events(forbund, 15)
    _events(other, 12)
    many = _list_queries(client, "/admin/finsam/handelse/")
    assert many == few
    assert few <= 12


def _rows(forbund, n):
    for _ in range(n):
        medlem = MedlemFactory(forbund=forbund)
        LedamotFactory(medlem=medlem)
        InsatsFactory(forbund=forbund, agare=medlem)
        RollFactory(forbund=forbund, kind="insatsagare", medlem=medlem)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/finsam/medlem/",
        "/admin/finsam/ledamot/",
        "/admin/finsam/roll/",
        "/admin/insatser/insats/",
    ],
)
def test_other_admin_lists_do_not_grow_with_rows(client, staff, url):
    forbund, other = ForbundFactory(slug="a"), ForbundFactory(slug="b")
    _rows(forbund, 2)
    few = _list_queries(client, url)
    _rows(forbund, 5)
    _rows(other, 5)
    assert _list_queries(client, url) == few


# PostgreSQL: the database refuses too ---------------------------------------------------


@on_postgresql
@pytest.mark.parametrize(
    "sql",
    ["UPDATE finsam_handelse SET reason = 'ändrat'", "DELETE FROM finsam_handelse"],
)
def test_plain_sql_cannot_change_or_delete_events(handelse, sql):
    with (
        pytest.raises(DatabaseError, match="Händelseloggen kan inte ändras"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    _unchanged(handelse)


@on_postgresql
def test_the_purge_is_allowed_only_inside_its_block(forbund, handelse):
    with transaction.atomic():
        with audit_purge_allowed():
            pass
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM finsam_handelse")
    _unchanged(handelse)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_purge_needs_a_transaction():
    with pytest.raises(RuntimeError), audit_purge_allowed():
        pass


def test_the_loaders_replace_deletes_the_forbund_with_its_history(forbund, handelse):
    Handelse.record(forbund=forbund, user=None, subject=InsatsFactory(forbund=forbund), action="x")

    new = load_forbund_file(LITEN, replace=True)

    assert not Forbund.objects.filter(pk=forbund.pk).exists()
    assert not Handelse.objects.exists()
    assert Medlem.objects.of(new).count() == 1


@on_postgresql
def test_deleting_a_forbund_outside_the_loader_keeps_its_history(forbund, handelse):
    with pytest.raises(DatabaseError), transaction.atomic():
        forbund.delete()
    _unchanged(handelse)


@on_postgresql
def test_delete_forbund_switches_the_purge_off_again(forbund, other_forbund, heby):
    Handelse.record(forbund=other_forbund, user=None, subject=heby, action="x")
    with transaction.atomic():
        delete_forbund(forbund)
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM finsam_handelse")
    assert Handelse.objects.filter(forbund=other_forbund).count() == 1
