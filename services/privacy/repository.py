"""pymongo access to the privacy service's collections; owns their indexes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from mocky.platform.clock import as_utc, from_epoch
from mocky.platform.events import OUTBOX_FIELD, OUTBOX_SEQ
from mocky.platform.mongo import ensure_collection
from services.privacy.domain import (
    LEASE_SECONDS,
    MAX_ATTEMPTS,
    CategoryStatus,
    EntryState,
    EntryStatus,
    Incident,
    IncidentStatus,
    RetentionPolicy,
    ScheduleEntry,
    audit_entry,
    retry_delay,
)
from services.privacy.usage import PageViews

SCHEDULE = "retention_schedule"
DELETION_REQUESTS = "account_deletion_requests"
LEDGER = "deletion_ledger"  # proof of each deletion, without the data
REQUESTS = "subject_requests"
CONSENTS = "consents"  # append-only: every change is a new version
INCIDENTS = "incidents"
AUDIT = "audit_log"  # append-only, hash-chained
STATE = "privacy_state"  # cursors (reconciliation)


class IncidentStore(Protocol):
    """What the incident entrypoints need of storage: `PrivacyRepository` over MongoDB
    and the unit tests' in-memory fake (both pass tests/integration/
    test_privacy_store.py)."""

    def add_entry(self, entry: ScheduleEntry) -> bool: ...
    def subjects_in(self, categories: list[str], start_ts: float, end_ts: float) -> list[str]: ...
    def add_incident(self, incident: Incident) -> None: ...
    def incident(self, incident_id: str) -> Incident | None: ...
    def all_incidents(self) -> list[Incident]: ...
    def add_notified(self, incident_id: str, user_ids: list[str]) -> None: ...
    def record_report(self, incident: Incident) -> None: ...
    def append_audit(
        self, actor: str, action: str, target: str, details: str, at_ts: float
    ) -> dict: ...
    def audit_entries(self) -> list[dict]: ...


def incident_doc(incident: Incident) -> dict:
    return {
        "_id": incident.id,
        "title": incident.title,
        "description": incident.description,
        "categories": list(incident.categories),
        "window_start_ts": incident.window_start.timestamp(),
        "window_end_ts": incident.window_end.timestamp(),
        "aware_ts": incident.aware_at.timestamp(),
        "deadline_ts": incident.authority_deadline.timestamp(),
        "reported_ts": incident.reported_at.timestamp() if incident.reported_at else None,
        "reference": incident.reference,
        "affected": list(incident.affected),
        "notified": list(incident.notified),
        "status": incident.status.value,
    }


def incident_from(doc: dict) -> Incident:
    return Incident(
        id=doc["_id"],
        title=doc["title"],
        description=doc["description"],
        categories=tuple(doc["categories"]),
        window_start=from_epoch(doc["window_start_ts"]),
        window_end=from_epoch(doc["window_end_ts"]),
        aware_at=from_epoch(doc["aware_ts"]),
        affected=tuple(doc["affected"]),
        notified=tuple(doc.get("notified") or ()),
        status=IncidentStatus(doc["status"]),
        reported_at=from_epoch(doc["reported_ts"]) if doc.get("reported_ts") else None,
        reference=doc.get("reference", ""),
    )


class PrivacyRepository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.schedule = db[SCHEDULE]
        self.deletion_requests = db[DELETION_REQUESTS]
        self.ledger = db[LEDGER]
        self.requests = db[REQUESTS]
        self.consents = db[CONSENTS]
        self.incidents = db[INCIDENTS]
        self.audit = db[AUDIT]
        self.state = db[STATE]
        self.page_views = PageViews(db)

    def ensure_indexes(self) -> None:
        for name in (
            SCHEDULE,
            DELETION_REQUESTS,
            LEDGER,
            REQUESTS,
            CONSENTS,
            INCIDENTS,
            AUDIT,
            STATE,
        ):
            ensure_collection(self.db, name)
        self.page_views.ensure_indexes()
        # Entries scheduled before sweeps had leases get the fields the claim needs.
        self.schedule.update_many(
            {"lease_until_ts": {"$exists": False}},
            {"$set": {"lease_until_ts": 0.0, "next_attempt_ts": 0.0, "attempts": 0}},
        )
        self.schedule.create_index([("state", ASCENDING), ("due_ts", ASCENDING)])
        self.ledger.create_index([("subject", ASCENDING)])
        self.requests.create_index([("user_id", ASCENDING)])
        self.requests.create_index([("status", ASCENDING)])
        self.consents.create_index([("user_id", ASCENDING), ("at_ts", ASCENDING)])
        self.audit.create_index([("seq", ASCENDING)])
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
                    "lease_until_ts": 0.0,
                    "next_attempt_ts": 0.0,
                    "attempts": 0,
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

    # -- sweeping ----------------------------------------------------------------------

    def claim_due(self, now_ts: float, real_ts: float, sweep_id: str, limit: int) -> list[dict]:
        """Leases due entries to this sweep: candidates are read in one query, then each
        is taken by a conditional update of that one entry, so a concurrent sweep
        (another replica) never gets the same entry while the lease holds; a sweep that
        died leaves its entries to the next one once the lease expires (real time)."""
        due = {
            "state": EntryState.SCHEDULED.value,
            "due_ts": {"$lte": now_ts},
            "next_attempt_ts": {"$lte": now_ts},
            "lease_until_ts": {"$lt": real_ts},
        }
        lease = {"$set": {"lease_until_ts": real_ts + LEASE_SECONDS, "lease_owner": sweep_id}}
        candidates = [doc["_id"] for doc in self.schedule.find(due, {"_id": 1}).limit(limit)]
        taken = [
            key
            for key in candidates
            if self.schedule.update_one({**due, "_id": key}, lease).modified_count
        ]
        if not taken:
            return []
        return list(self.schedule.find({"_id": {"$in": taken}, "lease_owner": sweep_id}))

    def record_deletion(
        self, entry: dict, rule: str, outcome: str, blobs: int, now_ts: float
    ) -> None:
        """Ledger first (idempotent on the record), then the entry: a crash in between
        is finished by the next sweep, whose purge answers `already gone`."""
        try:
            self.ledger.insert_one(
                {
                    "_id": entry["_id"],
                    "subject": entry["user_id"],
                    "owner": entry["owner"],
                    "kind": entry["kind"],
                    "record_id": entry["record_id"],
                    "category": entry["category"],
                    "rule": rule,
                    "reason": entry.get("reason", "retention"),
                    "due_ts": entry.get("due_ts"),
                    "deleted_ts": now_ts,
                    "blobs_deleted": blobs,
                    "outcome": outcome,
                }
            )
        except DuplicateKeyError:
            pass
        self.schedule.update_one(
            {"_id": entry["_id"]},
            {
                "$set": {
                    "state": EntryState.PURGED.value,
                    "purged_ts": now_ts,
                    "lease_until_ts": 0.0,
                }
            },
        )

    def purge_failed(self, entry: dict, error: str, now_ts: float) -> bool:
        """Back off and try again later; after MAX_ATTEMPTS the entry is `failed`.
        True when it has just failed for good."""
        attempts = int(entry.get("attempts", 0)) + 1
        failed = attempts >= MAX_ATTEMPTS
        self.schedule.update_one(
            {"_id": entry["_id"], "lease_owner": entry.get("lease_owner")},
            {
                "$set": {
                    "attempts": attempts,
                    "last_error": error[:200],
                    "lease_until_ts": 0.0,
                    "next_attempt_ts": now_ts + retry_delay(attempts).total_seconds(),
                    **({"state": EntryState.FAILED.value} if failed else {}),
                }
            },
        )
        return failed

    def ledger_of(self, subject: str) -> list[dict]:
        return list(self.ledger.find({"subject": subject}).sort("deleted_ts", ASCENDING))

    def known_keys(self, keys: list[str]) -> set[str]:
        found = self.schedule.find({"_id": {"$in": keys}}, {"_id": 1})
        return {doc["_id"] for doc in found}

    def expedite(
        self,
        user_id: str,
        categories: list[str],
        now_ts: float,
        kind: str = "",
        reason: str = "erasure",
    ) -> int:
        """Erasure (or a withdrawn consent, for one kind of record): the user's records
        in these categories are due now (failed ones are tried again)."""
        query = {
            "user_id": user_id,
            "category": {"$in": categories},
            "state": {"$in": [EntryState.SCHEDULED.value, EntryState.FAILED.value]},
        }
        if kind:
            query["kind"] = kind
        return self.schedule.update_many(
            query,
            {
                "$set": {
                    "due_ts": now_ts,
                    "reason": reason,
                    "waiting_for_start": False,
                    "state": EntryState.SCHEDULED.value,
                    "attempts": 0,
                    "next_attempt_ts": 0.0,
                }
            },
        ).modified_count

    def remaining(self, user_id: str, categories: list[str]) -> int:
        return self.schedule.count_documents(
            {"user_id": user_id, "category": {"$in": categories}, "state": {"$ne": "purged"}}
        )

    def cursor(self, name: str) -> float:
        doc = self.state.find_one({"_id": name})
        return float(doc["value"]) if doc else 0.0

    def set_cursor(self, name: str, value: float) -> None:
        self.state.update_one({"_id": name}, {"$set": {"value": value}}, upsert=True)

    # -- data-subject requests ---------------------------------------------------------

    def add_request(self, doc: dict) -> None:
        self.requests.insert_one(doc)

    def request(self, request_id: str, user_id: str = "") -> dict | None:
        query = {"_id": request_id}
        if user_id:
            query["user_id"] = user_id
        return self.requests.find_one(query)

    def requests_of(self, user_id: str = "", status: str = "") -> list[dict]:
        query = {}
        if user_id:
            query["user_id"] = user_id
        if status:
            query["status"] = status
        return list(self.requests.find(query).sort("received_ts", DESCENDING).limit(500))

    def open_request(self, user_id: str, kind: str) -> dict | None:
        return self.requests.find_one(
            {
                "user_id": user_id,
                "type": kind,
                "status": {"$in": ["received", "confirmed", "in_progress"]},
            }
        )

    def update_request(self, request_id: str, expected_status: str, fields: dict) -> bool:
        """Changes a request only if nobody changed its status meanwhile."""
        return (
            self.requests.update_one(
                {"_id": request_id, "status": expected_status}, {"$set": fields}
            ).modified_count
            == 1
        )

    def set_request_fields(self, request_id: str, fields: dict) -> None:
        """Fields beside the status (deadline, pending owners, alerts, the export)."""
        self.requests.update_one({"_id": request_id}, {"$set": fields})

    def exports_before(self, cutoff_ts: float) -> list[dict]:
        """Requests whose export archive was built before the cutoff and is still kept."""
        return list(
            self.requests.find({"export_ts": {"$lt": cutoff_ts}, "export_key": {"$ne": ""}})
        )

    def count_wrong_token(self, request_id: str) -> int:
        doc = self.requests.find_one_and_update(
            {"_id": request_id},
            {"$inc": {"token_attempts": 1}},
            return_document=ReturnDocument.AFTER,
        )
        return int(doc["token_attempts"]) if doc else 0

    def requests_in_progress(self, limit: int = 20) -> list[dict]:
        return list(
            self.requests.find({"status": {"$in": ["confirmed", "in_progress"]}}).limit(limit)
        )

    def requests_near_deadline(self, before_ts: float) -> list[dict]:
        return list(
            self.requests.find(
                {
                    "status": {"$in": ["received", "confirmed", "in_progress"]},
                    "alerted": False,
                    "due_ts": {"$lte": before_ts},
                }
            )
        )

    # -- consents ----------------------------------------------------------------------

    def add_consent(
        self, user_id: str, purpose: str, granted: bool, version: int, at_ts: float, event: dict
    ) -> str:
        """A new version of one consent, with its consent_changed event."""
        consent_id = uuid.uuid4().hex
        self.consents.insert_one(
            {
                "_id": consent_id,
                "user_id": user_id,
                "purpose": purpose,
                "granted": granted,
                "version": version,
                "at_ts": at_ts,
                OUTBOX_FIELD: [event],
                OUTBOX_SEQ: 0,
            }
        )
        return consent_id

    def current_consents(self, user_id: str) -> dict[str, dict]:
        current: dict[str, dict] = {}
        for doc in self.consents.find({"user_id": user_id}).sort("at_ts", ASCENDING):
            current[doc["purpose"]] = doc
        return current

    # -- incidents ---------------------------------------------------------------------

    def add_incident(self, incident: Incident) -> None:
        self.incidents.insert_one(incident_doc(incident))

    def incident(self, incident_id: str) -> Incident | None:
        doc = self.incidents.find_one({"_id": incident_id})
        return incident_from(doc) if doc else None

    def all_incidents(self) -> list[Incident]:
        return [incident_from(d) for d in self.incidents.find().sort("aware_ts", DESCENDING)]

    def add_notified(self, incident_id: str, user_ids: list[str]) -> None:
        """Added, not replaced: two officers sending at once lose nobody."""
        if user_ids:
            self.incidents.update_one(
                {"_id": incident_id}, {"$addToSet": {"notified": {"$each": user_ids}}}
            )

    def record_report(self, incident: Incident) -> None:
        assert incident.reported_at is not None
        self.incidents.update_one(
            {"_id": incident.id},
            {
                "$set": {
                    "status": incident.status.value,
                    "reported_ts": incident.reported_at.timestamp(),
                    "reference": incident.reference,
                }
            },
        )

    def subjects_in(self, categories: list[str], start_ts: float, end_ts: float) -> list[str]:
        """Whose records of these categories existed in the window: those still
        scheduled and those deleted since (the ledger keeps who, not what)."""
        window = {"$gte": from_epoch(start_ts), "$lt": from_epoch(end_ts)}
        # Not `distinct`: nx-27017 ignores its filter (every subject would come back).
        found = self.schedule.find(
            {"category": {"$in": categories}, "created_at": window}, {"user_id": 1}
        )
        return sorted({d["user_id"] for d in found if d.get("user_id")})

    # -- audit log ---------------------------------------------------------------------

    def append_audit(
        self, actor: str, action: str, target: str, details: str, at_ts: float
    ) -> dict:
        """Appends with the next sequence number; a concurrent writer taking the same
        number makes this one retry on top of it."""
        for _ in range(20):
            # Sorted by `seq`, not `_id`: nx-27017 sorts `_id` as text (10 before 2).
            last = list(self.audit.find().sort("seq", DESCENDING).limit(1))
            seq = int(last[0]["_id"]) + 1 if last else 1
            previous = last[0]["hash"] if last else ""
            entry = audit_entry(seq, previous, at_ts, actor, action, target, details)
            try:
                self.audit.insert_one(entry)
                return entry
            except DuplicateKeyError:
                continue
        raise RuntimeError("could not append to the audit log")

    def audit_entries(self) -> list[dict]:
        return list(self.audit.find().sort("seq", ASCENDING))
