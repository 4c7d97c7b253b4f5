"""The chair and the checker sign at the same moment: two signatures, one freeze (PostgreSQL)."""

import threading

import pytest
from django.conf import settings
from django.db import connections

from finsam.minutes import workflow
from finsam.models import Handelse, Justering, Sammantrade

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs a database with row locks and parallel transactions",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_signers_at_once_freeze_the_meeting_once(protokoll, chair, checker, minutes_pdf):
    barrier = threading.Barrier(2)
    errors = []

    def sign(user):
        try:
            barrier.wait()
            workflow.sign(protokoll, user=user, checksum=minutes_pdf.checksum)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign, args=(user,)) for user in (chair, checker)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Justering.objects.count() == 2
    meeting = Sammantrade.objects.get(pk=protokoll.sammantrade_id)
    assert meeting.status == Sammantrade.Status.PUBLICERAT
    assert Handelse.objects.filter(action="protokoll justerat och anslaget").count() == 1
