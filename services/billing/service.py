"""Billing service entrypoints: Paddle webhooks (persist first, process after),
credits and the product catalogue."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import structlog
from nameko.timer import timer

from mocky.billing.v1 import billing_pb2, billing_pb2_grpc
from mocky.platform.clock import as_utc, from_epoch
from mocky.platform.data_map import DataOwnerHooks, PersonalData
from mocky.platform.errors import Conflict, InvalidArgument, PaymentRequired, Unavailable
from mocky.platform.events import OutboxRelay, outbox_entry
from mocky.platform.grpc import LogContext, PlatformEntrypoints, rpc
from mocky.platform.metrics import EntrypointMetrics
from mocky.platform.mongo import MongoRepository
from mocky.platform.paddle import sign, transaction_completed
from mocky.platform.settings import get_settings
from services.billing import domain, events
from services.billing.paddle_api import PaddleApi
from services.billing.repository import (
    ADJUSTMENTS,
    DATA_MAP,
    PAYMENTS,
    SUBSCRIPTIONS,
    BillingRepository,
)

log = structlog.get_logger(__name__)
Stub = billing_pb2_grpc.BillingServiceStub
ADJUSTMENT_EVENTS = ("adjustment.created", "adjustment.updated")
SUBSCRIPTION_EVENTS = (
    "subscription.created",
    "subscription.activated",
    "subscription.updated",
    "subscription.trialing",
    "subscription.past_due",
    "subscription.paused",
    "subscription.resumed",
    "subscription.canceled",
)
FREE_PREFIX = "free:"
MAX_WAIT = timedelta(days=1)
WEBHOOK_KEPT = timedelta(days=30)  # Paddle retries a failed delivery for about 3 days


class WaitForEarlierEvent(InvalidArgument):
    """This notification depends on one that has not arrived yet."""


def catalogue() -> dict[str, domain.Product]:
    return domain.catalogue_from_json(get_settings().paddle_catalogue_json)


def payment_pseudonym(user_id: str) -> str:
    """An erased user's stand-in on the payment records kept for tax law."""
    return domain.pseudonym(user_id, get_settings().pseudonym_key)


