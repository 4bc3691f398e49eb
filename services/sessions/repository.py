"""pymongo access to the sessions service's collections; owns their indexes."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from mocky.platform.data_map import DataMap, Records
from mocky.platform.events import OUTBOX_FIELD, OUTBOX_SEQ, update_with_event
from mocky.platform.mongo import ensure_collection
from mocky.platform.ratelimit import count_attempt

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

    def add_document(self, doc: dict, event: dict) -> None:
        self.documents.insert_one({**doc, OUTBOX_FIELD: [event], OUTBOX_SEQ: 0})

    def document(self, user_id: str, document_id: str, with_text: bool = True) -> dict | None:
        projection = dict(HIDDEN) if with_text else {**HIDDEN, "text": 0}
        return self.documents.find_one({"_id": document_id, "user_id": user_id}, projection)

    def documents_of(self, user_id: str) -> list[dict]:
        return list(
            self.documents.find({"user_id": user_id}, {**HIDDEN, "text": 0}).sort(
                "created_at", DESCENDING
            )
        )

    def delete_document(self, document_id: str, user_id: str | None = None) -> dict | None:
        query: dict[str, Any] = {"_id": document_id}
        if user_id is not None:
            query["user_id"] = user_id
        return self.documents.find_one_and_delete(query, {"blob_key": 1})

    # -- interviews --------------------------------------------------------------------

    def create_interview(self, doc: dict) -> bool:
        """False when an interview with this id exists (a retried start)."""
        try:
            self.interviews.insert_one({**doc, OUTBOX_SEQ: 0, OUTBOX_FIELD: []})
            return True
        except DuplicateKeyError:
            return False

    def interview(self, user_id: str, interview_id: str) -> dict | None:
        return self.interviews.find_one({"_id": interview_id, "user_id": user_id}, HIDDEN)

    def interviews_of(self, user_id: str) -> list[dict]:
        return list(
            self.interviews.find({"user_id": user_id}, {**HIDDEN, "turns": 0, "plan": 0}).sort(
                "created_at", DESCENDING
            )
        )

    def begin(self, interview_id: str, first_turn: dict, now_ts: float, event: dict) -> bool:
        """created -> in_progress, with the first question asked, and the record's event."""
        return update_with_event(
            self.interviews,
            {"_id": interview_id, "status": "created"},
            {"status": "in_progress", "turns": [first_turn], "turn_seq": 1, "updated_ts": now_ts},
            event,
        )

    def save_turns(
        self, interview_id: str, seq: int, turns: list[dict], fields: dict[str, Any]
    ) -> bool:
        """Replaces the turns if nobody else has since (the sequence number): two
        concurrent answers to the same question cannot both land."""
        result = self.interviews.update_one(
            {"_id": interview_id, "turn_seq": seq, "status": "in_progress"},
            {"$set": {"turns": turns, "turn_seq": seq + 1, **fields}},
        )
        return result.modified_count == 1

    def finish(self, interview_id: str, status: str, now_ts: float) -> bool:
        result = self.interviews.update_one(
            {"_id": interview_id, "status": {"$in": ["in_progress", "created"]}},
            {"$set": {"status": status, "finished_ts": now_ts, "updated_ts": now_ts}},
        )
        return result.modified_count == 1

    def idle_interviews(self, before_ts: float, limit: int = 50) -> list[dict]:
        return list(
            self.interviews.find(
                {"status": {"$in": ["in_progress", "created"]}, "updated_ts": {"$lt": before_ts}},
                {"user_id": 1, "status": 1},
            ).limit(limit)
        )

    def delete_interview(self, interview_id: str) -> bool:
        return self.interviews.delete_one({"_id": interview_id}).deleted_count > 0

    # -- reports -----------------------------------------------------------------------

    def add_report(self, report: dict, event: dict) -> bool:
        try:
            self.reports.insert_one({**report, OUTBOX_FIELD: [event], OUTBOX_SEQ: 0})
            return True
        except DuplicateKeyError:
            return False

    def report(self, user_id: str, interview_id: str) -> dict | None:
        return self.reports.find_one({"_id": interview_id, "user_id": user_id}, HIDDEN)
