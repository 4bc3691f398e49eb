"""The contract of billing's storage (`BillingStore`): the MongoDB repository on the
embedded MongoDB and the unit tests' in-memory fake pass the same tests, so the unit
tests' fake cannot drift from what production does."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from services.billing.domain import (
    Adjustment,
    Payment,
    SubscriptionState,
    WebhookStatus,
)
from services.billing.repository import BillingRepository
from services.billing.tests.fakes import InMemoryBillingStore
from tests.integration.conftest import store_under_test

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(params=["mongo", "memory"])
def store(request, settings):  # type: ignore[no-untyped-def]
    return store_under_test(request.param, BillingRepository, InMemoryBillingStore)


def payment(user_id: str = "u-1", txn: str = "txn_1", credits: int = 5) -> Payment:
    return Payment(txn, user_id, NOW, "1000", "EUR", credits, ("pri_5",), "evt_1")


def test_a_webhook_is_stored_once_and_moves_through_its_states(store):
    assert store.store_webhook("evt_1", "transaction.completed", NOW, "ntf_1", {"a": 1}, NOW)
    assert not store.store_webhook("evt_1", "transaction.completed", NOW, "ntf_2", {}, NOW)
    [pending] = store.pending_webhooks()
    assert (pending.event_id, pending.status, pending.data) == (
        "evt_1",
        WebhookStatus.PENDING,
        {"a": 1},
    )
    assert store.mark_webhook("evt_1", WebhookStatus.WAITING, "unknown_transaction")
    assert [w.event_id for w in store.pending_webhooks()] == ["evt_1"]  # waiting is still open
    assert store.mark_webhook("evt_1", WebhookStatus.PROCESSED)
    assert store.pending_webhooks() == []
    assert not store.mark_webhook("evt_1", WebhookStatus.ERROR)  # finished stays finished
    assert store.webhook("evt_1").status is WebhookStatus.PROCESSED
    assert store.webhook("evt_missing") is None


def test_pending_webhooks_come_oldest_first_and_processed_ones_are_pruned(store):
    store.store_webhook("evt_late", "x", NOW, "n1", {}, NOW)
    store.store_webhook("evt_early", "x", NOW - timedelta(hours=1), "n2", {}, NOW)
    assert [w.event_id for w in store.pending_webhooks()] == ["evt_early", "evt_late"]
    store.mark_webhook("evt_early", WebhookStatus.PROCESSED)
    assert store.prune_webhooks(NOW + timedelta(days=1)) == 1
    assert store.webhook("evt_early") is None and store.webhook("evt_late") is not None


def test_ledger_entries_apply_once_and_credits_are_consumed_once_per_interview(store):
    assert store.add_ledger_entry("txn:1", "u-1", 2, "purchase", NOW)
    assert not store.add_ledger_entry("txn:1", "u-1", 2, "purchase", NOW)
    assert store.wallet("u-1").balance == 2 and store.has_entry("txn:1")
    assert store.consume_credit("u-1", "iv-1", NOW) == (True, 1)
    assert store.consume_credit("u-1", "iv-1", NOW) == (False, 1)  # a retried start
    assert store.consume_credit("u-1", "iv-2", NOW) == (True, 0)
    with pytest.raises(LookupError):
        store.consume_credit("u-1", "iv-3", NOW)
    assert store.wallet("nobody").balance == 0


def test_a_flag_is_set_per_transaction_and_cleared(store):
    store.add_ledger_entry("txn:1", "u-1", 1, "purchase", NOW)
    store.set_flag("u-1", "txn_1", True)
    store.set_flag("u-1", "txn_2", True)
    store.set_flag("u-1", "txn_1", False)
    assert store.wallet("u-1").flagged
    store.set_flag("u-1", "txn_2", False)
    assert not store.wallet("u-1").flagged


def test_payments_are_recorded_once_and_returned_as_payments(store):
    assert store.record_payment(payment(), {"event_id": "e1"})
    assert not store.record_payment(payment(), {"event_id": "e2"})
    later = Payment("txn_2", "u-1", NOW + timedelta(days=1), "500", "EUR", 2, ("pri_2",), "evt_2")
    store.record_payment(later, {"event_id": "e3"})
    store.note_taken_back("txn_1", 3)
    assert store.payment("txn_1") == replace(payment(), credits_taken_back=3)
    assert [p.transaction_id for p in store.payments_of("u-1")] == ["txn_2", "txn_1"]
    assert store.payment("txn_none") is None and store.payments_of("u-2") == []


def test_an_older_adjustment_or_subscription_state_does_not_win(store):
    adjustment = Adjustment("adj_1", "txn_1", "refund", "pending_approval", True, 1000)
    assert store.save_adjustment(adjustment, 200.0)
    assert not store.save_adjustment(adjustment, 100.0)
    active = SubscriptionState("sub_1", "u-1", "active", ("pri_m",), NOW + timedelta(days=30))
    paused = SubscriptionState("sub_1", "u-1", "paused", ("pri_m",), None)
    assert store.save_subscription(paused, 300.0)
    assert not store.save_subscription(active, 250.0)
    assert store.latest_subscription("u-1") == paused
    assert store.subscription_owner("sub_1") == "u-1" and store.subscription_owner("sub_x") is None
    assert store.latest_subscription("u-2") is None
