"""The contract of the sessions service's storage (`SessionsStore`): the MongoDB
repository on the embedded MongoDB and the unit tests' in-memory fake pass the same
tests, so the unit tests' fake cannot drift from what production does."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from services.sessions.analysis import Analysis, Fit
from services.sessions.domain import Document, Interview, InterviewStatus, StepResult
from services.sessions.interviewer import NextStep
from services.sessions.planning import PlannedQuestion
from services.sessions.report import CompetencyScore, Delivery, ReportData
from services.sessions.repository import SessionsRepository
from services.sessions.tests.fakes import InMemorySessionsStore
from tests.integration.conftest import store_under_test

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
PLAN = [
    PlannedQuestion("opening", "Tell me about your work on wards.", competency="communication"),
    PlannedQuestion("behavioural", "Tell me about a hard shift.", competency="ownership"),
]


@pytest.fixture(params=["mongo", "memory"])
def store(request, settings):  # type: ignore[no-untyped-def]
    return store_under_test(request.param, SessionsRepository, InMemorySessionsStore)


def document(doc_id: str = "d1", user_id: str = "u-1", at: datetime = NOW) -> Document:
    analysis = Analysis(role="Staff Nurse", seniority="mid", family="nursing", skills=("triage",))
    return Document(
        doc_id,
        user_id,
        "cv",
        "cv.pdf",
        "application/pdf",
        1200,
        f"k/{doc_id}",
        at,
        "CV text",
        analysis,
    )


def interview(interview_id: str = "iv-1", user_id: str = "u-1", at: datetime = NOW) -> Interview:
    fit = Fit(role="Staff Nurse", seniority="mid", family="nursing", overlap=("triage",))
    return Interview.new(
        interview_id, user_id, "text", fit, PLAN, 7, "offline", False, ("d1", ""), at
    )


def report() -> ReportData:
    score = CompetencyScore("ownership", 61, "Ownership: clear.", (), ("Say what you did.",))
    return ReportData(61, "A fair start.", (score,), Delivery(), ("Clear",), ("Own it",), "offline")


def test_documents_round_trip_per_owner_newest_first_and_without_text_in_lists(store):
    store.add_document(document("d1"), {"event_id": "e1"})
    store.add_document(document("d2", at=NOW + timedelta(minutes=1)), {"event_id": "e2"})
    assert store.document("u-1", "d1") == document("d1")
    assert store.document("u-1", "d1", with_text=False).text == ""
    assert store.document("u-2", "d1") is None
    assert [d.id for d in store.documents_of("u-1")] == ["d2", "d1"]
    assert all(d.text == "" for d in store.documents_of("u-1"))
    assert store.delete_document("d1") == "k/d1"
    assert store.delete_document("d1") is None


def test_an_interview_is_created_once_and_begins_once(store):
    assert store.create_interview(interview())
    assert not store.create_interview(interview())  # a retried start
    created = store.interview("u-1", "iv-1")
    assert created == interview() and created.status is InterviewStatus.CREATED
    first = created.first_turn(NOW.timestamp())
    assert store.begin("iv-1", first, NOW.timestamp(), {"event_id": "e"})
    assert not store.begin("iv-1", first, NOW.timestamp(), {"event_id": "e"})
    started = store.interview("u-1", "iv-1")
    assert started.status is InterviewStatus.IN_PROGRESS and started.turn_seq == 1
    assert started.open_question == PLAN[0].text
    assert store.interview("u-2", "iv-1") is None


def test_two_answers_to_the_same_question_cannot_both_land(store):
    store.create_interview(interview())
    store.begin("iv-1", interview().first_turn(NOW.timestamp()), NOW.timestamp(), {})
    started = store.interview("u-1", "iv-1")
    answered = started.answering("On nights I led triage.", "k1", 0.0, "", NOW.timestamp())
    step = NextStep(PLAN[1])
    turns = Interview.after_step(answered, step, NOW.timestamp())
    fields = {"updated_ts": NOW.timestamp(), "provider_consent": True}
    assert store.save_turns("iv-1", started.turn_seq, turns, fields)
    assert not store.save_turns("iv-1", started.turn_seq, turns, fields)  # the loser
    saved = store.interview("u-1", "iv-1")
    assert saved.turns == tuple(turns) and saved.provider_consent
    assert saved.turns[0].result == StepResult(PLAN[1].text, False, "", False)
    assert saved.turn_answered_with("k1") == turns[0]


def test_finishing_happens_once_and_a_list_leaves_out_turns_and_plan(store):
    store.create_interview(interview())
    store.create_interview(interview("iv-2", at=NOW + timedelta(minutes=5)))
    assert not store.finish("iv-1", InterviewStatus.COMPLETED, NOW.timestamp())  # never began
    assert store.finish("iv-1", InterviewStatus.ABANDONED, NOW.timestamp())
    assert not store.finish("iv-1", InterviewStatus.COMPLETED, NOW.timestamp())
    assert store.interview("u-1", "iv-1").status is InterviewStatus.ABANDONED
    listed = store.interviews_of("u-1")
    assert [i.id for i in listed] == ["iv-2", "iv-1"]
    assert all(i.turns == () and i.plan == () for i in listed)
    assert listed[0].summary == interview().summary  # the plan's summary stays


def test_idle_unfinished_interviews_are_found_and_can_be_dropped(store):
    store.create_interview(interview("iv-old"))
    store.create_interview(replace(interview("iv-new"), updated_ts=NOW.timestamp() + 3600))
    store.create_interview(interview("iv-done"))
    store.finish("iv-done", InterviewStatus.ABANDONED, NOW.timestamp())
    idle = store.idle_interviews(NOW.timestamp() + 60)
    assert [i.id for i in idle] == ["iv-old"]
    assert store.delete_interview("iv-old") and not store.delete_interview("iv-old")


def test_a_report_is_written_once_and_read_by_its_owner(store):
    store.create_interview(interview())
    assert store.add_report(interview(), report(), NOW, {"event_id": "e"})
    assert not store.add_report(interview(), report(), NOW, {"event_id": "e"})
    stored = store.report("u-1", "iv-1")
    assert stored["overall_score"] == 61 and stored["competencies"][0]["competency"] == "ownership"
    assert store.report("u-2", "iv-1") is None


def test_attempts_are_counted_per_key(store):
    until = NOW + timedelta(minutes=10)
    assert [store.count_attempt("k", until) for _ in range(3)] == [1, 2, 3]
    assert store.count_attempt("other", until) == 1
