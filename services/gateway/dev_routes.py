"""Development and test only (mounted when dev tools are enabled): the local checkout,
the movable clock, the outbox of emails."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Query
from google.protobuf.json_format import MessageToDict
from pydantic import BaseModel, Field

from mocky.auth.v1 import auth_pb2
from mocky.billing.v1 import billing_pb2
from mocky.platform.settings import SERVICES
from mocky.platform.v1 import platform_pb2
from services.gateway.clients import ApiError
from services.gateway.dependencies import (
    Clients,
    Ctx,
    User,
)

dev = APIRouter(tags=["dev"])


class ClockAdvance(BaseModel):
    advance_seconds: float = Field(ge=0, le=10 * 365 * 24 * 3600)


@dev.get("/dev/outbox")
async def dev_outbox(
    services: Clients, ctx: Ctx, to: str = Query(min_length=3, max_length=254)
) -> dict[str, Any]:
    """Emails the platform sent to an address, newest first (dev and test only)."""
    response = await services.call(
        services.auth.ListOutbox, auth_pb2.ListOutboxRequest(to=to, limit=20), ctx
    )
    return MessageToDict(
        response, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )


class LocalCheckout(BaseModel):
    price_id: str = Field(min_length=1, max_length=64)


@dev.post("/dev/checkout/complete")
async def complete_local_checkout(
    body: LocalCheckout, user: User, services: Clients, ctx: Ctx
) -> dict[str, Any]:
    """Local development without Paddle: what the simulator does, for the web app's buy
    button (billing makes the notification and runs it through its webhook processing;
    the gateway holds no webhook secret). The same rules as a real checkout: guests sign
    in first."""
    if user.guest:
        raise ApiError(403, "sign_in_required", "sign in before buying credits")
    response = await services.call(
        services.billing.CompleteLocalCheckout,
        billing_pb2.CompleteLocalCheckoutRequest(user_id=user.id, price_id=body.price_id),
        ctx,
    )
    return {"status": response.status, "transaction_id": response.transaction_id}


@dev.post("/dev/clock")
async def dev_clock(body: ClockAdvance, services: Clients, ctx: Ctx) -> dict[str, Any]:
    """Moves every service's notion of now forward (dev and test only)."""
    request = platform_pb2.AdvanceClockRequest(advance_seconds=body.advance_seconds)
    results = await asyncio.gather(
        *(services.call(services.platform[name].AdvanceClock, request, ctx) for name in SERVICES)
    )
    offsets = {name: r.offset_seconds for name, r in zip(SERVICES, results, strict=True)}
    return {"offset_seconds": max(offsets.values()), "services": offsets}
