"""Events on RabbitMQ: typed payloads, a transactional outbox, and handlers that
retry with backoff and dead-letter instead of dropping a message.

Publishing. A service never publishes straight after a database write ("commit, then
publish and hope"). It stores the event in the `_outbox` array of the very document
it writes (one single-document atomic write), then `Outbox.flush` publishes it with
publisher confirms and pulls it from the array. `OutboxRelay` re-publishes whatever a
crash left behind. Delivery is therefore at least once; consumers deduplicate on the
envelope's event id (`Inbox`).

Consuming. `event_handler` is nameko's `EventHandler` with durable queues and
acknowledgements after the worker finishes, but a handler that raises does not lose
its message: it goes to `<queue>.retry.<n>` (per-message TTL, dead-lettered back to the
queue) and, after the last delay, to `<queue>.dlq` for an operator.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import structlog
from amqp.exceptions import ConnectionError as AMQPConnectionError
from google.protobuf.message import Message
from kombu import Connection, Exchange, Producer, Queue
from kombu.exceptions import OperationalError
from nameko import config
from nameko.events import SERVICE_POOL, EventHandler, get_event_exchange
from nameko.extensions import DependencyProvider
from nameko.messaging import encode_to_headers
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError, PyMongoError

from mocky.events.v1 import events_pb2
from mocky.platform import metrics
from mocky.platform.clock import Clock
from mocky.platform.contract import ContractError, published_by
from mocky.platform.logs import current_correlation_id
from mocky.platform.mongo import ensure_collection, service_database
from mocky.platform.settings import get_settings

log = structlog.get_logger(__name__)

ATTEMPT_HEADER = "x-mocky-attempt"
OUTBOX_FIELD = "_outbox"
OUTBOX_SEQ = "_outbox_seq"  # every document with an outbox starts it at 0


# -- payloads -------------------------------------------------------------------------


def new_envelope(
    event_type: str,
    producer: str,
    clock: Clock,
    subject_user_id: str = "",
    correlation_id: str = "",
) -> events_pb2.EventEnvelope:
    if event_type not in published_by(producer):
        # Consumers, privacy and the topology know only the contract's events.
        raise ContractError(f"{producer} does not publish {event_type!r} (events.proto)")
    envelope = events_pb2.EventEnvelope(
        event_id=uuid.uuid4().hex,
        event_type=event_type,
        version=1,
        producer=producer,
        subject_user_id=subject_user_id,
        # The id of the user action this event comes from (bound by LogContext from
        # the gRPC call or event being handled), so one action reads as one id in
        # every service's logs; a new one for work no request started (timers).
        correlation_id=correlation_id or current_correlation_id() or uuid.uuid4().hex,
    )
    envelope.occurred_at.FromDatetime(clock.now())
    return envelope


def record_reference(
    owner: str,
    kind: str,
    record_id: str,
    user_id: str,
    category: str,
    created_at: datetime,
    blob_keys: Iterable[str] = (),
) -> events_pb2.RecordReference:
    ref = events_pb2.RecordReference(
        owner=owner,
        kind=kind,
        record_id=record_id,
        user_id=user_id,
        category=category,
        blob_keys=list(blob_keys),
    )
    ref.created_at.FromDatetime(created_at)
    return ref


def to_wire(message: Message) -> dict:
    """The message body: the payload as binary protobuf (base64), beside a few
    envelope fields in plain JSON for whoever looks into a queue. Binary because the
    pure-Python protobuf JSON parser cost a fifth of a consumer's time (bench/)."""
    envelope = message.envelope  # type: ignore[attr-defined]
    return {
        "event_type": envelope.event_type,
        "event_id": envelope.event_id,
        "occurred_at": envelope.occurred_at.ToJsonString(),
        "proto": base64.b64encode(message.SerializeToString()).decode(),
    }


def from_wire(message_type: type[Message], data: dict) -> Message:
    """Raises (KeyError, ValueError, DecodeError) on a malformed body."""
    return message_type.FromString(base64.b64decode(data["proto"], validate=True))


def outbox_entry(message: Message) -> dict:
    """What a repository stores in a document's `_outbox` array."""
    envelope = message.envelope  # type: ignore[attr-defined]
    return {
        "event_id": envelope.event_id,
        "event_type": envelope.event_type,
        "correlation_id": envelope.correlation_id,
        "payload": to_wire(message),
    }


