"""A generation per förbund: what a cached page fragment is keyed by, moved on by every write.

Each förbund has a counter in the shared cache, and there is one global
counter. Every write that can change what a page shows moves a counter on
after its transaction commits (`transaction.on_commit`): a saved, deleted or
re-linked row of the project's apps (`post_save`, `post_delete`,
`m2m_changed`, connected in `connect()`) moves its förbund's counter, found
through the row's `forbund_id` or `forbund_path`; a queryset's `update()`,
`delete()`, `bulk_create()` and `bulk_update()` (`ScopedQuerySet`) moves the
counter of the förbund it is bound to (`.of(forbund)`), else that of its rows'
förbund, else the global one. A write whose förbund cannot be found moves the
global counter, which every key also holds. A rolled-back transaction moves
nothing, and what it would have moved is not cached meanwhile (`pending()`).

`fragment(request, name, build)` and `value(request, name, build)` cache a
rendered fragment (an HTML string) or a computed value under a key of the
förbund, both generations, today's date, the language and time zone, the
asking role's kind and member (and with `per_user`, the user): whatever the
key holds, the cached content must be the same for everyone with that key.
Never a form, a CSRF token or messages: a fragment holding a CSRF token is
refused.

Enabled only where a shared cache is configured (`PAGE_CACHE`, on when
`CACHE_URL` is set): with a cache in each worker process, one process would
serve a page that a write in another has changed. `PAGE_CACHE=0` turns it off.
"""

import contextvars
import hashlib
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone, translation

APPS = ("finsam", "insatser", "budget", "uppfoljning")
GLOBAL = "g"
PREFIX = "finsam:gen:"
FRAGMENT_TIMEOUT = 24 * 60 * 60  # keys hold today's date; a day is as long as one can be used
MAX_FORBUND = 20  # a bulk write over more förbund than this moves the global counter
_MISS = object()
# The förbund of what is being deleted (a row or a queryset, with its cascade), told before.
_deleting = contextvars.ContextVar("finsam_generation_deleting", default=None)


def enabled():
    return bool(getattr(settings, "PAGE_CACHE", False))


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def _key(forbund_id):
    return f"{PREFIX}{forbund_id}"


# Moving a counter on ----------------------------------------------------------------


class _Move:
    """The on_commit callback moving one counter on; one per counter and transaction."""

    def __init__(self, forbund_id):
        self.forbund_id = forbund_id
        self.done = False

    def __call__(self):
        self.done = True
        key = _key(self.forbund_id)
        cache = _cache()
        try:
            cache.incr(key)
        except ValueError:  # missing (never set, or evicted): start from a fresh value
            if not cache.add(key, _fresh(), timeout=None):
                cache.incr(key)


def _fresh():
    """A counter's first value: never one an earlier, evicted counter reached (nanoseconds)."""
    return time.time_ns()


def _moves(using):
    return [
        func
        for _sids, func, _robust in connections[using].run_on_commit
        if isinstance(func, _Move) and not func.done
    ]


def move(forbund_id=None, using=DEFAULT_DB_ALIAS):
    """Move the förbund's counter (None: the global one) on, once the transaction commits."""
    target = GLOBAL if forbund_id is None else forbund_id
    connection = connections[using]
    if connection.in_atomic_block and any(m.forbund_id == target for m in _moves(using)):
        return  # already to be moved when this transaction commits
    transaction.on_commit(_Move(target), using=using)


def move_many(forbund_ids, using=DEFAULT_DB_ALIAS):
    ids = set(forbund_ids)
    if None in ids or len(ids) > MAX_FORBUND:
        move(None, using)
        return
    for forbund_id in ids:
        move(forbund_id, using)


def pending(forbund_id, using=DEFAULT_DB_ALIAS):
    """Whether this transaction has written what the förbund's pages show (not yet committed):
    its own pages must then be built afresh and not cached."""
    return any(m.forbund_id in (forbund_id, GLOBAL) for m in _moves(using))


# Finding a row's förbund --------------------------------------------------------------


