"""Signing in (magic links, guests), the account, its email and its sessions."""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import BaseModel, ConfigDict, Field

from mocky.auth.v1 import auth_pb2
from services.gateway.clients import ApiError, CallContext, GatewayClients
from services.gateway.dependencies import (
    Clients,
    Ctx,
    CurrentUser,
    User,
    clear_session_cookie,
    client_ip,
    session_token,
    set_session_cookie,
    settings_of,
    user_agent,
    user_json,
)
from services.gateway.link_pages import opened_from_email
from services.gateway.security import cookie_name

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
