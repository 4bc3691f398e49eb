"""pymongo access to the billing service's collections; owns their indexes."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from mocky.platform.clock import as_utc, from_epoch
from mocky.platform.data_map import Belongings, DataMap, Erasure, Records
from mocky.platform.events import OUTBOX_FIELD, OUTBOX_SEQ
from mocky.platform.mongo import ensure_collection
from services.billing.domain import (
    OPEN_WEBHOOKS,
    Adjustment,
    Payment,
    SubscriptionState,
    Wallet,
    Webhook,
    WebhookStatus,
)

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


HIDDEN = {OUTBOX_FIELD: 0, OUTBOX_SEQ: 0}


class BillingStore(Protocol):
    """What the billing service needs of its storage: `BillingRepository` over MongoDB,
    and the in-memory fake of the unit tests (both pass tests/integration/
    test_billing_store.py)."""

    def store_webhook(
        self,
        event_id: str,
        event_type: str,
        occurred_at: datetime,
        notification_id: str,
        data: dict,
        received_at: datetime,
    ) -> bool: ...
    def pending_webhooks(self, limit: int = 50) -> list[Webhook]: ...
    def webhook(self, event_id: str) -> Webhook | None: ...
    def mark_webhook(self, event_id: str, status: WebhookStatus, reason: str = "") -> bool: ...
    def prune_webhooks(self, before: datetime) -> int: ...
    def add_ledger_entry(
        self, entry_id: str, user_id: str, delta: int, reason: str, at: datetime
    ) -> bool: ...
    def has_entry(self, entry_id: str) -> bool: ...
    def consume_credit(self, user_id: str, interview_id: str, at: datetime) -> tuple[bool, int]: ...
    def record_unrecorded_consumptions(self, at: datetime, limit: int = 100) -> int: ...
    def wallet(self, user_id: str) -> Wallet: ...
    def set_flag(self, user_id: str, transaction_id: str, flagged: bool) -> None: ...
    def record_payment(self, payment: Payment, event: dict) -> bool: ...
    def payment(self, transaction_id: str) -> Payment | None: ...
    def payments_of(self, user_id: str) -> list[Payment]: ...
    def note_taken_back(self, transaction_id: str, credits: int) -> None: ...
    def save_adjustment(self, adjustment: Adjustment, occurred_ts: float) -> bool: ...
    def save_subscription(self, state: SubscriptionState, occurred_ts: float) -> bool: ...
    def subscription_owner(self, subscription_id: str) -> str | None: ...
    def latest_subscription(self, user_id: str) -> SubscriptionState | None: ...


def payment_doc(payment: Payment) -> dict:
    return {
        "_id": payment.transaction_id,
        "user_id": payment.user_id,
        "at": payment.at,
        "amount": payment.amount,
        "currency": payment.currency,
        "credits": payment.credits,
        "credits_taken_back": payment.credits_taken_back,
        "paddle_event_id": payment.paddle_event_id,
        "prices": list(payment.price_ids),
    }


def payment_from(doc: dict) -> Payment:
    return Payment(
        doc["_id"],
        doc["user_id"],
        as_utc(doc["at"]),
        str(doc.get("amount", "")),
        str(doc.get("currency", "")),
        int(doc.get("credits", 0)),
        tuple(doc.get("prices") or ()),
        str(doc.get("paddle_event_id", "")),
        int(doc.get("credits_taken_back", 0)),
    )


def webhook_from(doc: dict) -> Webhook:
    return Webhook(
        doc["_id"],
        doc["event_type"],
        as_utc(doc["occurred_at"]),
        as_utc(doc["received_at"]),
        WebhookStatus(doc["status"]),
        doc.get("data") or {},
    )


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
                    "status": WebhookStatus.PENDING.value,
                    "received_at": received_at,
                }
            )
            return True
        except DuplicateKeyError:
            return False

    def pending_webhooks(self, limit: int = 50) -> list[Webhook]:
        """Stored but not processed yet (a crash), or waiting for an earlier event
        (an adjustment that arrived before its transaction), oldest first."""
        open_statuses = [s.value for s in OPEN_WEBHOOKS]
        found = self.webhooks.find({"status": {"$in": open_statuses}})
        return [webhook_from(d) for d in found.sort("occurred_at", ASCENDING).limit(limit)]

    def webhook(self, event_id: str) -> Webhook | None:
        doc = self.webhooks.find_one({"_id": event_id})
        return webhook_from(doc) if doc else None

    def mark_webhook(self, event_id: str, status: WebhookStatus, reason: str = "") -> bool:
        """Moves an open notification on; a finished one is left as it is (two
        processes that both picked it up: the first to finish wins)."""
        return (
            self.webhooks.update_one(
                {"_id": event_id, "status": {"$in": [s.value for s in OPEN_WEBHOOKS]}},
                {"$set": {"status": status.value, "reason": reason}},
            ).modified_count
            == 1
        )

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

    def wallet(self, user_id: str) -> Wallet:
        doc = self.wallets.find_one({"_id": user_id}, {"balance": 1, "flags": 1}) or {}
        return Wallet(user_id, int(doc.get("balance", 0)), bool(doc.get("flags")))

    def has_entry(self, entry_id: str) -> bool:
        return self.ledger.count_documents({"_id": entry_id}, limit=1) > 0

    def set_flag(self, user_id: str, transaction_id: str, flagged: bool) -> None:
        key = f"flags.{wallet_key(transaction_id)}"
        change = {"$set": {key: True}} if flagged else {"$unset": {key: ""}}
        self.wallets.update_one({"_id": user_id}, change)

    def payment(self, transaction_id: str) -> Payment | None:
        doc = self.payments.find_one({"_id": transaction_id}, HIDDEN)
        return payment_from(doc) if doc else None

    def note_taken_back(self, transaction_id: str, credits: int) -> None:
        self.payments.update_one({"_id": transaction_id}, {"$inc": {"credits_taken_back": credits}})

    def save_adjustment(self, adjustment: Adjustment, occurred_ts: float) -> bool:
        fields = {
            "transaction_id": adjustment.transaction_id,
            "action": adjustment.action,
            "status": adjustment.status,
            "total": adjustment.total,
        }
        return self._save_if_newer(self.adjustments, adjustment.adjustment_id, occurred_ts, fields)

    def save_subscription(self, state: SubscriptionState, occurred_ts: float) -> bool:
        fields = {
            "user_id": state.user_id,
            "status": state.status,
            "price_ids": list(state.price_ids),
            "next_billed_ts": state.next_billed_at.timestamp() if state.next_billed_at else None,
        }
        return self._save_if_newer(self.subscriptions, state.subscription_id, occurred_ts, fields)

    def _save_if_newer(
        self, target: Collection, doc_id: str, occurred_ts: float, fields: dict
    ) -> bool:
        """Stores this state unless a newer one (by Paddle's occurred_at) is already
        known: events arrive out of order, and an older one must not win."""
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

    def subscription_owner(self, subscription_id: str) -> str | None:
        doc = self.subscriptions.find_one({"_id": subscription_id}, {"user_id": 1})
        return doc["user_id"] if doc else None

    def latest_subscription(self, user_id: str) -> SubscriptionState | None:
        found = list(
            self.subscriptions.find({"user_id": user_id}).sort("occurred_ts", DESCENDING).limit(1)
        )
        if not found:
            return None
        doc = found[0]
        next_billed = doc.get("next_billed_ts")
        return SubscriptionState(
            doc["_id"],
            doc["user_id"],
            doc.get("status", ""),
            tuple(doc.get("price_ids") or ()),
            from_epoch(next_billed) if next_billed else None,
        )

    def payments_of(self, user_id: str) -> list[Payment]:
        found = self.payments.find({"user_id": user_id}, HIDDEN).sort("at", DESCENDING)
        return [payment_from(d) for d in found]

    def record_payment(self, payment: Payment, event: dict) -> bool:
        """The payment with its `payment_recorded` event (published from the outbox);
        False when it was recorded before."""
        try:
            self.payments.insert_one({**payment_doc(payment), OUTBOX_FIELD: [event], OUTBOX_SEQ: 0})
            return True
        except DuplicateKeyError:
            return False

    def prune_webhooks(self, before: datetime) -> int:
        """Processed notifications are kept only as long as Paddle may still retry them
        (dedupe needs their ids); waiting and failed ones stay for ops."""
        return self.webhooks.delete_many(
            {"status": {"$in": ["processed", "ignored"]}, "received_at": {"$lt": before}}
        ).deleted_count
