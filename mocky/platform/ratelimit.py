"""Fixed-window rate limits counted in MongoDB, so every replica shares the count.
`RateLimit` is pure (domain modules use it); `count_attempt` is the one counter."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mocky.platform.errors import RateLimited


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` attempts per subject in each fixed window. Subjects (addresses,
    IPs, user ids) are hashed into the key: the counters hold no personal data."""

    name: str
    limit: int
    window_seconds: int

    def bucket(self, subject: str, now: datetime) -> tuple[str, datetime]:
        start = int(now.timestamp()) // self.window_seconds * self.window_seconds
        digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
        return f"{self.name}:{digest}:{start}", datetime.fromtimestamp(
            start + self.window_seconds, UTC
        )

    def check(self, count: int, window_end: datetime, now: datetime) -> None:
        if count > self.limit:
            wait = math.ceil((window_end - now).total_seconds())
            raise RateLimited(max(1, wait), "too many attempts; try again shortly")


def count_attempt(collection: Any, key: str, expires_at: datetime) -> int:
    """Atomically count one attempt in a window; the new count. The collection wants a
    TTL index on `expires_at` (expireAfterSeconds=0)."""
    from pymongo import ReturnDocument
    from pymongo.errors import DuplicateKeyError

    for _ in range(3):
        try:
            doc = collection.find_one_and_update(
                {"_id": key},
                {"$inc": {"n": 1}, "$set": {"expires_at": expires_at}},
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
            return int(doc["n"])
        except DuplicateKeyError:
            continue  # two first attempts raced to create the counter: count again
    raise RuntimeError("rate-limit counter kept colliding")
