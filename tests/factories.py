"""Events and records the tests and benchmarks build again and again."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from mocky.events.v1 import events_pb2
from mocky.platform.clock import Clock
from mocky.platform.events import new_envelope, record_reference


def user_registered(user_id: str | None = None) -> events_pb2.UserRegistered:
    """A valid `user_registered` event of the auth service, as it publishes them."""
    user_id = user_id or uuid.uuid4().hex
    return events_pb2.UserRegistered(
        envelope=new_envelope("user_registered", "auth", Clock(), user_id),
        record=record_reference("auth", "user", user_id, user_id, "account", datetime.now(UTC)),
        user_id=user_id,
    )
