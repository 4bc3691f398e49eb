"""BillingService entrypoints with nameko's worker_factory, the in-memory store and a
fake Paddle API client: signed notifications in, credits and payments out."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from nameko.testing.services import worker_factory

from mocky.billing.v1 import billing_pb2
from mocky.platform import paddle
from mocky.platform.clock import Clock
from mocky.platform.errors import InvalidArgument, PaymentRequired, Unauthenticated, Unavailable
from mocky.platform.settings import get_settings
from services.billing.domain import WebhookStatus
from services.billing.paddle_api import Checkout
from services.billing.service import BillingService
from services.billing.tests.fakes import InMemoryBillingStore

PRICE = "pri_local_5_credits"  # 5 credits for 9.00 EUR in the default catalogue


class FakePaddle:
    def __init__(self) -> None:
        self.created: list[tuple[str, str]] = []

    def create_transaction(self, price_id: str, user_id: str) -> Checkout:
        self.created.append((price_id, user_id))
        return Checkout("txn_fake", "https://pay.example/txn_fake")


@pytest.fixture
def billing():  # type: ignore[no-untyped-def]
    return worker_factory(
        BillingService, repo=InMemoryBillingStore(), clock=Clock(), paddle=FakePaddle()
    )


def deliver(billing, notification: dict, secret: str = "") -> str:  # type: ignore[no-untyped-def]
    raw = json.dumps(notification).encode()
    signature = paddle.sign(
        raw, secret or get_settings().paddle_webhook_secrets[0], int(time.time())
    )
    request = billing_pb2.ReceivePaddleWebhookRequest(raw_body=raw, signature_header=signature)
    return billing.ReceivePaddleWebhook(request, None).status


def balance(billing, user_id: str = "u-1"):  # type: ignore[no-untyped-def]
    return billing.GetBalance(billing_pb2.GetBalanceRequest(user_id=user_id), None)


def bought(billing, user_id: str = "u-1", quantity: int = 1) -> str:  # type: ignore[no-untyped-def]
    notification = paddle.transaction_completed(user_id, PRICE, quantity)
    assert deliver(billing, notification) == "accepted"
    return notification["data"]["id"]


def test_a_completed_transaction_grants_credits_records_the_payment_and_its_event(billing):
    txn = bought(billing, quantity=2)
    assert balance(billing).credits == 10 and balance(billing).can_start_interview
    [payment] = billing.ListPayments(billing_pb2.ListPaymentsRequest(user_id="u-1"), None).payments
    assert (payment.id, payment.credits, payment.amount) == (txn, 10, "1800")
    assert [e["event_type"] for e in billing.repo.events] == ["payment_recorded"]
    billing.outbox.flush_or_defer.assert_called_once()
    [webhook] = billing.repo.webhooks.values()
    assert webhook.status is WebhookStatus.PROCESSED


def test_a_redelivered_notification_grants_nothing_more(billing):
    notification = paddle.transaction_completed("u-1", PRICE, 1)
    assert deliver(billing, notification) == "accepted"
    assert deliver(billing, notification) == "duplicate"
    assert balance(billing).credits == 5 and len(billing.repo.payments) == 1


def test_a_forged_signature_is_refused_and_stores_nothing(billing):
    with pytest.raises(Unauthenticated):
        deliver(billing, paddle.transaction_completed("u-1", PRICE, 1), secret="not-the-secret")
    assert billing.repo.webhooks == {} and balance(billing).credits == 0


def test_an_unknown_price_is_kept_for_ops_and_grants_nothing(billing):
    deliver(billing, paddle.transaction_completed("u-1", "pri_nobody_sells", 1))
    [webhook] = billing.repo.webhooks.values()
    assert webhook.status is WebhookStatus.ERROR
    assert billing.repo.reasons[webhook.event_id] == "unknown_price"
    assert balance(billing).credits == 0


def test_an_approved_partial_refund_takes_back_credits_pro_rata_rounded_up(billing):
    txn = bought(billing)  # 5 credits for 900
    pending = paddle.adjustment("adjustment.created", txn, status="pending_approval", amount=200)
    deliver(billing, pending)
    assert balance(billing).credits == 5  # not approved yet
    approved = paddle.adjustment(
        "adjustment.updated", txn, amount=200, adjustment_id=pending["data"]["id"]
    )
    deliver(billing, approved)
    assert balance(billing).credits == 3  # 5 x 200/900 = 1.1 -> 2 taken back
    assert billing.repo.payment(txn).credits_taken_back == 2


def test_a_chargeback_takes_everything_flags_the_account_and_its_reversal_undoes_both(billing):
    txn = bought(billing)
    deliver(billing, paddle.adjustment("adjustment.created", txn, "chargeback", full=True))
    assert (balance(billing).credits, balance(billing).flagged) == (0, True)
    deliver(billing, paddle.adjustment("adjustment.created", txn, "chargeback_reverse", full=True))
    assert (balance(billing).credits, balance(billing).flagged) == (5, False)


def test_an_adjustment_before_its_transaction_waits_and_is_applied_once_the_payment_exists(
    billing,
):
    txn = "txn_out_of_order"
    refund = paddle.adjustment("adjustment.created", txn, full=True)
    deliver(billing, refund)
    assert billing.repo.webhook(refund["event_id"]).status is WebhookStatus.WAITING
    deliver(billing, paddle.transaction_completed("u-1", PRICE, 1, transaction_id=txn))
    billing.process_pending_webhooks()
    assert billing.repo.webhook(refund["event_id"]).status is WebhookStatus.PROCESSED
    assert balance(billing).credits == 0


def test_an_adjustment_waiting_more_than_a_day_goes_to_ops(billing):
    refund = paddle.adjustment("adjustment.created", "txn_never", full=True)
    deliver(billing, refund)
    billing.clock.advance(timedelta(days=2).total_seconds())
    billing.process_pending_webhooks()
    assert billing.repo.webhook(refund["event_id"]).status is WebhookStatus.ERROR
    assert billing.repo.pending_webhooks() == []


def test_a_renewal_is_granted_to_the_subscriptions_owner(billing):
    created = paddle.subscription("subscription.created", "u-sub", "active")
    deliver(billing, created)
    renewal = paddle.transaction_completed("", PRICE, 1)
    renewal["data"]["custom_data"] = {}
    renewal["data"]["subscription_id"] = created["data"]["id"]
    deliver(billing, renewal)
    assert balance(billing, "u-sub").credits == 5
    assert balance(billing, "u-sub").subscription.status == "active"


def test_a_credit_is_consumed_once_per_interview_and_none_without_credit(billing):
    bought(billing)
    consume = billing_pb2.ConsumeCreditRequest(user_id="u-1", interview_id="iv-1")
    assert billing.ConsumeCredit(consume, None).remaining == 4
    again = billing.ConsumeCredit(consume, None)
    assert again.already_consumed and again.remaining == 4
    with pytest.raises(PaymentRequired):
        billing.ConsumeCredit(
            billing_pb2.ConsumeCreditRequest(user_id="u-2", interview_id="iv"), None
        )
    with pytest.raises(InvalidArgument):
        billing.ConsumeCredit(billing_pb2.ConsumeCreditRequest(user_id="u-1"), None)


def test_a_guest_gets_one_free_interview(billing):
    first = billing_pb2.ConsumeCreditRequest(user_id="g-1", interview_id="iv-1", guest=True)
    assert billing.ConsumeCredit(first, None).remaining == 0
    assert not balance(billing, "g-1").free_interview_available
    second = billing_pb2.ConsumeCreditRequest(user_id="g-1", interview_id="iv-2", guest=True)
    with pytest.raises(PaymentRequired):
        billing.ConsumeCredit(second, None)


def test_a_checkout_is_created_through_paddle_for_a_known_price_only(billing):
    made = billing.CreateCheckout(
        billing_pb2.CreateCheckoutRequest(price_id=PRICE, user_id="u-1"), None
    )
    assert made.checkout_url == "https://pay.example/txn_fake"
    assert billing.paddle.created == [(PRICE, "u-1")]
    with pytest.raises(InvalidArgument):
        billing.CreateCheckout(
            billing_pb2.CreateCheckoutRequest(price_id="pri_x", user_id="u-1"), None
        )


def test_without_paddle_a_checkout_is_local_outside_production_and_refused_in_it(monkeypatch):
    local = worker_factory(BillingService, repo=InMemoryBillingStore(), clock=Clock(), paddle=None)
    answer = local.CreateCheckout(
        billing_pb2.CreateCheckoutRequest(price_id=PRICE, user_id="u-1"), None
    )
    assert answer.environment == "local" and "billing:simulate" in answer.simulator_command
    monkeypatch.setattr(type(get_settings()), "dev_tools_enabled", property(lambda self: False))
    with pytest.raises(Unavailable):
        local.CreateCheckout(billing_pb2.CreateCheckoutRequest(price_id=PRICE, user_id="u-1"), None)
