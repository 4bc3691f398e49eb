"""Sessions service entrypoints: documents, interviews, reports, replay, and the
privacy hooks. Thin: intake, analysis, the interviewer and the report are domain
modules; storage is the repository."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import structlog
from nameko.timer import timer
from nameko_grpc.errors import GrpcError

from mocky.billing.v1 import billing_pb2, billing_pb2_grpc
from mocky.events.v1 import events_pb2
from mocky.platform.blobs import Blobs
from mocky.platform.data_map import DataOwnerHooks, PersonalData
from mocky.platform.errors import Conflict, InvalidArgument, NotFound
from mocky.platform.events import InboxProvider, OutboxRelay, event_handler, outbox_entry
from mocky.platform.grpc import LogContext, PlatformEntrypoints, rpc
from mocky.platform.grpc_client import ServiceClient, as_domain_error
from mocky.platform.metrics import EntrypointMetrics
from mocky.platform.mongo import MongoRepository
from mocky.platform.settings import get_settings
from mocky.sessions.v1 import sessions_pb2, sessions_pb2_grpc
from services.sessions import domain, events
from services.sessions.analysis import fit
from services.sessions.dependencies import DocumentReader, Extractions, InterviewerEngines
from services.sessions.documents import usable_text
from services.sessions.interviewer import Context, NextStep, OfflineInterviewer
from services.sessions.messages import (
    answer_message,
    document_message,
    interview_message,
    plan_message,
    report_message,
)
from services.sessions.repository import (
    DATA_MAP,
    DOCUMENTS,
    INTERVIEWS,
    REPORTS,
    SessionsRepository,
)

log = structlog.get_logger(__name__)
Stub = sessions_pb2_grpc.SessionsServiceStub
KINDS = ("cv", "jd")


class SessionsService(PlatformEntrypoints, DataOwnerHooks):
    name = "sessions"
    reflected_services = ("mocky.sessions.v1.SessionsService", "mocky.privacy.v1.DataOwnerService")

    repo = MongoRepository(SessionsRepository)
    personal_data = PersonalData(DATA_MAP)
    blobs = Blobs()
    outbox = OutboxRelay([DOCUMENTS, INTERVIEWS, REPORTS])
    inbox = InboxProvider()
    billing = ServiceClient("billing", billing_pb2_grpc.BillingServiceStub)
    extractions = Extractions()
    reader = DocumentReader()
    interviewers = InterviewerEngines()
    entrypoint_metrics = EntrypointMetrics()
    log_context = LogContext()

    # -- documents ---------------------------------------------------------------------

    @rpc(Stub)
    def UploadDocument(
        self, request: sessions_pb2.UploadDocumentRequest, context: Any
    ) -> sessions_pb2.UploadDocumentResponse:
        if request.kind not in KINDS:
            raise InvalidArgument("kind must be cv or jd", code="invalid_kind")
        replaced = None
        if request.replaces_id:
            replaced = self.repo.document(request.user_id, request.replaces_id, with_text=False)
            if replaced is None:
                raise NotFound("no such document")
        self._limit(domain.UPLOADS_PER_USER, request.user_id)  # before any reading
        if request.data:
            extracted = self.extractions.extract(
                request.data, request.filename, get_settings().max_upload_bytes
            )
            content_type, text, original = extracted.content_type, extracted.text, request.data
        else:
            text = usable_text(request.text[: get_settings().max_upload_bytes])
            content_type, original = "text/plain", text.encode()
        document_id = uuid.uuid4().hex
        document = domain.Document(
            id=document_id,
            user_id=request.user_id,
            kind=request.kind,
            filename=domain.upload_name(request.filename, request.kind, pasted=not request.data),
            content_type=content_type,
            size_bytes=len(original),
            blob_key=f"sessions/documents/{request.user_id}/{document_id}",
            created_at=self.clock.now(),
            text=text,
            analysis=self.reader.analyse(text, request.kind),
        )
        self.blobs.put(document.blob_key, original, content_type)
        event = events.document_uploaded(
            document.id,
            document.user_id,
            document.kind,
            document.blob_key,
            document.created_at,
            self.clock,
        )
        self.repo.add_document(document, outbox_entry(event))
        self.outbox.flush_or_defer(DOCUMENTS, document.id)
        if replaced is not None:
            self._delete_document(replaced.id)
        log.info("document_uploaded", kind=request.kind, content_type=content_type)
        return sessions_pb2.UploadDocumentResponse(document=document_message(document))

    def _limit(self, limit: Any, subject: str) -> None:
        now = self.clock.now()
        key, window_end = limit.bucket(subject, now)
        limit.check(self.repo.count_attempt(key, window_end), window_end, now)

    @rpc(Stub)
    def ListDocuments(
        self, request: sessions_pb2.ListDocumentsRequest, context: Any
    ) -> sessions_pb2.ListDocumentsResponse:
        return sessions_pb2.ListDocumentsResponse(
            documents=[document_message(d) for d in self.repo.documents_of(request.user_id)]
        )

    @rpc(Stub)
    def GetDocument(
        self, request: sessions_pb2.GetDocumentRequest, context: Any
    ) -> sessions_pb2.GetDocumentResponse:
        doc = self.repo.document(request.user_id, request.id)
        if doc is None:
            raise NotFound("no such document")
        return sessions_pb2.GetDocumentResponse(document=document_message(doc, with_text=True))

    @rpc(Stub)
    def DeleteDocument(
        self, request: sessions_pb2.DeleteDocumentRequest, context: Any
    ) -> sessions_pb2.DeleteDocumentResponse:
        if self.repo.document(request.user_id, request.id, with_text=False) is None:
            raise NotFound("no such document")
        self._delete_document(request.id)
        return sessions_pb2.DeleteDocumentResponse()

    def _delete_document(self, document_id: str) -> None:
        blob_key = self.repo.delete_document(document_id)
        if blob_key is not None:
            self.blobs.delete_many([blob_key])

    # -- interviews --------------------------------------------------------------------

    @rpc(Stub)
    def StartInterview(
        self, request: sessions_pb2.StartInterviewRequest, context: Any
    ) -> sessions_pb2.StartInterviewResponse:
        mode = domain.check_mode(request.mode)
        interview_id = domain.interview_id_for(request.user_id, request.idempotency_key)
        interview = self.repo.interview(request.user_id, interview_id)
        if interview is None:
            interview = self._create_interview(interview_id, request, mode)
        if interview.status is domain.InterviewStatus.CREATED:
            self._take_credit(request.user_id, interview_id, request.guest)
            self._begin(interview)
            interview = self.repo.interview(request.user_id, interview_id) or interview
        return sessions_pb2.StartInterviewResponse(interview=interview_message(interview))

    def _fit_for(self, request: Any) -> Any:
        """The fit of the request's documents (the user's own: NOT_FOUND otherwise) and
        typed role."""
        documents = {}
        for kind, document_id in (("cv", request.cv_id), ("jd", request.jd_id)):
            if document_id:
                document = self.repo.document(request.user_id, document_id, with_text=False)
                if document is None or document.kind != kind:
                    raise NotFound(f"no such {kind} document")
                documents[kind] = document
        if not documents and not request.role.strip():
            raise InvalidArgument(
                "give a CV, a job description or a role", code="nothing_to_interview_for"
            )
        cv, jd = documents.get("cv"), documents.get("jd")
        return fit(
            cv.analysis if cv else None, jd.analysis if jd else None, request.role.strip()[:120]
        )

    @rpc(Stub)
    def PreviewInterview(
        self, request: sessions_pb2.PreviewInterviewRequest, context: Any
    ) -> sessions_pb2.PreviewInterviewResponse:
        interview_fit = self._fit_for(request)
        plan = OfflineInterviewer().plan(Context("text", interview_fit, 0))
        return sessions_pb2.PreviewInterviewResponse(
            plan=plan_message(domain.plan_summary(interview_fit, plan))
        )

    def _create_interview(self, interview_id: str, request: Any, mode: str) -> domain.Interview:
        interview_fit = self._fit_for(request)
        seed = int(interview_id[:8], 16)
        engine = self.interviewers.for_new(request.provider_consent)
        interview = domain.Interview.new(
            interview_id,
            request.user_id,
            mode,
            interview_fit,
            engine.plan(Context(mode, interview_fit, seed)),
            seed,
            engine.name,
            bool(request.provider_consent),
            (request.cv_id, request.jd_id),
            self.clock.now(),
        )
        if not self.repo.create_interview(interview):  # a concurrent retry of the same start
            interview = self.repo.interview(request.user_id, interview_id) or interview
        return interview

    def _take_credit(self, user_id: str, interview_id: str, guest: bool) -> None:
        try:
            self.billing.ConsumeCredit(
                billing_pb2.ConsumeCreditRequest(
                    user_id=user_id, interview_id=interview_id, guest=guest
                )
            )
        except GrpcError as error:
            refusal = as_domain_error(error)
            if refusal.code == "payment_required":
                # Nothing was taken and nothing was asked: the interview never started.
                self.repo.delete_interview(interview_id)
            raise refusal from None

    def _begin(self, interview: domain.Interview) -> None:
        now = self.clock.now()
        event = events.interview_started(
            interview.id, interview.user_id, interview.mode, now, self.clock
        )
        if self.repo.begin(
            interview.id,
            interview.first_turn(now.timestamp()),
            now.timestamp(),
            outbox_entry(event),
        ):
            self.outbox.flush_or_defer(INTERVIEWS, interview.id)
            log.info("interview_started", mode=interview.mode, engine=interview.engine)

    @rpc(Stub)
    def ListInterviews(
        self, request: sessions_pb2.ListInterviewsRequest, context: Any
    ) -> sessions_pb2.ListInterviewsResponse:
        return sessions_pb2.ListInterviewsResponse(
            interviews=[interview_message(i) for i in self.repo.interviews_of(request.user_id)]
        )

    @rpc(Stub)
    def GetInterview(
        self, request: sessions_pb2.GetInterviewRequest, context: Any
    ) -> sessions_pb2.GetInterviewResponse:
        return sessions_pb2.GetInterviewResponse(
            interview=interview_message(self._interview(request), with_turns=True)
        )

    def _interview(self, request: Any) -> domain.Interview:
        interview = self.repo.interview(request.user_id, request.id)
        if interview is None:
            raise NotFound("no such interview")
        return interview

    @rpc(Stub)
    def SubmitAnswer(
        self, request: sessions_pb2.SubmitAnswerRequest, context: Any
    ) -> sessions_pb2.SubmitAnswerResponse:
        answering = self._answer(request)
        if not isinstance(answering, domain.Interview):
            return answering  # a double submit: the first result again
        *_, result = self._answering(request, answering)
        return result

    @rpc(Stub)
    def StreamAnswer(
        self, request: sessions_pb2.StreamAnswerRequest, context: Any
    ) -> Iterator[sessions_pb2.StreamAnswerResponse]:
        # Checked before the stream starts: a refusal is a status, not a broken stream.
        answering = self._answer(request.answer)
        if not isinstance(answering, domain.Interview):
            return iter([sessions_pb2.StreamAnswerResponse(result=answering)])
        return self._stream_answer(request.answer, answering)

    def _stream_answer(self, request: Any, interview: domain.Interview) -> Iterator[Any]:
        for item in self._answering(request, interview):
            if isinstance(item, str):
                yield sessions_pb2.StreamAnswerResponse(sentence=item)
            else:
                yield sessions_pb2.StreamAnswerResponse(result=item)

    def _answer(self, request: Any) -> Any:
        """The interview the answer goes into, or the result of an earlier submit of
        the same answer."""
        domain.check_answer(request.text, request.idempotency_key)
        interview = self.repo.interview(request.user_id, request.interview_id)
        if interview is None:
            raise NotFound("no such interview")
        repeated = interview.turn_answered_with(request.idempotency_key)
        if repeated is not None:
            return answer_message(repeated, interview.status)
        interview.require_answerable()
        return interview

    def _answering(self, request: Any, interview: domain.Interview) -> Iterator[Any]:
        """The next question's sentences as the engine writes them, then the result.
        The answer and the step are saved however far the caller listened: a caller
        that stops (a live socket closed) leaves the rest of the step to finish here."""
        text = domain.check_answer(request.text, request.idempotency_key)
        now_ts = self.clock.time()
        turns = interview.answering(
            text,
            request.idempotency_key,
            float(request.audio_seconds or 0),
            request.audio_id,
            now_ts,
        )
        engine = self.interviewers.of(interview.engine, request.provider_consent)
        steps = engine.stream_step(
            interview.context(), list(interview.plan), domain.answered(turns)
        )
        step = None
        try:
            for item in steps:
                if isinstance(item, NextStep):
                    step = item
                else:
                    yield item
        except GeneratorExit:
            step = step or next(i for i in steps if isinstance(i, NextStep))
            self._save_step(request, interview, turns, step, now_ts)
            raise
        assert step is not None
        yield self._save_step(request, interview, turns, step, now_ts)

    def _save_step(
        self,
        request: Any,
        interview: domain.Interview,
        turns: list[domain.Turn],
        step: NextStep,
        now_ts: float,
    ) -> Any:
        answered_at = len(turns) - 1
        turns = domain.Interview.after_step(turns, step, now_ts)
        fields = {"updated_ts": now_ts, "provider_consent": bool(request.provider_consent)}
        if not self.repo.save_turns(interview.id, interview.turn_seq, turns, fields):
            return self._lost_race(request)
        status = interview.status
        if step.question is None:
            self._complete(interview.id, request.user_id, request.provider_consent)
            status = domain.InterviewStatus.COMPLETED
        return answer_message(turns[answered_at], status)

    def _lost_race(self, request: Any) -> Any:
        """Another answer landed first: a resubmit of the same answer gets its result;
        anything else is told why it was refused."""
        interview = self._interview(
            sessions_pb2.GetInterviewRequest(user_id=request.user_id, id=request.interview_id)
        )
        repeated = interview.turn_answered_with(request.idempotency_key)
        if repeated is not None:
            return answer_message(repeated, interview.status)
        interview.require_answerable()
        raise domain.AnswerConflict("another answer to this question arrived first")

    @rpc(Stub)
    def FinishInterview(
        self, request: sessions_pb2.FinishInterviewRequest, context: Any
    ) -> sessions_pb2.FinishInterviewResponse:
        interview = self._interview(request)
        if not interview.finished:
            self._complete(interview.id, request.user_id, request.provider_consent)
        return sessions_pb2.FinishInterviewResponse(
            interview=interview_message(self._interview(request))
        )

    def _complete(self, interview_id: str, user_id: str, provider_consent: bool) -> None:
        """Writes the report, then closes the interview (a crash in between is finished
        by the idle timer or a retry). Without any answer there is nothing to report:
        the interview is abandoned."""
        interview = self.repo.interview(user_id, interview_id)
        if interview is None or interview.finished:
            return
        turns = interview.answered_turns()
        now = self.clock.now()
        if not turns:
            self.repo.finish(interview_id, domain.InterviewStatus.ABANDONED, now.timestamp())
            log.info("interview_abandoned")
            return
        engine = self.interviewers.of(interview.engine, provider_consent)
        report = engine.report(interview.context(with_plan=True), turns)
        event = events.report_created(interview_id, user_id, report.overall_score, now, self.clock)
        if self.repo.add_report(interview, report, now, outbox_entry(event)):
            self.outbox.flush_or_defer(REPORTS, interview_id)
        self.repo.finish(interview_id, domain.InterviewStatus.COMPLETED, now.timestamp())
        log.info("interview_completed", overall=report.overall_score)

    @timer(interval=10)
    def finish_idle_interviews(self) -> None:
        """Interviews left alone for MOCKY_INTERVIEW_IDLE_SECONDS: completed with what
        was answered (abandoned when nothing was); a start that never got its credit is
        dropped (it holds nothing the user gave beyond the ids)."""
        cutoff = self.clock.time() - get_settings().interview_idle_seconds
        for interview in self.repo.idle_interviews(cutoff):
            if interview.status is domain.InterviewStatus.CREATED:
                self.repo.delete_interview(interview.id)
            else:
                # The consent as it stood at the last answer.
                self._complete(interview.id, interview.user_id, interview.provider_consent)

    @rpc(Stub)
    def GetReport(
        self, request: sessions_pb2.GetReportRequest, context: Any
    ) -> sessions_pb2.GetReportResponse:
        interview = self._interview(request)
        report = self.repo.report(request.user_id, request.id)
        if report is None:
            if interview.status is domain.InterviewStatus.ABANDONED:
                raise NotFound("an abandoned interview has no report", code="no_report")
            raise Conflict("the interview has not finished", code="interview_not_finished")
        return sessions_pb2.GetReportResponse(report=report_message(report))

    @rpc(Stub)
    def GetReplay(
        self, request: sessions_pb2.GetReplayRequest, context: Any
    ) -> sessions_pb2.GetReplayResponse:
        interview = self._interview(request)
        return sessions_pb2.GetReplayResponse(
            interview=interview_message(interview, with_turns=True)
        )

    # -- account events ----------------------------------------------------------------

    @event_handler("auth", "guest_upgraded", events_pb2.GuestUpgraded)
    def adopt_guest_data(self, event: Any) -> None:
        """A guest who signed in to an existing account keeps their documents and
        interviews."""
        if event.merged:
            moved = self.personal_data.move(event.guest_user_id, event.user_id)
            log.info("guest_data_adopted", records=moved)
