"""The billing service on real RabbitMQ, nx-27017 and gRPC: credits consumed exactly
once, refunds and chargebacks, out-of-order events, subscriptions, checkout against
a local fake Paddle API, and its privacy hooks."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import eventlet
import httpx
import pytest
from nameko_grpc.errors import GrpcError

from mocky.billing.v1 import billing_pb2, billing_pb2_grpc
from mocky.platform.mongo import service_database
from mocky.platform.paddle import adjustment, paddle_id, sign, subscription, transaction_completed
from mocky.platform.settings import DEV_WEBHOOK_SECRET, reset_settings
from mocky.privacy.v1 import data_owner_pb2, data_owner_pb2_grpc
from services.billing.service import BillingService
from tests import infra
from tests.infra import wait_until
from tests.integration.conftest import grpc_client

Stub = billing_pb2_grpc.BillingServiceStub


@pytest.fixture
def billing_port(start_service):  # type: ignore[no-untyped-def]
    _, port = start_service(BillingService)
    return port


def deliver(billing, notification: dict) -> str:  # type: ignore[no-untyped-def]
    raw = json.dumps(notification).encode()
    answer = billing.ReceivePaddleWebhook(
        billing_pb2.ReceivePaddleWebhookRequest(
            raw_body=raw, signature_header=sign(raw, DEV_WEBHOOK_SECRET, int(time.time()))
        )
    )
    return answer.status


def credits(billing, user_id: str) -> int:  # type: ignore[no-untyped-def]
    return billing.GetBalance(billing_pb2.GetBalanceRequest(user_id=user_id)).credits


def consume(billing, user_id: str, interview_id: str, guest: bool = False):  # type: ignore[no-untyped-def]
    return billing.calling_as("sessions").ConsumeCredit(
        billing_pb2.ConsumeCreditRequest(user_id=user_id, interview_id=interview_id, guest=guest)
    )


def buy(billing, user_id: str, quantity: int = 1) -> str:  # type: ignore[no-untyped-def]
    """Buys 5 credits per quantity (EUR 9.00 each); returns the transaction id."""
    notification = transaction_completed(user_id, "pri_local_5_credits", quantity)
    assert deliver(billing, notification) == "accepted"
    return notification["data"]["id"]


def test_twenty_concurrent_starts_with_three_credits_take_exactly_three(billing_port):
    with grpc_client(billing_port, Stub) as billing:
        buy(billing, "u-race")
        for spent in ("warm-1", "warm-2"):
            consume(billing, "u-race", spent)
        assert credits(billing, "u-race") == 3

        def start(n: int) -> str:
            try:
                consume(billing, "u-race", f"interview-{n}")
                return "ok"
            except GrpcError as error:
                return json.loads(error.message)["code"]

        outcomes = list(eventlet.GreenPool(20).imap(start, range(20)))
        assert outcomes.count("ok") == 3
        assert outcomes.count("payment_required") == 17
        assert credits(billing, "u-race") == 0
    ledger = service_database("billing")["credit_ledger"]
    consumed = ledger.count_documents({"user_id": "u-race", "delta": -1})
    assert consumed == 5  # the two warm-ups and exactly three of the twenty


def test_the_same_interview_never_costs_twice(billing_port):
    with grpc_client(billing_port, Stub) as billing:
        buy(billing, "u-retry")
        first = consume(billing, "u-retry", "iv-1")
        again = [consume(billing, "u-retry", "iv-1") for _ in range(3)]
        parallel = list(
            eventlet.GreenPool(5).imap(lambda _: consume(billing, "u-retry", "iv-2"), range(5))
        )
        assert not first.already_consumed and first.remaining == 4
        assert all(a.already_consumed and a.remaining == 4 for a in again)
        assert sum(not p.already_consumed for p in parallel) == 1
        assert credits(billing, "u-retry") == 3


def test_a_guest_gets_one_free_interview_then_must_pay(billing_port):
    with grpc_client(billing_port, Stub) as billing:
        before = billing.GetBalance(billing_pb2.GetBalanceRequest(user_id="guest-1"))
        assert before.free_interview_available and before.credits == 0
        assert not consume(billing, "guest-1", "g-iv-1", guest=True).already_consumed
        assert consume(billing, "guest-1", "g-iv-1", guest=True).already_consumed
        with pytest.raises(GrpcError) as refused:
            consume(billing, "guest-1", "g-iv-2", guest=True)
        after = billing.GetBalance(billing_pb2.GetBalanceRequest(user_id="guest-1"))
    assert json.loads(refused.value.message)["code"] == "payment_required"
    assert not after.free_interview_available and after.credits == 0


def test_a_refund_takes_credits_back_only_once_approved_and_pro_rata(billing_port):
    with grpc_client(billing_port, Stub) as billing:
        txn = buy(billing, "u-refund")  # 5 credits for 900
        adj_id = "adj_01refundrefundrefundrefun"
        created = adjustment(
            "adjustment.created", txn, "refund", "pending_approval", 450, adjustment_id=adj_id
        )
        assert deliver(billing, created) == "accepted"
        assert credits(billing, "u-refund") == 5  # pending: nothing yet
        approved = adjustment(
            "adjustment.updated", txn, "refund", "approved", 450, adjustment_id=adj_id
        )
        assert deliver(billing, approved) == "accepted"
        assert deliver(billing, approved) == "duplicate"
        # the same adjustment reaching another destination: another event id, same adjustment
        assert deliver(billing, {**approved, "event_id": paddle_id("evt_")}) == "accepted"
        assert credits(billing, "u-refund") == 2  # half the money back: ceil(2.5) credits
        payments = billing.ListPayments(billing_pb2.ListPaymentsRequest(user_id="u-refund"))
        assert payments.payments[0].credits_taken_back == 3
        rejected_txn = buy(billing, "u-refund")
        rejected = adjustment("adjustment.updated", rejected_txn, "refund", "rejected", 900)
        deliver(billing, rejected)
        assert credits(billing, "u-refund") == 7


def test_a_chargeback_takes_credits_at_once_flags_and_a_reversal_restores_once(billing_port):
    with grpc_client(billing_port, Stub) as billing:
        txn = buy(billing, "u-dispute")
        consume(billing, "u-dispute", "used-1")
        chargeback = adjustment("adjustment.created", txn, "chargeback", "approved", 900, full=True)
        deliver(billing, chargeback)
        balance = billing.GetBalance(billing_pb2.GetBalanceRequest(user_id="u-dispute"))
        assert balance.credits == -1 and balance.flagged and not balance.can_start_interview
        with pytest.raises(GrpcError) as blocked:  # a negative balance blocks new interviews
            consume(billing, "u-dispute", "new-1")
        assert json.loads(blocked.value.message)["code"] == "payment_required"
        buy_more = buy(billing, "u-dispute")
        assert buy_more and credits(billing, "u-dispute") == 4
        reverse_id = "adj_01reversereversereversere"
        reversal = adjustment(
            "adjustment.created",
            txn,
            "chargeback_reverse",
            "approved",
            900,
            full=True,
            adjustment_id=reverse_id,
        )
        deliver(billing, reversal)
        deliver(billing, {**reversal, "event_id": paddle_id("evt_")})
        restored = billing.GetBalance(billing_pb2.GetBalanceRequest(user_id="u-dispute"))
    assert restored.credits == 9 and not restored.flagged


def test_an_adjustment_before_its_transaction_waits_for_it(billing_port):
    with grpc_client(billing_port, Stub) as billing:
        purchase = transaction_completed("u-order", "pri_local_5_credits", 1)
        txn = purchase["data"]["id"]
        refund = adjustment("adjustment.updated", txn, "refund", "approved", 900, full=True)
        assert deliver(billing, refund) == "accepted"
        webhooks = service_database("billing")["paddle_webhooks"]
        assert webhooks.find_one({"_id": refund["event_id"]})["status"] == "waiting"
        assert deliver(billing, purchase) == "accepted"
        wait_until(
            lambda: webhooks.find_one({"_id": refund["event_id"]})["status"] == "processed",
            15,
            "the waiting refund to be processed by the timer",
        )
        assert credits(billing, "u-order") == 0


def test_an_older_subscription_state_never_overwrites_a_newer_one(billing_port):
    now = datetime.now(UTC)
    sub_id = "sub_01subscriptionsubscriptio"
    with grpc_client(billing_port, Stub) as billing:
        canceled = subscription(
            "subscription.canceled", "u-sub", "canceled", subscription_id=sub_id, occurred_at=now
        )
        activated = subscription(
            "subscription.activated",
            "u-sub",
            "active",
            subscription_id=sub_id,
            occurred_at=now - timedelta(days=3),
        )
        past_due = subscription(
            "subscription.past_due",
            "u-sub",
            "past_due",
            subscription_id=sub_id,
            occurred_at=now - timedelta(days=1),
        )
        for late_first in (canceled, activated, past_due):
            assert deliver(billing, late_first) == "accepted"
        state = billing.GetBalance(billing_pb2.GetBalanceRequest(user_id="u-sub")).subscription
        assert state.id == sub_id and state.status == "canceled"
        renewal = transaction_completed("", "pri_local_5_credits", 1)
        renewal["data"]["custom_data"] = None
        renewal["data"]["subscription_id"] = sub_id
        deliver(billing, renewal)  # a renewal names the subscription, not the user
        assert credits(billing, "u-sub") == 5


def test_an_unknown_price_is_acknowledged_and_kept_for_ops(billing_port):
    with grpc_client(billing_port, Stub) as billing:
        unknown = transaction_completed("u-unknown", "pri_not_in_catalogue", 1)
        assert deliver(billing, unknown) == "accepted"
        assert credits(billing, "u-unknown") == 0
    stored = service_database("billing")["paddle_webhooks"].find_one({"_id": unknown["event_id"]})
    assert stored["status"] == "error" and stored["reason"] == "unknown_price"


@pytest.fixture
def fake_paddle(workdir, monkeypatch):  # type: ignore[no-untyped-def]
    server = infra.start_fake("paddle_api", workdir, "pdl_sdbx_apikey_test")
    monkeypatch.setenv("PADDLE_API_KEY", "pdl_sdbx_apikey_test")
    monkeypatch.setenv("PADDLE_API_BASE_URL", server.url)
    reset_settings()
    yield server
    server.stop()


def test_checkout_creates_a_paddle_transaction_naming_the_user(fake_paddle, start_service):
    _, port = start_service(BillingService)
    with grpc_client(port, Stub) as billing:
        checkout = billing.CreateCheckout(
            billing_pb2.CreateCheckoutRequest(user_id="u-checkout", price_id="pri_local_5_credits")
        )
        with pytest.raises(GrpcError) as unknown:
            billing.CreateCheckout(
                billing_pb2.CreateCheckoutRequest(user_id="u", price_id="pri_nope")
            )
        httpx.post(fake_paddle.url + "/_fail", json={"status": 503, "times": 1})
        with pytest.raises(GrpcError) as down:
            billing.CreateCheckout(
                billing_pb2.CreateCheckoutRequest(
                    user_id="u-checkout", price_id="pri_local_5_credits"
                )
            )
    sent = httpx.get(fake_paddle.url + "/_requests").json()["requests"]
    assert checkout.transaction_id.startswith("txn_")
    assert checkout.checkout_url.endswith(checkout.transaction_id)
    assert checkout.environment == "sandbox"
    assert sent[0]["body"]["custom_data"] == {"user_id": "u-checkout"}
    assert sent[0]["body"]["items"] == [{"price_id": "pri_local_5_credits", "quantity": 1}]
    assert unknown.value.code.name == "INVALID_ARGUMENT"
    assert down.value.code.name == "UNAVAILABLE"


def test_checkout_with_a_wrong_api_key_is_refused_clearly(workdir, monkeypatch, start_service):
    server = infra.start_fake("paddle_api", workdir, "the-real-key")
    try:
        monkeypatch.setenv("PADDLE_API_KEY", "a-wrong-key")
        monkeypatch.setenv("PADDLE_API_BASE_URL", server.url)
        reset_settings()
        _, port = start_service(BillingService)
        with grpc_client(port, Stub) as billing, pytest.raises(GrpcError) as refused:
            billing.CreateCheckout(
                billing_pb2.CreateCheckoutRequest(user_id="u", price_id="pri_local_5_credits")
            )
    finally:
        server.stop()
    assert json.loads(refused.value.message)["code"] == "checkout_refused"


def test_without_an_api_key_checkout_points_at_the_local_simulator(billing_port):
    with grpc_client(billing_port, Stub) as billing:
        local = billing.CreateCheckout(
            billing_pb2.CreateCheckoutRequest(user_id="u-local", price_id="pri_local_5_credits")
        )
    assert local.environment == "local"
    assert "billing:simulate -- transaction.completed --user u-local" in local.simulator_command


def test_a_local_checkout_is_a_paddle_purchase_made_inside_billing(billing_port):
    """The web app's dev buy button: billing writes and signs the notification itself
    (its webhook secret stays here) and processes it as it would Paddle's."""
    with grpc_client(billing_port, Stub) as billing:
        request = billing_pb2.CompleteLocalCheckoutRequest(
            user_id="u-local", price_id="pri_local_5_credits"
        )
        first = billing.CompleteLocalCheckout(request)
        second = billing.CompleteLocalCheckout(request)
        assert first.status == second.status == "accepted"
        assert first.transaction_id != second.transaction_id  # two purchases
        assert credits(billing, "u-local") == 10
        payments = billing.ListPayments(billing_pb2.ListPaymentsRequest(user_id="u-local"))
        assert {p.id for p in payments.payments} == {
            first.transaction_id,
            second.transaction_id,
        }