class BillingService(PlatformEntrypoints, DataOwnerHooks):
    name = "billing"
    reflected_services = ("mocky.billing.v1.BillingService", "mocky.privacy.v1.DataOwnerService")

    repo = MongoRepository(BillingRepository)
    personal_data = PersonalData(DATA_MAP, pseudonym=payment_pseudonym)
    outbox = OutboxRelay([PAYMENTS])
    entrypoint_metrics = EntrypointMetrics()
    log_context = LogContext()

    @rpc(Stub)
    def ReceivePaddleWebhook(self, request: Any, context: Any) -> Any:
        status = self._receive(request.raw_body, request.signature_header)
        return billing_pb2.ReceivePaddleWebhookResponse(status=status)

    def _receive(self, raw_body: bytes, signature_header: str) -> str:
        settings = get_settings()
        domain.verify_signature(
            signature_header,
            raw_body,
            settings.paddle_webhook_secrets,
            time.time(),  # real time, not the movable dev clock: freshness is per delivery
            settings.paddle_signature_tolerance_seconds,
        )
        notification = domain.parse_notification(raw_body)
        stored = self.repo.store_webhook(
            notification.event_id,
            notification.event_type,
            domain.parse_time(notification.occurred_at),
            notification.notification_id,
            notification.data,
            self.clock.now(),
        )
        if not stored:
            log.info("paddle_webhook_duplicate", event_type=notification.event_type)
            return "duplicate"
        log.info("paddle_webhook_stored", event_type=notification.event_type)
        self._process(notification.event_id, notification.event_type, notification.data)
        return "accepted"

    @rpc(Stub)
    def CompleteLocalCheckout(self, request: Any, context: Any) -> Any:
        if not get_settings().dev_tools_enabled:
            raise Conflict("local checkout exists only outside production", code="dev_only")
        notification = transaction_completed(request.user_id, request.price_id, 1)
        raw = json.dumps(notification).encode()
        secret = get_settings().paddle_webhook_secrets[0]
        status = self._receive(raw, sign(raw, secret, int(time.time())))
        return billing_pb2.CompleteLocalCheckoutResponse(
            status=status, transaction_id=notification["data"]["id"]
        )

    @timer(interval=5)
    def process_pending_webhooks(self) -> None:
        """What a crash between storing and processing left behind."""
        for doc in self.repo.pending_webhooks():
            self._process(doc["_id"], doc["event_type"], doc["data"])

    def _process(self, event_id: str, event_type: str, data: dict) -> None:
        handlers = {"transaction.completed": self._grant_credits}
        handlers.update(dict.fromkeys(ADJUSTMENT_EVENTS, self._adjust))
        handlers.update(dict.fromkeys(SUBSCRIPTION_EVENTS, self._update_subscription))
        handler = handlers.get(event_type)
        if handler is None:
            self.repo.mark_webhook(event_id, "ignored", "not an event we act on")
            return
        try:
            handler(event_id, data)
        except WaitForEarlierEvent as waiting:
            self._wait_or_give_up(event_id, event_type, waiting.code)
            return
        except InvalidArgument as error:
            # Acknowledged to Paddle (it would retry a refusal for days) and kept for ops.
            self.repo.mark_webhook(event_id, "error", error.code)
            log.error("paddle_webhook_unprocessable", event_type=event_type, reason=error.code)
            return
        self.repo.mark_webhook(event_id, "processed")

    def _wait_or_give_up(self, event_id: str, event_type: str, reason: str) -> None:
        """Events arrive out of order: an adjustment can come before the transaction it
        adjusts. It waits (retried by the timer) for a day, then goes to ops."""
        stored = self.repo.webhooks.find_one({"_id": event_id}, {"received_at": 1}) or {}
        received = stored.get("received_at")
        if received is not None and self.clock.now() - as_utc(received) > MAX_WAIT:
            self.repo.mark_webhook(event_id, "error", reason)
            log.error("paddle_webhook_unprocessable", event_type=event_type, reason=reason)
            return
        self.repo.mark_webhook(event_id, "waiting", reason)
        log.info("paddle_webhook_waiting", event_type=event_type, reason=reason)

    def _occurred_ts(self, event_id: str) -> float:
        stored = self.repo.webhooks.find_one({"_id": event_id}, {"occurred_at": 1}) or {}
        return as_utc(stored["occurred_at"]).timestamp()

    def _grant_credits(self, event_id: str, data: dict) -> None:
        if not (data.get("custom_data") or {}).get("user_id") and data.get("subscription_id"):
            # A renewal: the buyer is the subscription's.
            subscription = self.repo.subscriptions.find_one({"_id": data["subscription_id"]})
            if subscription is None:
                raise WaitForEarlierEvent("subscription not known yet", code="unknown_subscription")
            data = {**data, "custom_data": {"user_id": subscription["user_id"]}}
        transaction = domain.completed_transaction(data, catalogue())
        if transaction.unknown_prices:
            raise InvalidArgument("unknown price in transaction", code="unknown_price")
        now = self.clock.now()
        for grant in transaction.grants:
            self.repo.add_ledger_entry(
                f"txn:{transaction.transaction_id}:{grant.price_id}",
                transaction.user_id,
                grant.credits,
                f"purchase {grant.price_id}",
                now,
            )
        record_id = transaction.transaction_id
        event = events.payment_recorded(
            record_id,
            transaction.user_id,
            transaction.transaction_id,
            transaction.credits,
            now,
            self.clock,
        )
        if self.repo.record_payment(
            {
                "_id": record_id,
                "user_id": transaction.user_id,
                "at": now,
                "amount": transaction.amount,
                "currency": transaction.currency,
                "credits": transaction.credits,
                "credits_taken_back": 0,
                "paddle_event_id": event_id,
                "prices": [g.price_id for g in transaction.grants],
            },
            outbox_entry(event),
        ):
            self.outbox.flush_or_defer(self.repo.payments, record_id)
        log.info("credits_granted", user_id=transaction.user_id, credits=transaction.credits)

    def _adjust(self, event_id: str, data: dict) -> None:
        adjustment = domain.parse_adjustment(data)
        payment = self.repo.payment(adjustment.transaction_id)
        if payment is None:
            raise WaitForEarlierEvent("transaction not known yet", code="unknown_transaction")
        self.repo.save_if_newer(
            ADJUSTMENTS,
            adjustment.adjustment_id,
            self._occurred_ts(event_id),
            {
                "transaction_id": adjustment.transaction_id,
                "action": adjustment.action,
                "status": adjustment.status,
                "total": adjustment.total,
            },
        )
        user_id = payment["user_id"]
        credits = domain.credits_to_take_back(
            adjustment, int(payment.get("credits", 0)), str(payment.get("amount", ""))
        )
        takes_back = adjustment.action in domain.TAKES_CREDITS_AT_ONCE or (
            adjustment.action in domain.TAKES_CREDITS_WHEN_APPROVED
            and adjustment.status == "approved"
        )
        entry_id = f"adj:{adjustment.adjustment_id}"
        now = self.clock.now()
        if takes_back and credits:
            if self.repo.add_ledger_entry(entry_id, user_id, -credits, adjustment.action, now):
                self.repo.note_taken_back(adjustment.transaction_id, credits)
                log.info("credits_taken_back", user_id=user_id, credits=credits)
        if adjustment.action == "chargeback":
            self.repo.set_flag(user_id, adjustment.transaction_id, True)
            log.warning("chargeback_flagged", user_id=user_id)
        if adjustment.action in domain.RESTORES_CREDITS and credits:
            if self.repo.add_ledger_entry(entry_id, user_id, credits, adjustment.action, now):
                self.repo.note_taken_back(adjustment.transaction_id, -credits)
                log.info("credits_restored", user_id=user_id, credits=credits)
            if adjustment.action == "chargeback_reverse":
                self.repo.set_flag(user_id, adjustment.transaction_id, False)

    def _update_subscription(self, event_id: str, data: dict) -> None:
        state = domain.parse_subscription(data)
        newer = self.repo.save_if_newer(
            SUBSCRIPTIONS,
            state.subscription_id,
            self._occurred_ts(event_id),
            {
                "user_id": state.user_id,
                "status": state.status,
                "price_ids": list(state.price_ids),
                "next_billed_ts": state.next_billed_at.timestamp()
                if state.next_billed_at
                else None,
            },
        )
        log.info("subscription_state", status=state.status, applied=newer)

    @timer(interval=60)
    def reconcile_wallets(self) -> None:
        """Ledger lines a crash left unwritten after a wallet decrement; notifications
        past Paddle's retry window."""
        now = self.clock.now()
        written = self.repo.record_unrecorded_consumptions(now)
        if written:
            log.warning("consumptions_reconciled", count=written)
        self.repo.prune_webhooks(now - WEBHOOK_KEPT)

    @rpc(Stub)
    def GetBalance(self, request: Any, context: Any) -> Any:
        wallet = self.repo.wallet(request.user_id)
        credits = int(wallet.get("balance", 0))
        answer = billing_pb2.GetBalanceResponse(
            credits=credits,
            flagged=bool(wallet.get("flags")),
            free_interview_available=not self.repo.has_entry(FREE_PREFIX + request.user_id),
        )
        answer.can_start_interview = credits >= 1
        subscription = self.repo.latest_subscription(request.user_id)
        if subscription is not None:
            answer.subscription.id = subscription["_id"]
            answer.subscription.status = subscription.get("status", "")
            answer.subscription.price_ids.extend(subscription.get("price_ids") or [])
            if subscription.get("next_billed_ts"):
                answer.subscription.next_billed_at.FromDatetime(
                    from_epoch(subscription["next_billed_ts"])
                )
        return answer

    @rpc(Stub)
    def ConsumeCredit(self, request: Any, context: Any) -> Any:
        if not request.user_id or not request.interview_id:
            raise InvalidArgument("user_id and interview_id are required")
        now = self.clock.now()
        if request.guest:
            # One free practice interview per guest; after that, sign in and pay.
            self.repo.add_ledger_entry(
                FREE_PREFIX + request.user_id, request.user_id, 1, "guest free interview", now
            )
        try:
            taken, remaining = self.repo.consume_credit(request.user_id, request.interview_id, now)
        except LookupError:
            raise PaymentRequired("no credit left: buy credits to start an interview") from None
        log.info("credit_consumed", user_id=request.user_id, retry=not taken)
        return billing_pb2.ConsumeCreditResponse(remaining=remaining, already_consumed=not taken)

    @rpc(Stub)
    def CreateCheckout(self, request: Any, context: Any) -> Any:
        product = catalogue().get(request.price_id)
        if product is None:
            raise InvalidArgument("unknown price", code="unknown_price")
        settings = get_settings()
        if not settings.paddle_api_key:
            if not settings.dev_tools_enabled:
                raise Unavailable("checkout is not configured (PADDLE_API_KEY)")
            return billing_pb2.CreateCheckoutResponse(
                environment="local",
                simulator_command=(
                    "./task billing:simulate -- transaction.completed"
                    f" --user {request.user_id} --price {product.price_id}"
                ),
            )
        api = PaddleApi(
            settings.paddle_api_key, settings.paddle_environment, settings.paddle_api_base_url
        )
        checkout = api.create_transaction(product.price_id, request.user_id)
        log.info("checkout_created", user_id=request.user_id)
        return billing_pb2.CreateCheckoutResponse(
            transaction_id=checkout.transaction_id,
            checkout_url=checkout.checkout_url,
            environment=settings.paddle_environment,
        )

    @rpc(Stub)
    def ListPayments(self, request: Any, context: Any) -> Any:
        payments = []
        for doc in self.repo.payments_of(request.user_id):
            payment = billing_pb2.Payment(
                id=doc["_id"],
                amount=doc.get("amount", ""),
                currency=doc.get("currency", ""),
                credits=int(doc.get("credits", 0)),
                price_ids=doc.get("prices", []),
                credits_taken_back=int(doc.get("credits_taken_back", 0)),
            )
            payment.paid_at.FromDatetime(doc["at"])
            payments.append(payment)
        return billing_pb2.ListPaymentsResponse(payments=payments)

    @rpc(Stub)
    def ListProducts(self, request: Any, context: Any) -> Any:
        return billing_pb2.ListProductsResponse(
            products=[
                billing_pb2.Product(
                    price_id=p.price_id,
                    name=p.name,
                    credits=p.credits,
                    amount=p.amount,
                    currency=p.currency,
                )
                for p in catalogue().values()
            ]
        )
