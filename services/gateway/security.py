"""Request ids, security headers, CSRF protection and the session cookie."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import structlog
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp

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