def update_with_event(
    collection: Collection,
    query: dict,
    set_fields: dict,
    entry: dict,
    attempts: int = 5,
    other_operators: dict | None = None,
) -> bool:
    """Set fields of the one document matching `query` and append an outbox entry,
    in one single-document write; False when no document matches. Not `$push`:
    nx-27017 stores a pushed subdocument as a JSON string. A sequence number guards
    against a concurrent writer (a concurrent `$pull` may be undone, which only means
    a duplicate publish, and consumers are idempotent). `other_operators` (e.g.
    `$addToSet` of strings) join the same write."""
    for _ in range(attempts):
        doc = collection.find_one(query, {OUTBOX_FIELD: 1, OUTBOX_SEQ: 1})
        if doc is None:
            return False
        seq = int(doc.get(OUTBOX_SEQ, 0))
        result = collection.update_one(
            {**query, "_id": doc["_id"], OUTBOX_SEQ: seq},
            {
                **(other_operators or {}),
                "$set": {
                    **set_fields,
                    OUTBOX_FIELD: [*(doc.get(OUTBOX_FIELD) or []), entry],
                    OUTBOX_SEQ: seq + 1,
                },
            },
        )
        if result.modified_count == 1:
            return True
    raise RuntimeError("document kept changing while adding an outbox entry")


# -- publishing -----------------------------------------------------------------------


class ConfirmedPublisher:
    """Persistent JSON messages with publisher confirms over one long-lived
    connection per process (nameko's Publisher builds a Connection per message, which
    halves throughput). A dropped connection is re-opened once per publish."""

    def __init__(self, amqp_uri: str) -> None:
        self.amqp_uri = amqp_uri
        self._lock = threading.Lock()  # green under eventlet: one publish at a time
        self._connection: Connection | None = None
        self._producer: Producer | None = None

    def _producer_ready(self) -> Producer:
        if self._producer is None:
            self._connection = Connection(
                self.amqp_uri, transport_options={"confirm_publish": True}, connect_timeout=5
            )
            # Fail fast: callers on a request path defer to the outbox relay instead.
            self._connection.ensure_connection(
                max_retries=1, interval_start=0.2, interval_step=0.2, interval_max=0.2
            )
            self._producer = Producer(self._connection.channel())
        return self._producer

    def publish(
        self,
        payload: Any,
        exchange: Exchange | str,
        routing_key: str,
        headers: dict | None = None,
        expiration: float | None = None,
        declare: Iterable[Any] = (),
    ) -> None:
        body = json.dumps(payload)
        with self._lock:
            for attempt in (1, 2):
                try:
                    producer = self._producer_ready()
                    for entity in declare:
                        entity(producer.channel).declare()
                    producer.publish(
                        body,
                        exchange=exchange,
                        routing_key=routing_key,
                        headers=headers or {},
                        delivery_mode=2,
                        content_type="application/json",
                        content_encoding="utf-8",
                        expiration=expiration,
                    )
                    return
                except (OSError, OperationalError, AMQPConnectionError):
                    self.close()
                    if attempt == 2:
                        raise

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.release()
            except Exception:  # noqa: S110 - already broken
                pass
        self._connection = self._producer = None


class Outbox:
    """Publishes the `_outbox` entries of documents and removes them once confirmed."""

    def __init__(
        self, service_name: str, publisher: ConfirmedPublisher, db: Database | None = None
    ) -> None:
        self.service_name = service_name
        self.publisher = publisher
        self.db = db  # to name collections (a repository need not hand out its own)
        self.exchange = get_event_exchange(service_name)
        self._declared = False

    def publish_entry(self, entry: dict) -> None:
        headers = encode_to_headers({"correlation_id": entry.get("correlation_id")})
        # Declaring the exchange costs a broker round trip: once per process is enough.
        declare = [] if self._declared else [self.exchange]
        self.publisher.publish(
            entry["payload"],
            exchange=self.exchange,
            routing_key=entry["event_type"],
            headers=headers,
            declare=declare,
        )
        self._declared = True

    def flush(self, collection: Collection | str, document_id: Any) -> int:
        """Publish what one document holds in its outbox. Safe to call twice."""
        if isinstance(collection, str):
            assert self.db is not None
            collection = self.db[collection]
        document = collection.find_one({"_id": document_id}, {OUTBOX_FIELD: 1})
        entries = (document or {}).get(OUTBOX_FIELD) or []
        for entry in entries:
            self.publish_entry(entry)
            collection.update_one(
                {"_id": document_id}, {"$pull": {OUTBOX_FIELD: {"event_id": entry["event_id"]}}}
            )
        return len(entries)

    def flush_or_defer(self, collection: Collection | str, document_id: Any) -> None:
        """After a write on a request path: publish now if the broker answers, else
        leave the event in the document for the relay. The write has happened either
        way, so the request must not fail because the broker is down."""
        try:
            self.flush(collection, document_id)
        except Exception as error:
            log.warning("outbox_publish_deferred", error=type(error).__name__)

    def flush_collection(self, collection: Collection, limit: int = 100) -> int:
        pending = collection.find(
            {OUTBOX_FIELD: {"$elemMatch": {"event_id": {"$exists": True}}}}, {"_id": 1}
        ).limit(limit)
        return sum(self.flush(collection, doc["_id"]) for doc in pending)


