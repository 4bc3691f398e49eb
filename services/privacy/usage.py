"""The analytics store: page views of users who consented to analytics (category
`usage_log`, 90 days). Privacy keeps them itself (the gateway has no storage) and is
their data owner: the same hooks as every other owner, called in-process."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from mocky.platform.clock import as_utc
from mocky.platform.data_map import DataMap, Records
from mocky.platform.mongo import ensure_collection

OWNER = "privacy"
KIND = "page_view"
CATEGORY = "usage_log"
PAGE_VIEWS = "page_views"

# Privacy owns the page views like any data owner: the same hooks, from this map.
DATA_MAP = DataMap("privacy", records=(Records(KIND, PAGE_VIEWS, CATEGORY, export_as=CATEGORY),))


class PageViews:
    def __init__(self, db: Any) -> None:
        self.db = db
        self.collection: Collection = db[PAGE_VIEWS]

    def ensure_indexes(self) -> None:
        ensure_collection(self.db, PAGE_VIEWS)
        self.collection.create_index([("user_id", ASCENDING), ("created_at", ASCENDING)])

    def add(self, event: Any) -> bool:
        """Idempotent: the record id is the event's."""
        try:
            self.collection.insert_one(
                {
                    "_id": event.record.record_id,
                    "user_id": event.user_id,
                    "visit_id": event.visit_id,
                    "page": event.page,
                    "seconds_on_previous": event.seconds_on_previous,
                    "ip_prefix": event.ip_prefix,
                    "browser": event.browser,
                    "os": event.os,
                    "language": event.language,
                    "created_at": as_utc(event.record.created_at.ToDatetime()),
                    "restricted": False,
                }
            )
            return True
        except DuplicateKeyError:
            return False

    def since(self, since: datetime) -> list[dict]:
        """Every unrestricted view since `since` (what the summary aggregates)."""
        return list(self.collection.find({"created_at": {"$gte": since}, "restricted": False}))

    def of(self, user_id: str) -> list[dict]:
        return list(self.collection.find({"user_id": user_id}).sort("created_at", ASCENDING))


MIN_PEOPLE_PER_GROUP = 3  # a browser or OS family used by fewer people is "other"


@dataclass(frozen=True)
class UsageSummary:
    views: int
    visits: int
    people: int
    pages: list[tuple[str, int, float]]  # page, views, median seconds on it
    browsers: list[tuple[str, int]]
    systems: list[tuple[str, int]]


def summarise(views: list[dict]) -> UsageSummary:
    """Aggregates only. The time on a screen is what the next view of the same visit
    reports as `seconds_on_previous`; rare browser/OS families are folded into "other"
    so that no row points at a few people."""
    by_visit: dict[str, list[dict]] = defaultdict(list)
    for view in views:
        by_visit[view["visit_id"]].append(view)
    seconds: dict[str, list[float]] = defaultdict(list)
    for visit in by_visit.values():
        visit.sort(key=lambda v: v["created_at"])
        for shown, following in zip(visit, visit[1:], strict=False):
            seconds[shown["page"]].append(following["seconds_on_previous"])
    counts = Counter(v["page"] for v in views)
    pages = [
        (page, n, float(statistics.median(seconds[page])) if seconds[page] else 0.0)
        for page, n in counts.most_common()
    ]
    return UsageSummary(
        views=len(views),
        visits=len(by_visit),
        people=len({v["user_id"] for v in views}),
        pages=pages,
        browsers=_shares(views, "browser"),
        systems=_shares(views, "os"),
    )


def _shares(views: list[dict], field: str) -> list[tuple[str, int]]:
    people: dict[str, set[str]] = defaultdict(set)
    for view in views:
        people[view[field] or "other"].add(view["user_id"])
    shares: Counter[str] = Counter()
    for view in views:
        name = view[field] or "other"
        shares[name if len(people[name]) >= MIN_PEOPLE_PER_GROUP else "other"] += 1
    return shares.most_common()
