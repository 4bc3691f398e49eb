"""Every service's gRPC port: health, reflection, the dev clock, error mapping, and a
service-to-service call through nameko-grpc's proxy with the wake-up fix."""

from __future__ import annotations

import json
import time

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from nameko.extensions import DependencyProvider
from nameko.rpc import rpc as nameko_rpc
from nameko.testing.services import entrypoint_hook
from nameko_grpc.dependency_provider import GrpcProxy
from nameko_grpc.errors import GrpcError

from mocky.platform import errors
from mocky.platform.grpc import PlatformEntrypoints, rpc
from mocky.platform.v1 import platform_pb2, platform_pb2_grpc
from tests.infra import service_metadata
from tests.integration.conftest import grpc_client


class PlatformEntrypointsService(PlatformEntrypoints):
    name = "plain"


class Refusing(PlatformEntrypoints):
    """A service whose clock RPCs fail, to see how errors travel: GetClock with a
    domain error, AdvanceClock with an unexpected one."""

    name = "refusing"

    @rpc(platform_pb2_grpc.PlatformServiceStub)
    def GetClock(self, request, context):  # type: ignore[no-untyped-def]
        raise errors.NotFound("no such interview")

    @rpc(platform_pb2_grpc.PlatformServiceStub)
    def AdvanceClock(self, request, context):  # type: ignore[no-untyped-def]
        raise KeyError("secret internal detail")


def test_health_check_answers_serving(start_service):
    _, port = start_service(PlatformEntrypointsService)
    with grpc_client(port, health_pb2_grpc.HealthStub) as health:
        response = health.Check(health_pb2.HealthCheckRequest())
    assert response.status == health_pb2.HealthCheckResponse.SERVING


def test_reflection_lists_the_services_on_the_port(start_service):
    _, port = start_service(PlatformEntrypointsService)
    with grpc_client(port, reflection_pb2_grpc.ServerReflectionStub) as reflection:
        responses = list(
            reflection.ServerReflectionInfo(
                iter([reflection_pb2.ServerReflectionRequest(list_services="")])
            )
        )
    names = {s.name for s in responses[0].list_services_response.service}
    assert {"grpc.health.v1.Health", "mocky.platform.v1.PlatformService"} <= names


def test_advanced_clock_is_kept_across_a_restart(start_service, container_factory):
    container, port = start_service(PlatformEntrypointsService)
    with grpc_client(port, platform_pb2_grpc.PlatformServiceStub) as platform:
        before = time.time()
        response = platform.AdvanceClock(platform_pb2.AdvanceClockRequest(advance_seconds=86400))
    assert response.offset_seconds == 86400
    assert response.now_unix >= before + 86400
    container.stop()

    _, port = start_service(PlatformEntrypointsService)
    with grpc_client(port, platform_pb2_grpc.PlatformServiceStub) as platform:
        assert platform.GetClock(platform_pb2.GetClockRequest()).offset_seconds == 86400


def test_domain_error_arrives_as_its_status_with_a_json_detail(start_service):
    _, port = start_service(Refusing)
    with grpc_client(port, platform_pb2_grpc.PlatformServiceStub) as platform:
        with pytest.raises(GrpcError) as raised:
            platform.GetClock(platform_pb2.GetClockRequest())
    assert raised.value.code == grpc.StatusCode.NOT_FOUND
    assert json.loads(raised.value.message) == {"code": "not_found", "message": "no such interview"}


def test_unexpected_error_is_internal_without_its_details(start_service):
    _, port = start_service(Refusing)
    with grpc_client(port, platform_pb2_grpc.PlatformServiceStub) as platform:
        with pytest.raises(GrpcError) as raised:
            platform.AdvanceClock(platform_pb2.AdvanceClockRequest(advance_seconds=1))
    assert raised.value.code == grpc.StatusCode.INTERNAL
    assert "secret" not in raised.value.message


def test_service_to_service_call_through_grpc_proxy(start_service, container_factory):
    _, port = start_service(PlatformEntrypointsService)

    class CallerService:
        name = "caller"
        platform = GrpcProxy(f"//127.0.0.1:{port}", platform_pb2_grpc.PlatformServiceStub)

        @nameko_rpc
        def ask(self):  # type: ignore[no-untyped-def]
            request = platform_pb2.GetClockRequest()
            metadata = service_metadata("gateway")
            return self.platform.GetClock(request, timeout=2, metadata=metadata).now_unix

    container, _ = start_service(CallerService)
    with entrypoint_hook(container, "ask") as ask:
        answers = [ask() for _ in range(20)]
    assert answers == sorted(answers) and answers[0] > 0


class ContextData(DependencyProvider):
    def get_dependency(self, worker_ctx):  # type: ignore[no-untyped-def]
        return worker_ctx.context_data


class Introspecting(PlatformEntrypoints):
    """Says, as its refusal, who called it and what context data its worker got."""

    name = "introspecting"
    context_data = ContextData()

    @rpc(platform_pb2_grpc.PlatformServiceStub)
    def GetClock(self, request, context):  # type: ignore[no-untyped-def]
        raise errors.NotFound(json.dumps({"caller": self.caller, "data": dict(self.context_data)}))


def test_services_refuse_callers_without_a_valid_token(start_service):
    """Anyone on the host could call any service (read a CV by user id, delete an
    account): every call now needs a service's token, and the right service's."""
    _, port = start_service(Introspecting)
    outcomes = {}
    for caller in ("", "gateway", "sessions"):
        with grpc_client(port, platform_pb2_grpc.PlatformServiceStub, caller) as platform:
            with pytest.raises(GrpcError) as raised:
                platform.GetClock(platform_pb2.GetClockRequest())
        outcomes[caller] = raised.value
    with grpc_client(port, health_pb2_grpc.HealthStub, caller="") as health:
        status = health.Check(health_pb2.HealthCheckRequest()).status  # probes stay open
    assert outcomes[""].code == grpc.StatusCode.UNAUTHENTICATED
    assert outcomes["sessions"].code == grpc.StatusCode.PERMISSION_DENIED  # the dev clock
    seen = json.loads(json.loads(outcomes["gateway"].message)["message"])
    assert seen["caller"] == "gateway"
    # The token never reaches the worker's context, which travels on to other services.
    assert not any("mocky-service-auth" in key for key in seen["data"])
    assert status == health_pb2.HealthCheckResponse.SERVING
