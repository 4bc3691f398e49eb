"""HTTP routes. Each handler is thin: parse → one or two gRPC calls → JSON."""

from __future__ import annotations

import asyncio
import json
import re
import time
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from google.protobuf.json_format import MessageToDict
from pydantic import BaseModel, ConfigDict, Field

from mocky.auth.v1 import auth_pb2
from mocky.billing.v1 import billing_pb2
from mocky.platform.paddle import sign, transaction_completed
from mocky.platform.settings import SERVICES, Settings
from mocky.platform.v1 import platform_pb2
from mocky.privacy.v1 import privacy_pb2
from services.gateway.clients import ApiError, CallContext, GatewayClients
from services.gateway.link_pages import opened_from_email
from services.gateway.security import cookie_name

COMPLIANCE_OFFICER = "compliance_officer"
# The only cookie besides the session: set while the user's analytics consent stands.
ANALYTICS_COOKIE = "mocky_analytics"
ANALYTICS_COOKIE_SECONDS = 395 * 24 * 3600  # 13 months, the usual ceiling for analytics


# -- request plumbing -----------------------------------------------------------------


def clients(request: Request) -> GatewayClients:
    return request.app.state.clients


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def call_context(request: Request) -> CallContext:
    request_id = request.state.request_id
    return CallContext(request_id=request_id, correlation_id=request_id)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def user_agent(request: Request) -> str:
    return request.headers.get("user-agent", "")[:512]


Clients = Annotated[GatewayClients, Depends(clients)]
Ctx = Annotated[CallContext, Depends(call_context)]


class CurrentUser(BaseModel):
    id: str
    email: str
    roles: list[str]
    guest: bool
    created_at: str | None = None


