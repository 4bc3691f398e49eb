"""structlog JSON logs: one line per event, with the service name and the
request/correlation ids of the work in hand, and personal data stripped."""

from __future__ import annotations

import ipaddress
import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

from mocky.platform.usage import truncate_ip

# Keys whose values are personal data or secrets: dropped whatever their value.
REDACTED_KEYS = frozenset(
    {
        "email",
        "new_email",
        "old_email",
        "to",
        "token",
        "session_token",
        "cookie",
        "password",
        "cv_text",
        "jd_text",
        "text",
        "transcript",
        "answer",
        "body",
        "html",
        "url",
        "link",
        "download_url",
        "ip",
        "client_ip",
        "authorization",
        "signature",
        "secret",
    }
)
EMAIL_PATTERN = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
# Long opaque tokens (magic links and sessions are 43 characters) inside free text;
# ids (32-character hex, 36-character UUIDs) stay readable.
TOKEN_PATTERN = re.compile(r"(?<![A-Za-z0-9_\-])[A-Za-z0-9_\-]{40,}(?![A-Za-z0-9_\-])")
# Client addresses in free text (e.g. uvicorn's `1.2.3.4:5678 - "WebSocket ..."` lines)
# keep only their network, as the usage logs do: IPv4 /24, IPv6 /48, no port.
IPV4_PATTERN = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?::\d{1,5})?(?![\d.])")
IPV6_PATTERN = re.compile(
    r"(?<![0-9A-Za-z:.])\[?((?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}"
    r"|(?:[0-9A-Fa-f]{1,4}:)*[0-9A-Fa-f]{0,4}::(?:[0-9A-Fa-f]{1,4}:)*[0-9A-Fa-f]{0,4})\]?"
    r"(?::\d{1,5})?(?![0-9A-Za-z:])"
)
REDACTED = "[redacted]"


def _network(match: re.Match[str]) -> str:
    try:
        ipaddress.ip_address(match.group(1))
    except ValueError:
        return match.group(0)  # something else that looks like one (a version, a time)
    return truncate_ip(match.group(1))


def _scrub(value: str) -> str:
    value = EMAIL_PATTERN.sub("[email]", value)
    value = TOKEN_PATTERN.sub("[token]", value)
    value = IPV4_PATTERN.sub(_network, value)
    return IPV6_PATTERN.sub(_network, value)


def strip_personal_data(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Last line of defence: callers should not pass personal data at all."""
    for key in list(event_dict):
        if key.lower() in REDACTED_KEYS:
            event_dict[key] = REDACTED
        elif isinstance(event_dict[key], str):
            event_dict[key] = _scrub(event_dict[key])
    return event_dict


def configure_logging(service: str, level: str = "info", stream: Any = None) -> None:
    """Configure structlog and route the standard library's logging through it."""
    numeric = getattr(logging, level.upper(), logging.INFO)
    shared = [
        _add_service(service),  # survives greenthreads/tasks that start with a fresh context
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
    ]
    structlog.configure(
        processors=[*shared, strip_personal_data, structlog.processors.JSONRenderer()],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(file=stream or sys.stdout),
        cache_logger_on_first_use=False,
    )
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*shared, structlog.stdlib.add_logger_name],
            processors=[
                strip_personal_data,
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.JSONRenderer(),
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(max(numeric, logging.INFO))
    # Libraries that log request payloads or frames at debug level stay quiet.
    # nameko logs every failed worker with its traceback; expected refusals are logged by
    # our own entrypoints, unexpected ones by the gRPC error handler.
    logging.getLogger("nameko.containers").setLevel(logging.ERROR)
    for noisy in (
        "nameko_grpc",
        "h2",
        "kombu",
        "amqp",
        "pymongo",
        "botocore",
        "urllib3",
        "uvicorn.access",
        "httpx",
        "httpcore",
    ):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _add_service(service: str):
    def add(_logger: Any, _method: str, event_dict: dict) -> dict:
        event_dict.setdefault("service", service)
        return event_dict

    return add


def get_logger(name: str | None = None) -> Any:
    return structlog.get_logger(name)


def current_correlation_id() -> str:
    """The correlation id bound to the work in hand (events carry it onwards)."""
    return str(structlog.contextvars.get_contextvars().get("correlation_id") or "")
