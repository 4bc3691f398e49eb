"""gRPC inside nameko services: entrypoints, the shared error table, the standard
health and reflection services, and the platform's own service (the dev clock).

Importing this module installs the connection-loop wake-up (see `grpc_wakeup`).
"""

from __future__ import annotations

import json
import sys
from functools import partial
from typing import Any

import grpc as grpc_lib
import structlog
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection, reflection_pb2_grpc
from nameko.exceptions import ContainerBeingKilled
from nameko.extensions import DependencyProvider
from nameko_grpc.constants import Cardinality
from nameko_grpc.context import GrpcContext, context_data_from_metadata
from nameko_grpc.entrypoint import Grpc
from nameko_grpc.errors import GrpcError, register_exception_handler

from mocky.platform import errors, grpc_wakeup, service_auth
from mocky.platform.clock import Clock
from mocky.platform.mongo import ensure_collection, mongo_client, service_database
from mocky.platform.settings import get_settings
from mocky.platform.v1 import platform_pb2, platform_pb2_grpc

grpc_wakeup.install()

log = structlog.get_logger(__name__)

StatusCode = grpc_lib.StatusCode

# One table: domain error -> gRPC status. The gateway maps statuses to HTTP.
STATUS_FOR_ERROR: dict[type[errors.DomainError], grpc_lib.StatusCode] = {
    errors.InvalidArgument: StatusCode.INVALID_ARGUMENT,
    errors.Unauthenticated: StatusCode.UNAUTHENTICATED,
    errors.PermissionDenied: StatusCode.PERMISSION_DENIED,
    errors.NotFound: StatusCode.NOT_FOUND,
    errors.Conflict: StatusCode.FAILED_PRECONDITION,
    errors.RateLimited: StatusCode.RESOURCE_EXHAUSTED,
    errors.PaymentRequired: StatusCode.FAILED_PRECONDITION,
    errors.Unavailable: StatusCode.UNAVAILABLE,
}


def error_detail(error: errors.DomainError) -> str:
    """The grpc-message of a domain error: JSON the gateway turns into its error body."""
    detail: dict[str, Any] = {"code": error.code, "message": error.message}
    retry_after = getattr(error, "retry_after_seconds", None)
    if retry_after is not None:
        detail["retry_after"] = retry_after
    return json.dumps(detail)


def _grpc_error_from_domain(exc_info: Any, code: Any = None, message: Any = None) -> GrpcError:
    error = exc_info[1]
    status = next(
        (s for cls, s in STATUS_FOR_ERROR.items() if isinstance(error, cls)), StatusCode.UNKNOWN
    )
    return GrpcError(code=status, message=error_detail(error))


def _unexpected(exc_info: Any, code: Any = None, message: Any = None) -> GrpcError:
    # Unexpected failures are logged here and reach the caller without internals.
    log.error("grpc_handler_failed", error=type(exc_info[1]).__name__, exc_info=exc_info)
    return GrpcError(
        code=code or StatusCode.INTERNAL,
        message=json.dumps({"code": "internal", "message": "internal error"}),
    )


register_exception_handler(GrpcError, lambda exc_info, code=None, message=None: exc_info[1])


class DomainErrorsAsStatus(Grpc):
    """Grpc entrypoint for our services: domain errors are expected refusals (mapped by
    the table above); anything else becomes INTERNAL without internals."""

    def __init__(self, stub: Any, **kwargs: Any) -> None:
        kwargs.setdefault("expected_exceptions", (errors.DomainError,))
        super().__init__(stub, **kwargs)

    def handle_request(self, request_stream: Any, response_stream: Any) -> None:
        """nameko-grpc's, with the caller authenticated and authorised
        (`service_auth`) before the request is read or a worker spawned. The verified
        name goes into the worker's context data as `caller`; the token itself does not
        (context data travels on to the services this worker calls)."""
        path = request_stream.headers.get(":path") or ""
        try:
            caller = service_auth.authenticate(
                path,
                request_stream.headers.get(service_auth.HEADER),
                get_settings().service_token_hashes,
            )
        except service_auth.ServiceAuthError as refusal:
            log.warning("grpc_call_refused", method=path, denied=refusal.denied)
            status = StatusCode.PERMISSION_DENIED if refusal.denied else StatusCode.UNAUTHENTICATED
            detail = {"code": "service_auth", "message": str(refusal)}
            response_stream.close(GrpcError(code=status, message=json.dumps(detail)))
            return
        request = request_stream.consume(self.input_type)
        if self.cardinality in (Cardinality.UNARY_STREAM, Cardinality.UNARY_UNARY):
            try:
                request = next(request)
            except Exception:
                error = GrpcError.from_exception(
                    sys.exc_info(), code=StatusCode.INTERNAL, message="cannot read the request"
                )
                response_stream.close(error)
                return
        context = GrpcContext(request_stream, response_stream)
        metadata = [
            (key, value)
            for key, value in context.invocation_metadata()
            if key != service_auth.HEADER
        ]
        context_data = {**context_data_from_metadata(metadata), "caller": caller}
        try:
            self.container.spawn_worker(
                self,
                (request, context),
                {},
                context_data=context_data,
                handle_result=partial(self.handle_result, response_stream),
            )
        except ContainerBeingKilled:
            raise GrpcError(code=StatusCode.UNAVAILABLE, message="server shutting down") from None

    def handle_result(
        self, response_stream: Any, worker_ctx: Any, result: Any, exc_info: Any
    ) -> Any:
        if exc_info is None or isinstance(exc_info[1], GrpcError):
            return super().handle_result(response_stream, worker_ctx, result, exc_info)
        # nameko-grpc's handler registry matches exact types; subclasses of a domain
        # error (e.g. billing's InvalidSignature) must map like their base.
        if isinstance(exc_info[1], errors.DomainError):
            response_stream.close(_grpc_error_from_domain(exc_info))
        else:
            response_stream.close(_unexpected(exc_info))
        return result, exc_info


