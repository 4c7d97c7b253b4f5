"""What the search box finds in insatser: insatser and applications, as the role may see them."""

from django.urls import reverse

from finsam.permissions import EVERYONE, INSATSAGARE
from finsam.search import MAX_HITS, Hit, register, text_match

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
    ansokningar = Ansokan.objects.of(request.forbund).select_related("agare", "insats")
    if request.roll.kind == INSATSAGARE:
        ansokningar = ansokningar.filter(agare=request.roll.medlem_id)
    else:
        # A draft is the insatsägare's own until it is sent in.
        ansokningar = ansokningar.exclude(status=Ansokan.Status.UTKAST)
    found = text_match(ansokningar, ["title", "description"], q, also=["diarienummer"])
    slug = request.forbund.slug
    hits = []
    for ansokan in found[: MAX_HITS + 1]:
        insats = getattr(ansokan, "insats", None)
        url = reverse("insats_detail", args=[slug, insats.pk]) if insats else ""
        detail = f"{ansokan.agare.display_name} · {ansokan.get_status_display()}"
        hits.append(Hit(str(ansokan), url, detail))
    return hits


def register_all():
    register("Insatser", order=10, roles=EVERYONE, find=find_insatser)
    register("Ansökningar", order=20, roles=EVERYONE, find=find_ansokningar)
