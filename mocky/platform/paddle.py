"""Paddle's webhook notifications as Paddle sends them — the event envelope, the
transaction, adjustment and subscription payloads, and the `Paddle-Signature` header —
for the local simulator (`./task billing:simulate`), the gateway's dev checkout and the
tests. Checking a signature is the billing service's (`services/billing/domain.py`)."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from datetime import UTC, datetime

import httpx


def sign(raw_body: bytes, secret: str, ts: int) -> str:
    """The header Paddle would send ."""
    digest = hmac.new(secret.encode(), f"{ts}:".encode() + raw_body, hashlib.sha256)
    return f"ts={ts};h1={digest.hexdigest()}"


def paddle_id(prefix: str) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return prefix + "".join(secrets.choice(alphabet) for _ in range(26))


def paddle_time(at: datetime | None = None) -> str:
    return (at or datetime.now(UTC)).isoformat().replace("+00:00", "Z")


def notification(event_type: str, data: dict, occurred_at: datetime | None = None) -> dict:
    return {
        "event_id": paddle_id("evt_"),
        "event_type": event_type,
        "occurred_at": paddle_time(occurred_at),
        "notification_id": paddle_id("ntf_"),
        "data": data,
    }


def transaction_completed(
    user_id: str, price_id: str, quantity: int, transaction_id: str = ""
) -> dict:
    return notification(
        "transaction.completed",
        {
            "id": transaction_id or paddle_id("txn_"),
            "status": "completed",
            "customer_id": paddle_id("ctm_"),
            "currency_code": "EUR",
            "custom_data": {"user_id": user_id},
            "items": [{"price": {"id": price_id}, "quantity": quantity}],
            "details": {"totals": {"grand_total": str(900 * quantity)}},
        },
    )


def adjustment(
    event_type: str,
    transaction_id: str,
    action: str = "refund",
    status: str = "approved",
    amount: int = 900,
    full: bool = False,
    adjustment_id: str = "",
    occurred_at: datetime | None = None,
) -> dict:
    """An adjustment as Paddle sends it: `totals.total` in the lowest currency unit."""
    return notification(
        event_type,
        {
            "id": adjustment_id or paddle_id("adj_"),
            "action": action,
            "type": "full" if full else "partial",
            "transaction_id": transaction_id,
            "status": status,
            "reason": "simulated",
            "currency_code": "EUR",
            "totals": {"total": str(amount), "currency_code": "EUR"},
        },
        occurred_at,
    )


def subscription(
    event_type: str,
    user_id: str,
    status: str,
    price_id: str = "pri_local_5_credits",
    subscription_id: str = "",
    occurred_at: datetime | None = None,
) -> dict:
    return notification(
        event_type,
        {
            "id": subscription_id or paddle_id("sub_"),
            "status": status,
            "custom_data": {"user_id": user_id},
            "items": [{"price": {"id": price_id}, "quantity": 1}],
            "next_billed_at": paddle_time(),
        },
        occurred_at,
    )


ADJUSTMENT = ("adjustment.created", "adjustment.updated")
SUBSCRIPTION = (
    "subscription.created",
    "subscription.activated",
    "subscription.updated",
    "subscription.past_due",
    "subscription.canceled",
)


def post(url: str, notification: dict, secret: str) -> httpx.Response:
    raw = json.dumps(notification).encode()
    header = sign(raw, secret, int(time.time()))
    return httpx.post(
        f"{url}/api/v1/webhooks/paddle",
        content=raw,
        timeout=10,
        headers={"Paddle-Signature": header, "Content-Type": "application/json"},
    )
