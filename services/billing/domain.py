"""Paddle webhooks, the product catalogue and credits. Pure Python (no frameworks)."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from mocky.platform.errors import InvalidArgument, Unauthenticated

SIGNATURE_PART = re.compile(r"^(ts|h1)=([0-9a-f]+)$")


class InvalidSignature(Unauthenticated):
    """The webhook is not signed by Paddle with one of our secrets, or not now."""

    code = "invalid_signature"


def verify_signature(
    header: str, raw_body: bytes, secrets: tuple[str, ...], now: float, tolerance_seconds: int
) -> None:
    """Paddle-Signature: `ts=<unix seconds>;h1=<hex>[;h1=<hex>...]`, HMAC-SHA256 keyed
    with the destination secret over `<ts>:<raw body>`, checked on the bytes as
    received. Several h1 values (Paddle rotating) and several secrets (us rotating)
    are accepted; a timestamp too far in the past or in the future is not."""
    if not header or len(header) > 1024:
        raise InvalidSignature("missing Paddle-Signature header")
    timestamps: list[str] = []
    signatures: list[str] = []
    for part in header.split(";"):
        match = SIGNATURE_PART.match(part.strip())
        if not match:
            raise InvalidSignature("malformed Paddle-Signature header")
        (timestamps if match.group(1) == "ts" else signatures).append(match.group(2))
    if len(timestamps) != 1 or not signatures or not timestamps[0].isdigit():
        raise InvalidSignature("malformed Paddle-Signature header")
    ts = int(timestamps[0])
    if abs(now - ts) > tolerance_seconds:
        raise InvalidSignature("signature timestamp outside the accepted window")
    signed = timestamps[0].encode() + b":" + raw_body
    for secret in secrets:
        expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
        if any(hmac.compare_digest(expected, candidate) for candidate in signatures):
            return
    raise InvalidSignature("signature does not match")


@dataclass(frozen=True)
class Product:
    price_id: str
    name: str
    credits: int
    amount: str
    currency: str


def catalogue_from_json(text: str) -> dict[str, Product]:
    items = json.loads(text)
    return {
        item["price_id"]: Product(
            item["price_id"],
            item["name"],
            int(item["credits"]),
            str(item["amount"]),
            item["currency"],
        )
        for item in items
    }


@dataclass(frozen=True)
class Notification:
    event_id: str
    event_type: str
    occurred_at: str
    notification_id: str
    data: dict = field(default_factory=dict)


def parse_notification(raw_body: bytes) -> Notification:
    try:
        body = json.loads(raw_body)
        notification = Notification(
            event_id=str(body["event_id"]),
            event_type=str(body["event_type"]),
            occurred_at=str(body["occurred_at"]),
            notification_id=str(body.get("notification_id", "")),
            data=dict(body["data"]),
        )
    except (ValueError, KeyError, TypeError):
        raise InvalidArgument("malformed webhook body", code="malformed_webhook") from None
    if not notification.event_id.startswith("evt_"):
        raise InvalidArgument("malformed webhook body", code="malformed_webhook")
    parse_time(notification.occurred_at)
    return notification


@dataclass(frozen=True)
class CreditGrant:
    price_id: str
    credits: int


@dataclass(frozen=True)
class CompletedTransaction:
    transaction_id: str
    user_id: str
    grants: tuple[CreditGrant, ...]
    unknown_prices: tuple[str, ...]
    amount: str
    currency: str

    @property
    def credits(self) -> int:
        return sum(g.credits for g in self.grants)


def completed_transaction(data: dict, catalogue: dict[str, Product]) -> CompletedTransaction:
    """What a transaction.completed grants: credits per price from the catalogue,
    for the user named in custom_data.user_id."""
    user_id = str((data.get("custom_data") or {}).get("user_id") or "")
    if not user_id:
        raise InvalidArgument("transaction names no user", code="no_user")
    grants: list[CreditGrant] = []
    unknown: list[str] = []
    for item in data.get("items") or []:
        price_id = str((item.get("price") or {}).get("id") or item.get("price_id") or "")
        quantity = int(item.get("quantity") or 1)
        product = catalogue.get(price_id)
        if product is None:
            unknown.append(price_id)
        else:
            grants.append(CreditGrant(price_id, product.credits * quantity))
    totals = (data.get("details") or {}).get("totals") or {}
    return CompletedTransaction(
        transaction_id=str(data.get("id") or ""),
        user_id=user_id,
        grants=tuple(grants),
        unknown_prices=tuple(unknown),
        amount=str(totals.get("grand_total") or ""),
        currency=str(data.get("currency_code") or ""),
    )


def parse_time(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidArgument("malformed timestamp", code="malformed_webhook") from None
    if parsed.tzinfo is None:
        raise InvalidArgument("timestamp without a time zone", code="malformed_webhook")
    return parsed


# Adjustments (refunds, credits, chargebacks) and what they do to credits.

TAKES_CREDITS_WHEN_APPROVED = frozenset({"refund", "credit"})
TAKES_CREDITS_AT_ONCE = frozenset({"chargeback"})  # arrives already decided
RESTORES_CREDITS = frozenset({"chargeback_reverse", "credit_reverse"})


@dataclass(frozen=True)
class Adjustment:
    adjustment_id: str
    transaction_id: str
    action: str
    status: str
    full: bool
    total: int  # lowest currency unit, as Paddle reports it


def parse_adjustment(data: dict) -> Adjustment:
    adjustment_id = str(data.get("id") or "")
    transaction_id = str(data.get("transaction_id") or "")
    if not adjustment_id or not transaction_id:
        raise InvalidArgument("adjustment without id or transaction", code="malformed_adjustment")
    totals = data.get("totals") or {}
    try:
        total = int(str(totals.get("total") or "0"))
    except ValueError:
        raise InvalidArgument(
            "adjustment total is not a number", code="malformed_adjustment"
        ) from None
    return Adjustment(
        adjustment_id=adjustment_id,
        transaction_id=transaction_id,
        action=str(data.get("action") or ""),
        status=str(data.get("status") or ""),
        full=str(data.get("type") or "partial") == "full",
        total=total,
    )


@dataclass(frozen=True)
class Payment:
    """A confirmed purchase: what the buyer paid and the credits it granted, less what
    refunds and chargebacks have taken back since."""

    transaction_id: str
    user_id: str
    at: datetime
    amount: str  # lowest currency unit, as Paddle reports it
    currency: str
    credits: int
    price_ids: tuple[str, ...]
    paddle_event_id: str
    credits_taken_back: int = 0

    @classmethod
    def of(cls, transaction: CompletedTransaction, event_id: str, at: datetime) -> Payment:
        return cls(
            transaction.transaction_id,
            transaction.user_id,
            at,
            transaction.amount,
            transaction.currency,
            transaction.credits,
            tuple(g.price_id for g in transaction.grants),
            event_id,
        )


@dataclass(frozen=True)
class CreditChange:
    """What an adjustment does to its buyer's credits and account."""

    credits: int  # negative: taken back; positive: restored
    flag: bool | None = None  # True: flag the account (chargeback); False: clear it


