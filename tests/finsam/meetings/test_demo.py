import pytest
from django.core.management import call_command

from finsam.models import Dokument, Sammantrade
from insatser.models import Ansokan

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_september_meeting_with_applications(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115  twice is fine

    september = Sammantrade.objects.get(
        forbund__slug="uppsala", date__month=9, status=Sammantrade.Status.KALLAT
    )
    titles = list(september.arenden.order_by("number").values_list("title", flat=True))
    assert titles[0] == "Mötets öppnande"
    assert titles[-1] == "Mötets avslutande"
    applications = Ansokan.objects.filter(arende__sammantrade=september)
    assert applications.count() >= 2
    assert {a.status for a in applications} == {Ansokan.Status.KLAR_FOR_BESLUT}
    assert Dokument.objects.filter(kind=Dokument.Kind.KALLELSE, subject_id=september.pk).exists()
    # § numbers run on from the year's earlier meetings.
    assert september.arenden.order_by("number").first().paragraf > 1
    november = Sammantrade.objects.get(forbund__slug="uppsala", date__month=11)
    assert november.arenden.filter(standing="oppnande").exists()
