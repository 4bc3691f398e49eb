"""Listing an owner's personal-data records as record references (the DataOwner
`ListRecords` hook): what privacy uses to find everything of a user on erasure, and
records whose creation event was lost."""

from __future__ import annotations

import heapq
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from pymongo import ASCENDING
from pymongo.collection import Collection

from mocky.events.v1 import events_pb2
from mocky.platform.clock import as_utc
from mocky.platform.events import record_reference
from mocky.privacy.v1 import data_owner_pb2

log = structlog.get_logger(__name__)
MAX_RECORDS = 500


@dataclass(frozen=True)
class RecordSource:
    """One collection of personal data: each document is a record of `kind`."""

    collection: Collection
    owner: str
    kind: str
    category: str
    created_field: str = "created_at"
    user_field: str = "user_id"
    blob_field: str = ""


def list_records(
    sources: Iterable[RecordSource],
    user_id: str = "",
    created_after: datetime | None = None,
    created_before: datetime | None = None,
    limit: int = MAX_RECORDS,
) -> list[events_pb2.RecordReference]:
    limit = max(1, min(limit or MAX_RECORDS, MAX_RECORDS))
    found: list[tuple[datetime, str, events_pb2.RecordReference]] = []
    for source in sources:
        query: dict[str, Any] = {}
        if user_id:
            query[source.user_field] = user_id
        window: dict[str, datetime] = {}
        if created_after is not None:
            window["$gte"] = created_after
        if created_before is not None:
            window["$lt"] = created_before
        if window:
            query[source.created_field] = window
        projection = {source.created_field: 1, source.user_field: 1}
        if source.blob_field:
            projection[source.blob_field] = 1
        cursor = source.collection.find(query, projection).sort(source.created_field, ASCENDING)
        for doc in cursor.limit(limit):
            created = as_utc(doc[source.created_field])
            blobs = (
                [doc[source.blob_field]] if source.blob_field and doc.get(source.blob_field) else []
            )
            ref = record_reference(
                source.owner,
                source.kind,
                str(doc["_id"]),
                str(doc.get(source.user_field, "")),
                source.category,
                created,
                blobs,
            )
            found.append((created, f"{source.kind}/{doc['_id']}", ref))
    return [ref for _, _, ref in heapq.nsmallest(limit, found, key=lambda item: item[:2])]


def list_records_response(sources: Iterable[RecordSource], request: Any) -> Any:
    """Serves a DataOwner ListRecords request from `sources`."""
    after = (
        as_utc(request.created_after.ToDatetime()) if request.HasField("created_after") else None
    )
    before = (
        as_utc(request.created_before.ToDatetime()) if request.HasField("created_before") else None
    )
    return data_owner_pb2.ListRecordsResponse(
        records=list_records(sources, request.user_id, after, before, request.limit)
    )


def json_file(name: str, records: Any) -> Any:
    """One file of an export archive: the records as readable JSON."""
    data = json.dumps(records, default=str, indent=2, sort_keys=True).encode()
    return data_owner_pb2.ExportedFile(name=name, content_type="application/json", data=data)


Purger = Callable[[Any], tuple[bool, int]]  # a reference -> (it was there, blobs deleted)


def purge_records_response(purgers: dict[str, Purger], request: Any) -> Any:
    """Serves a DataOwner PurgeRecords request: each reference through its kind's purger;
    a record already gone counts as purged, an unknown kind is said so."""
    results = []
    for ref in request.records:
        purge = purgers.get(ref.kind)
        blobs = 0
        if purge is None:
            outcome = data_owner_pb2.PURGE_OUTCOME_UNKNOWN_KIND
        else:
            gone, blobs = purge(ref)
            outcome = (
                data_owner_pb2.PURGE_OUTCOME_PURGED
                if gone
                else data_owner_pb2.PURGE_OUTCOME_ALREADY_GONE
            )
        results.append(
            data_owner_pb2.PurgeResult(
                record_id=ref.record_id, kind=ref.kind, outcome=outcome, blobs_deleted=blobs
            )
        )
    log.info("records_purged", count=len(results))
    return data_owner_pb2.PurgeRecordsResponse(results=results)
