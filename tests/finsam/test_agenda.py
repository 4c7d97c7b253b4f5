import pytest
from django.db import transaction

from finsam.agenda import add_item
from finsam.models import StandingItem
from tests.factories import SammantradeFactory

pytestmark = pytest.mark.django_db


def test_an_item_goes_into_its_slot_and_the_rest_move_down():
    meeting = SammantradeFactory()
    with transaction.atomic():
        add_item(meeting, title="Öppnande", standing=StandingItem.OPPNANDE)
        add_item(meeting, title="Avslutning", standing=StandingItem.AVSLUTNING)
        add_item(meeting, title="Delegationsbeslut", standing=StandingItem.DELEGATION)
        add_item(meeting, title="Ansökan A")
        add_item(meeting, title="Ansökan B")
    titles = list(meeting.arenden.order_by("number").values_list("number", "title"))
    assert titles == [
        (1, "Öppnande"),
        (2, "Ansökan A"),
        (3, "Ansökan B"),
        (4, "Delegationsbeslut"),
        (5, "Avslutning"),
    ]
