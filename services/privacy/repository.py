"""pymongo access to the privacy service's collections; owns their indexes."""

from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from mocky.platform.clock import as_utc
from mocky.platform.mongo import ensure_collection
from services.privacy.domain import (
    CategoryStatus,
    EntryState,
    EntryStatus,
    RetentionPolicy,
    ScheduleEntry,
)

SCHEDULE = "retention_schedule"


class PrivacyRepository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.schedule = db[SCHEDULE]

    def ensure_indexes(self) -> None:
        ensure_collection(self.db, SCHEDULE)
        self.schedule.create_index([("state", ASCENDING), ("due_at", ASCENDING)])
        self.schedule.create_index([("category", ASCENDING), ("state", ASCENDING)])
        self.schedule.create_index([("user_id", ASCENDING)])

    def add_entry(self, entry: ScheduleEntry) -> bool:
        """Idempotent: a redelivered event finds its entry and changes nothing."""
        try:
            self.schedule.insert_one(
                {
                    "_id": entry.key,
                    "owner": entry.owner,
                    "kind": entry.kind,
                    "record_id": entry.record_id,
                    "user_id": entry.user_id,
                    "category": entry.category,
                    "created_at": entry.created_at,
                    # No null due_at: nx-27017 does not match `{field: None}` against a stored
                    # null, so an entry waiting for its start event says so in a flag.
                    **({"due_at": entry.due_at} if entry.due_at else {"waiting_for_start": True}),
                    "blob_keys": list(entry.blob_keys),
                    "state": entry.state.value,
                }
            )
            return True
        except DuplicateKeyError:
            return False

    def find_entry(self, key: str) -> dict | None:
        return self.schedule.find_one({"_id": key})

    def category_status(self, policy: RetentionPolicy, now: datetime) -> list[CategoryStatus]:
        overdue_before = now - policy.overdue_grace
        result = []
        for category, rule in policy.rules.items():
            scheduled = {"category": category, "state": EntryState.SCHEDULED.value}
            counts = {
                EntryStatus.SCHEDULED: self.schedule.count_documents(
                    {**scheduled, "waiting_for_start": True}
                )
                + self.schedule.count_documents({**scheduled, "due_at": {"$gt": now}}),
                EntryStatus.DUE: self.schedule.count_documents(
                    {**scheduled, "due_at": {"$lte": now, "$gte": overdue_before}}
                ),
                EntryStatus.OVERDUE: self.schedule.count_documents(
                    {**scheduled, "due_at": {"$lt": overdue_before}}
                ),
                EntryStatus.PURGED: self.schedule.count_documents(
                    {"category": category, "state": EntryState.PURGED.value}
                ),
                EntryStatus.FAILED: self.schedule.count_documents(
                    {"category": category, "state": EntryState.FAILED.value}
                ),
            }
            oldest = self.schedule.find_one(
                {**scheduled, "due_at": {"$lt": overdue_before}}, sort=[("due_at", ASCENDING)]
            )
            result.append(
                CategoryStatus(rule, counts, as_utc(oldest["due_at"]) if oldest else None)
            )
        return result
