"""Billing service entrypoints. For now the service runs with the platform's health,
reflection, dev clock and metrics; its own API (mocky.billing.v1) comes with its issue."""

from __future__ import annotations

from mocky.platform.grpc import LogContext, PlatformEntrypoints
from mocky.platform.metrics import EntrypointMetrics


class BillingService(PlatformEntrypoints):
    name = "billing"
    entrypoint_metrics = EntrypointMetrics()
    log_context = LogContext()
