"""A clock that development and test runs can move forward.

Domain code never calls `datetime.now()`; it is handed `clock.now()`. In production
the offset is always zero (`PlatformService.AdvanceClock` refuses to change it).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime


class Clock:
    def __init__(self, offset_seconds: float = 0.0) -> None:
        self._offset = float(offset_seconds)

    @property
    def offset_seconds(self) -> float:
        return self._offset

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self._offset += seconds
        return self._offset

    def time(self) -> float:
        return time.time() + self._offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), tz=UTC)


def as_utc(value: datetime) -> datetime:
    """Mongo hands back naive datetimes that are UTC; make them aware."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)
