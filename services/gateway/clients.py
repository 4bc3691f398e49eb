"""grpc.aio clients for the services, with deadlines, request/correlation ids in
the metadata, and gRPC statuses mapped to the API's HTTP errors."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import grpc
from google.protobuf.json_format import MessageToDict
from grpc_health.v1 import health_pb2, health_pb2_grpc

from mocky.auth.v1 import auth_pb2_grpc
from mocky.billing.v1 import billing_pb2_grpc
from mocky.platform import service_auth
from mocky.platform.settings import SERVICES, Settings
from mocky.platform.v1 import platform_pb2_grpc
from mocky.privacy.v1 import privacy_pb2, privacy_pb2_grpc
from mocky.sessions.v1 import sessions_pb2_grpc
from mocky.voice.v1 import voice_pb2_grpc

T = TypeVar("T")

HTTP_STATUS_FOR_GRPC = {
    grpc.StatusCode.INVALID_ARGUMENT: 400,
    grpc.StatusCode.OUT_OF_RANGE: 400,
    grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.FAILED_PRECONDITION: 409,
    grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DEADLINE_EXCEEDED: 503,
}
# A domain code that needs a status of its own, whatever the gRPC status.
HTTP_STATUS_FOR_CODE = {
    "payment_required": 402,
    "too_large": 413,
    "unsupported_type": 415,
    "empty_file": 422,
    "corrupt_file": 422,
    "decompression_bomb": 422,
    "too_complex": 422,
    "no_text": 422,
    "empty_audio": 422,
    "corrupt_audio": 422,
    "silent_audio": 422,
    "too_long": 422,
    "busy": 503,  # the service is full: try again after Retry-After
}
MAX_MESSAGE_BYTES = 32 * 1024 * 1024  # uploads travel to the services in one message
CHANNEL_OPTIONS = [
    ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
    ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
]


def as_json(message: Any) -> dict[str, Any]:
    return MessageToDict(
        message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after


def api_error_from_rpc(error: grpc.aio.AioRpcError) -> ApiError:
    status = HTTP_STATUS_FOR_GRPC.get(error.code(), 500)
    try:
        detail = json.loads(error.details() or "{}")
    except ValueError:
        detail = {}
    if not isinstance(detail, dict):
        detail = {}
    if status >= 500 or not detail:
        # Never pass a service's internals to the browser.
        code = "unavailable" if status == 503 else "internal"
        message = (
            "a service is unavailable, try again shortly" if status == 503 else "internal error"
        )
        return ApiError(status, code, message, retry_after=5 if status == 503 else None)
    code = str(detail.get("code") or "error")
    return ApiError(
        HTTP_STATUS_FOR_CODE.get(code, status),
        code,
        str(detail.get("message") or code),
        detail.get("retry_after"),
    )


@dataclass
class CallContext:
    request_id: str
    correlation_id: str

    def metadata(self) -> tuple[tuple[str, str], ...]:
        # nameko-grpc turns `x-nameko-<key>` (JSON values) into the worker's context data
        return (
            ("x-nameko-request_id", json.dumps(self.request_id)),
            ("x-nameko-correlation_id", json.dumps(self.correlation_id)),
        )


class GatewayClients:
    """One channel per service, opened at start-up and shared by all requests."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # Every call says it comes from the gateway (services check it: service_auth).
        self.identity = ((service_auth.HEADER, settings.service_tokens.get("gateway", "")),)
        self.channels = {
            name: grpc.aio.insecure_channel(settings.grpc_target(name), options=CHANNEL_OPTIONS)
            for name in SERVICES
        }
        self.auth = auth_pb2_grpc.AuthServiceStub(self.channels["auth"])
        self.privacy = privacy_pb2_grpc.PrivacyServiceStub(self.channels["privacy"])
        self.billing = billing_pb2_grpc.BillingServiceStub(self.channels["billing"])
        self.sessions = sessions_pb2_grpc.SessionsServiceStub(self.channels["sessions"])
        self.voice = voice_pb2_grpc.VoiceServiceStub(self.channels["voice"])
        self.platform = {
            name: platform_pb2_grpc.PlatformServiceStub(channel)
            for name, channel in self.channels.items()
        }
        self.health = {
            name: health_pb2_grpc.HealthStub(channel) for name, channel in self.channels.items()
        }

    async def call(
        self,
        method: Callable[..., Awaitable[T]],
        request: Any,
        ctx: CallContext,
        timeout: float | None = None,
    ) -> T:
        try:
            return await method(
                request,
                timeout=timeout or self.settings.grpc_deadline_seconds,
                metadata=ctx.metadata() + self.identity,
            )
        except grpc.aio.AioRpcError as error:
            raise api_error_from_rpc(error) from None

    async def consented(self, user_id: str, purpose: str, ctx: CallContext) -> bool:
        """Whether the user's consent for an optional purpose (`ai_provider`,
        `analytics`) stands now: asked per use, so a withdrawal applies at once."""
        answer = await self.call(
            self.privacy.GetConsents, privacy_pb2.GetConsentsRequest(user_id=user_id), ctx
        )
        return any(c.purpose == purpose and c.granted for c in answer.consents)

    async def stream(
        self, method: Callable[..., Any], request: Any, ctx: CallContext, timeout: float
    ) -> AsyncIterator[Any]:
        """A server-streaming call's messages; closing the iterator early (the caller
        stopped listening) cancels the call."""
        call = method(request, timeout=timeout, metadata=ctx.metadata() + self.identity)
        try:
            async for message in call:
                yield message
        except grpc.aio.AioRpcError as error:
            raise api_error_from_rpc(error) from None
        finally:
            call.cancel()

    async def service_health(self, name: str) -> bool:
        try:
            response = await self.health[name].Check(health_pb2.HealthCheckRequest(), timeout=2)
        except grpc.aio.AioRpcError:
            return False
        return response.status == health_pb2.HealthCheckResponse.SERVING

    async def close(self) -> None:
        for channel in self.channels.values():
            await channel.close()
