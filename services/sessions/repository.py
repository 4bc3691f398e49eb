"""pymongo access to the sessions service's collections; owns their indexes."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import datetime
from typing import Any, Protocol

from pymongo import ASCENDING, DESCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from mocky.platform.clock import as_utc
from mocky.platform.data_map import DataMap, Records
from mocky.platform.events import OUTBOX_FIELD, OUTBOX_SEQ, update_with_event
from mocky.platform.mongo import ensure_collection
from mocky.platform.ratelimit import count_attempt
from services.sessions.analysis import Analysis, Fit
from services.sessions.domain import (
    FINISHED,
    Document,
    Interview,
    InterviewStatus,
    StepResult,
    Turn,
    plan_summary,
    states_before,
)
from services.sessions.planning import PlannedQuestion
from services.sessions.report import ReportData

DOCUMENTS = "documents"  # extracted text + analysis; the original file is a blob
INTERVIEWS = "interviews"  # state, plan and turns (questions, answers, transcripts)
REPORTS = "reports"  # one per completed interview, _id = interview id
RATE_LIMITS = "rate_limits"  # fixed-window counters (hashed subjects), expire by TTL

# What sessions holds on a person, for the privacy hooks (mocky.platform.data_map).
DATA_MAP = DataMap(
    "sessions",
    records=(
        Records(
            "document",
            DOCUMENTS,
            "interview_session",
            blob_field="blob_key",
            blob_file=lambda doc: f"files/{doc['_id']}-{doc['filename']}",
        ),
        Records("interview", INTERVIEWS, "interview_session"),
        Records("report", REPORTS, "interview_session"),
    ),
)
HIDDEN = {OUTBOX_FIELD: 0, OUTBOX_SEQ: 0}


class SessionsStore(Protocol):
    """What the sessions service needs of storage: `SessionsRepository` over MongoDB and
    the unit tests' in-memory fake (both pass tests/integration/test_sessions_store.py)."""

    def count_attempt(self, key: str, expires_at: Any) -> int: ...
    def add_document(self, document: Document, event: dict) -> None: ...
    def document(
        self, user_id: str, document_id: str, with_text: bool = True
    ) -> Document | None: ...
    def documents_of(self, user_id: str) -> list[Document]: ...
    def delete_document(self, document_id: str) -> str | None: ...
    def create_interview(self, interview: Interview) -> bool: ...
    def interview(self, user_id: str, interview_id: str) -> Interview | None: ...
    def interviews_of(self, user_id: str) -> list[Interview]: ...
    def begin(self, interview_id: str, first_turn: Turn, now_ts: float, event: dict) -> bool: ...
    def save_turns(
        self, interview_id: str, seq: int, turns: list[Turn], fields: dict[str, Any]
    ) -> bool: ...
    def finish(self, interview_id: str, status: InterviewStatus, now_ts: float) -> bool: ...
    def idle_interviews(self, before_ts: float, limit: int = 50) -> list[Interview]: ...
    def delete_interview(self, interview_id: str) -> bool: ...
    def add_report(
        self, interview: Interview, report: ReportData, at: datetime, event: dict
    ) -> bool: ...
    def report(self, user_id: str, interview_id: str) -> dict | None: ...


# -- storage shapes ------------------------------------------------------------------


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def analysis_doc(analysis: Analysis) -> dict:
    return {k: _plain(v) for k, v in asdict(analysis).items()}


def analysis_from(stored: dict) -> Analysis:
    return Analysis(
        role=stored.get("role", ""),
        seniority=stored.get("seniority", ""),
        family=stored.get("family", ""),
        skills=tuple(stored.get("skills") or ()),
        requirements=tuple(stored.get("requirements") or ()),
        nice_to_have=tuple(stored.get("nice_to_have") or ()),
        years_of_experience=int(stored.get("years_of_experience") or 0),
        language=stored.get("language", "en"),
    )


def document_doc(document: Document) -> dict:
    return {
        "_id": document.id,
        "user_id": document.user_id,
        "kind": document.kind,
        "filename": document.filename,
        "content_type": document.content_type,
        "size_bytes": document.size_bytes,
        "blob_key": document.blob_key,
        "text": document.text,
        "analysis": analysis_doc(document.analysis) if document.analysis else {},
        "created_at": document.created_at,
    }


def document_from(doc: dict) -> Document:
    return Document(
        id=doc["_id"],
        user_id=doc["user_id"],
        kind=doc["kind"],
        filename=doc.get("filename", ""),
        content_type=doc.get("content_type", ""),
        size_bytes=int(doc.get("size_bytes", 0)),
        blob_key=doc["blob_key"],
        created_at=as_utc(doc["created_at"]),
        text=doc.get("text", ""),
        analysis=analysis_from(doc["analysis"]) if doc.get("analysis") else None,
    )


