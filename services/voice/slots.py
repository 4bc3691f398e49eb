"""How much speech work one voice process takes on at once.

Whisper keeps both cores busy for most of a long answer's length, so an unbounded
queue made everyone wait behind one user's pile of recordings; synthesis is shorter but
has the same shape. Here each kind of work runs at most `concurrent` jobs, lets at most
`waiting` more wait (each no longer than its caller's deadline), and refuses the rest at
once: 503 `busy` with Retry-After when the process is full, and (for transcription) 429
`busy_user` for a user who already has one in hand. A caller that has gone (its call
cancelled or past its deadline) loses its place. Queue depth, waits and refusals are
Prometheus metrics, so operators can size replicas on them (README, "Deploying")."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from eventlet.semaphore import Semaphore
from prometheus_client import Counter, Gauge, Histogram

from mocky.platform.errors import RateLimited, Unavailable

POLL_SECONDS = 0.2
QUEUE_DEPTH = Gauge(
    "mocky_voice_queue_depth",
    "Speech jobs in this voice process, running or waiting for a slot",
    ["kind", "state"],
)
QUEUE_WAIT = Histogram(
    "mocky_voice_queue_wait_seconds",
    "How long a speech job waited for a slot",
    ["kind"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20),
)
REFUSED = Counter(
    "mocky_voice_refused_total",
    "Speech jobs refused because the process was full",
    ["kind", "reason"],
)


def never() -> bool:
    return False


class CallerGone(Unavailable):
    """The caller stopped waiting: nobody is left to take the answer."""

    code = "caller_gone"


class WorkSlots:
    def __init__(
        self,
        kind: str,
        concurrent: int,
        waiting: int,
        retry_after_seconds: int = 5,
        one_per_user: bool = False,
    ) -> None:
        self.kind = kind
        self.running = Semaphore(concurrent)
        self.capacity = concurrent + waiting
        self.retry_after = retry_after_seconds
        self.one_per_user = one_per_user
        self.admitted = 0
        self.in_progress = 0
        self.users: set[str] = set()

    @property
    def full(self) -> bool:
        return self.admitted >= self.capacity

    def _refuse(self, reason: str, message: str) -> RateLimited:
        REFUSED.labels(self.kind, reason).inc()
        return RateLimited(self.retry_after, message, code=reason)

    def _publish(self) -> None:
        QUEUE_DEPTH.labels(self.kind, "running").set(self.in_progress)
        QUEUE_DEPTH.labels(self.kind, "waiting").set(self.admitted - self.in_progress)

    @contextmanager
    def slot(
        self, user_id: str, gone: Callable[[], bool] = never, wait_seconds: float = 20
    ) -> Iterator[None]:
        if self.one_per_user and user_id in self.users:
            raise self._refuse("busy_user", f"one {self.kind} of yours is already in progress")
        if self.full:
            raise self._refuse("busy", f"{self.kind} is busy; try again")
        self.users.add(user_id)
        self.admitted += 1
        self._publish()
        started = time.monotonic()
        try:
            while not self.running.acquire(timeout=POLL_SECONDS):
                if gone() or time.monotonic() - started >= wait_seconds:
                    raise CallerGone("the caller stopped waiting")
            QUEUE_WAIT.labels(self.kind).observe(time.monotonic() - started)
            self.in_progress += 1
            self._publish()
            try:
                if gone():
                    raise CallerGone("the caller stopped waiting")
                yield
            finally:
                self.in_progress -= 1
                self.running.release()
        finally:
            self.admitted -= 1
            self.users.discard(user_id)
            self._publish()
