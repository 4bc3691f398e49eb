"""Request ids, security headers, CSRF protection and the session cookie."""

from __future__ import annotations

import asyncio
import re
import uuid
from urllib.parse import urlsplit

import structlog
from starlette.exceptions import HTTPException
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mocky.platform.settings import Settings

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Server-to-server callers (Paddle) sign their requests instead.
CSRF_EXEMPT_PREFIXES = ("/api/v1/webhooks/",)


def cookie_name(settings: Settings) -> str:
    # `__Host-` binds the cookie to this exact origin (Secure, Path=/, no Domain);
    # browsers refuse the prefix without Secure, so plain-http local runs drop it.
    return "__Host-mocky_session" if settings.cookie_secure else "mocky_session"


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message}}, status_code=status, headers=headers
    )


class RequestContextMiddleware(BaseHTTPMiddleware):
    """A request id on every request and response, bound to every log line."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        incoming = request.headers.get("x-request-id", "")
        request_id = (
            incoming if 8 <= len(incoming) <= 64 and incoming.isalnum() else uuid.uuid4().hex
        )
        request.state.request_id = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id, correlation_id=request_id)
        try:
            response = await call_next(request)
        finally:
            structlog.contextvars.unbind_contextvars("request_id", "correlation_id")
        response.headers["X-Request-ID"] = request_id
        return response


class CsrfMiddleware(BaseHTTPMiddleware):
    """Browsers send Origin and Sec-Fetch-Site on state-changing requests: a request
    from another site is refused. Clients that are not browsers send neither and carry
    no ambient cookie risk (SameSite=Lax keeps the cookie off cross-site POSTs too)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        super().__init__(app)
        self.allowed_origins = {origin_of(settings.public_base_url)}

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if request.method in UNSAFE_METHODS and not request.url.path.startswith(
            CSRF_EXEMPT_PREFIXES
        ):
            site = request.headers.get("sec-fetch-site")
            origin = request.headers.get("origin")
            if site not in (None, "same-origin", "none") or (
                origin is not None and origin not in self.allowed_origins
            ):
                return error_response(403, "csrf_rejected", "cross-site request refused")
        return await call_next(request)


log = structlog.get_logger(__name__)

DEFAULT_BODY_LIMIT = 64 * 1024
MULTIPART_OVERHEAD = 64 * 1024
MAX_AUDIO_BYTES = 10 * 1024 * 1024
WEBHOOK_MAX_BYTES = 1024 * 1024
BODY_IDLE_SECONDS = 20  # a body that stops arriving for this long is given up on


class BodyTooLarge(HTTPException):
    def __init__(self) -> None:
        super().__init__(413, "the request body is too large")


class BodyTimeout(HTTPException):
    def __init__(self) -> None:
        super().__init__(408, "the request body stopped arriving")


def body_limits(settings: Settings) -> list[tuple[str, re.Pattern[str], int]]:
    """(method, path, largest body): where more than the default is legitimate."""
    upload = settings.max_upload_bytes + MULTIPART_OVERHEAD
    return [
        ("POST", re.compile(r"/api/v1/documents/?"), upload),
        ("PUT", re.compile(r"/api/v1/documents/[^/]+"), upload),
        (
            "POST",
            re.compile(r"/api/v1/interviews/[^/]+/answers"),
            MAX_AUDIO_BYTES + MULTIPART_OVERHEAD,
        ),
        ("POST", re.compile(r"/api/v1/webhooks/paddle"), WEBHOOK_MAX_BYTES),
    ]


class BodyLimitMiddleware:
    """One streaming size limit for every request body, before anything parses it: a
    declared Content-Length over the route's limit is refused at once (413), a chunked
    body as soon as the bytes received pass it, and a body that stalls is given up on
    (408). ASGI servers would otherwise buffer whatever is sent."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.limits = body_limits(settings)

    def limit_for(self, method: str, path: str) -> int:
        for route_method, pattern, limit in self.limits:
            if method == route_method and pattern.fullmatch(path):
                return limit
        return DEFAULT_BODY_LIMIT

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["method"], scope["path"])
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await error_response(413, "too_large", "the request body is too large")(
                scope, receive, send
            )
            return
        await self.app(scope, counted(receive, limit), send)


def counted(receive: Receive, limit: int) -> Receive:
    received = 0
    complete = False

    async def receive_counted() -> Message:
        nonlocal received, complete
        if complete:  # past the body: waiting for a disconnect may take as long as it takes
            return await receive()
        try:
            message = await asyncio.wait_for(receive(), BODY_IDLE_SECONDS)
        except TimeoutError:
            raise BodyTimeout() from None
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge()
            complete = not message.get("more_body", False)
        return message

    return receive_counted


class UnhandledErrors:
    """Innermost: an unexpected exception becomes a JSON 500 that still passes through
    the security-header middleware (Starlette's own 500 is written outside every
    middleware, without them)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:
            log.error("gateway_request_failed", error=type(error).__name__, exc_info=True)
            if started:
                raise
            await error_response(500, "internal", "internal error")(scope, receive, send)


DOCS_ASSETS = "/api/docs/assets/"  # Swagger UI's files: cached like the web app's


class SecurityHeadersMiddleware(BaseHTTPMiddleware):
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        super().__init__(app)
        self.hsts = settings.public_base_url.startswith("https://")

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        headers = response.headers
        headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; "
            "base-uri 'none'; form-action 'self'",
        )
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("Permissions-Policy", "camera=(), geolocation=(), microphone=(self)")
        if self.hsts:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.url.path.startswith("/api/") and not request.url.path.startswith(DOCS_ASSETS):
            headers.setdefault("Cache-Control", "no-store")
        else:
            # The web app's files are not fingerprinted: browsers keep them but ask again
            # (ETag / Last-Modified make that a cheap 304), so a release shows at once.
            headers.setdefault("Cache-Control", "no-cache")
        return response
