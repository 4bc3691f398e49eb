"""pymongo access to the billing service's collections; owns their indexes."""

from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from mocky.platform.data_map import Belongings, DataMap, Erasure, Records
from mocky.platform.events import OUTBOX_FIELD, OUTBOX_SEQ
from mocky.platform.mongo import ensure_collection

WEBHOOKS = "paddle_webhooks"  # every notification as received, deduplicated on event id
LEDGER = "credit_ledger"  # append-only; the balance is derived from it
PAYMENTS = "payment_records"  # kept 7 years (privacy schedule), restricted on erasure
# The balance cache: one document per user whose `applied` map names every ledger
# entry counted in `balance`, so each entry changes it exactly once, with
# single-document atomic updates (no transactions: see DESIGN.md on nx-27017).
WALLETS = "credit_wallets"
ADJUSTMENTS = "paddle_adjustments"  # newest known state per Paddle adjustment
SUBSCRIPTIONS = "subscriptions"  # newest known state per Paddle subscription
CONSUMED_PREFIX = "consume:"

# What billing holds on a person, for the privacy hooks (mocky.platform.data_map).
DATA_MAP = DataMap(
    "billing",
    records=(
        Records(
            "payment",
            PAYMENTS,
            "payment_record",
            Erasure.RESTRICT,
            created_field="at",
            export_as="payments",
        ),
    ),
    belongings=(
        Belongings(LEDGER, export_file="credit_ledger"),
        Belongings(WALLETS, user_field="_id", export_file="wallet", secret_fields=("applied",)),
        Belongings(SUBSCRIPTIONS, export_file="subscriptions"),
        # The ids stay so that a late retry from Paddle is still recognised as a
        # duplicate; the content naming the user goes.
        Belongings(
            WEBHOOKS, user_field="data.custom_data.user_id", erased_to={"data": {}, "erased": True}
        ),
    ),
)


def wallet_key(entry_id: str) -> str:
    """A ledger entry id as a field name of the wallet's `applied` map. A map, not an
    array: nx-27017 matches `{array: {$ne: x}}` even when x is in the array."""
    return entry_id.replace(".", "_").replace("$", "_")