def test_erasure_keeps_payment_records_restricted_and_pseudonymised(billing_port):
    with grpc_client(billing_port, Stub) as billing:
        txn = buy(billing, "u-erase")
        consume(billing, "u-erase", "iv-erase")
    with grpc_client(billing_port, data_owner_pb2_grpc.DataOwnerServiceStub, "privacy") as owner:
        exported = owner.ExportUserData(data_owner_pb2.ExportUserDataRequest(user_id="u-erase"))
        owner.RestrictUser(
            data_owner_pb2.RestrictUserRequest(user_id="u-erase", restrict=True, erase=True)
        )
        purged = owner.PurgeRecords(
            data_owner_pb2.PurgeRecordsRequest(
                records=[{"kind": "payment", "record_id": "txn_gone"}]
            )
        )
    archive = {f.name: json.loads(f.data) for f in exported.files}
    assert archive["billing/payments.json"][0]["_id"] == txn
    assert archive["billing/wallet.json"][0]["balance"] == 4
    assert {e["user_id"] for e in archive["billing/credit_ledger.json"]} == {"u-erase"}
    db = service_database("billing")
    kept = db["payment_records"].find_one({"_id": txn})
    assert kept["restricted"] and kept["user_id"].startswith("psn_")
    everything = json.dumps([list(db[c].find()) for c in db.list_collection_names()], default=str)
    assert "u-erase" not in everything
    assert purged.results[0].outcome == data_owner_pb2.PURGE_OUTCOME_ALREADY_GONE
