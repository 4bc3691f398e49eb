"""Sessions service entrypoints. For now the service runs with the platform's health,
reflection, dev clock and metrics; its own API (mocky.sessions.v1) comes with its issue."""

from __future__ import annotations

from mocky.platform.grpc import LogContext, PlatformEntrypoints
from mocky.platform.metrics import EntrypointMetrics


class SessionsService(PlatformEntrypoints):
    name = "sessions"
    entrypoint_metrics = EntrypointMetrics()
    log_context = LogContext()
