"""Domain errors every service raises; one table maps them to gRPC status codes
(`mocky.platform.grpc`) and the gateway maps those to HTTP. Pure Python on purpose:
domain modules import this and nothing of the frameworks."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal the caller can act on. `code` is the stable machine-readable reason."""

    code = "error"

    def __init__(self, message: str = "", code: str | None = None) -> None:
        super().__init__(message or self.__class__.__doc__ or self.code)
        self.message = message or (self.__class__.__doc__ or self.code).strip()
        if code:
            self.code = code


class InvalidArgument(DomainError):
    """The request is malformed."""

    code = "invalid_argument"


class Unauthenticated(DomainError):
    """Not signed in, or the credential is unknown, used or expired."""

    code = "unauthenticated"


class PermissionDenied(DomainError):
    """Signed in, but not allowed to do this."""

    code = "forbidden"


class NotFound(DomainError):
    """No such thing (or not yours)."""

    code = "not_found"


class Conflict(DomainError):
    """The thing is not in a state that allows this."""

    code = "conflict"


class RateLimited(DomainError):
    """Too many attempts; try again later."""

    code = "rate_limited"

    def __init__(
        self, retry_after_seconds: int, message: str = "", code: str | None = None
    ) -> None:
        super().__init__(message or "Too many attempts; try again later.", code)
        self.retry_after_seconds = retry_after_seconds


class PaymentRequired(DomainError):
    """No credit left."""

    code = "payment_required"


class Unavailable(DomainError):
    """A dependency is down; retry later."""

    code = "unavailable"
