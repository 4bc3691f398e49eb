"""What every route shares: the service clients, the call context (request and
correlation ids), the signed-in user or officer, client address and agent, and the
session and analytics cookies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response
from google.protobuf.json_format import MessageToDict
from pydantic import BaseModel

from mocky.auth.v1 import auth_pb2
from mocky.platform.settings import Settings
from services.gateway.clients import ApiError, CallContext, GatewayClients
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
