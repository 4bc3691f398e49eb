"""Post correctly signed Paddle notifications to the local platform, so a developer
can buy credits without Paddle.

    python -m services.billing.simulate transaction.completed --user USER_ID \\
        [--price pri_local_5_credits] [--quantity 1] [--url http://127.0.0.1:8080]
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


def transaction_completed(user_id: str, price_id: str, quantity: int) -> dict:
    return {
        "event_id": paddle_id("evt_"),
        "event_type": "transaction.completed",
        "occurred_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "notification_id": paddle_id("ntf_"),
        "data": {
            "id": paddle_id("txn_"),
            "status": "completed",
            "customer_id": paddle_id("ctm_"),
            "currency_code": "EUR",
            "custom_data": {"user_id": user_id},
            "items": [{"price": {"id": price_id}, "quantity": quantity}],
            "details": {"totals": {"grand_total": str(900 * quantity)}},
        },
    }


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
    parser.add_argument("event", choices=["transaction.completed"])
    parser.add_argument("--user", required=True, help="the id GET /api/v1/me returns")
    parser.add_argument("--price", default="pri_local_5_credits")
    parser.add_argument("--quantity", type=int, default=1)
    parser.add_argument("--url", default=get_settings().public_base_url)
    args = parser.parse_args(argv)
    notification = transaction_completed(args.user, args.price, args.quantity)
    response = post(args.url, notification, get_settings().paddle_webhook_secrets[0])
    print(f"{args.event} {notification['event_id']}: HTTP {response.status_code} {response.text}")
    return 0 if response.status_code == 200 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