rpc = DomainErrorsAsStatus.implementing


# -- dependencies every service has ---------------------------------------------------


class PersistentClock(Clock):
    """The service's clock; its dev/test offset is kept in the service's database so
    a restart keeps the moved time."""

    COLLECTION = "_platform"

    def __init__(self, db: Any) -> None:
        self.db = db
        ensure_collection(db, self.COLLECTION)
        stored = db[self.COLLECTION].find_one({"_id": "clock"}) or {}
        dev = get_settings().dev_tools_enabled
        super().__init__(float(stored.get("offset_seconds", 0.0)) if dev else 0.0)

    def advance(self, seconds: float) -> float:
        offset = super().advance(seconds)
        self.db[self.COLLECTION].update_one(
            {"_id": "clock"}, {"$set": {"offset_seconds": offset}}, upsert=True
        )
        return offset


class ClockProvider(DependencyProvider):
    def setup(self) -> None:
        self.clock = PersistentClock(service_database(self.container.service_name))

    def get_dependency(self, worker_ctx: Any) -> PersistentClock:
        return self.clock


class LogContext(DependencyProvider):
    """Binds the request and correlation ids of the work in hand to every log line."""

    def worker_setup(self, worker_ctx: Any) -> None:
        data = worker_ctx.context_data
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(
            request_id=data.get("request_id") or worker_ctx.call_id,
            correlation_id=data.get("correlation_id") or data.get("request_id") or "",
            entrypoint=worker_ctx.entrypoint.method_name,
        )

    def worker_teardown(self, worker_ctx: Any) -> None:
        structlog.contextvars.clear_contextvars()


class CallerIdentity(DependencyProvider):
    """The verified name of the service that made this gRPC call ("" for others)."""

    def get_dependency(self, worker_ctx: Any) -> str:
        return str(worker_ctx.context_data.get("caller", ""))


class HealthCheck(DependencyProvider):
    """SERVING while the service's database answers; the gRPC health probe asks it."""

    def get_dependency(self, worker_ctx: Any) -> HealthCheck:
        return self

    def serving(self) -> bool:
        try:
            mongo_client(get_settings().mongo_url).admin.command("ping")
            return True
        except Exception:
            return False


class PlatformEntrypoints:
    """Mixed into every nameko service: the standard health service, reflection and
    the dev clock on the service's gRPC port. (Health's streaming Watch answers
    UNIMPLEMENTED, which the health protocol allows; probes use Check.)"""

    clock = ClockProvider()
    health = HealthCheck()
    caller = CallerIdentity()

    @rpc(health_pb2_grpc.HealthStub)
    def Check(self, request: Any, context: Any) -> Any:
        status = (
            health_pb2.HealthCheckResponse.SERVING
            if self.health.serving()
            else health_pb2.HealthCheckResponse.NOT_SERVING
        )
        return health_pb2.HealthCheckResponse(status=status)

    @rpc(reflection_pb2_grpc.ServerReflectionStub)
    def ServerReflectionInfo(self, request_iterator: Any, context: Any) -> Any:
        services = [
            reflection.SERVICE_NAME,
            "grpc.health.v1.Health",
            "mocky.platform.v1.PlatformService",
            *self.reflected_services,
        ]
        return reflection.ReflectionServicer(services).ServerReflectionInfo(request_iterator, None)

    reflected_services: tuple[str, ...] = ()

    @rpc(platform_pb2_grpc.PlatformServiceStub)
    def AdvanceClock(self, request: Any, context: Any) -> Any:
        if not get_settings().dev_tools_enabled:
            raise errors.Conflict("the clock moves only in dev and test", code="not_available")
        if request.advance_seconds < 0:
            raise errors.InvalidArgument("advance_seconds must not be negative")
        offset = self.clock.advance(request.advance_seconds)
        return platform_pb2.AdvanceClockResponse(offset_seconds=offset, now_unix=self.clock.time())

    @rpc(platform_pb2_grpc.PlatformServiceStub)
    def GetClock(self, request: Any, context: Any) -> Any:
        return platform_pb2.GetClockResponse(
            offset_seconds=self.clock.offset_seconds, now_unix=self.clock.time()
        )
