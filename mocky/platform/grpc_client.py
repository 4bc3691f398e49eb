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
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlparse

from eventlet.semaphore import Semaphore
from grpc import StatusCode
from nameko.extensions import DependencyProvider
from nameko_grpc.client import ClientBase, Method
from nameko_grpc.connection import ClientConnectionManager
from nameko_grpc.context import metadata_from_context_data
from nameko_grpc.errors import GrpcError

from mocky.platform import errors, grpc_wakeup, service_auth
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


class Caller(ClientBase):
    """One target service: a lazy channel, the platform's deadline."""

    def __init__(self, service: str, stub: type, spawn: Any) -> None:
        settings = get_settings()
        super().__init__("//" + settings.grpc_target(service), stub)
        self.deadline = settings.grpc_deadline_seconds
        self._spawn = spawn

    def spawn_thread(
        self, target: Any, args: Any = (), kwargs: Any = None, name: Any = None
    ) -> None:
        self._spawn(lambda: target(*args, **(kwargs or {})), name)

    def start(self) -> None:
        self.channel = LazyChannel(self.target, self.spawn_thread)

    def stop(self) -> None:
        self.channel.stop()


class CallerProxy:
    def __init__(self, caller: Caller, context_data: dict, token: str) -> None:
        self.caller = caller
        self.context_data = context_data
        self.token = token

    def __getattr__(self, name: str) -> DeadlineMethod:
        metadata = metadata_from_context_data(self.context_data)
        metadata.append((service_auth.HEADER, self.token))
        return DeadlineMethod(self.caller, name, metadata, self.caller.deadline)


class ServiceClients(DependencyProvider):
    """`owners = ServiceClients(["auth", "billing"], DataOwnerServiceStub)`: the same
    contract on several services; the dependency maps a service name to its client."""

    def __init__(self, services: Iterable[str], stub: type) -> None:
        self.services = tuple(services)
        self.stub = stub

    def setup(self) -> None:
        grpc_wakeup.install()
        self.callers = {name: Caller(name, self.stub, self._spawn) for name in self.services}
        # The calling service's own token (a test process may host several services).
        self.token = get_settings().service_tokens.get(self.container.service_name, "")

    def _spawn(self, run: Any, name: str) -> None:
        self.container.spawn_managed_thread(run, identifier=name)

    def start(self) -> None:
        for caller in self.callers.values():
            caller.start()

    def stop(self) -> None:
        for caller in self.callers.values():
            caller.stop()

    def get_dependency(self, worker_ctx: Any) -> dict[str, CallerProxy]:
        return {
            name: CallerProxy(caller, worker_ctx.context_data, self.token)
            for name, caller in self.callers.items()
        }


class ServiceClient(ServiceClients):
    """`billing = ServiceClient("billing", BillingServiceStub)` in a service class."""

    def __init__(self, service: str, stub: type) -> None:
        super().__init__([service], stub)

    def get_dependency(self, worker_ctx: Any) -> CallerProxy:  # type: ignore[override]
        return CallerProxy(self.callers[self.services[0]], worker_ctx.context_data, self.token)


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
