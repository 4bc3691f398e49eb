"""Events the privacy service publishes (exchange `privacy.events`)."""

from __future__ import annotations

from mocky.events.v1 import events_pb2
from mocky.platform.clock import Clock
from mocky.platform.events import new_envelope

SERVICE = "privacy"


def consent_changed(
    user_id: str, purpose: str, granted: bool, version: int, clock: Clock
) -> events_pb2.ConsentChanged:
    return events_pb2.ConsentChanged(
        envelope=new_envelope("consent_changed", SERVICE, clock, user_id),
        user_id=user_id,
        purpose=purpose,
        granted=granted,
        version=version,
    )