def user_json(user: auth_pb2.User) -> CurrentUser:
    data = MessageToDict(
        user, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    return CurrentUser(**data)


def session_token(request: Request) -> str:
    token = request.cookies.get(cookie_name(settings_of(request)))
    if not token:
        raise ApiError(401, "unauthenticated", "not signed in")
    return token


async def current_user(
    request: Request, response: Response, services: Clients, ctx: Ctx
) -> CurrentUser:
    token = session_token(request)
    validated = await services.call(
        services.auth.ValidateSession, auth_pb2.ValidateSessionRequest(session_token=token), ctx
    )
    if validated.refreshed:  # the sliding lifetime moved: the cookie follows
        settings = settings_of(request)
        set_session_cookie(response, settings, token, settings.session_ttl_seconds)
    return user_json(validated.user)


async def compliance_officer(user: Annotated[CurrentUser, Depends(current_user)]) -> CurrentUser:
    if COMPLIANCE_OFFICER not in user.roles:
        raise ApiError(403, "forbidden", "compliance officers only")
    return user


User = Annotated[CurrentUser, Depends(current_user)]
Officer = Annotated[CurrentUser, Depends(compliance_officer)]


def _cookie(response: Response, settings: Settings, name: str, value: str, max_age: int) -> None:
    """Every cookie we set: HttpOnly, SameSite=Lax, whole site, Secure unless local
    plain http. An empty value removes it."""
    secure = settings.cookie_secure
    if value:
        response.set_cookie(
            name, value, max_age=max_age, path="/", secure=secure, httponly=True, samesite="lax"
        )
    else:
        response.delete_cookie(name, path="/", secure=secure, httponly=True, samesite="lax")


def set_session_cookie(response: Response, settings: Settings, token: str, max_age: int) -> None:
    _cookie(response, settings, cookie_name(settings), token, max_age)


def clear_session_cookie(response: Response, settings: Settings) -> None:
    """Signing out forgets the browser: the analytics visit id goes too."""
    _cookie(response, settings, cookie_name(settings), "", 0)
    _cookie(response, settings, ANALYTICS_COOKIE, "", 0)


def set_analytics_cookie(response: Response, settings: Settings, visit_id: str) -> None:
    """A visit id sets the cookie, "" removes it."""
    _cookie(response, settings, ANALYTICS_COOKIE, visit_id, ANALYTICS_COOKIE_SECONDS)


# -- ops ------------------------------------------------------------------------------

ops = APIRouter(tags=["ops"])


@ops.get("/healthz")
async def healthz() -> dict:
    """Liveness: the gateway process answers."""
    return {"status": "ok"}


@ops.get("/readyz")
async def readyz(services: Clients) -> JSONResponse:
    """Readiness: every service answers its gRPC health check with SERVING."""
    results = await asyncio.gather(*(services.service_health(name) for name in SERVICES))
    status = dict(zip(SERVICES, results, strict=True))
    ready = all(results)
    return JSONResponse(
        {"status": "ready" if ready else "not_ready", "services": status},
        status_code=200 if ready else 503,
    )


# -- auth -----------------------------------------------------------------------------

auth = APIRouter(tags=["auth"])


class MagicLinkRequest(BaseModel):
    email: str = Field(min_length=3, max_length=254)


class VerifyRequest(BaseModel):
    token: str = Field(min_length=1, max_length=256)


class SignedIn(BaseModel):
    user: CurrentUser
    new_user: bool


@auth.post("/auth/magic-link", status_code=202)
async def request_magic_link(
    body: MagicLinkRequest, request: Request, services: Clients, ctx: Ctx
) -> dict:
    """Emails a sign-in link. The answer is the same whether the address has an
    account or not."""
    await services.call(
        services.auth.RequestMagicLink,
        auth_pb2.RequestMagicLinkRequest(email=body.email, client_ip=client_ip(request)),
        ctx,
    )
    return {"status": "sent", "message": "If the address can receive email, a link is on its way."}


async def _verify(
    token: str, request: Request, services: GatewayClients, ctx: CallContext
) -> auth_pb2.VerifyMagicLinkResponse:
    # A guest's session goes along, so the guest's data follows them into the account.
    current = request.cookies.get(cookie_name(settings_of(request)), "")
    return await services.call(
        services.auth.VerifyMagicLink,
        auth_pb2.VerifyMagicLinkRequest(
            token=token,
            client_ip=client_ip(request),
            guest_session_token=current,
            user_agent=user_agent(request),
        ),
        ctx,
    )


@auth.post("/auth/anonymous", status_code=201, response_model=CurrentUser)
async def start_as_guest(
    request: Request, response: Response, services: Clients, ctx: Ctx
) -> CurrentUser:
    """Practise without an address: a guest account with its own session cookie."""
    result = await services.call(
        services.auth.StartGuestSession,
        auth_pb2.StartGuestSessionRequest(
            client_ip=client_ip(request), user_agent=user_agent(request)
        ),
        ctx,
    )
    settings = settings_of(request)
    set_session_cookie(response, settings, result.session_token, settings.session_ttl_seconds)
    return user_json(result.user)


@auth.post("/auth/verify", response_model=SignedIn)
async def verify_magic_link(
    body: VerifyRequest, request: Request, response: Response, services: Clients, ctx: Ctx
) -> SignedIn:
    """Signs in with the token from the emailed link; sets the session cookie."""
    result = await _verify(body.token, request, services, ctx)
    settings = settings_of(request)
    set_session_cookie(response, settings, result.session_token, settings.session_ttl_seconds)
    return SignedIn(user=user_json(result.user), new_user=result.new_user)


def safe_redirect(target: str) -> str:
    """Only a path of this site may follow sign-in (no open redirect): an absolute,
    scheme-relative or backslash URL, or control characters, are refused."""
    parts = urlsplit(target)
    if (
        not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or parts.scheme
        or parts.netloc
        or any(ord(c) < 32 for c in target)
    ):
        raise ApiError(400, "invalid_redirect", "redirects go to a path of this site only")
    return target


TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,256}")