def forbund_of(instance, query=True):
    """The id of the förbund the row belongs to, or None if it cannot be told.

    Through the row's `forbund_id`, else along its `forbund_path` by the
    relations already loaded, else (with `query`) in one query from the first
    parent not loaded.
    """
    from .models import Forbund

    model = type(instance)
    if isinstance(instance, Forbund):
        return instance.pk
    path = getattr(model, "forbund_path", None)
    if path is None:
        return getattr(instance, "forbund_id", None)
    *parents, last = path.split("__")
    obj = instance
    for i, name in enumerate(parents):
        field = obj._meta.get_field(name)
        if field.is_cached(obj):
            obj = getattr(obj, name)
            if obj is None:
                return None
            continue
        parent_id = getattr(obj, field.attname)
        if parent_id is None or not query:
            return None
        rest = "__".join([*parents[i + 1 :], last])
        rows = field.related_model._base_manager.filter(pk=parent_id)
        return rows.values_list(rest, flat=True).first()
    return getattr(obj, f"{last}_id", None)


def _ours(model):
    return model._meta.app_label in APPS


def _saved(sender, instance, raw=False, update_fields=None, using=DEFAULT_DB_ALIAS, **kwargs):
    if not _ours(sender):
        return
    if sender is _user_model() and update_fields and set(update_fields) <= {"last_login"}:
        return  # signing in shows on no page
    move(_forbund_or_global(instance), using)


@contextmanager
def deleting(forbund_ids):
    """Deletes in the block (a row's or a queryset's, and what cascades from them) belong to
    these förbund: a deleted row whose förbund is not loaded moves theirs, not the global one."""
    token = _deleting.set(set(forbund_ids))
    try:
        yield
    finally:
        _deleting.reset(token)


def _deleted(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    # No query here: the row is gone, and in a cascade its parent goes with it.
    if not _ours(sender):
        return
    if isinstance(instance, _user_model()):
        move(None, using)
        return
    found = forbund_of(instance, query=False)
    if found is None and _deleting.get() is not None:
        move_many(_deleting.get(), using)
    else:
        move(found, using)


def _linked(sender, instance, action, model, pk_set=None, using=DEFAULT_DB_ALIAS, **kwargs):
    if action.startswith("post_") and (_ours(type(instance)) or _ours(model)):
        move(_forbund_or_global(instance) if _ours(type(instance)) else None, using)


def _forbund_or_global(instance):
    if isinstance(instance, _user_model()):
        return None  # a user's name shows in every förbund the user has a role in
    return forbund_of(instance)


def _user_model():
    from django.contrib.auth import get_user_model

    return get_user_model()


def connect():
    """Connect the receivers to the project's models (the app's ready()).

    Only to these models: Django deletes other apps' rows (sessions, sign-in
    attempts) without fetching them, as it does for a model nobody listens to.
    """
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            uid = f"finsam_generation_{model._meta.label_lower}"
            post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}_saved")
            post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}_deleted")
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(_linked, sender=through, dispatch_uid=f"{uid}_{field.name}")


class GenerationQuerySet:
    """QuerySet mixin: the writes that send no signal per row move the counters too."""

    def _forbund_ids(self):
        """The förbund of the rows, before they are changed: the bound one, or asked."""
        bound = getattr(self, "_generation_forbund", None)
        if bound is not None:
            return {bound}
        path = getattr(self.model, "forbund_path", None)
        if path is None:
            return {None}
        rows = self.order_by()
        rows.query.select_for_update = False  # a plain read: FOR UPDATE refuses DISTINCT
        return set(rows.values_list(path, flat=True).distinct()[: MAX_FORBUND + 1])

    def _clone(self):
        clone = super()._clone()
        clone._generation_forbund = getattr(self, "_generation_forbund", None)
        return clone

    def _combined(self, other, combined):
        mine = getattr(self, "_generation_forbund", None)
        combined._generation_forbund = (
            mine if mine == getattr(other, "_generation_forbund", None) else None
        )
        return combined

    def __or__(self, other):
        return self._combined(other, super().__or__(other))

    def __and__(self, other):
        return self._combined(other, super().__and__(other))

    def __xor__(self, other):
        return self._combined(other, super().__xor__(other))

    def update(self, **kwargs):
        ids = self._forbund_ids()
        rows = super().update(**kwargs)
        if rows:
            move_many(ids, self.db)
        return rows

    update.alters_data = True

    def delete(self):
        ids = self._forbund_ids()
        with deleting(ids):
            result = super().delete()
        if result[0]:
            move_many(ids, self.db)
        return result

    delete.alters_data = True
    delete.queryset_only = True

    def _objects_forbund(self, objs):
        bound = getattr(self, "_generation_forbund", None)
        if bound is not None:
            return {bound}
        return {forbund_of(obj, query=False) for obj in objs}

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        created = super().bulk_create(objs, *args, **kwargs)
        if objs:
            move_many(self._objects_forbund(objs), self.db)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        if objs:
            move_many(self._objects_forbund(objs), self.db)
        return rows


