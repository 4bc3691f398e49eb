"""Events the gateway publishes (exchange `gateway.events`). It stores nothing: a page
view goes to privacy, the analytics store, which keeps and schedules it itself (so it
is not `personal` in the events contract, whose events privacy only schedules)."""

from __future__ import annotations

import uuid

from mocky.events.v1 import events_pb2
from mocky.platform.clock import Clock
from mocky.platform.events import new_envelope, record_reference

SERVICE = "gateway"


def page_viewed(
    user_id: str,
    visit_id: str,
    page: str,
    seconds_on_previous: int,
    ip_prefix: str,
    browser: str,
    os: str,
    language: str,
    clock: Clock,
    correlation_id: str = "",
) -> events_pb2.PageViewed:
    envelope = new_envelope("page_viewed", SERVICE, clock, user_id, correlation_id)
    record = record_reference(
        "privacy", "page_view", uuid.uuid4().hex, user_id, "usage_log", clock.now()
    )
    return events_pb2.PageViewed(
        envelope=envelope,
        record=record,
        user_id=user_id,
        visit_id=visit_id,
        page=page,
        seconds_on_previous=seconds_on_previous,
        ip_prefix=ip_prefix,
        browser=browser,
        os=os,
        language=language,
    )