def fit_doc(fit: Fit) -> dict:
    return {k: _plain(v) for k, v in asdict(fit).items()}


def fit_from(stored: dict) -> Fit:
    """Older interviews stored fields that are gone (`areas`): only today's are read."""
    known = {f.name for f in fields(Fit)}
    values: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in stored.items() if k in known
    }
    return Fit(**values)


def plan_from(items: list[dict]) -> tuple[PlannedQuestion, ...]:
    return tuple(
        PlannedQuestion(
            i["kind"], i["text"], i.get("topic", ""), i.get("family", ""), i.get("competency", "")
        )
        for i in items
    )


def turn_doc(turn: Turn) -> dict:
    return {
        "index": turn.index,
        "question": turn.question,
        "kind": turn.kind,
        "answer": turn.answer,
        "feedback": turn.feedback,
        "asked_ts": turn.asked_ts,
        "answered_ts": turn.answered_ts,
        "audio_seconds": turn.audio_seconds,
        "audio_id": turn.audio_id,
        "answer_key": turn.answer_key,
        "result": asdict(turn.result) if turn.result else None,
    }


def turn_from(doc: dict) -> Turn:
    result = doc.get("result")
    return Turn(
        index=int(doc["index"]),
        question=doc["question"],
        kind=doc["kind"],
        asked_ts=float(doc["asked_ts"]),
        answer=doc.get("answer", ""),
        feedback=doc.get("feedback", ""),
        answered_ts=doc.get("answered_ts"),
        audio_seconds=float(doc.get("audio_seconds") or 0),
        audio_id=doc.get("audio_id", ""),
        answer_key=doc.get("answer_key", ""),
        result=StepResult(
            result.get("question", ""),
            bool(result.get("follow_up")),
            result.get("feedback", ""),
            bool(result.get("done")),
        )
        if result
        else None,
    )


def interview_doc(interview: Interview) -> dict:
    return {
        "_id": interview.id,
        "user_id": interview.user_id,
        "mode": interview.mode,
        "status": interview.status.value,
        "role": interview.role,
        "cv_id": interview.cv_id,
        "jd_id": interview.jd_id,
        "seed": interview.seed,
        "engine": interview.engine,
        "provider_consent": interview.provider_consent,
        "fit": fit_doc(interview.fit),
        "plan": [asdict(q) for q in interview.plan],
        "plan_summary": interview.summary,
        "turns": [turn_doc(t) for t in interview.turns],
        "turn_seq": interview.turn_seq,
        "created_at": interview.created_at,
        "updated_ts": interview.updated_ts,
        "finished_ts": interview.finished_ts,
    }


def interview_from(doc: dict) -> Interview:
    # Interviews from before a field existed: the role and a mid seniority.
    fit = fit_from({"role": doc.get("role", ""), "seniority": "mid", **(doc.get("fit") or {})})
    plan = plan_from(doc.get("plan") or [])
    return Interview(
        id=doc["_id"],
        user_id=doc["user_id"],
        mode=doc["mode"],
        status=InterviewStatus(doc["status"]),
        fit=fit,
        plan=plan,
        seed=int(doc.get("seed") or 0),
        engine=doc.get("engine", ""),
        created_at=as_utc(doc["created_at"]),
        role=doc.get("role", ""),
        cv_id=doc.get("cv_id", ""),
        jd_id=doc.get("jd_id", ""),
        provider_consent=bool(doc.get("provider_consent")),
        summary=doc.get("plan_summary") or plan_summary(fit, list(plan)),
        turns=tuple(turn_from(t) for t in doc.get("turns") or ()),
        turn_seq=int(doc.get("turn_seq") or 0),
        updated_ts=float(doc.get("updated_ts") or 0),
        finished_ts=doc.get("finished_ts"),
    )


def report_doc(report: ReportData) -> dict:
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


