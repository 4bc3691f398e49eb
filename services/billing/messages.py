"""Billing's domain objects as the messages of `mocky.billing.v1`."""

from __future__ import annotations

from typing import Any

from mocky.billing.v1 import billing_pb2
from services.billing.domain import Payment, Product, SubscriptionState, Wallet


def payment_message(payment: Payment) -> Any:
    message = billing_pb2.Payment(
        id=payment.transaction_id,
        amount=payment.amount,
        currency=payment.currency,
        credits=payment.credits,
        price_ids=list(payment.price_ids),
        credits_taken_back=payment.credits_taken_back,
    )
    message.paid_at.FromDatetime(payment.at)
    return message


def product_message(product: Product) -> Any:
    return billing_pb2.Product(
        price_id=product.price_id,
        name=product.name,
        credits=product.credits,
        amount=product.amount,
        currency=product.currency,
    )


def balance_message(
    wallet: Wallet, free_interview_available: bool, subscription: SubscriptionState | None
) -> Any:
    answer = billing_pb2.GetBalanceResponse(
        credits=wallet.balance,
        flagged=wallet.flagged,
        free_interview_available=free_interview_available,
        can_start_interview=wallet.can_start_interview,
    )
    if subscription is not None:
        answer.subscription.id = subscription.subscription_id
        answer.subscription.status = subscription.status
        answer.subscription.price_ids.extend(subscription.price_ids)
        if subscription.next_billed_at:
            answer.subscription.next_billed_at.FromDatetime(subscription.next_billed_at)
    return answer