class OutboxRelay(DependencyProvider):
    """Gives workers an `Outbox`, and every `interval` seconds publishes what a crash
    between write and publish left in the named collections."""

    def __init__(self, collections: Iterable[str], interval: float = 2.0) -> None:
        self.collection_names = tuple(collections)
        self.interval = interval
        self.outbox: Outbox | None = None
        self.db: Database | None = None
        self._running = False

    def setup(self) -> None:
        publisher = ConfirmedPublisher(config["AMQP_URI"])
        self.db = service_database(self.container.service_name)
        self.outbox = Outbox(self.container.service_name, publisher, self.db)
        for name in self.collection_names:
            ensure_collection(self.db, name)

    def start(self) -> None:
        self._running = True
        self.container.spawn_managed_thread(self._relay_forever, identifier="outbox_relay")

    def stop(self) -> None:
        self._running = False
        if self.outbox is not None:
            self.outbox.publisher.close()

    def kill(self) -> None:
        self.stop()

    def relay_once(self) -> int:
        assert self.outbox is not None and self.db is not None
        return sum(self.outbox.flush_collection(self.db[name]) for name in self.collection_names)

    def _relay_forever(self) -> None:
        import eventlet

        while self._running:
            try:
                published = self.relay_once()
                if published:
                    log.info("outbox_relayed", count=published)
            except Exception:  # keep relaying; the broker or database may come back
                log.warning("outbox_relay_failed", exc_info=True)
            eventlet.sleep(self.interval)

    def get_dependency(self, worker_ctx: Any) -> Outbox:
        assert self.outbox is not None
        return self.outbox


# -- consuming ------------------------------------------------------------------------


def consumer_queue_name(source_service: str, event_type: str, service: str, method: str) -> str:
    """nameko's SERVICE_POOL queue name; the topology step declares the same names."""
    return f"evt-{source_service}-{event_type}--{service}.{method}"


def retry_queues(queue_name: str, delays_ms: Iterable[int]) -> list[Queue]:
    return [
        Queue(
            f"{queue_name}.retry.{attempt}",
            durable=True,
            queue_arguments={
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": queue_name,
            },
        )
        for attempt, _ in enumerate(delays_ms, start=1)
    ]


def dead_letter_queue(queue_name: str) -> Queue:
    return Queue(f"{queue_name}.dlq", durable=True)


def consumer_queue(source_service: str, event_type: str, service: str, method: str) -> Queue:
    exchange = get_event_exchange(source_service)
    return Queue(
        consumer_queue_name(source_service, event_type, service, method),
        exchange=exchange,
        routing_key=event_type,
        durable=True,
        auto_delete=False,
    )


