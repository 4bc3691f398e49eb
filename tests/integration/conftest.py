"""Integration fixtures: nameko containers on real RabbitMQ (a vhost per test, from
nameko's pytest plugin), real nx-27017 and real gRPC servers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from nameko_grpc.client import Client

from mocky.platform import grpc as platform_grpc  # noqa: F401  (installs the wake-up)
from mocky.platform.mongo import close_clients
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


@contextmanager
def grpc_client(port: int, stub: type) -> Iterator[Any]:
    """nameko-grpc's standalone client (green threads under `nameko test`)."""
    with Client(f"//127.0.0.1:{port}", stub) as proxy:
        yield proxy
