"""pymongo access to the billing service's collections; owns their indexes."""

from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING, DESCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from mocky.platform.events import OUTBOX_FIELD, OUTBOX_SEQ
from mocky.platform.mongo import ensure_collection

WEBHOOKS = "paddle_webhooks"  # every notification as received, deduplicated on event id
LEDGER = "credit_ledger"  # append-only; the balance is derived from it
PAYMENTS = "payment_records"  # kept 7 years (privacy schedule), restricted on erasure


class BillingRepository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.webhooks = db[WEBHOOKS]
        self.ledger = db[LEDGER]
        self.payments = db[PAYMENTS]

    def ensure_indexes(self) -> None:
        for name in (WEBHOOKS, LEDGER, PAYMENTS):
            ensure_collection(self.db, name)
        self.webhooks.create_index([("status", ASCENDING)])
        self.ledger.create_index([("user_id", ASCENDING)])
        self.payments.create_index([("user_id", ASCENDING)])

    def store_webhook(
        self,
        event_id: str,
        event_type: str,
        occurred_at: datetime,
        notification_id: str,
        data: dict,
        received_at: datetime,
    ) -> bool:
        """Persist first. False when this event was received before (a retry, or the
        same event sent to another destination with another notification id)."""
        try:
            self.webhooks.insert_one(
                {
                    "_id": event_id,
                    "event_type": event_type,
                    "occurred_at": occurred_at,
                    "notification_id": notification_id,
                    "data": data,
                    "status": "pending",
                    "received_at": received_at,
                }
            )
            return True
        except DuplicateKeyError:
            return False

    def pending_webhooks(self, limit: int = 50) -> list[dict]:
        return list(self.webhooks.find({"status": "pending"}).limit(limit))

    def mark_webhook(self, event_id: str, status: str, reason: str = "") -> None:
        self.webhooks.update_one({"_id": event_id}, {"$set": {"status": status, "reason": reason}})

    def add_ledger_entry(
        self, entry_id: str, user_id: str, delta: int, reason: str, at: datetime
    ) -> bool:
        """Idempotent on `entry_id`: the same grant is never applied twice."""
        try:
            self.ledger.insert_one(
                {"_id": entry_id, "user_id": user_id, "delta": delta, "reason": reason, "at": at}
            )
            return True
        except DuplicateKeyError:
            return False

    def balance(self, user_id: str) -> int:
        return sum(int(e["delta"]) for e in self.ledger.find({"user_id": user_id}, {"delta": 1}))

    def payments_of(self, user_id: str) -> list[dict]:
        return list(
            self.payments.find({"user_id": user_id}, {OUTBOX_FIELD: 0, OUTBOX_SEQ: 0}).sort(
                "at", DESCENDING
            )
        )

    def record_payment(self, record: dict, event: dict) -> bool:
        try:
            self.payments.insert_one({**record, OUTBOX_FIELD: [event], OUTBOX_SEQ: 0})
            return True
        except DuplicateKeyError:
            return False
