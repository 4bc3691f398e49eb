"""The events contract, end to end: every event the contract marks personal, published
on the real broker as its producer publishes it, becomes a schedule entry at the
privacy service. It fails when privacy does not consume one (no handler, no queue), when
an event's category is not in the retention table, or when an event lacks its record."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

from mocky.platform import contract
from mocky.platform.clock import Clock
from mocky.platform.events import (
    ConfirmedPublisher,
    Outbox,
    new_envelope,
    outbox_entry,
    record_reference,
)
from mocky.platform.mongo import service_database
from mocky.platform.topology import declare
from services.privacy.service import PrivacyService

PERSONAL = contract.personal_events()


def published(spec: contract.EventSpec, amqp_uri: str) -> str:
    user_id = uuid.uuid4().hex
    record_id = uuid.uuid4().hex
    event = spec.message_type(
        envelope=new_envelope(spec.event_type, spec.producer, Clock(), user_id),
        record=record_reference(
            spec.producer, spec.record_kind, record_id, user_id, spec.category, datetime.now(UTC)
        ),
    )
    Outbox(spec.producer, ConfirmedPublisher(amqp_uri)).publish_entry(outbox_entry(event))
    return f"{spec.producer}/{spec.record_kind}/{record_id}"


def test_the_contract_marks_the_events_that_create_personal_data():
    assert len(PERSONAL) >= 7


def test_every_personal_event_in_the_contract_is_scheduled_after_it_is_published(
    start_service, amqp_uri, settings
):
    declare(amqp_uri, contract.bindings())  # the whole topology, as `./task up` does
    start_service(PrivacyService)
    keys = {spec.event_type: published(spec, amqp_uri) for spec in PERSONAL}
    schedule = service_database("privacy")["retention_schedule"]

    def missing() -> list[str]:
        found = {d["_id"] for d in schedule.find({"_id": {"$in": list(keys.values())}}, {"_id": 1})}
        return [event for event, key in keys.items() if key not in found]

    deadline = time.monotonic() + 15
    while missing() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert missing() == []  # names the personal events privacy did not schedule
