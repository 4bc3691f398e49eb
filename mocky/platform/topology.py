"""The broker topology every consumer needs, declared before anything publishes.

RabbitMQ drops an event published to an exchange with no bound queue (nameko
publishes with mandatory=False), so the local stack and the Kubernetes deploy run
`python -m mocky.platform.topology` first: it declares every event exchange, every
consumer queue with its binding, and their retry and dead-letter queues.
"""

from __future__ import annotations

import inspect
import sys
from dataclasses import dataclass

from kombu import Connection
from nameko.events import get_event_exchange

from mocky.platform.events import (
    ReliableEventHandler,
    consumer_queue,
    dead_letter_queue,
    retry_queues,
)
from mocky.platform.settings import SERVICES, get_settings


@dataclass(frozen=True)
class Binding:
    source_service: str
    event_type: str
    service: str
    method: str


def service_class(service: str) -> type:
    import importlib

    module = importlib.import_module(f"services.{service}.service")
    return getattr(module, f"{service.capitalize()}Service")


def bindings_of(cls: type) -> list[Binding]:
    found = []
    for method_name, member in inspect.getmembers(cls):
        for entrypoint in getattr(member, "nameko_entrypoints", ()):
            if isinstance(entrypoint, ReliableEventHandler):
                found.append(
                    Binding(entrypoint.source_service, entrypoint.event_type, cls.name, method_name)
                )
    return found


def all_bindings() -> list[Binding]:
    return [b for service in SERVICES for b in bindings_of(service_class(service))]


def declare(amqp_uri: str, bindings: list[Binding]) -> int:
    delays = get_settings().event_retry_delays_ms
    with Connection(amqp_uri, connect_timeout=5) as connection:
        channel = connection.channel()
        for service in SERVICES:
            get_event_exchange(service)(channel).declare()
        for b in bindings:
            queue = consumer_queue(b.source_service, b.event_type, b.service, b.method)
            for q in (queue, *retry_queues(queue.name, delays), dead_letter_queue(queue.name)):
                q(channel).declare()
    return len(bindings)


def main() -> int:
    count = declare(get_settings().amqp_uri, all_bindings())
    print(f"declared {count} consumer queues with their retry and dead-letter queues")
    return 0


if __name__ == "__main__":
    sys.exit(main())
