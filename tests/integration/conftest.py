"""Integration fixtures: nameko containers on real RabbitMQ (a vhost per test, from
nameko's pytest plugin), real nx-27017 and real gRPC servers."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from nameko_grpc.client import Client, Method

from mocky.platform import grpc as platform_grpc  # noqa: F401  (installs the wake-up)
from mocky.platform.mongo import close_clients, service_database
from tests import infra


@pytest.fixture
def start_service(container_factory: Any, amqp_uri: str, settings: Any) -> Callable:
    """Start a nameko service class on a free gRPC port, on this test's vhost:
    returns (container, port)."""

    def start(service_cls: type, port: int | None = None) -> tuple[Any, int]:
        port = port or infra.free_port()
        container = container_factory(
            service_cls,
            {"GRPC_BIND_PORT": port, "GRPC_BIND_HOST": "127.0.0.1", "AMQP_URI": amqp_uri},
        )
        container.start()
        return container, port

    yield start
    close_clients()


class _As:
    """A proxy whose calls carry a service's token (or none: `caller=""`)."""

    def __init__(self, client: Client, caller: str) -> None:
        self.client = client
        self.metadata = infra.service_metadata(caller) if caller else []

    def __getattr__(self, name: str) -> Method:
        return Method(self.client, name, self.metadata)

    def calling_as(self, caller: str) -> _As:
        """The same connection, calls carrying another service's token."""
        return _As(self.client, caller)


@contextmanager
def grpc_client(port: int, stub: type, caller: str = "gateway") -> Iterator[Any]:
    """nameko-grpc's standalone client (green threads under `nameko test`), calling as
    the `caller` service (the gateway, unless a test says otherwise)."""
    client = Client(f"//127.0.0.1:{port}", stub)
    client.start()
    try:
        yield _As(client, caller)
    finally:
        client.stop()


def store_under_test(kind: str, repository: type, fake: type) -> Any:
    """For a store contract test: the service's MongoDB repository on a database of its
    own (kind "mongo"), or the unit tests' in-memory fake (kind "memory")."""
    if kind == "memory":
        return fake()
    repo = repository(service_database(f"store_{uuid.uuid4().hex[:12]}"))
    repo.ensure_indexes()
    return repo