def link_page_redirect(page: str, token: str, next_path: str = "") -> RedirectResponse:
    """An emailed link opens a page of the app that says what the link will do; only
    its button (a same-origin POST) does it. Opening a link (a mail scanner, or another
    site sending a browser there) changes nothing: no login CSRF, no guest merged into
    someone else's account, no address confirmed behind the owner's back."""
    if not TOKEN_SHAPE.fullmatch(token):
        raise ApiError(400, "invalid_link", "the link was cut short or changed")
    query = f"?next={quote(next_path, safe='/')}" if next_path not in ("", "/") else ""
    return RedirectResponse(f"/#/{page}/{token}{query}", status_code=303)


@auth.get("/auth/verify", response_class=RedirectResponse, status_code=303)
@opened_from_email
async def follow_magic_link(
    token: str = Query(min_length=1, max_length=256),
    next: str = Query(default="/", max_length=512),
) -> Response:
    """The emailed sign-in link: opens the app's sign-in page for it (which names the
    account and signs in with its button, `POST /auth/verify`). The link is not used."""
    return link_page_redirect("sign-in-link", token, safe_redirect(next))


class LinkInfoRequest(BaseModel):
    token: str = Field(min_length=1, max_length=256)
    purpose: Literal["sign_in", "email_change", "email_change_cancel"]


class LinkInfo(BaseModel):
    purpose: str
    email: str
    expires_at: str


@auth.post("/auth/link-info", response_model=LinkInfo)
async def describe_link(
    body: LinkInfoRequest, request: Request, services: Clients, ctx: Ctx
) -> LinkInfo:
    """What an emailed link will do, without using it: whom a sign-in link signs in,
    which address a change confirms or a cancellation restores. 401 when the link is
    unknown, used or expired."""
    result = await services.call(
        services.auth.DescribeLink,
        auth_pb2.DescribeLinkRequest(
            token=body.token, purpose=body.purpose, client_ip=client_ip(request)
        ),
        ctx,
    )
    return LinkInfo(
        purpose=result.purpose, email=result.email, expires_at=result.expires_at.ToJsonString()
    )


@auth.get("/me", response_model=CurrentUser)
async def me(user: User) -> CurrentUser:
    return user


class EmailChange(BaseModel):
    new_email: str = Field(min_length=3, max_length=254)


@auth.post("/me/email", status_code=202)
async def request_email_change(
    body: EmailChange, request: Request, services: Clients, ctx: Ctx
) -> dict:
    """Emails a confirmation link to the new address and, to the old one, a notice with
    a link that cancels the change. Needs a sign-in from the last 10 minutes (403
    reauthentication_required); 5 changes an hour per account, 10 per client address
    (429); guests sign in instead (409)."""
    await services.call(
        services.auth.RequestEmailChange,
        auth_pb2.RequestEmailChangeRequest(
            session_token=session_token(request),
            new_email=body.new_email,
            client_ip=client_ip(request),
        ),
        ctx,
    )
    return {"status": "confirmation_sent"}


class ProfileChange(BaseModel):
    model_config = ConfigDict(extra="forbid")  # roles, ids and the like are not yours to set

    email: str = Field(min_length=3, max_length=254)


@auth.patch("/me", status_code=202)
async def update_me(body: ProfileChange, request: Request, services: Clients, ctx: Ctx) -> dict:
    """Corrects your profile (GDPR rectification). The email is the only field a user
    sets, and a new address takes effect only once it confirms: this is
    `POST /me/email` under the contract's name."""
    return await request_email_change(EmailChange(new_email=body.email), request, services, ctx)


class EmailChanged(BaseModel):
    user: CurrentUser
    sessions_ended: int


@auth.post("/me/email/confirm", response_model=EmailChanged)
async def confirm_email_change(
    body: VerifyRequest, request: Request, services: Clients, ctx: Ctx
) -> EmailChanged:
    """Confirms a new address with the token from its email (the button of the page the
    link opens). Every other session of the account ends; this browser's stays."""
    current = request.cookies.get(cookie_name(settings_of(request)), "")
    result = await services.call(
        services.auth.ConfirmEmailChange,
        auth_pb2.ConfirmEmailChangeRequest(token=body.token, session_token=current),
        ctx,
    )
    return EmailChanged(user=user_json(result.user), sessions_ended=result.sessions_ended)


