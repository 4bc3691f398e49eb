"""Events the sessions service publishes (exchange `sessions.events`). Each creates
personal data (category interview_session, kept 90 days): the privacy service picks
them up from the events contract (`personal` in events.proto)."""

from __future__ import annotations

from datetime import datetime

from mocky.events.v1 import events_pb2
from mocky.platform.clock import Clock
from mocky.platform.events import new_envelope, record_reference

SERVICE = "sessions"
CATEGORY = "interview_session"


def document_uploaded(
    document_id: str, user_id: str, kind: str, blob_key: str, at: datetime, clock: Clock
) -> events_pb2.DocumentUploaded:
    return events_pb2.DocumentUploaded(
        envelope=new_envelope("document_uploaded", SERVICE, clock, user_id),
        record=record_reference(
            SERVICE, "document", document_id, user_id, CATEGORY, at, (blob_key,)
        ),
        user_id=user_id,
        document_id=document_id,
        kind=kind,
    )


def interview_started(
    interview_id: str, user_id: str, mode: str, at: datetime, clock: Clock
) -> events_pb2.InterviewStarted:
    return events_pb2.InterviewStarted(
        envelope=new_envelope("interview_started", SERVICE, clock, user_id),
        record=record_reference(SERVICE, "interview", interview_id, user_id, CATEGORY, at),
        user_id=user_id,
        interview_id=interview_id,
        mode=mode,
    )


def report_created(
    interview_id: str, user_id: str, overall: int, at: datetime, clock: Clock
) -> events_pb2.ReportCreated:
    return events_pb2.ReportCreated(
        envelope=new_envelope("report_created", SERVICE, clock, user_id),
        record=record_reference(SERVICE, "report", interview_id, user_id, CATEGORY, at),
        user_id=user_id,
        interview_id=interview_id,
        overall_score=overall,
    )