def adjustment_effect(adjustment: Adjustment, payment: Payment) -> CreditChange:
    """Refunds and credits take credits back once approved, a chargeback at once (it
    arrives decided) and flags the account; their reversals give the credits back (and a
    reversed chargeback clears the flag). Anything else changes nothing."""
    credits = credits_to_take_back(adjustment, payment.credits, payment.amount)
    action = adjustment.action
    flag = True if action == "chargeback" else False if action == "chargeback_reverse" else None
    if action in TAKES_CREDITS_AT_ONCE or (
        action in TAKES_CREDITS_WHEN_APPROVED and adjustment.status == "approved"
    ):
        return CreditChange(-credits, flag)
    if action in RESTORES_CREDITS:
        return CreditChange(credits, flag)
    return CreditChange(0, flag)


def credits_to_take_back(adjustment: Adjustment, paid_credits: int, grand_total: str) -> int:
    """The credits a refund, credit or chargeback takes back: all of them for a full
    adjustment, otherwise pro rata to the amount returned, rounded up (a credit is
    indivisible and must not stay usable once its money went back), never more than
    the transaction granted."""
    if adjustment.full:
        return paid_credits
    try:
        paid = int(grand_total)
    except ValueError:
        paid = 0
    if paid <= 0:
        return paid_credits
    share = -(-paid_credits * max(adjustment.total, 0) // paid)  # ceiling division
    return min(paid_credits, share)


@dataclass(frozen=True)
class Wallet:
    """A user's credits. `flagged`: a chargeback is open on one of their payments."""

    user_id: str
    balance: int = 0
    flagged: bool = False

    @property
    def can_start_interview(self) -> bool:
        return self.balance >= 1


# Webhooks: every notification is stored first, then processed once.


class WebhookStatus(StrEnum):
    PENDING = "pending"  # stored, not processed yet (or a crash in between)
    WAITING = "waiting"  # needs an earlier event (an adjustment before its transaction)
    PROCESSED = "processed"
    IGNORED = "ignored"  # not an event we act on
    ERROR = "error"  # unprocessable, kept for ops (Paddle was told 200: it would retry)


WEBHOOK_TRANSITIONS: dict[WebhookStatus, frozenset[WebhookStatus]] = {
    WebhookStatus.PENDING: frozenset(
        {WebhookStatus.WAITING, WebhookStatus.PROCESSED, WebhookStatus.IGNORED, WebhookStatus.ERROR}
    ),
    WebhookStatus.WAITING: frozenset(
        {WebhookStatus.WAITING, WebhookStatus.PROCESSED, WebhookStatus.ERROR}
    ),
    WebhookStatus.PROCESSED: frozenset(),
    WebhookStatus.IGNORED: frozenset(),
    WebhookStatus.ERROR: frozenset(),
}
OPEN_WEBHOOKS = frozenset({WebhookStatus.PENDING, WebhookStatus.WAITING})


@dataclass(frozen=True)
class Webhook:
    event_id: str
    event_type: str
    occurred_at: datetime
    received_at: datetime
    status: WebhookStatus
    data: dict = field(default_factory=dict)

    def moved_to(self, status: WebhookStatus) -> WebhookStatus:
        """The next status, if the machine allows it (a finished one stays finished)."""
        if status not in WEBHOOK_TRANSITIONS[self.status]:
            raise ValueError(f"webhook {self.status} cannot become {status}")
        return status

    def waited_too_long(self, now: datetime, limit: timedelta) -> bool:
        return now - self.received_at > limit


# Subscriptions: the newest state by Paddle's occurred_at wins.

ENTITLED_STATUSES = frozenset({"active", "trialing"})


@dataclass(frozen=True)
class SubscriptionState:
    subscription_id: str
    user_id: str
    status: str
    price_ids: tuple[str, ...]
    next_billed_at: datetime | None


def parse_subscription(data: dict) -> SubscriptionState:
    subscription_id = str(data.get("id") or "")
    user_id = str((data.get("custom_data") or {}).get("user_id") or "")
    if not subscription_id.startswith("sub_"):
        raise InvalidArgument("subscription without id", code="malformed_subscription")
    if not user_id:
        raise InvalidArgument("subscription names no user", code="no_user")
    next_billed = data.get("next_billed_at")
    return SubscriptionState(
        subscription_id=subscription_id,
        user_id=user_id,
        status=str(data.get("status") or ""),
        price_ids=tuple(
            str((item.get("price") or {}).get("id") or "") for item in data.get("items") or []
        ),
        next_billed_at=parse_time(str(next_billed)) if next_billed else None,
    )


def pseudonym(user_id: str, key: str) -> str:
    """A stable, keyed stand-in for an erased user's id on kept payment records: the
    same id always maps to the same pseudonym (a tax inquiry can be answered with the
    key), and without the key it cannot be reversed."""
    digest = hmac.new(key.encode(), user_id.encode(), hashlib.sha256).hexdigest()
    return "psn_" + digest[:32]
