"""The rules of insatser.ansokan.permissions, role by role."""

import pytest

from finsam.models import Roll
from insatser.ansokan import permissions as perm
from insatser.models import Ansokan
from tests.factories import AnsokanFactory, RollFactory

S = Ansokan.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def rolls(forbund, heby, tierp):
    def roll(kind, medlem=None):
        return RollFactory(forbund=forbund, kind=kind, medlem=medlem)

    return {
        "kansli": roll(Roll.Kind.KANSLI),
        "styrelse": roll(Roll.Kind.STYRELSE),
        "revisor": roll(Roll.Kind.REVISOR),
        "heby": roll(Roll.Kind.INSATSAGARE, heby),
        "tierp": roll(Roll.Kind.INSATSAGARE, tierp),
    }


def test_visibility(forbund, heby, tierp, rolls):
    draft = AnsokanFactory(forbund=forbund, agare=heby)
    kansli_draft = AnsokanFactory(forbund=forbund, agare=heby, registered_by_kansli=True)
    sent = AnsokanFactory(forbund=forbund, agare=heby, status=S.INSKICKAD, diarienummer="1")
    tierps = AnsokanFactory(forbund=forbund, agare=tierp, status=S.BEREDNING, diarienummer="2")
    every = Ansokan.objects.of(forbund)

    def seen(name):
        return set(perm.visible(every, rolls[name]))

    assert seen("heby") == {draft, kansli_draft, sent}
    assert seen("tierp") == {tierps}
    assert seen("kansli") == {kansli_draft, sent, tierps}
    assert seen("styrelse") == seen("revisor") == {sent, tierps}
    for name, roll in rolls.items():
        for ansokan in every:
            assert perm.can_see(roll, ansokan) == (ansokan in seen(name)), (name, ansokan)


def test_who_edits_and_sends_in_a_draft(forbund, heby, rolls):
    draft = AnsokanFactory(forbund=forbund, agare=heby)
    kansli_draft = AnsokanFactory(forbund=forbund, agare=heby, registered_by_kansli=True)
    assert [n for n, r in rolls.items() if perm.can_edit_draft(r, draft)] == ["heby"]
    assert [n for n, r in rolls.items() if perm.can_submit(r, kansli_draft)] == ["kansli"]


def test_withdraw_answer_prepare(forbund, heby, rolls):
    sent = AnsokanFactory(forbund=forbund, agare=heby, status=S.KOMPLETTERING, diarienummer="1")
    assert {n for n, r in rolls.items() if perm.can_withdraw(r, sent)} == {"heby", "kansli"}
    assert {n for n, r in rolls.items() if perm.can_answer(r, sent)} == {"heby", "kansli"}
    assert {n for n, r in rolls.items() if perm.can_prepare(r, sent)} == {"kansli"}
    assert {n for n, r in rolls.items() if perm.can_read_notes(r)} == {"kansli", "revisor"}
    sent.status = S.BEVILJAD
    assert not any(perm.can_withdraw(r, sent) for r in rolls.values())
    assert not any(perm.can_prepare(r, sent) for r in rolls.values())