class ReliableEventHandler(EventHandler):
    """A SERVICE_POOL, reliable-delivery event handler whose message survives a
    failing worker (retry with backoff, then dead-letter) and whose payload reaches the
    method as the typed protobuf message."""

    def __init__(
        self, source_service: str, event_type: str, message_type: type[Message], **kwargs: Any
    ) -> None:
        self.message_type = message_type
        super().__init__(
            source_service,
            event_type,
            handler_type=SERVICE_POOL,
            reliable_delivery=True,
            requeue_on_error=False,
            **kwargs,
        )

    def setup(self) -> None:
        super().setup()
        self.delays_ms = get_settings().event_retry_delays_ms
        self.retry_publisher = ConfirmedPublisher(config["AMQP_URI"])
        self.side_queues = [
            *retry_queues(self.queue.name, self.delays_ms),
            dead_letter_queue(self.queue.name),
        ]

    def stop(self) -> None:
        super().stop()
        self.retry_publisher.close()

    def handle_message(self, body: Any, message: Any) -> None:
        try:
            event = from_wire(self.message_type, body)
        except Exception:
            log.error("event_malformed", queue=self.queue.name)
            self._dead_letter(body, message, reason="malformed")
            return
        occurred = event.envelope.occurred_at.ToSeconds() if event.HasField("envelope") else 0
        if occurred:
            metrics.EVENT_LAG.labels(self.container.service_name, self.event_type).observe(
                max(0.0, time.time() - occurred)
            )
        super().handle_message(event, message)

    def handle_message_processed(
        self, message: Any, result: Any = None, exc_info: Any = None
    ) -> None:
        if exc_info is None:
            self.consumer.ack_message(message)
            return
        attempt = int((message.headers or {}).get(ATTEMPT_HEADER, 0)) + 1
        try:
            if attempt <= len(self.delays_ms):
                self._publish_side(
                    message.payload,
                    message,
                    f"{self.queue.name}.retry.{attempt}",
                    attempt,
                    expiration=self.delays_ms[attempt - 1] / 1000,
                )
                metrics.EVENT_RETRIES.labels(self.container.service_name, self.queue.name).inc()
                log.warning(
                    "event_retry_scheduled",
                    queue=self.queue.name,
                    attempt=attempt,
                    error=type(exc_info[1]).__name__,
                )
            else:
                self._dead_letter(message.payload, message, reason=type(exc_info[1]).__name__)
                return
        except Exception:
            # Could not park it for a retry: give it back to the queue rather than lose it.
            log.error("event_retry_publish_failed", queue=self.queue.name, exc_info=True)
            self.consumer.requeue_message(message)
            return
        self.consumer.ack_message(message)

    def _dead_letter(self, payload: Any, message: Any, reason: str) -> None:
        try:
            self._publish_side(payload, message, f"{self.queue.name}.dlq", None, reason=reason)
        except Exception:
            log.error("event_dead_letter_failed", queue=self.queue.name, exc_info=True)
            self.consumer.requeue_message(message)
            return
        metrics.EVENT_DEAD_LETTERED.labels(self.container.service_name, self.queue.name).inc()
        log.error("event_dead_lettered", queue=self.queue.name, reason=reason)
        self.consumer.ack_message(message)

    def _publish_side(
        self,
        payload: Any,
        message: Any,
        queue_name: str,
        attempt: int | None,
        expiration: float | None = None,
        reason: str = "",
    ) -> None:
        headers = dict(message.headers or {})
        if attempt is not None:
            headers[ATTEMPT_HEADER] = attempt
        if reason:
            headers["x-mocky-dead-letter-reason"] = reason
        self.retry_publisher.publish(
            payload,
            exchange="",
            routing_key=queue_name,
            headers=headers,
            expiration=expiration,
            declare=self.side_queues,
        )


event_handler = ReliableEventHandler.decorator


# -- idempotent consumption -----------------------------------------------------------


class Inbox:
    """Remembers which events a consumer has applied, so redeliveries are no-ops."""

    COLLECTION = "_inbox"

    def __init__(self, db: Database) -> None:
        self.collection = db[self.COLLECTION]

    def ensure_indexes(self) -> None:
        ensure_collection(self.collection.database, self.COLLECTION)

    def seen(self, consumer: str, event_id: str) -> bool:
        return self.collection.find_one({"_id": f"{consumer}:{event_id}"}, {"_id": 1}) is not None

    def process_once(self, consumer: str, event_id: str, apply: Callable[[], Any]) -> bool:
        """Run `apply` unless this event was applied before; `apply` must itself be
        idempotent, since a crash between it and the mark re-runs it."""
        if self.seen(consumer, event_id):
            return False
        apply()
        try:
            self.collection.insert_one({"_id": f"{consumer}:{event_id}", "at": time.time()})
        except DuplicateKeyError:
            pass  # a concurrent redelivery got there first; both applications were idempotent
        except PyMongoError:
            log.warning("inbox_mark_failed", consumer=consumer, exc_info=True)
            raise
        return True


class InboxProvider(DependencyProvider):
    def setup(self) -> None:
        self.inbox = Inbox(service_database(self.container.service_name))
        self.inbox.ensure_indexes()

    def get_dependency(self, worker_ctx: Any) -> Inbox:
        return self.inbox
