"""Credits: balance, products, checkout, payments, and Paddle's webhook."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from mocky.billing.v1 import billing_pb2
from services.gateway.clients import ApiError
from services.gateway.dependencies import (
    Clients,
    Ctx,
    User,
)

billing = APIRouter(tags=["billing"])


# Billing's responses are shaped here (credits are numbers, not protobuf's int64 strings).
class Subscription(BaseModel):
    id: str
    status: str
    price_ids: list[str]


class Balance(BaseModel):
    credits: int
    can_start_interview: bool
    free_interview_available: bool
    flagged: bool
    subscription: Subscription | None


class Checkout(BaseModel):
    transaction_id: str
    checkout_url: str | None
    environment: str
    simulator_command: str | None


class Payment(BaseModel):
    id: str
    paid_at: str
    amount: str
    currency: str
    credits: int
    credits_taken_back: int
    price_ids: list[str]


class Payments(BaseModel):
    payments: list[Payment]


class Product(BaseModel):
    price_id: str
    name: str
    credits: int
    amount: str
    currency: str


class Products(BaseModel):
    products: list[Product]


@billing.get("/billing/balance", response_model=Balance)
async def balance(user: User, services: Clients, ctx: Ctx) -> dict[str, Any]:
    """Credits (negative after a refund or chargeback of used credits), whether an
    interview can start now, and the subscription plan if there is one."""
    response = await services.call(
        services.billing.GetBalance, billing_pb2.GetBalanceRequest(user_id=user.id), ctx
    )
    free = user.guest and response.free_interview_available
    subscription = None
    if response.HasField("subscription"):
        subscription = {
            "id": response.subscription.id,
            "status": response.subscription.status,
            "price_ids": list(response.subscription.price_ids),
        }
    return {
        "credits": response.credits,
        "can_start_interview": response.can_start_interview or free,
        "free_interview_available": free,
        "flagged": response.flagged,
        "subscription": subscription,
    }


class CheckoutBody(BaseModel):
    price_id: str = Field(min_length=1, max_length=64)


@billing.post("/billing/checkout", response_model=Checkout)
async def checkout(body: CheckoutBody, user: User, services: Clients, ctx: Ctx) -> dict[str, Any]:
    """Opens a Paddle checkout for a catalogue price. Paddle names the buyer back to us
    in the transaction's custom_data.user_id. Locally, without a Paddle API key, the
    answer carries the simulator command that completes the purchase."""
    if user.guest:
        raise ApiError(403, "sign_in_required", "sign in before buying credits")
    response = await services.call(
        services.billing.CreateCheckout,
        billing_pb2.CreateCheckoutRequest(user_id=user.id, price_id=body.price_id),
        ctx,
    )
    return {
        "transaction_id": response.transaction_id,
        "checkout_url": response.checkout_url or None,
        "environment": response.environment,
        "simulator_command": response.simulator_command or None,
    }


@billing.get("/billing/payments", response_model=Payments)
async def payments(user: User, services: Clients, ctx: Ctx) -> dict[str, Any]:
    """Your payment history (date, amount, product), newest first."""
    response = await services.call(
        services.billing.ListPayments, billing_pb2.ListPaymentsRequest(user_id=user.id), ctx
    )
    return {
        "payments": [
            {
                "id": p.id,
                "paid_at": p.paid_at.ToJsonString(),
                "amount": p.amount,
                "currency": p.currency,
                "credits": p.credits,
                "credits_taken_back": p.credits_taken_back,
                "price_ids": list(p.price_ids),
            }
            for p in response.payments
        ]
    }


@billing.get("/billing/products", response_model=Products)
async def products(services: Clients, ctx: Ctx) -> dict[str, Any]:
    response = await services.call(
        services.billing.ListProducts, billing_pb2.ListProductsRequest(), ctx
    )
    return {
        "products": [
            {
                "price_id": p.price_id,
                "name": p.name,
                "credits": p.credits,
                "amount": p.amount,
                "currency": p.currency,
            }
            for p in response.products
        ]
    }


@billing.post("/webhooks/paddle")
async def paddle_webhook(request: Request, services: Clients, ctx: Ctx) -> dict[str, Any]:
    """Paddle's notifications, verified by the Paddle-Signature header over the body
    bytes exactly as received. 2xx only for a verified notification (new or a retry)."""
    raw = await request.body()  # at most 1 MB: BodyLimitMiddleware
    response = await services.call(
        services.billing.ReceivePaddleWebhook,
        billing_pb2.ReceivePaddleWebhookRequest(
            raw_body=raw, signature_header=request.headers.get("paddle-signature", "")
        ),
        ctx,
    )
    return {"status": response.status}
