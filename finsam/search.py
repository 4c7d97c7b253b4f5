"""The menu's search box: insatser, applications, meetings and decisions of the förbund.

finsam knows no app above it, so each app registers what it can find
(`register` in its AppConfig.ready); the page asks every provider the
user's role may use. PostgreSQL searches its Swedish full text (stemmed,
each word a prefix); SQLite, for the demo and tests, a plain substring.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q
from django.shortcuts import render

from .access import forbund_view
from .permissions import EVERYONE

MAX_HITS = 20
MAX_QUERY = 200


@dataclass(frozen=True)
class Hit:
    label: str
    url: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Provider:
    title: str
    order: int
    roles: frozenset
    find: object  # find(request, q) -> queryset-like list of Hit, at most MAX_HITS + 1


_providers = {}


def register(title, *, order, roles, find):
    """Add a kind of result; `find(request, q)` returns a list of `Hit`, best first."""
    _providers[title] = Provider(title, order, frozenset(roles), find)


def providers_for(roll):
    return sorted((p for p in _providers.values() if roll.kind in p.roles), key=lambda p: p.order)


def _words(q):
    return [w for w in re.findall(r"\w+", q) if w]


def text_match(queryset, fields, q, *, also=()):
    """Rows whose `fields` hold every word of `q`; `also` fields match the whole `q` as text.

    On PostgreSQL a Swedish full-text match (each word also as a prefix),
    best first; elsewhere a case-insensitive substring match per word.
    `also` is for codes such as diarienummer ("2026/14"), which full text splits.
    """
    words = _words(q)
    extra = Q()
    for field in also:
        extra |= Q(**{f"{field}__icontains": q})
    if connection.vendor == "postgresql":
        if not words:
            return queryset.filter(extra) if also else queryset.none()
        query = SearchQuery(
            " & ".join(f"{w}:*" for w in words), config="swedish", search_type="raw"
        )
        vector = SearchVector(*fields, config="swedish")
        return (
            queryset.annotate(_sok=vector, _rank=SearchRank(vector, query))
            .filter(Q(_sok=query) | extra)
            .order_by("-_rank", "pk")
        )
    if not words:
        return queryset.filter(extra) if also else queryset.none()
    match = Q()
    for word in words:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        match &= any_field
    return queryset.filter(match | extra)


@forbund_view(EVERYONE)
def sok(request):
    # A NUL byte cannot reach PostgreSQL; the rest is bounded, never an error.
    q = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY]
    groups = []
    if q:
        for provider in providers_for(request.roll):
            hits = list(provider.find(request, q))
            groups.append((provider.title, hits[:MAX_HITS], len(hits) > MAX_HITS))
    context = {"q": q, "groups": groups, "antal": sum(len(hits) for _t, hits, _m in groups)}
    return render(request, "finsam/sok.html", context)
