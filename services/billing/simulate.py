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
import sys

from mocky.platform.paddle import (
    ADJUSTMENT,
    SUBSCRIPTION,
    adjustment,
    post,
    subscription,
    transaction_completed,
)
from mocky.platform.settings import get_settings


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
