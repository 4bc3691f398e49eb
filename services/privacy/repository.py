"""pymongo access to the privacy service's collections; owns their indexes."""

from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from mocky.platform.clock import as_utc, from_epoch
from mocky.platform.mongo import ensure_collection
from services.privacy.domain import (
    CategoryStatus,
    EntryState,
    EntryStatus,
    RetentionPolicy,
    ScheduleEntry,
)

SCHEDULE = "retention_schedule"
DELETION_REQUESTS = "account_deletion_requests"


class PrivacyRepository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.schedule = db[SCHEDULE]
        self.deletion_requests = db[DELETION_REQUESTS]

    def ensure_indexes(self) -> None:
        ensure_collection(self.db, SCHEDULE)
        ensure_collection(self.db, DELETION_REQUESTS)
        self.schedule.create_index([("state", ASCENDING), ("due_ts", ASCENDING)])
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
                    # Due times are epoch seconds (nx-27017 turns a datetime written by
                    # `$set` into a string), and there is no null due time (nx-27017 does
                    # not match `{field: None}`): an entry waiting for its start event
                    # says so in a flag.
                    **(
                        {"due_ts": entry.due_at.timestamp()}
                        if entry.due_at
                        else {"waiting_for_start": True}
                    ),
                    "blob_keys": list(entry.blob_keys),
                    "state": entry.state.value,
                }
            )
            return True
        except DuplicateKeyError:
            return False

    def record_deletion_request(self, user_id: str, requested_at: datetime) -> None:
        try:
            self.deletion_requests.insert_one({"_id": user_id, "requested_at": requested_at})
        except DuplicateKeyError:
            pass  # a redelivery: the first request time stands

    def deletion_requested_at(self, user_id: str) -> datetime | None:
        doc = self.deletion_requests.find_one({"_id": user_id})
        return as_utc(doc["requested_at"]) if doc else None

    def start_retention(self, user_id: str, category: str, due_at: datetime) -> int:
        """The start event happened (an account deletion): entries waiting for it
        become due at `due_at`. Idempotent."""
        result = self.schedule.update_many(
            {"user_id": user_id, "category": category, "waiting_for_start": True},
            {"$set": {"due_ts": due_at.timestamp(), "waiting_for_start": False}},
        )
        return result.modified_count

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
                + self.schedule.count_documents({**scheduled, "due_ts": {"$gt": now.timestamp()}}),
                EntryStatus.DUE: self.schedule.count_documents(
                    {
                        **scheduled,
                        "due_ts": {"$lte": now.timestamp(), "$gte": overdue_before.timestamp()},
                    }
                ),
                EntryStatus.OVERDUE: self.schedule.count_documents(
                    {**scheduled, "due_ts": {"$lt": overdue_before.timestamp()}}
                ),
                EntryStatus.PURGED: self.schedule.count_documents(
                    {"category": category, "state": EntryState.PURGED.value}
                ),
                EntryStatus.FAILED: self.schedule.count_documents(
                    {"category": category, "state": EntryState.FAILED.value}
                ),
            }
            oldest = self.schedule.find_one(
                {**scheduled, "due_ts": {"$lt": overdue_before.timestamp()}},
                sort=[("due_ts", ASCENDING)],
            )
            result.append(
                CategoryStatus(rule, counts, from_epoch(oldest["due_ts"]) if oldest else None)
            )
        return result
