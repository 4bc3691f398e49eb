"""The broker topology every consumer needs, declared before anything publishes.

RabbitMQ drops an event published to an exchange with no bound queue (nameko
publishes with mandatory=False), so the local stack and the Kubernetes deploy run
`python -m mocky.platform.topology` first: it declares every event exchange, every
consumer queue with its binding, and their retry and dead-letter queues, all read
from the events contract (`mocky.platform.contract`), not from the services' code.
"""

from __future__ import annotations

import sys

from kombu import Connection
from nameko.events import get_event_exchange

from mocky.platform import contract
from mocky.platform.contract import Binding
from mocky.platform.events import (
    consumer_queue,
    dead_letter_queue,
    retry_queues,
)
from mocky.platform.settings import SERVICES, get_settings


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
    count = declare(get_settings().amqp_uri, contract.bindings())
    print(f"declared {count} consumer queues with their retry and dead-letter queues")
    return 0


if __name__ == "__main__":
    sys.exit(main())
