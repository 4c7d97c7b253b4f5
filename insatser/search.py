"""What the search box finds in insatser: insatser and applications, as the role may see them."""

from django.urls import reverse

from finsam.permissions import EVERYONE
from finsam.search import MAX_HITS, Hit, register, text_match

from .ansokan.permissions import visible
from .models import Ansokan, Insats


def find_insatser(request, q):
    insatser = Insats.objects.of(request.forbund).visible_to(request.roll).select_related("agare")
    fields = ["name", "description", "agare__name", "agare__short_name"]
    found = text_match(insatser, fields, q, also=["ansokan__diarienummer"])
    slug = request.forbund.slug
    return [
        Hit(
            i.name,
            reverse("insats_detail", args=[slug, i.pk]),
            f"{i.agare.display_name} · {i.get_status_display()}",
        )
        for i in found[: MAX_HITS + 1]
    ]


def find_ansokningar(request, q):
    """Applications as the role may see them (insatser.ansokan.permissions), to their page."""
    ansokningar = visible(Ansokan.objects.of(request.forbund), request.roll).select_related("agare")
    found = text_match(ansokningar, ["title", "description"], q, also=["diarienummer"])
    slug = request.forbund.slug
    return [
        Hit(
            str(ansokan),
            reverse("ansokan_detail", args=[slug, ansokan.pk]),
            f"{ansokan.agare.display_name} · {ansokan.get_status_display()}",
        )
        for ansokan in found[: MAX_HITS + 1]
    ]


def register_all():
    register("Insatser", order=10, roles=EVERYONE, find=find_insatser)
    register("Ansökningar", order=20, roles=EVERYONE, find=find_ansokningar)
