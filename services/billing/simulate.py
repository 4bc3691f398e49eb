"""Post correctly signed Paddle notifications to the local platform, so a developer
can buy credits (and refund, charge back, subscribe) without Paddle.

    ./task billing:simulate -- transaction.completed --user USER_ID \\
        [--price pri_local_5_credits] [--quantity 1] [--url http://127.0.0.1:8080]
    ./task billing:simulate -- adjustment.updated --transaction TXN_ID \\
        [--action refund|chargeback|chargeback_reverse|credit] [--status approved] [--amount 450]
    ./task billing:simulate -- subscription.activated --user USER_ID [--status active]
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import time
from datetime import UTC, datetime

import httpx

from mocky.platform.settings import get_settings
from services.billing.domain import sign


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


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("event", choices=["transaction.completed", *ADJUSTMENT, *SUBSCRIPTION])
    parser.add_argument("--user", help="the id GET /api/v1/me returns")
    parser.add_argument("--price", default="pri_local_5_credits")
    parser.add_argument("--quantity", type=int, default=1)
    parser.add_argument("--transaction", help="the txn_ id an adjustment adjusts")
    parser.add_argument("--action", default="refund")
    parser.add_argument("--status", default="")
    parser.add_argument("--amount", type=int, default=900, help="lowest currency unit")
    parser.add_argument("--url", default=get_settings().public_base_url)
    args = parser.parse_args(argv)
    if args.event in ADJUSTMENT:
        if not args.transaction:
            parser.error("an adjustment needs --transaction")
        sent = adjustment(
            args.event, args.transaction, args.action, args.status or "approved", args.amount
        )
    elif not args.user:
        parser.error(f"{args.event} needs --user")
    elif args.event in SUBSCRIPTION:
        sent = subscription(args.event, args.user, args.status or "active", args.price)
    else:
        sent = transaction_completed(args.user, args.price, args.quantity)
    response = post(args.url, sent, get_settings().paddle_webhook_secrets[0])
    print(f"{args.event} {sent['event_id']}: HTTP {response.status_code} {response.text}")
    if args.event == "transaction.completed":
        print(f"transaction id: {sent['data']['id']}")
    return 0 if response.status_code == 200 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