@auth.get("/me/email/confirm", response_class=RedirectResponse, status_code=303)
@opened_from_email
async def follow_email_change_link(token: str = Query(min_length=1, max_length=256)) -> Response:
    """The emailed confirmation link: opens the app's page for it, whose button confirms."""
    return link_page_redirect("confirm-email", token)


@auth.post("/me/email/cancel")
async def cancel_email_change(
    body: VerifyRequest, request: Request, services: Clients, ctx: Ctx
) -> JSONResponse:
    """The old address's "this was not me": the pending change is dropped (or the old
    address put back) and every session of the account ends, this browser's too."""
    result = await services.call(
        services.auth.CancelEmailChange, auth_pb2.CancelEmailChangeRequest(token=body.token), ctx
    )
    response = JSONResponse({"restored": result.restored, "sessions_ended": result.sessions_ended})
    clear_session_cookie(response, settings_of(request))
    return response


@auth.get("/me/email/cancel", response_class=RedirectResponse, status_code=303)
@opened_from_email
async def follow_email_cancel_link(token: str = Query(min_length=1, max_length=256)) -> Response:
    """The link in the notice to the old address: opens the app's page, whose button
    cancels."""
    return link_page_redirect("cancel-email-change", token)


@auth.delete("/me", status_code=202)
async def delete_account(request: Request, services: Clients, ctx: Ctx) -> JSONResponse:
    """Deletes your account: signed out everywhere at once, the account disabled, your
    data erased by the privacy service; the account record goes 30 days later."""
    settings = settings_of(request)
    result = await services.call(
        services.auth.RequestAccountDeletion,
        auth_pb2.RequestAccountDeletionRequest(session_token=session_token(request)),
        ctx,
    )
    response = JSONResponse(
        {
            "status": "deletion_requested",
            "requested_at": result.requested_at.ToJsonString(),
            "sessions_ended": result.sessions_ended,
        },
        status_code=202,
    )
    clear_session_cookie(response, settings)
    return response


@auth.post("/auth/sign-out", status_code=204)
async def sign_out(request: Request, services: Clients, ctx: Ctx) -> Response:
    """Ends this browser's session (and forgets the cookie)."""
    settings = settings_of(request)
    token = request.cookies.get(cookie_name(settings))
    if token:
        await services.call(
            services.auth.SignOut, auth_pb2.SignOutRequest(session_token=token), ctx
        )
    response = Response(status_code=204)
    clear_session_cookie(response, settings)
    return response


class SessionInfo(BaseModel):
    id: str
    created_at: str
    expires_at: str
    current: bool
    revoked: bool
    device: str


@auth.get("/auth/sessions", response_model=list[SessionInfo])
async def list_sessions(request: Request, services: Clients, ctx: Ctx) -> list[SessionInfo]:
    """The signed-in user's sessions (browsers), newest first."""
    response = await services.call(
        services.auth.ListSessions,
        auth_pb2.ListSessionsRequest(session_token=session_token(request)),
        ctx,
    )
    return [
        SessionInfo(
            id=s.id,
            created_at=s.created_at.ToJsonString(),
            expires_at=s.expires_at.ToJsonString(),
            current=s.current,
            revoked=s.revoked,
            device=s.device,
        )
        for s in response.sessions
    ]


@auth.delete("/auth/sessions/{session_id}", status_code=204)
async def revoke_session(
    session_id: str, request: Request, services: Clients, ctx: Ctx
) -> Response:
    """Signs one of your sessions out everywhere at once; 404 for anyone else's."""
    await services.call(
        services.auth.RevokeSession,
        auth_pb2.RevokeSessionRequest(
            session_token=session_token(request), session_id=session_id[:64]
        ),
        ctx,
    )
    return Response(status_code=204)


# -- compliance -----------------------------------------------------------------------

compliance = APIRouter(tags=["compliance"])


