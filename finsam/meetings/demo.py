"""The demo förbund's meetings: standing items, and a September meeting with applications.

The September meeting's notice is sent (its PDF made), so that the board has papers.

Called from the demo command after the förbund files are loaded. Meetings
whose minutes are signed are left as the file has them. The applications
are placed on the agenda by the caller's `applications(meeting)` (insatser
owns them: finsam imports no higher app).
"""

import datetime

from django.db import transaction

from ..models import Sammantrade
from . import workflow

SEPTEMBER = datetime.date(2026, 9, 3)
OPEN = [Sammantrade.Status.PLANERAT, Sammantrade.Status.KALLAT]


@transaction.atomic
def load(forbund, *, applications=None, year=2026, base_url="http://127.0.0.1:8000"):
    meetings = Sammantrade.objects.of(forbund).of_year(year).filter(status__in=OPEN)
    september = meetings.filter(date__month=9).first()
    if september is None:
        september = Sammantrade.objects.create(
            forbund=forbund,
            date=SEPTEMBER,
            start_time=datetime.time(13, 0),
            location="Samordningsförbundets kansli, Uppsala",
            notes="Extra sammanträde: ansökningar om medel för 2027.",
        )
    for meeting in Sammantrade.objects.of(forbund).of_year(year).filter(status__in=OPEN):
        workflow.add_standing_items(sammantrade=meeting, user=None)
    if applications is not None:
        applications(september)
    workflow.send_notice(sammantrade=september, user=None, base_url=base_url)
    return september
