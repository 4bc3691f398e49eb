"""Billing service entrypoints: Paddle webhooks (persist first, process after),
credits and the product catalogue."""

from __future__ import annotations

import time
from typing import Any

import structlog
from nameko.timer import timer

from mocky.billing.v1 import billing_pb2, billing_pb2_grpc
from mocky.platform.errors import InvalidArgument
from mocky.platform.events import OutboxRelay, outbox_entry
from mocky.platform.grpc import LogContext, PlatformEntrypoints, rpc
from mocky.platform.metrics import EntrypointMetrics
from mocky.platform.mongo import MongoRepository
from mocky.platform.settings import get_settings
from services.billing import domain, events
from services.billing.repository import PAYMENTS, BillingRepository

log = structlog.get_logger(__name__)
Stub = billing_pb2_grpc.BillingServiceStub


def catalogue() -> dict[str, domain.Product]:
    return domain.catalogue_from_json(get_settings().paddle_catalogue_json)


class BillingService(PlatformEntrypoints):
    name = "billing"
    reflected_services = ("mocky.billing.v1.BillingService",)

    repo = MongoRepository(BillingRepository)
    outbox = OutboxRelay([PAYMENTS])
    entrypoint_metrics = EntrypointMetrics()
    log_context = LogContext()

    @rpc(Stub)
    def ReceivePaddleWebhook(self, request: Any, context: Any) -> Any:
        settings = get_settings()
        domain.verify_signature(
            request.signature_header,
            request.raw_body,
            settings.paddle_webhook_secrets,
            time.time(),  # real time, not the movable dev clock: freshness is per delivery
            settings.paddle_signature_tolerance_seconds,
        )
        notification = domain.parse_notification(request.raw_body)
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
            return billing_pb2.ReceivePaddleWebhookResponse(status="duplicate")
        log.info("paddle_webhook_stored", event_type=notification.event_type)
        self._process(notification.event_id, notification.event_type, notification.data)
        return billing_pb2.ReceivePaddleWebhookResponse(status="accepted")

    @timer(interval=5)
    def process_pending_webhooks(self) -> None:
        """What a crash between storing and processing left behind."""
        for doc in self.repo.pending_webhooks():
            self._process(doc["_id"], doc["event_type"], doc["data"])

    def _process(self, event_id: str, event_type: str, data: dict) -> None:
        try:
            if event_type == "transaction.completed":
                self._grant_credits(event_id, data)
            else:
                self.repo.mark_webhook(event_id, "ignored", "not handled yet")
                return
        except InvalidArgument as error:
            # Acknowledged to Paddle (it would retry a refusal for days) and kept for ops.
            self.repo.mark_webhook(event_id, "error", error.code)
            log.error("paddle_webhook_unprocessable", event_type=event_type, reason=error.code)
            return
        self.repo.mark_webhook(event_id, "processed")

    def _grant_credits(self, event_id: str, data: dict) -> None:
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
                "paddle_event_id": event_id,
                "prices": [g.price_id for g in transaction.grants],
            },
            outbox_entry(event),
        ):
            self.outbox.flush_or_defer(self.repo.payments, record_id)
        log.info("credits_granted", user_id=transaction.user_id, credits=transaction.credits)

    @rpc(Stub)
    def GetBalance(self, request: Any, context: Any) -> Any:
        return billing_pb2.GetBalanceResponse(credits=self.repo.balance(request.user_id))

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
