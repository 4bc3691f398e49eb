"""The gateway: the browser's only door. HTTP/JSON (and later WebSocket) in front,
grpc.aio to the services behind. See README "Why the gateway is ASGI"."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import structlog
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from prometheus_client import Counter, Histogram
from starlette.exceptions import HTTPException as StarletteHTTPException

from mocky.platform.settings import Settings, get_settings
from services.gateway import (
    api_docs,
    auth_routes,
    billing_routes,
    compliance_routes,
    dev_routes,
    interview_routes,
    live,
    ops_routes,
    privacy_routes,
    usage,
)
from services.gateway.clients import ApiError, GatewayClients
from services.gateway.link_pages import link_page, wants_link_page
from services.gateway.security import (
    BodyLimitMiddleware,
    CsrfMiddleware,
    RequestContextMiddleware,
    SecurityHeadersMiddleware,
    UnhandledErrors,
    error_response,
)
from services.gateway.usage import UsagePublisher

log = structlog.get_logger(__name__)
WEB_DIR = Path(__file__).with_name("web")

HTTP_REQUESTS = Counter(
    "mocky_http_requests_total", "Gateway requests", ["method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "mocky_http_request_duration_seconds",
    "Gateway latency",
    ["method", "route"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.clients = GatewayClients(settings)
        app.state.usage = UsagePublisher(settings)
        log.info("gateway_started", env=settings.env, port=settings.gateway_port)
        yield
        await app.state.clients.close()
        app.state.usage.close()

    app = FastAPI(
        title="Mocky API",
        version="1.0.0",
        lifespan=lifespan,
        openapi_url="/api/openapi.json",
        docs_url=None,  # FastAPI's page loads Swagger UI from a CDN with an inline script
        redoc_url=None,
    )
    app.state.settings = settings

    # Added first = innermost: the body limit wraps what routes read, and an unexpected
    # error becomes a 500 that the security headers below still reach.
    app.add_middleware(UnhandledErrors)
    app.add_middleware(BodyLimitMiddleware, settings=settings)
    app.add_middleware(CsrfMiddleware, settings=settings)
    app.add_middleware(SecurityHeadersMiddleware, settings=settings)
    app.add_middleware(RequestContextMiddleware)

    @app.middleware("http")
    async def measure(request: Request, call_next):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        template = getattr(route, "path", "unmatched")
        HTTP_REQUESTS.labels(request.method, template, str(response.status_code)).inc()
        HTTP_LATENCY.labels(request.method, template).observe(time.perf_counter() - started)
        return response

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        if wants_link_page(request):
            return link_page(exc.status, exc.message, headers)
        return error_response(exc.status, exc.code, exc.message, headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        fields = sorted({".".join(str(p) for p in e.get("loc", ())[1:]) for e in exc.errors()})
        message = f"invalid or missing fields: {', '.join(fields) or 'body'}"
        if wants_link_page(request):
            return link_page(400, "the link was cut short or changed: " + message)
        return error_response(400, "invalid_request", message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {
            404: "not_found",
            405: "method_not_allowed",
            408: "request_timeout",
            413: "too_large",
        }.get(exc.status_code, "error")
        return error_response(exc.status_code, code, str(exc.detail))

    app.include_router(ops_routes.ops)
    app.include_router(auth_routes.auth, prefix="/api/v1")
    app.include_router(billing_routes.billing, prefix="/api/v1")
    app.include_router(interview_routes.documents, prefix="/api/v1")
    app.include_router(interview_routes.interviews, prefix="/api/v1")
    app.include_router(privacy_routes.privacy, prefix="/api/v1")
    app.include_router(compliance_routes.compliance, prefix="/api/v1")
    app.include_router(live.live, prefix="/api/v1")
    app.include_router(usage.usage, prefix="/api/v1")
    if settings.dev_tools_enabled:
        app.include_router(dev_routes.dev, prefix="/api/v1")

    api_docs.mount(app)

    @app.api_route(
        "/api/{path:path}",
        methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        include_in_schema=False,
    )
    async def unknown_api_path(path: str) -> JSONResponse:
        # Without this, the static app below would answer unknown API paths (405s).
        return error_response(404, "not_found", "no such API path")

    app.mount("/", StaticFiles(directory=WEB_DIR, html=True), name="web")
    return app
