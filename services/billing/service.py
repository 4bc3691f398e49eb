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
from mocky.platform.data_map import DataOwnerHooks, PersonalData
from mocky.platform.errors import Conflict, InvalidArgument, PaymentRequired, Unavailable
from mocky.platform.events import OutboxRelay, outbox_entry
from mocky.platform.grpc import LogContext, PlatformEntrypoints, rpc
from mocky.platform.metrics import EntrypointMetrics
from mocky.platform.mongo import MongoRepository
from mocky.platform.paddle import sign, transaction_completed
from mocky.platform.settings import get_settings
from services.billing import domain, events
from services.billing.dependencies import Paddle
from services.billing.messages import balance_message, payment_message, product_message
from services.billing.repository import (
    DATA_MAP,
    PAYMENTS,
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
    paddle = Paddle()
    outbox = OutboxRelay([PAYMENTS])
    entrypoint_metrics = EntrypointMetrics()
    log_context = LogContext()

    @rpc(Stub)
    def ReceivePaddleWebhook(
        self, request: billing_pb2.ReceivePaddleWebhookRequest, context: Any
    ) -> billing_pb2.ReceivePaddleWebhookResponse:
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
        occurred_at = domain.parse_time(notification.occurred_at)
        now = self.clock.now()
        stored = self.repo.store_webhook(
            notification.event_id,
            notification.event_type,
            occurred_at,
            notification.notification_id,
            notification.data,
            now,
        )
        if not stored:
            log.info("paddle_webhook_duplicate", event_type=notification.event_type)
            return "duplicate"
        log.info("paddle_webhook_stored", event_type=notification.event_type)
        self._process(
            domain.Webhook(
                notification.event_id,
                notification.event_type,
                occurred_at,
                now,
                domain.WebhookStatus.PENDING,
                notification.data,
            )
        )
        return "accepted"

    @rpc(Stub)
    def CompleteLocalCheckout(
        self, request: billing_pb2.CompleteLocalCheckoutRequest, context: Any
    ) -> billing_pb2.CompleteLocalCheckoutResponse:
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
        for webhook in self.repo.pending_webhooks():
            self._process(webhook)

    def _process(self, webhook: domain.Webhook) -> None:
        handlers = {"transaction.completed": self._grant_credits}
        handlers.update(dict.fromkeys(ADJUSTMENT_EVENTS, self._adjust))
        handlers.update(dict.fromkeys(SUBSCRIPTION_EVENTS, self._update_subscription))
        handler = handlers.get(webhook.event_type)
        if handler is None:
            self._mark(webhook, domain.WebhookStatus.IGNORED, "not an event we act on")
            return
        try:
            handler(webhook)
        except WaitForEarlierEvent as waiting:
            self._wait_or_give_up(webhook, waiting.code)
            return
        except InvalidArgument as error:
            # Acknowledged to Paddle (it would retry a refusal for days) and kept for ops.
            self._mark(webhook, domain.WebhookStatus.ERROR, error.code)
            log.error(
                "paddle_webhook_unprocessable", event_type=webhook.event_type, reason=error.code
            )
            return
        self._mark(webhook, domain.WebhookStatus.PROCESSED)

    def _mark(
        self, webhook: domain.Webhook, status: domain.WebhookStatus, reason: str = ""
    ) -> None:
        self.repo.mark_webhook(webhook.event_id, webhook.moved_to(status), reason)

    def _wait_or_give_up(self, webhook: domain.Webhook, reason: str) -> None:
        """Events arrive out of order: an adjustment can come before the transaction it
        adjusts. It waits (retried by the timer) for a day, then goes to ops."""
        if webhook.waited_too_long(self.clock.now(), MAX_WAIT):
            self._mark(webhook, domain.WebhookStatus.ERROR, reason)
            log.error("paddle_webhook_unprocessable", event_type=webhook.event_type, reason=reason)
            return
        self._mark(webhook, domain.WebhookStatus.WAITING, reason)
        log.info("paddle_webhook_waiting", event_type=webhook.event_type, reason=reason)

    def _grant_credits(self, webhook: domain.Webhook) -> None:
        data = webhook.data
        if not (data.get("custom_data") or {}).get("user_id") and data.get("subscription_id"):
            # A renewal: the buyer is the subscription's.
            owner = self.repo.subscription_owner(data["subscription_id"])
            if owner is None:
                raise WaitForEarlierEvent("subscription not known yet", code="unknown_subscription")
            data = {**data, "custom_data": {"user_id": owner}}
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
        payment = domain.Payment.of(transaction, webhook.event_id, now)
        event = events.payment_recorded(
            payment.transaction_id,
            payment.user_id,
            payment.transaction_id,
            payment.credits,
            now,
            self.clock,
        )
        if self.repo.record_payment(payment, outbox_entry(event)):
            self.outbox.flush_or_defer(PAYMENTS, payment.transaction_id)
        log.info("credits_granted", user_id=transaction.user_id, credits=transaction.credits)

    def _adjust(self, webhook: domain.Webhook) -> None:
        adjustment = domain.parse_adjustment(webhook.data)
        payment = self.repo.payment(adjustment.transaction_id)
        if payment is None:
            raise WaitForEarlierEvent("transaction not known yet", code="unknown_transaction")
        self.repo.save_adjustment(adjustment, webhook.occurred_at.timestamp())
        change = domain.adjustment_effect(adjustment, payment)
        user_id = payment.user_id
        if change.credits and self.repo.add_ledger_entry(
            f"adj:{adjustment.adjustment_id}",
            user_id,
            change.credits,
            adjustment.action,
            self.clock.now(),
        ):
            self.repo.note_taken_back(adjustment.transaction_id, -change.credits)
            log.info("credits_adjusted", user_id=user_id, credits=change.credits)
        if change.flag is not None:
            self.repo.set_flag(user_id, adjustment.transaction_id, change.flag)
            log.warning("chargeback_flag", user_id=user_id, flagged=change.flag)

    def _update_subscription(self, webhook: domain.Webhook) -> None:
        state = domain.parse_subscription(webhook.data)
        newer = self.repo.save_subscription(state, webhook.occurred_at.timestamp())
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
    def GetBalance(
        self, request: billing_pb2.GetBalanceRequest, context: Any
    ) -> billing_pb2.GetBalanceResponse:
        return balance_message(
            self.repo.wallet(request.user_id),
            not self.repo.has_entry(FREE_PREFIX + request.user_id),
            self.repo.latest_subscription(request.user_id),
        )

    @rpc(Stub)
    def ConsumeCredit(
        self, request: billing_pb2.ConsumeCreditRequest, context: Any
    ) -> billing_pb2.ConsumeCreditResponse:
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
    def CreateCheckout(
        self, request: billing_pb2.CreateCheckoutRequest, context: Any
    ) -> billing_pb2.CreateCheckoutResponse:
        product = catalogue().get(request.price_id)
        if product is None:
            raise InvalidArgument("unknown price", code="unknown_price")
        settings = get_settings()
        if self.paddle is None:
            if not settings.dev_tools_enabled:
                raise Unavailable("checkout is not configured (PADDLE_API_KEY)")
            return billing_pb2.CreateCheckoutResponse(
                environment="local",
                simulator_command=(
                    "./task billing:simulate -- transaction.completed"
                    f" --user {request.user_id} --price {product.price_id}"
                ),
            )
        checkout = self.paddle.create_transaction(product.price_id, request.user_id)
        log.info("checkout_created", user_id=request.user_id)
        return billing_pb2.CreateCheckoutResponse(
            transaction_id=checkout.transaction_id,
            checkout_url=checkout.checkout_url,
            environment=settings.paddle_environment,
        )

    @rpc(Stub)
    def ListPayments(
        self, request: billing_pb2.ListPaymentsRequest, context: Any
    ) -> billing_pb2.ListPaymentsResponse:
        payments = [payment_message(p) for p in self.repo.payments_of(request.user_id)]
        return billing_pb2.ListPaymentsResponse(payments=payments)

    @rpc(Stub)
    def ListProducts(
        self, request: billing_pb2.ListProductsRequest, context: Any
    ) -> billing_pb2.ListProductsResponse:
        return billing_pb2.ListProductsResponse(
            products=[product_message(p) for p in catalogue().values()]
        )