@compliance.get("/compliance/retention")
async def retention_status(officer: Officer, services: Clients, ctx: Ctx) -> dict[str, Any]:
    """Retention schedule status per data category."""
    response = await services.call(
        services.privacy.GetRetentionStatus, privacy_pb2.GetRetentionStatusRequest(), ctx
    )
    return {
        "as_of": response.as_of.ToJsonString(),
        "categories": [
            {
                "category": c.category,
                "retention": c.retention,
                "period_seconds": c.period_seconds,
                "starts_at": c.starts_at,
                "scheduled": c.scheduled,
                "due": c.due,
                "overdue": c.overdue,
                "purged": c.purged,
                "failed": c.failed,
                "oldest_overdue_due_at": (
                    c.oldest_overdue_due_at.ToJsonString()
                    if c.HasField("oldest_overdue_due_at")
                    else None
                ),
            }
            for c in response.categories
        ],
    }


class RoleGrant(BaseModel):
    email: str = Field(min_length=3, max_length=254)


@compliance.get("/compliance/officers", response_model=list[CurrentUser])
async def list_officers(
    request: Request, officer: Officer, services: Clients, ctx: Ctx
) -> list[CurrentUser]:
    response = await services.call(
        services.auth.ListRoleHolders,
        auth_pb2.ListRoleHoldersRequest(
            session_token=session_token(request), role=COMPLIANCE_OFFICER
        ),
        ctx,
    )
    return [user_json(u) for u in response.users]


async def _change_officer_role(
    request: Request,
    services: GatewayClients,
    ctx: CallContext,
    grant: bool,
    email: str = "",
    user_id: str = "",
) -> dict:
    response = await services.call(
        services.auth.ChangeRole,
        auth_pb2.ChangeRoleRequest(
            session_token=session_token(request),
            email=email,
            user_id=user_id,
            role=COMPLIANCE_OFFICER,
            grant=grant,
        ),
        ctx,
    )
    return {"user": user_json(response.user).model_dump(), "changed": response.changed}


@compliance.put("/compliance/officers")
async def grant_officer(
    body: RoleGrant, request: Request, officer: Officer, services: Clients, ctx: Ctx
) -> dict[str, Any]:
    """Makes an existing account a compliance officer (recorded as an event)."""
    return await _change_officer_role(request, services, ctx, grant=True, email=body.email)


@compliance.delete("/compliance/officers/{user_id}")
async def revoke_officer(
    user_id: str, request: Request, officer: Officer, services: Clients, ctx: Ctx
) -> dict[str, Any]:
    """Takes the compliance-officer role away (not from yourself)."""
    return await _change_officer_role(request, services, ctx, grant=False, user_id=user_id[:64])


# -- billing --------------------------------------------------------------------------

billing = APIRouter(tags=["billing"])


@billing.get("/billing/balance")
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


@billing.post("/billing/checkout")
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


@billing.get("/billing/payments")
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


@billing.get("/billing/products")
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


# -- development and test only --------------------------------------------------------

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
    button (signed like Paddle signs, through the same webhook processing). The same
    rules as a real checkout: guests sign in first."""
    if user.guest:
        raise ApiError(403, "sign_in_required", "sign in before buying credits")
    notification = transaction_completed(user.id, body.price_id, 1)
    raw = json.dumps(notification).encode()
    secret = services.settings.paddle_webhook_secrets[0]
    response = await services.call(
        services.billing.ReceivePaddleWebhook,
        billing_pb2.ReceivePaddleWebhookRequest(
            raw_body=raw, signature_header=sign(raw, secret, int(time.time()))
        ),
        ctx,
    )
    return {"status": response.status, "transaction_id": notification["data"]["id"]}


@dev.post("/dev/clock")
async def dev_clock(body: ClockAdvance, services: Clients, ctx: Ctx) -> dict[str, Any]:
    """Moves every service's notion of now forward (dev and test only)."""
    request = platform_pb2.AdvanceClockRequest(advance_seconds=body.advance_seconds)
    results = await asyncio.gather(
        *(services.call(services.platform[name].AdvanceClock, request, ctx) for name in SERVICES)
    )
    offsets = {name: r.offset_seconds for name, r in zip(SERVICES, results, strict=True)}
    return {"offset_seconds": max(offsets.values()), "services": offsets}
