"""Our event path (Outbox publish with confirms → ReliableEventHandler in a nameko
container, payload parsed into its protobuf type) against raw kombu (persistent
publish with per-message confirms → a kombu consumer that acks) on the same broker,
in the same run. Both deliver N messages while the consumer runs; the figure is
messages per second from the first publish to the last acknowledgement.

    python -m bench.event_path
"""

from __future__ import annotations

import eventlet

eventlet.monkey_patch()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from kombu import Connection, Consumer, Exchange, Producer, Queue  # noqa: E402
from nameko import config  # noqa: E402
from nameko.containers import ServiceContainer  # noqa: E402

from mocky.events.v1 import events_pb2  # noqa: E402
from mocky.platform.events import (
    ConfirmedPublisher,  # noqa: E402
    Outbox,
    event_handler,
    outbox_entry,
)
from tests import infra  # noqa: E402
from tests.factories import user_registered  # noqa: E402

MESSAGES = int(os.environ.get("BENCH_EVENTS", "3000"))


def raw_kombu(amqp_uri: str, count: int) -> float:
    exchange = Exchange("bench.raw", type="topic", durable=True)
    queue = Queue("bench-raw", exchange=exchange, routing_key="user_registered", durable=True)
    body = json.dumps(outbox_entry(user_registered())["payload"])
    received = []
    done = eventlet.event.Event()

    def consume() -> None:
        with Connection(amqp_uri) as connection:

            def on_message(payload, message):  # type: ignore[no-untyped-def]
                json.loads(payload) if isinstance(payload, str | bytes) else payload
                message.ack()
                received.append(1)
                if len(received) == count:
                    done.send()

            with Consumer(connection, [queue], callbacks=[on_message], prefetch_count=10):
                while not done.ready():
                    try:
                        connection.drain_events(timeout=1)
                    except TimeoutError:
                        pass

    with Connection(amqp_uri) as setup:
        queue(setup.default_channel).declare()
    consumer = eventlet.spawn(consume)
    eventlet.sleep(0.2)
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as connection:
        producer = Producer(connection, exchange=exchange)
        started = time.perf_counter()
        for _ in range(count):
            producer.publish(
                body,
                routing_key="user_registered",
                delivery_mode=2,
                content_type="application/json",
                content_encoding="utf-8",
            )
        done.wait()
        elapsed = time.perf_counter() - started
    consumer.kill()
    return count / elapsed


class Counter:
    name = "bench_consumer"
    received: list[int] = []
    done = None

    @event_handler("auth", "user_registered", events_pb2.UserRegistered)
    def on_user_registered(self, event):  # type: ignore[no-untyped-def]
        Counter.received.append(1)
        if len(Counter.received) == MESSAGES_TARGET[0]:
            Counter.done.send()


MESSAGES_TARGET = [MESSAGES]


def ours(amqp_uri: str, count: int) -> float:
    MESSAGES_TARGET[0] = count
    Counter.received = []
    Counter.done = eventlet.event.Event()
    config.setup({"AMQP_URI": amqp_uri, "max_workers": 10})
    container = ServiceContainer(Counter)
    container.start()
    outbox = Outbox("auth", ConfirmedPublisher(amqp_uri))
    entry = outbox_entry(user_registered())
    started = time.perf_counter()
    for _ in range(count):
        outbox.publish_entry(entry)
    Counter.done.wait()
    elapsed = time.perf_counter() - started
    container.stop()
    return count / elapsed


def run() -> dict:
    vhost = infra.new_vhost()
    amqp_uri = f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    try:
        raw = raw_kombu(amqp_uri, MESSAGES)
        our = ours(amqp_uri, MESSAGES)
    finally:
        infra.delete_vhost(vhost)
    return {
        "messages": MESSAGES,
        "raw_kombu_confirms_msgs_per_s": round(raw),
        "ours_outbox_to_reliable_handler_msgs_per_s": round(our),
        "ratio_ours_to_raw": round(our / raw, 2),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
    sys.exit(0)
