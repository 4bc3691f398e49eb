"""Prometheus metrics: every entrypoint counted and timed, event consumption lag,
served on each service's /metrics port."""

from __future__ import annotations

import time
from typing import Any

from nameko.extensions import DependencyProvider
from prometheus_client import Counter, Histogram, start_http_server

ENTRYPOINT_CALLS = Counter(
    "mocky_entrypoint_calls_total", "Entrypoint invocations", ["service", "entrypoint", "kind"]
)
ENTRYPOINT_ERRORS = Counter(
    "mocky_entrypoint_errors_total",
    "Entrypoint invocations that raised",
    ["service", "entrypoint", "kind"],
)
ENTRYPOINT_LATENCY = Histogram(
    "mocky_entrypoint_duration_seconds",
    "Entrypoint latency",
    ["service", "entrypoint", "kind"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
EVENT_LAG = Histogram(
    "mocky_event_consumption_lag_seconds",
    "From an event's occurred_at to its handling",
    ["service", "event_type"],
    buckets=(0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600, 3600),
)
EVENT_RETRIES = Counter(
    "mocky_event_retries_total", "Events scheduled for another attempt", ["service", "queue"]
)
EVENT_DEAD_LETTERED = Counter(
    "mocky_event_dead_lettered_total",
    "Events moved to a dead-letter queue",
    ["service", "queue"],
)


def entrypoint_kind(entrypoint: Any) -> str:
    name = type(entrypoint).__name__.lower()
    for kind in ("grpc", "event", "timer", "http", "rpc"):
        if kind in name:
            return kind
    return name


class EntrypointMetrics(DependencyProvider):
    """Counts and times every worker of the service it is declared on."""

    def __init__(self) -> None:
        self.started: dict[Any, float] = {}

    def worker_setup(self, worker_ctx: Any) -> None:
        self.started[worker_ctx] = time.perf_counter()

    def worker_result(self, worker_ctx: Any, result: Any = None, exc_info: Any = None) -> None:
        started = self.started.pop(worker_ctx, None)
        entrypoint = worker_ctx.entrypoint
        labels = (worker_ctx.service_name, entrypoint.method_name, entrypoint_kind(entrypoint))
        ENTRYPOINT_CALLS.labels(*labels).inc()
        if exc_info is not None:
            ENTRYPOINT_ERRORS.labels(*labels).inc()
        if started is not None:
            ENTRYPOINT_LATENCY.labels(*labels).observe(time.perf_counter() - started)

    def worker_teardown(self, worker_ctx: Any) -> None:
        self.started.pop(worker_ctx, None)


def serve_metrics(port: int, host: str) -> None:
    """On `MOCKY_METRICS_BIND_HOST`: loopback locally, the pod's own address in
    Kubernetes (where Prometheus scrapes it and a NetworkPolicy limits who may)."""
    start_http_server(port, addr=host)