# Reading through the cache ---------------------------------------------------------------


def generations(forbund_id):
    """(the förbund's generation, the global one), created where missing."""
    return _read(forbund_id)[0]


def _read(forbund_id, *keys):
    """The generations and the entries under `keys`, in one round trip to the cache."""
    cache = _cache()
    counters = [_key(forbund_id), _key(GLOBAL)]
    found = cache.get_many([*counters, *keys])
    for counter in counters:
        if counter not in found:
            cache.add(counter, _fresh(), timeout=None)
            found[counter] = cache.get(counter)
    return (found[counters[0]], found[counters[1]]), [found.get(k) for k in keys]


def fingerprint(obj):
    """A row's fields, for a key: a row read before the generations is in the key by value."""
    values = [getattr(obj, f.attname) for f in obj._meta.concrete_fields]
    return hashlib.sha256(repr(values).encode()).hexdigest()[:16]


def key(request, name, *parts, per_user=False):
    """Under which key a fragment of the request's förbund is kept, as the request's role sees it.

    The entry holds the generations it was built at (see `_cached`). The
    door read the förbund's row and the role before the generations: their
    fields are in the key, so that a change committed in between is never
    kept as current. So are the model instances among `parts`.
    """
    forbund, roll = request.forbund, request.roll
    fields = [
        name,
        forbund.pk,
        fingerprint(forbund),
        timezone.localdate().isoformat(),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        roll.kind,
        roll.medlem_id or "-",
        request.user.pk if per_user else "-",
        *(fingerprint(p) if hasattr(p, "_meta") else p for p in parts),
    ]
    text = "|".join(str(f) for f in fields)
    digest = hashlib.sha256(text.encode()).hexdigest()[:32]
    return f"finsam:frag:{name}:{forbund.pk}:{digest}"


def usable(request):
    return enabled() and not pending(request.forbund.pk)


def _cached(request, name, build, parts, per_user, check=None):
    """build()'s result, or the one kept for the key if built at today's generations.

    One round trip reads the generations and the entry; an entry built at
    other generations is built again and replaces it (one entry per key).
    """
    if not usable(request):
        return build()
    cache_key = key(request, name, *parts, per_user=per_user)
    now, (entry,) = _read(request.forbund.pk, cache_key)
    if entry is not None and entry[0] == now:
        return entry[1]
    result = build()
    if check is not None:
        check(result)
    _cache().set(cache_key, (now, result), FRAGMENT_TIMEOUT)
    return result


def value(request, name, build, *parts, per_user=False):
    """build()'s result, cached for the request's förbund and role (see `key`)."""
    return _cached(request, name, build, parts, per_user)


class Uncacheable(ValueError):
    """A fragment held what must never be cached (a CSRF token)."""


def _no_csrf(html):
    if "csrfmiddlewaretoken" in html:
        raise Uncacheable("a fragment with a form's CSRF token is never cached")


def fragment(request, name, build, *parts, per_user=False):
    """build()'s HTML, cached for the request's förbund and role; never HTML with a CSRF token."""
    return _cached(request, name, build, parts, per_user, check=_no_csrf)
