"""Privacy's domain objects and stored requests as the messages of `mocky.privacy.v1`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mocky.platform.clock import from_epoch
from mocky.privacy.v1 import privacy_pb2
from services.privacy.domain import Incident


def incident_message(incident: Incident, now: datetime) -> Any:
    message = privacy_pb2.Incident(
        id=incident.id,
        title=incident.title,
        description=incident.description,
        categories=incident.categories,
        report_reference=incident.reference,
        affected_users=len(incident.affected),
        notified_users=len(incident.notified),
        status=incident.status.value,
        report_overdue=incident.report_overdue(now),
    )
    message.window_start.FromDatetime(incident.window_start)
    message.window_end.FromDatetime(incident.window_end)
    message.aware_at.FromDatetime(incident.aware_at)
    message.authority_deadline.FromDatetime(incident.authority_deadline)
    if incident.reported_at is not None:
        message.reported_at.FromDatetime(incident.reported_at)
    return message


def request_message(doc: dict) -> Any:
    message = privacy_pb2.DataSubjectRequest(
        id=doc["_id"],
        user_id=doc["user_id"],
        type=doc["type"],
        status=doc["status"],
        extended=bool(doc.get("extended")),
        extension_reason=doc.get("extension_reason", ""),
        source=doc.get("source", ""),
        details=doc.get("details", ""),
        outcome=doc.get("outcome", ""),
        export_ready=bool(doc.get("export_key")),
        pending_owners=doc.get("pending_owners") or [],
    )
    message.received_at.FromDatetime(from_epoch(doc["received_ts"]))
    message.due_at.FromDatetime(from_epoch(doc["due_ts"]))
    if doc.get("completed_ts"):
        message.completed_at.FromDatetime(from_epoch(doc["completed_ts"]))
    return message
