"""An in-memory `BillingStore` for the unit tests. It passes the same contract tests as
the MongoDB repository (tests/integration/test_billing_store.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from services.billing.domain import (
    OPEN_WEBHOOKS,
    Adjustment,
    Payment,
    SubscriptionState,
    Wallet,
    Webhook,
    WebhookStatus,
)


class InMemoryBillingStore:
    def __init__(self) -> None:
        self.webhooks: dict[str, Webhook] = {}
        self.reasons: dict[str, str] = {}
        self.ledger: dict[str, tuple[str, int, str, datetime]] = {}
        self.balances: dict[str, int] = {}
        self.flags: dict[str, set[str]] = {}
        self.payments: dict[str, Payment] = {}
        self.events: list[dict] = []  # what the outbox would publish
        self.adjustments: dict[str, tuple[float, Adjustment]] = {}
        self.subscriptions: dict[str, tuple[float, SubscriptionState]] = {}

    def store_webhook(self, event_id, event_type, occurred_at, notification_id, data, received_at):
        if event_id in self.webhooks:
            return False
        self.webhooks[event_id] = Webhook(
            event_id, event_type, occurred_at, received_at, WebhookStatus.PENDING, data
        )
        return True

    def pending_webhooks(self, limit=50):
        found = [w for w in self.webhooks.values() if w.status in OPEN_WEBHOOKS]
        return sorted(found, key=lambda w: w.occurred_at)[:limit]

    def webhook(self, event_id):
        return self.webhooks.get(event_id)

    def mark_webhook(self, event_id, status, reason=""):
        webhook = self.webhooks.get(event_id)
        if webhook is None or webhook.status not in OPEN_WEBHOOKS:
            return False
        self.webhooks[event_id] = replace(webhook, status=status)
        self.reasons[event_id] = reason
        return True

    def prune_webhooks(self, before):
        done = {WebhookStatus.PROCESSED, WebhookStatus.IGNORED}
        doomed = [
            k for k, w in self.webhooks.items() if w.status in done and w.received_at < before
        ]
        for key in doomed:
            del self.webhooks[key]
        return len(doomed)

    def add_ledger_entry(self, entry_id, user_id, delta, reason, at):
        if entry_id in self.ledger:
            return False
        self.ledger[entry_id] = (user_id, delta, reason, at)
        self.balances[user_id] = self.balances.get(user_id, 0) + delta
        return True

    def has_entry(self, entry_id):
        return entry_id in self.ledger

    def consume_credit(self, user_id, interview_id, at):
        entry_id = "consume:" + interview_id
        if entry_id in self.ledger:
            return False, self.balances.get(user_id, 0)
        if self.balances.get(user_id, 0) < 1:
            raise LookupError("no credit left")
        self.add_ledger_entry(entry_id, user_id, -1, "interview", at)
        return True, self.balances[user_id]

    def record_unrecorded_consumptions(self, at, limit=100):
        return 0  # nothing is ever half-written in memory

    def wallet(self, user_id):
        return Wallet(user_id, self.balances.get(user_id, 0), bool(self.flags.get(user_id)))

    def set_flag(self, user_id, transaction_id, flagged):
        flags = self.flags.setdefault(user_id, set())
        if flagged:
            flags.add(transaction_id)
        else:
            flags.discard(transaction_id)

    def record_payment(self, payment, event):
        if payment.transaction_id in self.payments:
            return False
        self.payments[payment.transaction_id] = payment
        self.events.append(event)
        return True

    def payment(self, transaction_id):
        return self.payments.get(transaction_id)

    def payments_of(self, user_id):
        mine = [p for p in self.payments.values() if p.user_id == user_id]
        return sorted(mine, key=lambda p: p.at, reverse=True)

    def note_taken_back(self, transaction_id, credits):
        payment = self.payments.get(transaction_id)
        if payment is not None:
            taken = payment.credits_taken_back + credits
            self.payments[transaction_id] = replace(payment, credits_taken_back=taken)

    def _save_if_newer(self, states, key, occurred_ts, state):
        known = states.get(key)
        if known is not None and known[0] >= occurred_ts:
            return False
        states[key] = (occurred_ts, state)
        return True

    def save_adjustment(self, adjustment, occurred_ts):
        return self._save_if_newer(
            self.adjustments, adjustment.adjustment_id, occurred_ts, adjustment
        )

    def save_subscription(self, state, occurred_ts):
        return self._save_if_newer(self.subscriptions, state.subscription_id, occurred_ts, state)

    def subscription_owner(self, subscription_id):
        known = self.subscriptions.get(subscription_id)
        return known[1].user_id if known else None

    def latest_subscription(self, user_id):
        mine = [(ts, s) for ts, s in self.subscriptions.values() if s.user_id == user_id]
        return max(mine, key=lambda item: item[0])[1] if mine else None
