"""Claims sent in at the same moment cannot together exceed the grant (PostgreSQL)."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.db.models import Sum
from django.test import Client

from insatser.models import Rekvisition
from tests.factories import AnslagFactory, InsatsFactory
from tests.helpers import page_form
from tests.test_parallel import in_parallel, statuses

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs a database with row locks and parallel transactions",
    ),
    pytest.mark.django_db(transaction=True),
]

N = 6


def test_parallel_claims_stay_within_the_grant(forbund, heby, agare):
    insats = InsatsFactory(forbund=forbund, agare=heby)
    AnslagFactory(insats=insats, year=2026, amount=Decimal("500000"))
    url = f"/uppsala/insatser/{insats.pk}/rekvisitioner/ny/"
    client = Client()
    client.force_login(agare)
    posts = []
    for _ in range(N):
        data = page_form(client.get(url))  # each its own one-time key
        data.update(period_start="2026-01-01", period_end="2026-03-31", amount="200000")
        posts.append((url, data))

    results = in_parallel(agare, posts)

    assert statuses(results) == [200] * (N - 2) + [302] * 2
    claims = Rekvisition.objects.filter(insats=insats)
    assert claims.count() == 2
    assert claims.aggregate(total=Sum("amount"))["total"] == Decimal("400000")
    assert sorted(claims.values_list("diarienummer", flat=True)) == ["Rek 2026/1", "Rek 2026/2"]
    refused = [r for r in results if r.status_code == 200]
    assert all("större än det som återstår" in r.content.decode() for r in refused)