class SessionsRepository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.documents = db[DOCUMENTS]
        self.interviews = db[INTERVIEWS]
        self.reports = db[REPORTS]
        self.rate_limits = db[RATE_LIMITS]

    def ensure_indexes(self) -> None:
        for name in (DOCUMENTS, INTERVIEWS, REPORTS, RATE_LIMITS):
            ensure_collection(self.db, name)
        self.rate_limits.create_index([("expires_at", ASCENDING)], expireAfterSeconds=0)
        self.documents.create_index([("user_id", ASCENDING)])
        self.interviews.create_index([("user_id", ASCENDING)])
        self.interviews.create_index([("status", ASCENDING), ("updated_ts", ASCENDING)])
        self.reports.create_index([("user_id", ASCENDING)])

    def count_attempt(self, key: str, expires_at: Any) -> int:
        return count_attempt(self.rate_limits, key, expires_at)

    # -- documents ---------------------------------------------------------------------

    def add_document(self, document: Document, event: dict) -> None:
        self.documents.insert_one({**document_doc(document), OUTBOX_FIELD: [event], OUTBOX_SEQ: 0})

    def document(self, user_id: str, document_id: str, with_text: bool = True) -> Document | None:
        projection = dict(HIDDEN) if with_text else {**HIDDEN, "text": 0}
        doc = self.documents.find_one({"_id": document_id, "user_id": user_id}, projection)
        return document_from(doc) if doc else None

    def documents_of(self, user_id: str) -> list[Document]:
        found = self.documents.find({"user_id": user_id}, {**HIDDEN, "text": 0})
        return [document_from(d) for d in found.sort("created_at", DESCENDING)]

    def delete_document(self, document_id: str) -> str | None:
        """The removed document's blob key (None when it was not there)."""
        removed = self.documents.find_one_and_delete({"_id": document_id}, {"blob_key": 1})
        return removed["blob_key"] if removed else None

    # -- interviews --------------------------------------------------------------------

    def create_interview(self, interview: Interview) -> bool:
        """False when an interview with this id exists (a retried start)."""
        try:
            self.interviews.insert_one(
                {**interview_doc(interview), OUTBOX_SEQ: 0, OUTBOX_FIELD: []}
            )
            return True
        except DuplicateKeyError:
            return False

    def interview(self, user_id: str, interview_id: str) -> Interview | None:
        doc = self.interviews.find_one({"_id": interview_id, "user_id": user_id}, HIDDEN)
        return interview_from(doc) if doc else None

    def interviews_of(self, user_id: str) -> list[Interview]:
        """Without their turns and plan (a list shows the summary)."""
        found = self.interviews.find({"user_id": user_id}, {**HIDDEN, "turns": 0, "plan": 0})
        return [interview_from(d) for d in found.sort("created_at", DESCENDING)]

    def begin(self, interview_id: str, first_turn: Turn, now_ts: float, event: dict) -> bool:
        """created -> in_progress, with the first question asked, and the record's event."""
        return update_with_event(
            self.interviews,
            {"_id": interview_id, "status": InterviewStatus.CREATED.value},
            {
                "status": InterviewStatus.IN_PROGRESS.value,
                "turns": [turn_doc(first_turn)],
                "turn_seq": 1,
                "updated_ts": now_ts,
            },
            event,
        )

    def save_turns(
        self, interview_id: str, seq: int, turns: list[Turn], fields: dict[str, Any]
    ) -> bool:
        """Replaces the turns if nobody else has since (the sequence number): two
        concurrent answers to the same question cannot both land."""
        result = self.interviews.update_one(
            {"_id": interview_id, "turn_seq": seq, "status": InterviewStatus.IN_PROGRESS.value},
            {"$set": {"turns": [turn_doc(t) for t in turns], "turn_seq": seq + 1, **fields}},
        )
        return result.modified_count == 1

    def finish(self, interview_id: str, status: InterviewStatus, now_ts: float) -> bool:
        """Moves the interview to `status` if its state machine allows it now (once: a
        finished one stays)."""
        result = self.interviews.update_one(
            {"_id": interview_id, "status": {"$in": states_before(status)}},
            {"$set": {"status": status.value, "finished_ts": now_ts, "updated_ts": now_ts}},
        )
        return result.modified_count == 1

    def idle_interviews(self, before_ts: float, limit: int = 50) -> list[Interview]:
        unfinished = [s.value for s in InterviewStatus if s not in FINISHED]
        found = self.interviews.find(
            {"status": {"$in": unfinished}, "updated_ts": {"$lt": before_ts}}, HIDDEN
        )
        return [interview_from(d) for d in found.limit(limit)]

    def delete_interview(self, interview_id: str) -> bool:
        return self.interviews.delete_one({"_id": interview_id}).deleted_count > 0

    # -- reports -----------------------------------------------------------------------

    def add_report(
        self, interview: Interview, report: ReportData, at: datetime, event: dict
    ) -> bool:
        """False when the interview's report exists (a retried finish)."""
        doc = {"_id": interview.id, "user_id": interview.user_id, "created_at": at}
        try:
            self.reports.insert_one(
                {**doc, **report_doc(report), OUTBOX_FIELD: [event], OUTBOX_SEQ: 0}
            )
            return True
        except DuplicateKeyError:
            return False

    def report(self, user_id: str, interview_id: str) -> dict | None:
        """The report as stored (written once; `messages.report_message` reads it)."""
        return self.reports.find_one({"_id": interview_id, "user_id": user_id}, HIDDEN)
