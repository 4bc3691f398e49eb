"""Events survive a consumer that is down or failing, and are applied once."""

from __future__ import annotations

from datetime import UTC, datetime

from kombu import Connection
from nameko.amqp.publish import Publisher

from mocky.events.v1 import events_pb2
from mocky.platform import contract
from mocky.platform.clock import Clock
from mocky.platform.events import (
    ConfirmedPublisher,
    InboxProvider,
    Outbox,
    OutboxRelay,
    event_handler,
    outbox_entry,
)
from mocky.platform.mongo import service_database
from mocky.platform.topology import declare
from services.privacy.service import PrivacyService
from tests.factories import user_registered
from tests.infra import wait_until


def publish(amqp_uri: str, message: events_pb2.UserRegistered) -> None:
    Outbox("auth", ConfirmedPublisher(amqp_uri)).publish_entry(outbox_entry(message))


def schedule(settings):  # type: ignore[no-untyped-def]
    return service_database("privacy")["retention_schedule"]


def test_event_published_while_privacy_is_down_is_handled_after_it_starts(
    start_service, amqp_uri, settings
):
    declare(amqp_uri, contract.bindings_of("privacy"))  # what `./task up` does first
    event = user_registered()
    publish(amqp_uri, event)

    start_service(PrivacyService)

    wait_until(
        lambda: schedule(settings).find_one({"user_id": event.user_id}), 10, "schedule entry"
    )
    entry = schedule(settings).find_one({"user_id": event.user_id})
    assert entry["category"] == "account"
    assert entry["waiting_for_start"] is True  # account retention starts at deletion


def test_redelivered_event_is_applied_once(start_service, amqp_uri, settings):
    start_service(PrivacyService)
    event = user_registered()
    for _ in range(3):
        publish(amqp_uri, event)
    other = user_registered()
    publish(amqp_uri, other)  # published after the duplicates: once it lands, they have too

    wait_until(lambda: schedule(settings).find_one({"user_id": other.user_id}), 10, "entry")
    assert schedule(settings).count_documents({"user_id": event.user_id}) == 1
    inbox = service_database("privacy")["_inbox"]
    assert inbox.count_documents({"_id": f"schedule_record:{event.envelope.event_id}"}) == 1


class FlakyConsumer:
    """Fails its first attempts at every event, then succeeds."""

    name = "flaky"
    failures_before_success = 2
    attempts: list[str] = []
    inbox = InboxProvider()

    @event_handler("auth", "user_registered", events_pb2.UserRegistered)
    def on_user_registered(self, event):  # type: ignore[no-untyped-def]
        attempts = type(self).attempts
        attempts.append(event.envelope.event_id)
        if attempts.count(event.envelope.event_id) <= self.failures_before_success:
            raise RuntimeError("downstream not ready")


class BrokenConsumer(FlakyConsumer):
    name = "broken"
    failures_before_success = 99


def queue_depth(amqp_uri: str, name: str) -> int:
    with Connection(amqp_uri) as connection:
        _, count, _ = connection.default_channel.queue_declare(name, passive=True)
        return count


def test_failing_handler_gets_the_message_again_with_backoff(start_service, amqp_uri, settings):
    FlakyConsumer.attempts = []
    start_service(FlakyConsumer)
    event = user_registered()
    publish(amqp_uri, event)

    wait_until(
        lambda: FlakyConsumer.attempts.count(event.envelope.event_id) == 3, 10, "third attempt"
    )
    queue = "evt-auth-user_registered--flaky.on_user_registered"
    assert queue_depth(amqp_uri, f"{queue}.dlq") == 0


def test_handler_that_keeps_failing_parks_the_message_in_the_dead_letter_queue(
    start_service, amqp_uri, get_message_from_queue, settings
):
    BrokenConsumer.attempts = []
    start_service(BrokenConsumer)
    event = user_registered()
    publish(amqp_uri, event)

    queue = "evt-auth-user_registered--broken.on_user_registered"
    wait_until(lambda: queue_depth(amqp_uri, f"{queue}.dlq") == 1, 10, "dead-lettered message")
    # the first attempt and one per configured retry delay (100 ms, 200 ms)
    assert BrokenConsumer.attempts.count(event.envelope.event_id) == 3
    parked = get_message_from_queue(f"{queue}.dlq")
    assert parked.payload["event_id"] == event.envelope.event_id
    assert parked.headers["x-mocky-dead-letter-reason"] == "RuntimeError"


def test_malformed_event_goes_to_the_dead_letter_queue_without_running_the_handler(
    start_service, amqp_uri, settings
):
    FlakyConsumer.attempts = []
    start_service(FlakyConsumer)
    from nameko.events import get_event_exchange

    Publisher(amqp_uri).publish(
        {"event_type": "user_registered", "proto": "not base64 protobuf!"},
        exchange=get_event_exchange("auth"),
        routing_key="user_registered",
    )

    queue = "evt-auth-user_registered--flaky.on_user_registered"
    wait_until(lambda: queue_depth(amqp_uri, f"{queue}.dlq") == 1, 10, "dead-lettered message")
    assert FlakyConsumer.attempts == []


class AuthOutboxRelay:
    """Only the outbox relay of a service named like auth (its exchange and database)."""

    name = "auth"
    relay = OutboxRelay(["things"], interval=0.2)


def test_outbox_relay_publishes_what_a_crash_left_behind(start_service, amqp_uri, settings):
    start_service(PrivacyService)
    event = user_registered()
    # A write whose process died before it could publish: the event sits in the document.
    things = service_database("auth")["things"]
    things.insert_one({"_id": "thing-1", "_outbox": [outbox_entry(event)]})

    start_service(AuthOutboxRelay)

    wait_until(lambda: schedule(settings).find_one({"user_id": event.user_id}), 10, "entry")
    wait_until(lambda: things.find_one({"_id": "thing-1"})["_outbox"] == [], 5, "outbox drained")


def test_account_retention_starts_from_a_deletion_request_that_arrived_first(
    start_service, amqp_uri, settings
):
    from services.auth import events as auth_events

    start_service(PrivacyService)
    registered = user_registered()
    requested_at = datetime(2026, 3, 1, tzinfo=UTC)
    deletion = auth_events.account_deletion_requested(registered.user_id, requested_at, Clock())
    Outbox("auth", ConfirmedPublisher(amqp_uri)).publish_entry(outbox_entry(deletion))
    wait_until(
        lambda: service_database("privacy")["account_deletion_requests"].find_one(
            {"_id": registered.user_id}
        ),
        10,
        "deletion request recorded",
    )
    publish(amqp_uri, registered)  # the registration arrives after the deletion request

    wait_until(lambda: schedule(settings).find_one({"user_id": registered.user_id}), 10, "entry")
    entry = schedule(settings).find_one({"user_id": registered.user_id})
    assert entry["due_ts"] == (requested_at.timestamp() + 30 * 86400)