class BillingRepository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.webhooks = db[WEBHOOKS]
        self.ledger = db[LEDGER]
        self.payments = db[PAYMENTS]
        self.wallets = db[WALLETS]
        self.adjustments = db[ADJUSTMENTS]
        self.subscriptions = db[SUBSCRIPTIONS]

    def ensure_indexes(self) -> None:
        for name in (WEBHOOKS, LEDGER, PAYMENTS, WALLETS, ADJUSTMENTS, SUBSCRIPTIONS):
            ensure_collection(self.db, name)
        self.webhooks.create_index([("status", ASCENDING)])
        self.ledger.create_index([("user_id", ASCENDING)])
        self.payments.create_index([("user_id", ASCENDING)])
        self.wallets.create_index([("unrecorded_count", ASCENDING)])
        self.subscriptions.create_index([("user_id", ASCENDING)])

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
        """Stored but not processed yet (a crash), or waiting for an earlier event
        (an adjustment that arrived before its transaction), oldest first."""
        return list(
            self.webhooks.find({"status": {"$in": ["pending", "waiting"]}})
            .sort("occurred_at", ASCENDING)
            .limit(limit)
        )

    def mark_webhook(self, event_id: str, status: str, reason: str = "") -> None:
        self.webhooks.update_one({"_id": event_id}, {"$set": {"status": status, "reason": reason}})

    def add_ledger_entry(
        self, entry_id: str, user_id: str, delta: int, reason: str, at: datetime
    ) -> bool:
        """Records and applies a credit change; idempotent on `entry_id`. The ledger line
        comes first, so a crash before the wallet update is finished by a retry (the
        webhook stays pending until processed)."""
        try:
            self.ledger.insert_one(
                {"_id": entry_id, "user_id": user_id, "delta": delta, "reason": reason, "at": at}
            )
            recorded = True
        except DuplicateKeyError:
            recorded = False
        self._apply_to_wallet(entry_id, user_id, delta)
        return recorded

    def _apply_to_wallet(self, entry_id: str, user_id: str, delta: int) -> None:
        key = wallet_key(entry_id)
        change = {"$inc": {"balance": delta}, "$set": {f"applied.{key}": True}}
        query = {"_id": user_id, f"applied.{key}": {"$exists": False}}
        if self.wallets.update_one(query, change).matched_count:
            return
        try:
            self.wallets.insert_one(
                {"_id": user_id, "balance": delta, "applied": {key: True}, "unrecorded_count": 0}
            )
        except DuplicateKeyError:
            # It exists: either it already counts this entry, or it was created by a
            # concurrent first change just now and this one still has to be applied.
            self.wallets.update_one(query, change)

    def consume_credit(self, user_id: str, interview_id: str, at: datetime) -> tuple[bool, int]:
        """Takes one credit for the interview unless it already paid: (taken now,
        balance after). Raises LookupError when there is no credit to take. The
        condition and the decrement are one atomic update, so concurrent starts can
        never take more than the balance; the ledger line follows (and a reconciler
        writes it if this process dies in between)."""
        entry_id = CONSUMED_PREFIX + interview_id
        key = wallet_key(entry_id)
        wallet = self.wallets.find_one_and_update(
            {"_id": user_id, "balance": {"$gte": 1}, f"applied.{key}": {"$exists": False}},
            {
                "$inc": {"balance": -1, "unrecorded_count": 1},
                "$set": {f"applied.{key}": True, f"unrecorded.{key}": entry_id},
            },
            projection={"balance": 1},
            return_document=ReturnDocument.AFTER,
        )
        taken = wallet is not None
        if wallet is None:
            wallet = self.wallets.find_one(
                {"_id": user_id, f"applied.{key}": {"$exists": True}}, {"balance": 1}
            )
            if wallet is None:
                raise LookupError("no credit left")
        self._record_consumption(user_id, entry_id, at)
        return taken, int(wallet["balance"])

    def _record_consumption(self, user_id: str, entry_id: str, at: datetime) -> None:
        try:
            self.ledger.insert_one(
                {"_id": entry_id, "user_id": user_id, "delta": -1, "reason": "interview", "at": at}
            )
        except DuplicateKeyError:
            pass
        key = wallet_key(entry_id)
        self.wallets.update_one(
            {"_id": user_id, f"unrecorded.{key}": {"$exists": True}},
            {"$unset": {f"unrecorded.{key}": ""}, "$inc": {"unrecorded_count": -1}},
        )

    def record_unrecorded_consumptions(self, at: datetime, limit: int = 100) -> int:
        """What a crash between a wallet decrement and its ledger line left behind."""
        done = 0
        for wallet in self.wallets.find({"unrecorded_count": {"$gt": 0}}).limit(limit):
            for entry_id in (wallet.get("unrecorded") or {}).values():
                self._record_consumption(wallet["_id"], entry_id, at)
                done += 1
        return done

    def wallet(self, user_id: str) -> dict:
        return self.wallets.find_one({"_id": user_id}, {"applied": 0, "unrecorded": 0}) or {
            "_id": user_id,
            "balance": 0,
        }

    def has_entry(self, entry_id: str) -> bool:
        return self.ledger.count_documents({"_id": entry_id}, limit=1) > 0

    def set_flag(self, user_id: str, transaction_id: str, flagged: bool) -> None:
        key = f"flags.{wallet_key(transaction_id)}"
        change = {"$set": {key: True}} if flagged else {"$unset": {key: ""}}
        self.wallets.update_one({"_id": user_id}, change)

    def payment(self, transaction_id: str) -> dict | None:
        return self.payments.find_one({"_id": transaction_id}, {OUTBOX_FIELD: 0, OUTBOX_SEQ: 0})

    def note_taken_back(self, transaction_id: str, credits: int) -> None:
        self.payments.update_one({"_id": transaction_id}, {"$inc": {"credits_taken_back": credits}})

    def save_if_newer(self, collection: str, doc_id: str, occurred_ts: float, fields: dict) -> bool:
        """Stores this state unless a newer one (by Paddle's occurred_at) is already
        known: events arrive out of order, and an older one must not win."""
        target = self.db[collection]
        update = {"$set": {**fields, "occurred_ts": occurred_ts}}
        if target.update_one(
            {"_id": doc_id, "occurred_ts": {"$lt": occurred_ts}}, update
        ).matched_count:
            return True
        try:
            target.insert_one({"_id": doc_id, **fields, "occurred_ts": occurred_ts})
            return True
        except DuplicateKeyError:
            return False

    def latest_subscription(self, user_id: str) -> dict | None:
        found = list(
            self.subscriptions.find({"user_id": user_id}).sort("occurred_ts", DESCENDING).limit(1)
        )
        return found[0] if found else None

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

    def prune_webhooks(self, before: datetime) -> int:
        """Processed notifications are kept only as long as Paddle may still retry them
        (dedupe needs their ids); waiting and failed ones stay for ops."""
        return self.webhooks.delete_many(
            {"status": {"$in": ["processed", "ignored"]}, "received_at": {"$lt": before}}
        ).deleted_count
