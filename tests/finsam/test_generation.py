"""The per-förbund generation: every write path moves it after commit, and only its own förbund's.

Cached fragments are keyed by it (finsam/generation.py). The test's
transaction never commits, so each write runs under
`django_capture_on_commit_callbacks(execute=True)`, which runs what a commit runs.
"""

import pytest
from django.db import transaction
from django.test import RequestFactory

from finsam import generation
from finsam.models import Handelse, Medlem, Roll
from insatser.models import Anslag, Insats

from ..factories import (
    AnslagFactory,
    BudgetFactory,
    BudgetradFactory,
    ForbundFactory,
    InsatsFactory,
    MedlemFactory,
    RollFactory,
)


@pytest.fixture
def page_cache(settings):
    """The page cache on, in a cache of this process (enough for one process's test)."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "gen"},
    }
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_ALIAS = "pages"
    generation._cache().clear()
    yield
    generation._cache().clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block as if its transaction committed: its on_commit callbacks run at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def two(db, committed, page_cache):
    with committed():
        first = ForbundFactory(slug="forsta")
        second = ForbundFactory(slug="andra")
        medlem = MedlemFactory(forbund=first, name="Heby kommun")
        other = MedlemFactory(forbund=first, name="Tierps kommun")
        insats = InsatsFactory(forbund=first, agare=medlem)
        AnslagFactory(insats=insats)
        MedlemFactory(forbund=second, name="Gävle kommun")
    return first, second, medlem, other, insats


def gens(*forbund):
    return [generation.generations(f.pk)[0] for f in forbund] + [generation.generations(0)[1]]


def moved(before, after):
    """Which of (first, second, global) moved."""
    return [b != a for b, a in zip(before, after, strict=True)]


FIRST, SECOND, GLOBAL = [True, False, False], [False, True, False], [False, False, True]
NONE = [False, False, False]


def test_save_and_delete_move_their_forbund_only(two, committed):
    first, second, medlem, _other, _insats = two
    before = gens(first, second)
    with committed():
        medlem.name = "Heby"
        medlem.save()
    assert moved(before, after := gens(first, second)) == FIRST
    with committed():
        MedlemFactory(forbund=second).delete()
    assert moved(after, gens(first, second)) == SECOND


def test_a_row_deep_under_its_forbund_moves_it(two, committed):
    first, second, _medlem, _other, insats = two
    before = gens(first, second)
    with committed():
        BudgetradFactory(budget=BudgetFactory(forbund=second))
    assert moved(before, after := gens(first, second)) == SECOND
    anslag = Anslag.objects.get(insats=insats)  # its insats not loaded: asked for in one query
    with committed():
        anslag.amount += 1
        anslag.save()
    assert moved(after, after2 := gens(first, second)) == FIRST
    with committed():  # the row asks for its förbund before it goes, not after
        Anslag.objects.get(insats=insats).delete()
    assert moved(after2, gens(first, second)) == FIRST


def test_queryset_update_and_delete(two, committed):
    first, second, _medlem, _other, _insats = two
    before = gens(first, second)
    with committed():
        Medlem.objects.of(second).update(short_name="G")
    assert moved(before, after := gens(first, second)) == SECOND
    with committed():  # not bound by .of(): the rows' förbund, asked before the update
        Medlem.objects.filter(name="Tierps kommun").update(short_name="T")
    assert moved(after, after2 := gens(first, second)) == FIRST
    with committed():
        assert Medlem.objects.filter(name="Ingen sådan").update(short_name="X") == 0
    assert moved(after2, after3 := gens(first, second)) == NONE
    with committed():
        Anslag.objects.filter(insats__forbund=first).delete()
    assert moved(after3, gens(first, second)) == FIRST


def test_bulk_create_and_bulk_update(two, committed):
    first, second, medlem, other, _insats = two
    before = gens(first, second)
    with committed():
        Medlem.objects.bulk_create([Medlem(forbund=second, name="Sandviken", kind="kommun")])
    assert moved(before, after := gens(first, second)) == SECOND
    medlem.order, other.order = 2, 1
    with committed():
        Medlem.objects.bulk_update([medlem, other], ["order"])
    assert moved(after, gens(first, second)) == FIRST


def test_m2m_add_and_remove(two, committed):
    first, second, _medlem, other, insats = two
    before = gens(first, second)
    with committed():
        insats.deltagare.add(other)
    assert moved(before, after := gens(first, second)) == FIRST
    with committed():
        insats.deltagare.remove(other)
    assert moved(after, gens(first, second)) == FIRST


def test_an_audit_row_moves_its_forbund(two, committed):
    first, second, medlem, _other, _insats = two
    before = gens(first, second)
    with committed():
        Handelse.record(forbund=first, user=None, subject=medlem, action="ändrad")
    assert moved(before, gens(first, second)) == FIRST


def test_a_users_name_moves_the_global_generation_but_signing_in_does_not(two, committed):
    first, second, _medlem, _other, _insats = two
    with committed():
        user = RollFactory(forbund=second, kind=Roll.Kind.KANSLI).user
    before = gens(first, second)
    with committed():
        user.first_name = "Annan"
        user.save()
    assert moved(before, after := gens(first, second)) == GLOBAL
    with committed():
        user.save(update_fields=["last_login"])
    assert moved(after, gens(first, second)) == NONE


def test_a_rolled_back_transaction_moves_nothing(two, committed):
    first, second, medlem, _other, _insats = two
    before = gens(first, second)
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        medlem.name = "Ångrad"
        medlem.save()
        Medlem.objects.of(second).update(short_name="Ångrad")
        raise RuntimeError
    assert moved(before, gens(first, second)) == NONE


def test_one_move_per_forbund_and_transaction(two, django_capture_on_commit_callbacks):
    first, _second, medlem, other, _insats = two
    with django_capture_on_commit_callbacks() as callbacks:
        for row in (medlem, other, medlem):
            row.save()
    assert [c.forbund_id for c in callbacks if isinstance(c, generation._Move)] == [first.pk]


def _request(forbund, kind, medlem=None, user_id=1):
    request = RequestFactory().get("/")
    request.forbund = forbund
    request.roll = Roll(forbund=forbund, kind=kind, medlem=medlem)
    request.user = type("U", (), {"pk": user_id})()
    return request


def test_fragment_key_holds_forbund_role_and_member(two):
    first, second, medlem, other, _insats = two
    kansli = _request(first, Roll.Kind.KANSLI)
    keys = {
        generation.key(kansli, "x"),
        generation.key(_request(second, Roll.Kind.KANSLI), "x"),
        generation.key(_request(first, Roll.Kind.REVISOR), "x"),
        generation.key(_request(first, Roll.Kind.INSATSAGARE, medlem), "x"),
        generation.key(_request(first, Roll.Kind.INSATSAGARE, other), "x"),
        generation.key(_request(first, Roll.Kind.KANSLI, user_id=2), "x", per_user=True),
        generation.key(kansli, "x", per_user=True),
        generation.key(kansli, "y"),
    }
    assert len(keys) == 8
    renamed = ForbundFactory.build(pk=first.pk, slug=first.slug, name="Nytt namn")
    assert generation.key(_request(renamed, Roll.Kind.KANSLI), "x") not in keys


def test_fragment_is_built_once_then_served_until_its_forbund_moves(two, committed):
    first, second, _medlem, _other, _insats = two
    built = []

    def build(text):
        return lambda: built.append(text) or text

    def get(forbund, text):
        return generation.fragment(_request(forbund, Roll.Kind.KANSLI), "t", build(text))

    assert get(first, "ett") == "ett"
    assert get(first, "två") == "ett"  # served
    assert get(second, "tre") == "tre"  # another förbund's own
    with committed():
        MedlemFactory(forbund=second)
    assert get(first, "fyra") == "ett"  # another förbund's write leaves this one
    with committed():
        MedlemFactory(forbund=first)
    assert get(first, "fem") == "fem"
    with committed():
        Insats.objects.of(first).update(name="Ny")
    assert get(first, "sex") == "sex"
    assert built == ["ett", "tre", "fem", "sex"]


def test_uncommitted_writes_of_the_forbund_are_never_cached(two):
    first, _second, medlem, _other, _insats = two
    medlem.save()  # pending until a commit that never comes in this test
    request = _request(first, Roll.Kind.KANSLI)
    assert generation.fragment(request, "t", lambda: "ett") == "ett"
    assert generation.fragment(request, "t", lambda: "två") == "två"


def test_a_fragment_with_a_csrf_token_is_refused(two):
    first, *_ = two
    html = '<input type="hidden" name="csrfmiddlewaretoken" value="x">'
    with pytest.raises(generation.Uncacheable):
        generation.fragment(_request(first, Roll.Kind.KANSLI), "t", lambda: html)


def test_off_without_the_setting(two, settings):
    first, *_ = two
    settings.PAGE_CACHE = False
    request = _request(first, Roll.Kind.KANSLI)
    assert generation.fragment(request, "t", lambda: "ett") == "ett"
    assert generation.fragment(request, "t", lambda: "två") == "två"


def test_a_missing_counter_starts_from_a_value_never_used(two, committed):
    first, *_ = two
    old = generation.generations(first.pk)[0]
    generation._cache().delete(generation._key(first.pk))  # evicted
    assert generation.generations(first.pk)[0] > old


def test_a_locked_querysets_update_moves_its_forbund(two, committed):
    first, second, *_ = two
    before = gens(first, second)
    with committed(), transaction.atomic():
        Medlem.objects.select_for_update().filter(forbund=first).update(short_name="L")
    assert moved(before, gens(first, second)) == FIRST
