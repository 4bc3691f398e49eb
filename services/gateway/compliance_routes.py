"""The compliance officer's console: requests, retention, the deletion ledger, incidents,
the audit log, usage, records of processing and the officers themselves. Every officer
action reaches the privacy service with the officer's id, which writes it to the audit
log."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from mocky.auth.v1 import auth_pb2
from mocky.privacy.v1 import privacy_pb2
from services.gateway import schemas
from services.gateway.clients import CallContext, GatewayClients, as_json
from services.gateway.dependencies import (
    COMPLIANCE_OFFICER,
    Clients,
    Ctx,
    CurrentUser,
    Officer,
    session_token,
    user_json,
)
from services.gateway.privacy_routes import REQUEST, REQUESTS, RequestType, request_json

compliance = APIRouter(tags=["compliance"])
INCIDENT = schemas.response(privacy_pb2.Incident)
INCIDENTS = schemas.listing("incidents", privacy_pb2.Incident)
INCIDENT_DETAIL = schemas.shaped("IncidentDetail", INCIDENT, affected_user_ids=(list[str], ...))
LEDGER = schemas.shaped(
    "DeletionLedger",
    subject=(str, ...),
    entries=(list[schemas.response(privacy_pb2.DeletionProof)], ...),  # type: ignore[misc]
)
AUDIT_LOG = schemas.shaped(
    "AuditLog",
    chain_valid=(bool, ...),
    entries=(list[schemas.response(privacy_pb2.AuditEntry)], ...),  # type: ignore[misc]
)


def actor(officer: Any, ctx: Any) -> privacy_pb2.Actor:
    return privacy_pb2.Actor(user_id=officer.id, request_id=ctx.request_id)


@compliance.get("/compliance/requests", response_model=REQUESTS, response_model_exclude_none=True)
async def all_requests(
    officer: Officer, services: Clients, ctx: Ctx, status: str = Query("", max_length=20)
) -> dict[str, Any]:
    """Every data-subject request with its deadline, newest first."""
    response = await services.call(
        services.privacy.ListRequests, privacy_pb2.ListRequestsRequest(status=status), ctx
    )
    return {"requests": [request_json(r) for r in response.requests]}


class EmailedRequest(BaseModel):
    email: str = Field(min_length=3, max_length=254)
    type: RequestType
    details: str = Field(default="", max_length=2000)


@compliance.post(
    "/compliance/requests",
    status_code=201,
    response_model=REQUEST,
    response_model_exclude_none=True,
)
async def record_emailed_request(
    body: EmailedRequest, officer: Officer, services: Clients, ctx: Ctx
) -> dict[str, Any]:
    """A request that arrived by email: recorded as `received`; the subject gets a link
    to confirm it is theirs."""
    user = await services.call(
        services.auth.GetUser, auth_pb2.GetUserRequest(email=body.email), ctx
    )
    created = await services.call(
        services.privacy.CreateRequest,
        privacy_pb2.CreateRequestRequest(
            user_id=user.user.id,
            type=body.type,
            details=body.details,
            received_by_email=True,
            actor=actor(officer, ctx),
        ),
        ctx,
    )
    return request_json(created.request)


class Reason(BaseModel):
    reason: str = Field(min_length=1, max_length=1000)


class Outcome(BaseModel):
    outcome: str = Field(min_length=1, max_length=2000)


@compliance.post(
    "/compliance/requests/{request_id}/extend",
    response_model=REQUEST,
    response_model_exclude_none=True,
)
async def extend_request(
    request_id: str, body: Reason, officer: Officer, services: Clients, ctx: Ctx
) -> dict[str, Any]:
    """Two more months (Art. 12(3)): once, within the first month, with a reason the
    subject is told."""
    response = await services.call(
        services.privacy.ExtendRequest,
        privacy_pb2.ExtendRequestRequest(
            id=request_id, reason=body.reason, actor=actor(officer, ctx)
        ),
        ctx,
    )
    return request_json(response.request)


@compliance.post(
    "/compliance/requests/{request_id}/reject",
    response_model=REQUEST,
    response_model_exclude_none=True,
)
async def reject_request(
    request_id: str, body: Reason, officer: Officer, services: Clients, ctx: Ctx
) -> dict[str, Any]:
    response = await services.call(
        services.privacy.RejectRequest,
        privacy_pb2.RejectRequestRequest(
            id=request_id, reason=body.reason, actor=actor(officer, ctx)
        ),
        ctx,
    )
    return request_json(response.request)


@compliance.post(
    "/compliance/requests/{request_id}/complete",
    response_model=REQUEST,
    response_model_exclude_none=True,
)
async def complete_request(
    request_id: str, body: Outcome, officer: Officer, services: Clients, ctx: Ctx
) -> dict[str, Any]:
    """Rectification and objection requests an officer carried out."""
    response = await services.call(
        services.privacy.CompleteRequest,
        privacy_pb2.CompleteRequestRequest(
            id=request_id, outcome=body.outcome, actor=actor(officer, ctx)
        ),
        ctx,
    )
    return request_json(response.request)


@compliance.post(
    "/compliance/retention/run",
    response_model=schemas.response(privacy_pb2.RunRetentionSweepResponse),
)
async def run_sweep(officer: Officer, services: Clients, ctx: Ctx) -> dict[str, Any]:
    """Sweep now: purge everything that is due."""
    response = await services.call(
        services.privacy.RunRetentionSweep,
        privacy_pb2.RunRetentionSweepRequest(actor=actor(officer, ctx)),
        ctx,
        timeout=120,
    )
    return as_json(response)


@compliance.get("/compliance/deletions", response_model=LEDGER, response_model_exclude_none=True)
async def deletion_ledger(
    officer: Officer, services: Clients, ctx: Ctx, subject: str = Query(min_length=1, max_length=64)
) -> dict[str, Any]:
    """Proof of deletion for one subject: which records, when, under which rule."""
    response = await services.call(
        services.privacy.GetDeletionLedger,
        privacy_pb2.GetDeletionLedgerRequest(subject_user_id=subject, actor=actor(officer, ctx)),
        ctx,
    )
    return {"subject": subject, "entries": [as_json(e) for e in response.entries]}


class NewIncident(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)
    categories: list[str] = Field(min_length=1, max_length=5)
    window_start: datetime
    window_end: datetime


@compliance.post(
    "/compliance/incidents",
    status_code=201,
    response_model=INCIDENT,
    response_model_exclude_none=True,
)
async def open_incident(
    body: NewIncident, officer: Officer, services: Clients, ctx: Ctx
) -> dict[str, Any]:
    """Open a breach incident: the affected users are scoped by data category and time
    window, and the 72-hour clock for the authority report starts (Art. 33)."""
    call = privacy_pb2.CreateIncidentRequest(
        title=body.title,
        description=body.description,
        categories=body.categories,
        actor=actor(officer, ctx),
    )
    call.window_start.FromDatetime(body.window_start)
    call.window_end.FromDatetime(body.window_end)
    response = await services.call(services.privacy.CreateIncident, call, ctx)
    return as_json(response.incident)


@compliance.get("/compliance/incidents", response_model=INCIDENTS, response_model_exclude_none=True)
async def incidents(officer: Officer, services: Clients, ctx: Ctx) -> dict[str, Any]:
    response = await services.call(
        services.privacy.ListIncidents, privacy_pb2.ListIncidentsRequest(), ctx
    )
    return {"incidents": [as_json(i) for i in response.incidents]}


@compliance.get(
    "/compliance/incidents/{incident_id}",
    response_model=INCIDENT_DETAIL,
    response_model_exclude_none=True,
)
async def incident(
    incident_id: str, officer: Officer, services: Clients, ctx: Ctx
) -> dict[str, Any]:
    response = await services.call(
        services.privacy.GetIncident, privacy_pb2.GetIncidentRequest(id=incident_id), ctx
    )
    return {**as_json(response.incident), "affected_user_ids": list(response.affected_user_ids)}


class Notification(BaseModel):
    subject: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=10_000)


@compliance.post(
    "/compliance/incidents/{incident_id}/notify",
    response_model=schemas.response(privacy_pb2.NotifyIncidentResponse),
)
async def notify_incident(
    incident_id: str, body: Notification, officer: Officer, services: Clients, ctx: Ctx
) -> dict[str, Any]:
    """Email every affected user (once each); `{incident}` and `{categories}` in the
    text are filled in."""
    response = await services.call(
        services.privacy.NotifyIncident,
        privacy_pb2.NotifyIncidentRequest(
            id=incident_id, subject=body.subject, text=body.text, actor=actor(officer, ctx)
        ),
        ctx,
        timeout=120,
    )
    return as_json(response)


class AuthorityReport(BaseModel):
    reference: str = Field(min_length=1, max_length=200)


@compliance.post(
    "/compliance/incidents/{incident_id}/authority-report",
    response_model=INCIDENT,
    response_model_exclude_none=True,
)
async def report_incident(
    incident_id: str, body: AuthorityReport, officer: Officer, services: Clients, ctx: Ctx
) -> dict[str, Any]:
    """Record that the supervisory authority was told (with its reference)."""
    response = await services.call(
        services.privacy.ReportIncident,
        privacy_pb2.ReportIncidentRequest(
            id=incident_id, reference=body.reference, actor=actor(officer, ctx)
        ),
        ctx,
    )
    return as_json(response.incident)


@compliance.get("/compliance/audit-log", response_model=AUDIT_LOG, response_model_exclude_none=True)
async def audit_log(
    officer: Officer, services: Clients, ctx: Ctx, limit: int = Query(200, ge=1, le=1000)
) -> dict[str, Any]:
    """Append-only and hash-chained: `chain_valid` is false if any entry was changed or
    removed."""
    response = await services.call(
        services.privacy.GetAuditLog,
        privacy_pb2.GetAuditLogRequest(limit=limit, actor=actor(officer, ctx)),
        ctx,
    )
    return {"chain_valid": response.chain_valid, "entries": [as_json(e) for e in response.entries]}


@compliance.get(
    "/compliance/usage",
    response_model=schemas.response(privacy_pb2.GetUsageSummaryResponse),
    response_model_exclude_none=True,
)
async def usage_summary(
    officer: Officer, services: Clients, ctx: Ctx, days: int = Query(30, ge=1, le=90)
) -> dict[str, Any]:
    """Consented analytics, aggregated (no person, no visit): views and median time per
    screen, visits, people, browser and OS shares."""
    response = await services.call(
        services.privacy.GetUsageSummary,
        privacy_pb2.GetUsageSummaryRequest(days=days, actor=actor(officer, ctx)),
        ctx,
    )
    return as_json(response)


def table(rows: list[dict[str, Any]], fmt: str, name: str) -> Any:
    if fmt == "json":
        return {name: rows}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else [])
    writer.writeheader()
    writer.writerows(rows)
    return Response(
        out.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@compliance.get("/compliance/ropa")
async def records_of_processing(
    officer: Officer, services: Clients, ctx: Ctx, format: Literal["json", "csv"] = "json"
) -> Any:
    """Records of processing activities (Art. 30), generated from the same retention
    table the scheduler uses."""
    response = await services.call(
        services.privacy.GetProcessingRecords, privacy_pb2.GetProcessingRecordsRequest(), ctx
    )
    return table([as_json(r) for r in response.records], format, "records_of_processing")


@compliance.get("/compliance/subprocessors")
async def subprocessors(
    officer: Officer, services: Clients, ctx: Ctx, format: Literal["json", "csv"] = "json"
) -> Any:
    response = await services.call(
        services.privacy.GetProcessingRecords, privacy_pb2.GetProcessingRecordsRequest(), ctx
    )
    return table([as_json(s) for s in response.subprocessors], format, "subprocessors")


# -- retention and the officers -------------------------------------------------------


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
