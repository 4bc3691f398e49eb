"""The analytics store: page views of users who consented to analytics (category
`usage_log`, 90 days). Privacy keeps them itself (the gateway has no storage) and is
their data owner: the same hooks as every other owner, called in-process."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from mocky.platform.clock import as_utc
from mocky.platform.mongo import ensure_collection
from mocky.platform.records import (
    RecordSource,
    json_file,
    list_records_response,
    purge_records_response,
)
from mocky.privacy.v1 import data_owner_pb2

OWNER = "privacy"
KIND = "page_view"
CATEGORY = "usage_log"
PAGE_VIEWS = "page_views"


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

    def of(self, user_id: str) -> list[dict]:
        return list(self.collection.find({"user_id": user_id}).sort("created_at", ASCENDING))


class PageViewOwner:
    """The DataOwner hooks for page views, with the gRPC stubs' method names, so the
    sweep, erasure and export treat privacy like any other owner."""

    def __init__(self, views: PageViews) -> None:
        self.views = views

    def ExportUserData(self, request: Any) -> Any:  # noqa: N802 - the DataOwner contract
        rows = self.views.of(request.user_id)
        return data_owner_pb2.ExportUserDataResponse(
            files=[json_file("privacy/usage_log.json", rows)] if rows else []
        )

    def PurgeRecords(self, request: Any) -> Any:  # noqa: N802
        def purge(ref: Any) -> tuple[bool, int]:
            return self.views.collection.delete_one({"_id": ref.record_id}).deleted_count == 1, 0

        return purge_records_response({KIND: purge}, request)

    def ListRecords(self, request: Any) -> Any:  # noqa: N802
        return list_records_response(
            [RecordSource(self.views.collection, OWNER, KIND, CATEGORY)], request
        )

    def RestrictUser(self, request: Any) -> Any:  # noqa: N802
        """Restriction marks the views (kept until their deletion, not analysed);
        erasure needs nothing here: every view is deleted by the sweep."""
        if request.erase:
            return data_owner_pb2.RestrictUserResponse(records_restricted=0)
        changed = self.views.collection.update_many(
            {"user_id": request.user_id}, {"$set": {"restricted": bool(request.restrict)}}
        ).modified_count
        return data_owner_pb2.RestrictUserResponse(records_restricted=changed)
