"""SessionsService entrypoints with nameko's worker_factory, the in-memory store, an
in-memory blob store, the real document reader and the offline interviewer: uploads,
the interview's states, answers (once each), reports, and whose data is whose."""

from __future__ import annotations

import json

import grpc
import pytest
from nameko.testing.services import worker_factory
from nameko_grpc.errors import GrpcError

from mocky.events.v1 import events_pb2
from mocky.platform.clock import Clock
from mocky.platform.errors import Conflict, InvalidArgument, NotFound, PaymentRequired, RateLimited
from mocky.platform.events import from_wire
from mocky.sessions.v1 import sessions_pb2
from services.sessions.dependencies import Reader
from services.sessions.domain import InterviewFinished, InterviewStatus, states_before
from services.sessions.engines import Interviewers
from services.sessions.service import SessionsService
from services.sessions.tests.fakes import InMemorySessionsStore
from tests.fakes.blobs import MemoryBlobStore

CV = """Dana Whitfield
Registered Nurse

Experience
Staff Nurse, Acute Medical Unit, Leeds General Infirmary (2019 - present)
- Led the triage of up to 30 admissions a night and cut handover time by 20 minutes.
- Trained six newly qualified nurses in early-warning scores.

Skills: triage, medication administration, wound care, NEWS2
"""


@pytest.fixture
def sessions():  # type: ignore[no-untyped-def]
    return worker_factory(
        SessionsService,
        repo=InMemorySessionsStore(),
        blobs=MemoryBlobStore(),
        clock=Clock(),
        reader=Reader(lambda call, *args: call(*args)),
        interviewers=Interviewers(None),
    )


def upload(sessions, user_id: str = "u-1", kind: str = "cv", text: str = CV):  # type: ignore[no-untyped-def]
    request = sessions_pb2.UploadDocumentRequest(user_id=user_id, kind=kind, text=text)
    return sessions.UploadDocument(request, None).document


def start(sessions, user_id: str = "u-1", cv_id: str = "", key: str = "k1", role: str = ""):  # type: ignore[no-untyped-def]
    request = sessions_pb2.StartInterviewRequest(
        user_id=user_id, mode="text", cv_id=cv_id, role=role, idempotency_key=key
    )
    return sessions.StartInterview(request, None).interview


def answer(sessions, interview_id: str, text: str, key: str, user_id: str = "u-1"):  # type: ignore[no-untyped-def]
    request = sessions_pb2.SubmitAnswerRequest(
        user_id=user_id, interview_id=interview_id, text=text, idempotency_key=key
    )
    return sessions.SubmitAnswer(request, None)


def test_a_pasted_cv_is_read_stored_with_its_original_and_announced(sessions):
    document = upload(sessions)
    assert document.kind == "cv" and document.filename == "cv.txt"
    assert document.analysis.family == "nursing" and "triage" in document.analysis.skills
    stored = sessions.repo.document("u-1", document.id)
    assert sessions.blobs.get(stored.blob_key) == stored.text.encode()
    [event] = sessions.repo.events
    uploaded = from_wire(events_pb2.DocumentUploaded, event["payload"])
    assert uploaded.record.category == "interview_session" and uploaded.user_id == "u-1"
    sessions.outbox.flush_or_defer.assert_called_once_with("documents", document.id)


def test_a_document_is_only_its_owners(sessions):
    document = upload(sessions)
    got = sessions.GetDocument(sessions_pb2.GetDocumentRequest(user_id="u-1", id=document.id), None)
    assert "Leeds General Infirmary" in got.document.text
    with pytest.raises(NotFound):
        sessions.GetDocument(sessions_pb2.GetDocumentRequest(user_id="u-2", id=document.id), None)
    with pytest.raises(NotFound):
        sessions.DeleteDocument(
            sessions_pb2.DeleteDocumentRequest(user_id="u-2", id=document.id), None
        )
    with pytest.raises(NotFound):
        start(sessions, "u-2", cv_id=document.id)
    sessions.billing.ConsumeCredit.assert_not_called()


def test_a_deleted_document_takes_its_file_with_it(sessions):
    document = upload(sessions)
    sessions.DeleteDocument(sessions_pb2.DeleteDocumentRequest(user_id="u-1", id=document.id), None)
    assert sessions.blobs.objects == {}
    listed = sessions.ListDocuments(sessions_pb2.ListDocumentsRequest(user_id="u-1"), None)
    assert list(listed.documents) == []


def test_a_bad_kind_is_refused_before_anything_is_read_or_counted(sessions):
    with pytest.raises(InvalidArgument):
        upload(sessions, kind="photo")
    assert sessions.repo.attempts == {} and sessions.blobs.objects == {}


def test_uploads_are_limited_per_person_before_they_are_read(sessions):
    for _ in range(10):
        upload(sessions, text="Registered Nurse with triage experience.")
    with pytest.raises(RateLimited):
        upload(sessions)
    assert len(sessions.repo.documents) == 10
    upload(sessions, user_id="u-2")  # someone else is not held up


