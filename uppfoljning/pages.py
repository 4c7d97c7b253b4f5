"""The main pages of a förbund, by role: what the page benchmark and the query-count tests visit."""

from dataclasses import dataclass

from django.utils import timezone

from finsam.models import Medlem, Roll, Sammantrade
from insatser.models import Insats

from .models import Rapport
from .rapporter.workflow import EDITABLE

KANSLI, STYRELSE, REVISOR, INSATSAGARE = (
    Roll.Kind.KANSLI,
    Roll.Kind.STYRELSE,
    Roll.Kind.REVISOR,
    Roll.Kind.INSATSAGARE,
)
ALL = (KANSLI, STYRELSE, REVISOR, INSATSAGARE)
READERS = (KANSLI, STYRELSE, REVISOR)


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # after /<förbund>/
    roles: tuple
    is_list: bool = False  # rewritten by the list pages' work; measured, not asserted here


def main_pages(forbund, agare=None, today=None):
    """Every main page of the förbund, with the roles that read it.

    The detail pages show a member that owns insatser (the insatsägare's own,
    if `agare` is given), a meeting of this year and a running insats of it.
    """
    year = (today or timezone.localdate()).year
    medlemmar = Medlem.objects.of(forbund)
    medlem = agare or medlemmar.filter(kind=Medlem.Kind.KOMMUN).first() or medlemmar.first()
    insatser = Insats.objects.of(forbund)
    insats = (
        insatser.running().filter(agare=medlem).first()
        or insatser.filter(agare=medlem).first()
        or insatser.first()
    )
    meeting = Sammantrade.objects.of(forbund).of_year(year).first()
    pages = [
        Page("Startsidan", "", ALL),
        Page("Insatser", "insatser/", ALL, is_list=True),
        Page("Ansökningar", "ansokningar/", ALL, is_list=True),
        Page("Medlemmar", "medlemmar/", READERS, is_list=True),
        Page("Styrelsen", "styrelsen/", READERS, is_list=True),
        Page("Sammanträden", "sammantraden/", READERS, is_list=True),
        Page("Kommande sammanträden", "sammantraden/kommande/", READERS),
        Page("Beslut", "beslut/", READERS, is_list=True),
        Page("Rapporter", "rapporter/", ALL, is_list=True),
        Page("Medlem", f"medlemmar/{medlem.pk}/", READERS),
        Page("Budget", f"budget/{year}/", ALL),
        Page("Budget, utfall", f"budget/{year}/utfall/", (KANSLI,)),
        Page("Budget, Excel", f"budget/{year}/excel/", ALL),
        Page("Budgetens dokument", f"budget/{year}/dokument/", ALL),
        Page("Medlemsavgifter", f"budget/{year}/medlemsavgifter/", READERS),
        Page("Verksamhetsplan", f"plan/{year}/", ALL),
        Page("Förhandsvisning", f"plan/{year}/forhandsvisning/", ALL),
        Page("Planens dokument", f"plan/{year}/dokument/", ALL),
        Page("Risker", f"plan/{year}/risker/", ALL),
        # Next year's drafts count the live grants and contributions.
        Page("Budget, utkast", f"budget/{year + 1}/", READERS),
        Page("Budget, utkast, Excel", f"budget/{year + 1}/excel/", READERS),
        Page("Verksamhetsplan, utkast", f"plan/{year + 1}/", READERS),
        Page("Uppföljning", "uppfoljning/", READERS),
        Page("Uppföljning, helår", f"uppfoljning/?ar={year}&period=ar", READERS),
        Page("Uppföljning, Excel", "uppfoljning/excel/", READERS),
    ]
    if insats is not None:
        pages.insert(6, Page("Insats", f"insatser/{insats.pk}/", ALL))
        rapport = Rapport.objects.filter(insats=insats, status__in=EDITABLE).first()
        if rapport is not None:
            pages.append(
                Page("Rapportformulär", f"rapporter/{rapport.pk}/andra/", (KANSLI, INSATSAGARE))
            )
    if meeting is not None:
        pages.insert(6, Page("Sammanträde", f"sammantraden/{meeting.pk}/", READERS))
        pages.insert(7, Page("Protokoll", f"sammantraden/{meeting.pk}/protokoll/", READERS))
    return pages
