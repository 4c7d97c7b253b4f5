"""What the search box finds in finsam itself: meetings with their items, and decisions."""

from django.urls import reverse
from django.utils.text import Truncator

from .models import Arende, Beslut, Sammantrade
from .permissions import READERS
from .search import MAX_HITS, Hit, register, text_match
from .templatetags.finsam import datum


def find_meetings(request, q):
    slug = request.forbund.slug
    meetings = text_match(Sammantrade.objects.of(request.forbund), ["location", "notes"], q)
    items = text_match(
        Arende.objects.of(request.forbund).select_related("sammantrade"),
        ["title", "description"],
        q,
        also=["diarienummer"],
    )
    hits = [
        Hit(str(m), reverse("sammantrade_detail", args=[slug, m.pk]), m.location)
        for m in meetings[: MAX_HITS + 1]
    ]
    for item in items[: MAX_HITS + 1 - len(hits)]:
        meeting = item.sammantrade
        detail = " · ".join(filter(None, [str(meeting), item.diarienummer]))
        url = reverse("sammantrade_detail", args=[slug, meeting.pk])
        hits.append(Hit(str(item), url, detail))
    return hits


def find_decisions(request, q):
    slug = request.forbund.slug
    decisions = text_match(
        Beslut.objects.of(request.forbund).select_related("arende__sammantrade", "reported_at"),
        ["text"],
        q,
        also=["diarienummer"],
    )
    hits = []
    for beslut in decisions[: MAX_HITS + 1]:
        meeting = beslut.arende.sammantrade if beslut.arende else beslut.reported_at
        url = reverse("sammantrade_detail", args=[slug, meeting.pk]) if meeting else ""
        kind = "Delegationsbeslut" if beslut.delegated else "Beslut"
        where = str(beslut.arende) if beslut.arende else ""
        detail = " · ".join(
            filter(None, [f"{kind} {datum(beslut.date)}", where, beslut.diarienummer])
        )
        hits.append(Hit(Truncator(beslut.text).chars(160), url, detail))
    return hits


def register_all():
    register("Sammanträden och ärenden", order=30, roles=READERS, find=find_meetings)
    register("Beslut", order=40, roles=READERS, find=find_decisions)
