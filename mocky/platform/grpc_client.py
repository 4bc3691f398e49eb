"""Calling another Mocky service from inside a nameko service.

nameko-grpc's `GrpcProxy` connects when the container starts (the container fails to
start if its target is down) and, once its one connection has died and a reconnect
failed, `get()` waits forever for a connection that will never come back. Services
restart independently, so `ServiceClient` connects on first use, reconnects on the next
call after the target restarted, fails fast with UNAVAILABLE while it is down, and puts
the platform's deadline on every call."""

from __future__ import annotations

import json
import socket
from typing import Any
from urllib.parse import urlparse

from eventlet.semaphore import Semaphore
from grpc import StatusCode
from nameko_grpc.client import Method
from nameko_grpc.connection import ClientConnectionManager
from nameko_grpc.context import metadata_from_context_data
from nameko_grpc.dependency_provider import GrpcProxy
from nameko_grpc.errors import GrpcError

from mocky.platform import errors, grpc_wakeup
from mocky.platform.grpc import STATUS_FOR_ERROR
from mocky.platform.settings import get_settings

CONNECT_TIMEOUT_SECONDS = 2.0


class LazyChannel:
    """One HTTP/2 connection to the target, (re)made when a call needs it."""

    def __init__(self, target: str, spawn_thread: Any) -> None:
        parsed = urlparse(target)
        self.address = (parsed.hostname or "127.0.0.1", parsed.port or 50051)
        self.spawn_thread = spawn_thread
        self.connection: Any = None
        self.lock = Semaphore()

    def live_connection(self) -> Any:
        connection = self.connection
        if connection is not None and connection.alive:
            return connection
        with self.lock:  # one reconnect at a time; the others use its result
            connection = self.connection
            if connection is not None and connection.alive:
                return connection
            try:
                sock = socket.create_connection(self.address, timeout=CONNECT_TIMEOUT_SECONDS)
            except OSError:
                raise GrpcError(
                    code=StatusCode.UNAVAILABLE, message=f"{self.address[0]} is unreachable"
                ) from None
            sock.settimeout(60)  # as nameko-grpc: the loop polls, this bounds a stuck send
            connection = ClientConnectionManager(sock)
            self.spawn_thread(connection.run_forever, name=f"grpc client {self.address}")
            self.connection = connection
            return connection

    def send_request(self, request_headers: Any) -> Any:
        return self.live_connection().send_request(request_headers)

    def stop(self) -> None:
        if self.connection is not None:
            self.connection.stop()


class DeadlineMethod(Method):
    def __init__(self, client: Any, name: str, metadata: Any, deadline: float) -> None:
        super().__init__(client, name, metadata)
        self.deadline = deadline

    def __call__(self, request: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", self.deadline)
        return super().__call__(request, **kwargs)


class CallerProxy:
    def __init__(self, client: ServiceClient, context_data: dict) -> None:
        self.client = client
        self.context_data = context_data

    def __getattr__(self, name: str) -> DeadlineMethod:
        metadata = metadata_from_context_data(self.context_data)
        return DeadlineMethod(self.client, name, metadata, self.client.deadline)


class ServiceClient(GrpcProxy):
    """`billing = ServiceClient("billing", BillingServiceStub)` in a service class."""

    def __init__(self, service: str, stub: type, **kwargs: Any) -> None:
        self.service = service
        super().__init__("", stub, **kwargs)

    def setup(self) -> None:
        grpc_wakeup.install()
        settings = get_settings()
        self.target = "//" + settings.grpc_target(self.service)
        self.deadline = settings.grpc_deadline_seconds

    def start(self) -> None:
        self.channel = LazyChannel(self.target, self.spawn_thread)

    def stop(self) -> None:
        self.channel.stop()

    def get_dependency(self, worker_ctx: Any) -> CallerProxy:
        return CallerProxy(self, worker_ctx.context_data)


def as_domain_error(error: GrpcError) -> errors.DomainError:
    """Another service's refusal as the domain error it was (its JSON grpc-message
    carries the code), so it passes through this service to the gateway unchanged.
    Anything that is not a refusal becomes Unavailable."""
    try:
        detail = json.loads(error.message)
        code, message = str(detail["code"]), str(detail.get("message", ""))
    except (ValueError, KeyError, TypeError):
        code, message = "unavailable", "a service is unavailable"
    if code == errors.PaymentRequired.code:
        return errors.PaymentRequired(message)
    for cls, status in STATUS_FOR_ERROR.items():
        if status == error.code and cls is not errors.PaymentRequired:
            return cls(message, code=code)
    return errors.Unavailable("a service is unavailable")
