"""Sessions service entrypoints: documents, interviews, reports, replay, and the
privacy hooks. Thin: intake, analysis, the interviewer and the report are domain
modules; storage is the repository."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

import structlog
from nameko.timer import timer
from nameko_grpc.errors import GrpcError

from mocky.billing.v1 import billing_pb2, billing_pb2_grpc
from mocky.events.v1 import events_pb2
from mocky.platform.blobs import Blobs
from mocky.platform.clock import from_epoch
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
from services.sessions.dependencies import DocumentReader, Extractions
from services.sessions.documents import usable_text
from services.sessions.engines import engine_of, interviewer_for
from services.sessions.interviewer import Context, NextStep, OfflineInterviewer
from services.sessions.repository import (
    DATA_MAP,
    DOCUMENTS,
    INTERVIEWS,
    REPORTS,
    SessionsRepository,
)
from services.sessions.rubric import RUBRIC
from services.sessions.taxonomy import taxonomy

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
    entrypoint_metrics = EntrypointMetrics()
    log_context = LogContext()

    # -- documents ---------------------------------------------------------------------

    @rpc(Stub)
    def UploadDocument(self, request: Any, context: Any) -> Any:
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
        filename = domain.upload_name(request.filename, request.kind, pasted=not request.data)
        document_id = uuid.uuid4().hex
        blob_key = f"sessions/documents/{request.user_id}/{document_id}"
        self.blobs.put(blob_key, original, content_type)
        now = self.clock.now()
        analysis = self.reader.analyse(text, request.kind)
        doc = {
            "_id": document_id,
            "user_id": request.user_id,
            "kind": request.kind,
            "filename": filename,
            "content_type": content_type,
            "size_bytes": len(original),
            "blob_key": blob_key,
            "text": text,
            "analysis": domain.analysis_to_doc(analysis),
            "created_at": now,
        }
        event = events.document_uploaded(
            document_id, request.user_id, request.kind, blob_key, now, self.clock
        )
        self.repo.add_document(doc, outbox_entry(event))
        self.outbox.flush_or_defer(DOCUMENTS, document_id)
        if replaced is not None:
            self._delete_document(replaced["_id"])
        log.info("document_uploaded", kind=request.kind, content_type=content_type)
        return sessions_pb2.UploadDocumentResponse(document=document_message(doc))

    def _limit(self, limit: Any, subject: str) -> None:
        now = self.clock.now()
        key, window_end = limit.bucket(subject, now)
        limit.check(self.repo.count_attempt(key, window_end), window_end, now)

    @rpc(Stub)
    def ListDocuments(self, request: Any, context: Any) -> Any:
        return sessions_pb2.ListDocumentsResponse(
            documents=[document_message(d) for d in self.repo.documents_of(request.user_id)]
        )

    @rpc(Stub)
    def GetDocument(self, request: Any, context: Any) -> Any:
        doc = self.repo.document(request.user_id, request.id)
        if doc is None:
            raise NotFound("no such document")
        return sessions_pb2.GetDocumentResponse(document=document_message(doc, with_text=True))

    @rpc(Stub)
    def DeleteDocument(self, request: Any, context: Any) -> Any:
        if self.repo.document(request.user_id, request.id, with_text=False) is None:
            raise NotFound("no such document")
        self._delete_document(request.id)
        return sessions_pb2.DeleteDocumentResponse()

    def _delete_document(self, document_id: str) -> bool:
        removed = self.repo.delete_document(document_id)
        if removed is None:
            return False
        self.blobs.delete_many([removed["blob_key"]])
        return True

    # -- interviews --------------------------------------------------------------------

    @rpc(Stub)
    def StartInterview(self, request: Any, context: Any) -> Any:
        mode = domain.check_mode(request.mode)
        interview_id = domain.interview_id_for(request.user_id, request.idempotency_key)
        existing = self.repo.interview(request.user_id, interview_id)
        if existing is None:
            existing = self._create_interview(interview_id, request, mode)
        if existing["status"] == domain.CREATED:
            self._take_credit(request.user_id, interview_id, request.guest)
            self._begin(existing)
            existing = self.repo.interview(request.user_id, interview_id)
        return sessions_pb2.StartInterviewResponse(interview=interview_message(existing))

    def _fit_for(self, request: Any) -> Any:
        """The fit of the request's documents (the user's own: NOT_FOUND otherwise) and
        typed role."""
        documents = {}
        for kind, document_id in (("cv", request.cv_id), ("jd", request.jd_id)):
            if document_id:
                doc = self.repo.document(request.user_id, document_id, with_text=False)
                if doc is None or doc["kind"] != kind:
                    raise NotFound(f"no such {kind} document")
                documents[kind] = doc
        if not documents and not request.role.strip():
            raise InvalidArgument(
                "give a CV, a job description or a role", code="nothing_to_interview_for"
            )
        return fit(
            domain.analysis_from(documents.get("cv")),
            domain.analysis_from(documents.get("jd")),
            request.role.strip()[:120],
        )

    @rpc(Stub)
    def PreviewInterview(self, request: Any, context: Any) -> Any:
        interview_fit = self._fit_for(request)
        plan = OfflineInterviewer().plan(Context("text", interview_fit, 0))
        return sessions_pb2.PreviewInterviewResponse(
            plan=plan_message(domain.plan_summary(interview_fit, plan))
        )

    def _create_interview(self, interview_id: str, request: Any, mode: str) -> dict:
        interview_fit = self._fit_for(request)
        seed = int(interview_id[:8], 16)
        engine = interviewer_for(request.provider_consent)
        context = Context(mode, interview_fit, seed)
        plan = engine.plan(context)
        now = self.clock.now()
        doc = {
            "_id": interview_id,
            "user_id": request.user_id,
            "mode": mode,
            "status": domain.CREATED,
            "role": interview_fit.role,
            "cv_id": request.cv_id,
            "jd_id": request.jd_id,
            "seed": seed,
            "engine": engine.name,
            "provider_consent": bool(request.provider_consent),
            "fit": domain.fit_to_doc(interview_fit),
            "plan": domain.plan_to_doc(plan),
            "plan_summary": domain.plan_summary(interview_fit, plan),
            "turns": [],
            "turn_seq": 0,
            "created_at": now,
            "updated_ts": now.timestamp(),
            "finished_ts": None,
        }
        if not self.repo.create_interview(doc):  # a concurrent retry of the same start
            doc = self.repo.interview(request.user_id, interview_id) or doc
        return doc

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

    def _begin(self, interview: dict) -> None:
        now = self.clock.now()
        first = domain.plan_from_doc(interview["plan"])[0]
        event = events.interview_started(
            interview["_id"], interview["user_id"], interview["mode"], now, self.clock
        )
        if self.repo.begin(
            interview["_id"],
            domain.new_turn(0, first, now.timestamp()),
            now.timestamp(),
            outbox_entry(event),
        ):
            self.outbox.flush_or_defer(INTERVIEWS, interview["_id"])
            log.info("interview_started", mode=interview["mode"], engine=interview["engine"])

    @rpc(Stub)
    def ListInterviews(self, request: Any, context: Any) -> Any:
        return sessions_pb2.ListInterviewsResponse(
            interviews=[interview_message(i) for i in self.repo.interviews_of(request.user_id)]
        )

    @rpc(Stub)
    def GetInterview(self, request: Any, context: Any) -> Any:
        return sessions_pb2.GetInterviewResponse(
            interview=interview_message(self._interview(request), with_turns=True)
        )

    def _interview(self, request: Any) -> dict:
        interview = self.repo.interview(request.user_id, request.id)
        if interview is None:
            raise NotFound("no such interview")
        return interview

    @rpc(Stub)
    def SubmitAnswer(self, request: Any, context: Any) -> Any:
        answering = self._answer(request)
        if not isinstance(answering, dict):
            return answering  # a double submit: the first result again
        *_, result = self._answering(request, answering)
        return result

    @rpc(Stub)
    def StreamAnswer(self, request: Any, context: Any) -> Any:
        # Checked before the stream starts: a refusal is a status, not a broken stream.
        answering = self._answer(request.answer)
        if not isinstance(answering, dict):
            return iter([sessions_pb2.StreamAnswerResponse(result=answering)])
        return self._stream_answer(request.answer, answering)

    def _stream_answer(self, request: Any, interview: dict) -> Iterator[Any]:
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
        repeated = domain.answered_with_key(interview["turns"], request.idempotency_key)
        if repeated is not None:
            return answer_message(repeated, interview["status"])
        domain.require_answerable(interview["status"])
        return interview

    def _answering(self, request: Any, interview: dict) -> Iterator[Any]:
        """The next question's sentences as the engine writes them, then the result.
        The answer and the step are saved however far the caller listened: a caller
        that stops (a live socket closed) leaves the rest of the step to finish here."""
        text = domain.check_answer(request.text, request.idempotency_key)
        now_ts = self.clock.time()
        turns = [dict(t) for t in interview["turns"]]
        current = turns[-1]
        current.update(
            answer=text,
            answered_ts=now_ts,
            answer_key=request.idempotency_key,
            audio_seconds=float(request.audio_seconds or 0),
            audio_id=request.audio_id,
        )
        context = Context(
            interview["mode"], domain.fit_from_doc(interview["fit"]), interview["seed"]
        )
        engine = engine_of(interview, request.provider_consent)
        steps = engine.stream_step(
            context, domain.plan_from_doc(interview["plan"]), domain.answered_turns(turns)
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
        self, request: Any, interview: dict, turns: list[dict], step: NextStep, now_ts: float
    ) -> Any:
        current = turns[-1]
        current["feedback"] = step.feedback
        current["result"] = {
            "question": step.question.text if step.question else "",
            "follow_up": step.follow_up,
            "feedback": step.feedback,
            "done": step.question is None,
        }
        if step.question is not None:
            turns.append(domain.new_turn(len(turns), step.question, now_ts))
        fields = {"updated_ts": now_ts, "provider_consent": bool(request.provider_consent)}
        if not self.repo.save_turns(interview["_id"], interview["turn_seq"], turns, fields):
            return self._lost_race(request)
        status = interview["status"]
        if step.question is None:
            self._complete(interview["_id"], request.user_id, request.provider_consent)
            status = domain.COMPLETED
        return answer_message(current, status)

    def _lost_race(self, request: Any) -> Any:
        """Another answer landed first: a resubmit of the same answer gets its result;
        anything else is told why it was refused."""
        interview = self._interview(
            sessions_pb2.GetInterviewRequest(user_id=request.user_id, id=request.interview_id)
        )
        repeated = domain.answered_with_key(interview["turns"], request.idempotency_key)
        if repeated is not None:
            return answer_message(repeated, interview["status"])
        domain.require_answerable(interview["status"])
        raise domain.AnswerConflict("another answer to this question arrived first")

    @rpc(Stub)
    def FinishInterview(self, request: Any, context: Any) -> Any:
        interview = self._interview(request)
        if interview["status"] not in domain.FINISHED:
            self._complete(interview["_id"], request.user_id, request.provider_consent)
        return sessions_pb2.FinishInterviewResponse(
            interview=interview_message(self._interview(request))
        )

    def _complete(self, interview_id: str, user_id: str, provider_consent: bool) -> None:
        """Writes the report, then closes the interview (a crash in between is finished
        by the idle timer or a retry). Without any answer there is nothing to report:
        the interview is abandoned."""
        interview = self.repo.interview(user_id, interview_id)
        if interview is None or interview["status"] in domain.FINISHED:
            return
        turns = domain.answered_turns(interview["turns"])
        now = self.clock.now()
        if not turns:
            self.repo.finish(interview_id, domain.ABANDONED, now.timestamp())
            log.info("interview_abandoned")
            return
        context = Context(
            interview["mode"],
            domain.fit_from_doc(interview["fit"]),
            interview["seed"],
            plan=tuple(domain.plan_from_doc(interview["plan"])),
        )
        report = engine_of(interview, provider_consent).report(context, turns)
        event = events.report_created(interview_id, user_id, report.overall_score, now, self.clock)
        if self.repo.add_report(
            {"_id": interview_id, "user_id": user_id, "created_at": now, **report_doc(report)},
            outbox_entry(event),
        ):
            self.outbox.flush_or_defer(REPORTS, interview_id)
        self.repo.finish(interview_id, domain.COMPLETED, now.timestamp())
        log.info("interview_completed", overall=report.overall_score)

    @timer(interval=10)
    def finish_idle_interviews(self) -> None:
        """Interviews left alone for MOCKY_INTERVIEW_IDLE_SECONDS: completed with what
        was answered (abandoned when nothing was); a start that never got its credit is
        dropped (it holds nothing the user gave beyond the ids)."""
        cutoff = self.clock.time() - get_settings().interview_idle_seconds
        for interview in self.repo.idle_interviews(cutoff):
            if interview["status"] == domain.CREATED:
                self.repo.delete_interview(interview["_id"])
            else:
                # The consent as it stood at the last answer.
                consent = bool(interview.get("provider_consent"))
                self._complete(interview["_id"], interview["user_id"], consent)

    @rpc(Stub)
    def GetReport(self, request: Any, context: Any) -> Any:
        interview = self._interview(request)
        report = self.repo.report(request.user_id, request.id)
        if report is None:
            if interview["status"] == domain.ABANDONED:
                raise NotFound("an abandoned interview has no report", code="no_report")
            raise Conflict("the interview has not finished", code="interview_not_finished")
        return sessions_pb2.GetReportResponse(report=report_message(report))

    @rpc(Stub)
    def GetReplay(self, request: Any, context: Any) -> Any:
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


# -- storage shapes -> messages -----------------------------------------------------------


def document_message(doc: dict, with_text: bool = False) -> Any:
    analysis = doc.get("analysis") or {}
    message = sessions_pb2.Document(
        id=doc["_id"],
        kind=doc["kind"],
        filename=doc.get("filename", ""),
        content_type=doc.get("content_type", ""),
        size_bytes=int(doc.get("size_bytes", 0)),
        text=doc.get("text", "") if with_text else "",
        analysis=sessions_pb2.DocumentAnalysis(
            role=analysis.get("role", ""),
            seniority=analysis.get("seniority", ""),
            skills=analysis.get("skills") or [],
            requirements=analysis.get("requirements") or [],
            years_of_experience=int(analysis.get("years_of_experience") or 0),
            family=analysis.get("family", ""),
            family_name=taxonomy().family(analysis["family"]).name
            if analysis.get("family")
            else "",
            nice_to_have=analysis.get("nice_to_have") or [],
            language=analysis.get("language", "en"),
        ),
    )
    message.created_at.FromDatetime(doc["created_at"])
    return message


def interview_message(doc: dict, with_turns: bool = False) -> Any:
    turns = doc.get("turns") or []
    open_turn = turns[-1] if turns and not turns[-1].get("answer") else None
    message = sessions_pb2.Interview(
        id=doc["_id"],
        mode=doc["mode"],
        status=doc["status"],
        role=doc.get("role", ""),
        cv_id=doc.get("cv_id", ""),
        jd_id=doc.get("jd_id", ""),
        question=open_turn["question"] if open_turn and doc["status"] == domain.IN_PROGRESS else "",
        questions_planned=len(doc.get("plan") or []),
        questions_asked=len(turns),
        engine=doc.get("engine", ""),
        plan=plan_message(_summary_of(doc)),
    )
    message.created_at.FromDatetime(doc["created_at"])
    if doc.get("finished_ts"):
        message.finished_at.FromDatetime(from_epoch(doc["finished_ts"]))
    if with_turns:
        for t in turns:
            turn = message.turns.add(
                index=t["index"],
                question=t["question"],
                question_kind=t["kind"],
                answer=t.get("answer", ""),
                feedback=t.get("feedback", ""),
                audio_seconds=float(t.get("audio_seconds") or 0),
                audio_id=t.get("audio_id", ""),
            )
            turn.asked_at.FromDatetime(from_epoch(t["asked_ts"]))
            if t.get("answered_ts"):
                turn.answered_at.FromDatetime(from_epoch(t["answered_ts"]))
    return message


def _summary_of(doc: dict) -> dict:
    """The plan summary stored with the interview (made now for older interviews)."""
    if doc.get("plan_summary"):
        return doc["plan_summary"]
    stored = {"role": doc.get("role", ""), "seniority": "mid", **(doc.get("fit") or {})}
    return domain.plan_summary(domain.fit_from_doc(stored), domain.plan_from_doc(doc["plan"]))


def plan_message(summary: dict) -> Any:
    return sessions_pb2.InterviewPlan(**summary)


def answer_message(turn: dict, status: str) -> Any:
    result = turn.get("result") or {}
    return sessions_pb2.SubmitAnswerResponse(
        transcript=turn.get("answer", ""),
        question=result.get("question", ""),
        follow_up=bool(result.get("follow_up")),
        feedback=result.get("feedback", ""),
        done=bool(result.get("done")),
        status=status,
    )


def report_doc(report: Any) -> dict:
    return {
        "overall_score": report.overall_score,
        "summary": report.summary,
        "competencies": [
            {
                "competency": c.competency,
                "score": c.score,
                "summary": c.summary,
                "evidence": [
                    {"turn": e.turn, "quote": e.quote, "positive": e.positive} for e in c.evidence
                ],
                "suggestions": list(c.suggestions),
            }
            for c in report.competencies
        ],
        "delivery": {
            "words_per_minute": report.delivery.words_per_minute,
            "filler_words": report.delivery.filler_words,
            "fillers": dict(report.delivery.fillers),
            "spoken_answers": report.delivery.spoken_answers,
        },
        "strengths": list(report.strengths),
        "improvements": list(report.improvements),
        "engine": report.engine,
        "rubric_version": report.rubric_version,
        "questions": [asdict(q) for q in report.questions],
    }


def report_message(doc: dict) -> Any:
    delivery = doc.get("delivery") or {}
    message = sessions_pb2.Report(
        interview_id=doc["_id"],
        overall_score=int(doc["overall_score"]),
        summary=doc.get("summary", ""),
        competencies=[
            sessions_pb2.CompetencyScore(
                competency=c["competency"],
                score=int(c["score"]),
                summary=c.get("summary", ""),
                evidence=[sessions_pb2.Evidence(**e) for e in c.get("evidence") or []],
                suggestions=c.get("suggestions") or [],
            )
            for c in doc.get("competencies") or []
        ],
        delivery=sessions_pb2.Delivery(
            words_per_minute=float(delivery.get("words_per_minute") or 0),
            filler_words=int(delivery.get("filler_words") or 0),
            fillers={k: int(v) for k, v in (delivery.get("fillers") or {}).items()},
            spoken_answers=int(delivery.get("spoken_answers") or 0),
        ),
        strengths=doc.get("strengths") or [],
        improvements=doc.get("improvements") or [],
        engine=doc.get("engine", ""),
        rubric_version=doc.get("rubric_version", ""),
        rubric=[
            sessions_pb2.RubricCriterion(id=c.id, name=c.name, weight=c.weight, anchors=c.anchors)
            for c in RUBRIC
        ]
        if doc.get("rubric_version")
        else [],
        questions=[sessions_pb2.QuestionFeedback(**q) for q in doc.get("questions") or []],
    )
    message.created_at.FromDatetime(doc["created_at"])
    return message
