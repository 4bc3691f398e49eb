"""The privacy centre: a person's consents and data-subject requests (the compliance
officer's console is `compliance_routes.py`)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from mocky.auth.v1 import auth_pb2
from mocky.privacy.v1 import privacy_pb2
from services.gateway import schemas
from services.gateway.clients import as_json
from services.gateway.dependencies import (
    ANALYTICS_COOKIE,
    Clients,
    Ctx,
    User,
    clear_session_cookie,
    session_token,
    set_analytics_cookie,
    settings_of,
)

privacy = APIRouter(tags=["privacy"])
CONSENTS = schemas.listing("consents", privacy_pb2.Consent)
REQUEST = schemas.shaped(
    "DataSubjectRequestView",
    schemas.response(privacy_pb2.DataSubjectRequest),
    download_url=(str | None, None),  # a link that works for a day, once the export is ready
)
REQUESTS = schemas.shaped("DataSubjectRequestList", requests=(list[REQUEST], ...))  # type: ignore[valid-type]
RequestType = Literal["access", "export", "rectification", "erasure", "restriction", "objection"]


# -- the privacy centre ---------------------------------------------------------------


@privacy.get("/privacy/consents", response_model=CONSENTS)
async def get_consents(user: User, services: Clients, ctx: Ctx) -> dict[str, Any]:
    """Your consents for optional processing, each with its version and last change."""
    response = await services.call(
        services.privacy.GetConsents, privacy_pb2.GetConsentsRequest(user_id=user.id), ctx
    )
    return {"consents": [as_json(c) for c in response.consents]}


class ConsentChoices(BaseModel):
    model_config = ConfigDict(extra="forbid")  # an unknown purpose is a mistake, not a no-op

    analytics: bool | None = None
    ai_provider: bool | None = None


@privacy.put("/privacy/consents", response_model=CONSENTS)
async def set_consents(
    body: ConsentChoices,
    request: Request,
    response: Response,
    user: User,
    services: Clients,
    ctx: Ctx,
) -> dict[str, Any]:
    """Grant or withdraw; a withdrawal takes effect at once (withdrawing analytics
    removes the analytics cookie and, within seconds, the usage logs it allowed)."""
    granted = {k: v for k, v in body.model_dump().items() if v is not None}
    answer = await services.call(
        services.privacy.SetConsents,
        privacy_pb2.SetConsentsRequest(user_id=user.id, granted=granted),
        ctx,
    )
    if granted.get("analytics") is False and request.cookies.get(ANALYTICS_COOKIE):
        set_analytics_cookie(response, settings_of(request), "")
    return {"consents": [as_json(c) for c in answer.consents]}


class NewRequest(BaseModel):
    type: RequestType
    details: str = Field(default="", max_length=2000)


def request_json(message: Any, download_token: str = "") -> dict[str, Any]:
    data = as_json(message)
    data["download_url"] = (
        f"/api/v1/privacy/requests/{message.id}/download?token={download_token}"
        if download_token
        else None
    )
    return data


@privacy.post(
    "/privacy/requests", status_code=201, response_model=REQUEST, response_model_exclude_none=True
)
async def file_request(
    body: NewRequest, request: Request, user: User, services: Clients, ctx: Ctx
) -> Response:
    """File a data-subject request: `{id, status, due_at}` (one month, GDPR Art. 12(3)).
    Erasure deletes the account: you are signed out everywhere, everything else about
    you is erased now, payment records are kept (restricted), the account record goes
    30 days later."""
    created = await services.call(
        services.privacy.CreateRequest,
        privacy_pb2.CreateRequestRequest(user_id=user.id, type=body.type, details=body.details),
        ctx,
    )
    response = JSONResponse(request_json(created.request), status_code=201)
    if body.type == "erasure":
        await services.call(
            services.auth.RequestAccountDeletion,
            auth_pb2.RequestAccountDeletionRequest(session_token=session_token(request)),
            ctx,
        )
        clear_session_cookie(response, settings_of(request))
    return response


@privacy.get("/privacy/requests", response_model=REQUESTS, response_model_exclude_none=True)
async def my_requests(user: User, services: Clients, ctx: Ctx) -> dict[str, Any]:
    response = await services.call(
        services.privacy.ListRequests, privacy_pb2.ListRequestsRequest(user_id=user.id), ctx
    )
    return {"requests": [request_json(r) for r in response.requests]}


@privacy.get(
    "/privacy/requests/{request_id}", response_model=REQUEST, response_model_exclude_none=True
)
async def my_request(request_id: str, user: User, services: Clients, ctx: Ctx) -> dict[str, Any]:
    """Status and deadline; a completed export has a `download_url` valid for an hour."""
    response = await services.call(
        services.privacy.GetRequest,
        privacy_pb2.GetRequestRequest(user_id=user.id, id=request_id),
        ctx,
    )
    return request_json(response.request, response.download_token)


@privacy.get("/privacy/requests/{request_id}/download", response_class=Response)
async def download_export(
    request_id: str, services: Clients, ctx: Ctx, token: str = Query(max_length=200)
) -> Response:
    """The export archive, for whoever holds a valid, unexpired link."""
    response = await services.call(
        services.privacy.GetExport,
        privacy_pb2.GetExportRequest(id=request_id, token=token),
        ctx,
        timeout=30,
    )
    return Response(
        response.archive,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{response.filename}"',
            "Cache-Control": "no-store",
        },
    )


@privacy.post("/privacy/requests/{request_id}/confirm")
async def confirm_request(
    request_id: str, services: Clients, ctx: Ctx, token: str = Query(max_length=200)
) -> dict[str, Any]:
    """Confirms a request received by email, with the token from the emailed link (the
    link opens a page of the app, whose button calls this). Works once; a few wrong
    tokens burn the link."""
    response = await services.call(
        services.privacy.ConfirmRequest,
        privacy_pb2.ConfirmRequestRequest(id=request_id, token=token),
        ctx,
    )
    confirmed = as_json(response.request)
    return {key: confirmed[key] for key in ("id", "type", "status", "due_at")}
