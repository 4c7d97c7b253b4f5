import datetime

import pytest
from django.db import transaction

from insatser.ansokan import workflow
from tests.factories import AnsokanFactory, AnsokningsomgangFactory


@pytest.fixture
def omgang(forbund):
    return AnsokningsomgangFactory(
        forbund=forbund, title="Ansökningar 2027", year=2027, deadline=datetime.date(2026, 5, 12)
    )


@pytest.fixture
def draft(forbund, heby, tierp, omgang):
    """Heby's complete draft, with Tierp taking part."""
    return AnsokanFactory(forbund=forbund, agare=heby, deltagare=[tierp], omgang=omgang)


@pytest.fixture
def submitted(draft, agare):
    with transaction.atomic():
        workflow.submit(draft, agare)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def others(forbund, tierp, heby, other_agare):
    """Tierp's submitted application (Heby's insatsägare must never see it)."""
    ansokan = AnsokanFactory(forbund=forbund, agare=tierp, deltagare=[heby], title="Tierps hemliga")
    with transaction.atomic():
        workflow.submit(ansokan, other_agare)
    ansokan.refresh_from_db()
    return ansokan