def test_an_interview_starts_once_with_its_credit_and_asks_the_first_question(sessions):
    document = upload(sessions)
    started = start(sessions, cv_id=document.id)
    assert started.status == "in_progress" and started.question
    assert started.plan.family == "nursing" and started.questions_planned >= 5
    again = start(sessions, cv_id=document.id)  # a retried start: the same interview
    assert again.id == started.id and again.question == started.question
    sessions.billing.ConsumeCredit.assert_called_once()
    consume = sessions.billing.ConsumeCredit.call_args.args[0]
    assert (consume.user_id, consume.interview_id) == ("u-1", started.id)


def test_without_credit_nothing_starts_and_nothing_is_kept(sessions):
    refusal = json.dumps({"code": "payment_required", "message": "no credit left"})
    sessions.billing.ConsumeCredit.side_effect = GrpcError(
        grpc.StatusCode.FAILED_PRECONDITION, refusal
    )
    with pytest.raises(PaymentRequired):
        start(sessions, role="Staff Nurse")
    assert sessions.repo.interviews == {} and sessions.repo.events == []


def test_nothing_to_interview_for_is_refused(sessions):
    with pytest.raises(InvalidArgument):
        start(sessions)


def test_an_answer_counts_once_and_the_next_question_follows(sessions):
    started = start(sessions, role="Staff Nurse")
    text = (
        "On a night shift with 30 admissions I triaged with NEWS2, escalated two patients "
        "to the outreach team, and we cut the handover by 20 minutes."
    )
    first = answer(sessions, started.id, text, "a1")
    assert first.question and first.status == "in_progress"
    repeated = answer(sessions, started.id, text, "a1")  # a double submit
    assert repeated == first
    interview = sessions.repo.interview("u-1", started.id)
    assert [t.answered for t in interview.turns] == [True, False]


def test_an_empty_answer_or_an_answer_to_someone_elses_interview_is_refused(sessions):
    started = start(sessions, role="Staff Nurse")
    with pytest.raises(InvalidArgument):
        answer(sessions, started.id, "   ", "a1")
    with pytest.raises(NotFound):
        answer(sessions, started.id, "An answer.", "a1", user_id="u-2")


def test_finishing_without_answers_abandons_and_there_is_no_report(sessions):
    started = start(sessions, role="Staff Nurse")
    finished = sessions.FinishInterview(
        sessions_pb2.FinishInterviewRequest(user_id="u-1", id=started.id), None
    ).interview
    assert finished.status == "abandoned"
    with pytest.raises(NotFound):
        sessions.GetReport(sessions_pb2.GetReportRequest(user_id="u-1", id=started.id), None)
    with pytest.raises(InterviewFinished):
        answer(sessions, started.id, "Too late.", "late")


def test_finishing_with_answers_writes_the_report_once(sessions):
    started = start(sessions, role="Staff Nurse")
    with pytest.raises(Conflict):
        sessions.GetReport(sessions_pb2.GetReportRequest(user_id="u-1", id=started.id), None)
    answer(sessions, started.id, "I led the night triage and trained six new nurses.", "a1")
    request = sessions_pb2.FinishInterviewRequest(user_id="u-1", id=started.id)
    assert sessions.FinishInterview(request, None).interview.status == "completed"
    sessions.FinishInterview(request, None)
    report = sessions.GetReport(
        sessions_pb2.GetReportRequest(user_id="u-1", id=started.id), None
    ).report
    assert 0 <= report.overall_score <= 100 and report.competencies
    reports = [e for e in sessions.repo.events if e["event_type"] == "report_created"]
    assert len(reports) == 1


def test_idle_interviews_are_closed_and_unpaid_starts_dropped(sessions):
    answered = start(sessions, role="Staff Nurse", key="k-answered")
    answer(sessions, answered.id, "I triaged thirty patients a night on the unit.", "a1")
    silent = start(sessions, role="Staff Nurse", key="k-silent")
    sessions.clock.advance(7 * 24 * 3600)
    sessions.finish_idle_interviews()
    assert sessions.repo.interview("u-1", answered.id).status is InterviewStatus.COMPLETED
    assert sessions.repo.interview("u-1", silent.id).status is InterviewStatus.ABANDONED


def test_a_merged_guests_data_moves_to_the_account(sessions):
    sessions.adopt_guest_data(events_pb2.GuestUpgraded(guest_user_id="g", user_id="u", merged=True))
    sessions.personal_data.move.assert_called_once_with("g", "u")


def test_the_interview_state_machine():
    assert states_before(InterviewStatus.IN_PROGRESS) == ["created"]
    assert states_before(InterviewStatus.COMPLETED) == ["in_progress"]
    assert states_before(InterviewStatus.ABANDONED) == ["created", "in_progress"]
    assert states_before(InterviewStatus.CREATED) == []
