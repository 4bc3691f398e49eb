"""How much transcription one voice process takes on at once.

Whisper keeps both cores busy for most of a long answer's length, so an unbounded
queue made everyone wait behind one user's pile of recordings. Here each process runs
at most `concurrent` transcriptions, lets at most `waiting` more wait (each no longer
than its caller's deadline), and refuses the rest at once: 429 for a user who already
has one in hand, 503 `busy` (both with Retry-After) when the process is full. A caller
that has gone (its call cancelled or past its deadline) loses its place."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from eventlet.semaphore import Semaphore

from mocky.platform.errors import RateLimited, Unavailable

POLL_SECONDS = 0.2


class CallerGone(Unavailable):
    """The caller stopped waiting: nobody is left to take the answer."""

    code = "caller_gone"


class TranscriptionSlots:
    def __init__(self, concurrent: int, waiting: int, retry_after_seconds: int = 5) -> None:
        self.running = Semaphore(concurrent)
        self.capacity = concurrent + waiting
        self.retry_after = retry_after_seconds
        self.admitted = 0
        self.users: set[str] = set()

    @contextmanager
    def slot(self, user_id: str, gone: Callable[[], bool], wait_seconds: float) -> Iterator[None]:
        if user_id in self.users:
            raise RateLimited(
                self.retry_after, "one recording of yours is being transcribed", code="busy_user"
            )
        if self.admitted >= self.capacity:
            raise RateLimited(self.retry_after, "transcription is busy; try again", code="busy")
        self.users.add(user_id)
        self.admitted += 1
        try:
            deadline = time.monotonic() + wait_seconds
            while not self.running.acquire(timeout=POLL_SECONDS):
                if gone() or time.monotonic() >= deadline:
                    raise CallerGone("the caller stopped waiting")
            try:
                if gone():
                    raise CallerGone("the caller stopped waiting")
                yield
            finally:
                self.running.release()
        finally:
            self.admitted -= 1
            self.users.discard(user_id)
