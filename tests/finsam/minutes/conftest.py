import pytest

from finsam.minutes import workflow

from .builders import board, held_meeting, signer


@pytest.fixture(autouse=True)
def _eager(eager_tasks):
    """The minutes' content and signing, with the tasks in the test's thread (the
    minutes made by a real worker: test_minutes_pdf.py)."""


@pytest.fixture
def seats(forbund, heby, tierp, region):
    return board(forbund, heby, tierp, region)


@pytest.fixture
def meeting(forbund, seats):
    return held_meeting(forbund, seats)


@pytest.fixture
def chair(forbund, seats):
    return signer(forbund, seats["Eva Granqvist"], "ordforanden")


@pytest.fixture
def checker(forbund, seats):
    return signer(forbund, seats["Jonas Ekberg"], "justeraren")


@pytest.fixture
def protokoll(meeting, seats, chair, checker, kansli):
    protokoll = workflow.protokoll_of(meeting)
    workflow.set_participants(
        protokoll,
        ordforande=seats["Eva Granqvist"],
        justerare=[seats["Jonas Ekberg"]],
        sekreterare="Karin Kansli, förbundschef",
        ovriga_narvarande="Rolf Revisor, revisor",
        user=kansli,
    )
    return protokoll


@pytest.fixture
def minutes_pdf(protokoll, kansli, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dokument = workflow.start_minutes_pdf(protokoll.sammantrade, user=kansli)
    dokument.refresh_from_db()
    assert dokument.status == "done", dokument.error
    return dokument
