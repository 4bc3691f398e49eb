"""Each service's personal data, declared once, and the one implementation of the
four DataOwner hooks (`mocky.privacy.v1.DataOwnerService`) over that declaration.

A service lists its record collections (what its events announce and the privacy
service schedules) and its belongings (data of a user that is no record of its own:
login sessions, ledger lines). From that list the platform exports a user's data,
lists records for the sweep and for erasure, purges records with their blobs,
restricts or erases a user, and moves a merged guest's data. Each record's erasure
strategy is named here and checked, when the service starts, against the retention
table and against the events contract.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

import structlog
from nameko.extensions import DependencyProvider
from pymongo import ASCENDING
from pymongo.database import Database

from mocky.events.v1 import events_pb2
from mocky.platform import contract
from mocky.platform.blobs import BlobStore, blob_store_from_settings
from mocky.platform.clock import as_utc
from mocky.platform.events import OUTBOX_FIELD, OUTBOX_SEQ, record_reference
from mocky.platform.grpc import rpc
from mocky.platform.mongo import service_database
from mocky.platform.retention import category_rules
from mocky.privacy.v1 import data_owner_pb2, data_owner_pb2_grpc

log = structlog.get_logger(__name__)
MAX_RECORDS = 500
NEVER_EXPORTED = (OUTBOX_FIELD, OUTBOX_SEQ)


class Erasure(StrEnum):
    """What an erasure request does to a record (the retention table's `erasure`)."""

    # The record and its blobs are purged: the privacy service makes it due at once.
    DELETE = "delete"
    # Kept for its legal period, restricted, and its user id replaced by a pseudonym
    # (payment records: tax law, GDPR Art. 17(3)(b)); purged when the period ends.
    RESTRICT = "restrict"


@dataclass(frozen=True)
class Records:
    """A collection whose every document is one record of `kind`."""

    kind: str
    collection: str
    category: str
    erasure: Erasure = Erasure.DELETE
    user_field: str = "user_id"
    created_field: str = "created_at"
    blob_field: str = ""
    # A blob's file name in the export archive, from its record ("" leaves it out).
    blob_file: Callable[[dict], str] | None = None
    secret_fields: tuple[str, ...] = ()  # never exported
    export_as: str = ""  # the export archive's file, `<owner>/<name>.json` (the collection's name)

    @property
    def export_file(self) -> str:
        return self.export_as or self.collection


@dataclass(frozen=True)
class Belongings:
    """A user's data that is no record of its own: exported with the records, moved on
    a guest merge, deleted with the user's `deleted_with` record or else on erasure,
    where `erased_to` (if set) blanks the documents instead of deleting them."""

    collection: str
    user_field: str = "user_id"
    export_file: str = ""  # "" = not part of the export
    secret_fields: tuple[str, ...] = ()
    deleted_with: str = ""
    erased_to: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class DataMap:
    owner: str
    records: tuple[Records, ...]
    belongings: tuple[Belongings, ...] = ()

    def kind(self, kind: str) -> Records | None:
        return next((r for r in self.records if r.kind == kind), None)

    def problems(self) -> list[str]:
        """Where the map disagrees with the retention table or the events contract."""
        found = []
        rules = category_rules()
        for records in self.records:
            rule = rules.get(records.category)
            if rule is None:
                found.append(f"{records.kind}: category {records.category!r} is not in the table")
            elif Erasure(rule["erasure"]) is not records.erasure:
                found.append(
                    f"{records.kind}: erasure {records.erasure.value!r}, "
                    f"the table says {rule['erasure']!r} for {records.category}"
                )
        for spec in contract.personal_events():
            if spec.producer != self.owner:
                continue
            declared = self.kind(spec.record_kind)
            if declared is None or declared.category != spec.category:
                found.append(
                    f"{spec.event_type} creates a {spec.record_kind} record "
                    f"({spec.category}) this map does not declare"
                )
        kinds = {r.kind for r in self.records}
        for belonging in self.belongings:
            if belonging.deleted_with and belonging.deleted_with not in kinds:
                found.append(
                    f"{belonging.collection}: deleted with unknown {belonging.deleted_with}"
                )
        return found


class DataMapError(ValueError):
    pass


def _public(doc: dict, secret: Iterable[str]) -> dict:
    hidden = {*NEVER_EXPORTED, *secret}
    return {k: v for k, v in doc.items() if k not in hidden}


def json_file(name: str, records: Any) -> Any:
    """One file of an export archive: the records as readable JSON."""
    data = json.dumps(records, default=str, indent=2, sort_keys=True).encode()
    return data_owner_pb2.ExportedFile(name=name, content_type="application/json", data=data)


@dataclass
class DataOwner:
    """The DataOwner hooks over one service's data map, with the stubs' method names
    (so privacy calls its own in-process owner like any other)."""

    data_map: DataMap
    db: Database
    blobs: BlobStore | None = None
    pseudonym: Callable[[str], str] | None = None
    # Extra clean-up when a record of a kind is purged, given the removed document.
    after_purge: dict[str, Callable[[dict], None]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problems = self.data_map.problems()
        if any(r.erasure is Erasure.RESTRICT for r in self.data_map.records) and not self.pseudonym:
            problems.append("a record kept on erasure needs a pseudonym function")
        if any(r.blob_field for r in self.data_map.records) and self.blobs is None:
            problems.append("records with blobs need the blob store")
        if problems:
            raise DataMapError(f"{self.data_map.owner}'s data map: " + "; ".join(problems))

    @property
    def owner(self) -> str:
        return self.data_map.owner

    # -- the hooks ------------------------------------------------------------------

    def ExportUserData(self, request: Any) -> Any:  # noqa: N802 - the DataOwner contract
        user_id = request.user_id
        files = []
        for records in self.data_map.records:
            docs = list(self.db[records.collection].find({records.user_field: user_id}))
            public = [_public(d, records.secret_fields) for d in docs]
            files.append(json_file(f"{self.owner}/{records.export_file}.json", public))
            files += self._blob_files(records, docs)
        for belonging in self.data_map.belongings:
            if belonging.export_file:
                found = self.db[belonging.collection].find({belonging.user_field: user_id})
                public = [_public(d, belonging.secret_fields) for d in found]
                files.append(json_file(f"{self.owner}/{belonging.export_file}.json", public))
        return data_owner_pb2.ExportUserDataResponse(files=files)

    def _blob_files(self, records: Records, docs: list[dict]) -> list[Any]:
        if not (records.blob_field and records.blob_file and self.blobs):
            return []
        files = []
        for doc in docs:
            try:
                data = self.blobs.get(doc[records.blob_field])
            except KeyError:  # purged meanwhile, or never written
                continue
            files.append(
                data_owner_pb2.ExportedFile(
                    name=f"{self.owner}/{records.blob_file(doc)}",
                    content_type=doc.get("content_type", "application/octet-stream"),
                    data=data,
                )
            )
        return files

    def ListRecords(self, request: Any) -> Any:  # noqa: N802
        after = (
            as_utc(request.created_after.ToDatetime())
            if request.HasField("created_after")
            else None
        )
        before = (
            as_utc(request.created_before.ToDatetime())
            if request.HasField("created_before")
            else None
        )
        return data_owner_pb2.ListRecordsResponse(
            records=self.list_records(request.user_id, after, before, request.limit)
        )

    def list_records(
        self,
        user_id: str = "",
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        limit: int = MAX_RECORDS,
    ) -> list[events_pb2.RecordReference]:
        """The oldest records first, across the map's collections."""
        limit = max(1, min(limit or MAX_RECORDS, MAX_RECORDS))
        found: list[tuple[datetime, str, events_pb2.RecordReference]] = []
        for records in self.data_map.records:
            query: dict[str, Any] = {}
            if user_id:
                query[records.user_field] = user_id
            window: dict[str, datetime] = {}
            if created_after is not None:
                window["$gte"] = created_after
            if created_before is not None:
                window["$lt"] = created_before
            if window:
                query[records.created_field] = window
            projection = {records.created_field: 1, records.user_field: 1}
            if records.blob_field:
                projection[records.blob_field] = 1
            cursor = self.db[records.collection].find(query, projection)
            for doc in cursor.sort(records.created_field, ASCENDING).limit(limit):
                created = as_utc(doc[records.created_field])
                blobs = [doc[records.blob_field]] if doc.get(records.blob_field) else []
                ref = record_reference(
                    self.owner,
                    records.kind,
                    str(doc["_id"]),
                    str(doc.get(records.user_field, "")),
                    records.category,
                    created,
                    blobs,
                )
                found.append((created, f"{records.kind}/{doc['_id']}", ref))
        return [ref for _, _, ref in heapq.nsmallest(limit, found, key=lambda item: item[:2])]

    def PurgeRecords(self, request: Any) -> Any:  # noqa: N802
        """Each reference by its kind; a record already gone counts as purged (its blobs
        are still deleted: a crash may have left them), an unknown kind is said so."""
        results = []
        for ref in request.records:
            records = self.data_map.kind(ref.kind)
            blobs = 0
            if records is None:
                outcome = data_owner_pb2.PURGE_OUTCOME_UNKNOWN_KIND
            else:
                removed = self.db[records.collection].find_one_and_delete({"_id": ref.record_id})
                if removed is not None:
                    self._purged(records, removed)
                blobs = self._delete_blobs(records, removed, ref)
                outcome = (
                    data_owner_pb2.PURGE_OUTCOME_PURGED
                    if removed is not None
                    else data_owner_pb2.PURGE_OUTCOME_ALREADY_GONE
                )
            results.append(
                data_owner_pb2.PurgeResult(
                    record_id=ref.record_id, kind=ref.kind, outcome=outcome, blobs_deleted=blobs
                )
            )
        log.info("records_purged", count=len(results))
        return data_owner_pb2.PurgeRecordsResponse(results=results)

    def _purged(self, records: Records, removed: dict) -> None:
        user_id = removed.get(records.user_field)
        for belonging in self.data_map.belongings:
            if belonging.deleted_with == records.kind and user_id:
                self.db[belonging.collection].delete_many({belonging.user_field: user_id})
        cleanup = self.after_purge.get(records.kind)
        if cleanup is not None:
            cleanup(removed)

    def _delete_blobs(self, records: Records, removed: dict | None, ref: Any) -> int:
        if not records.blob_field or self.blobs is None:
            return 0
        if removed is not None and removed.get(records.blob_field):
            keys = [removed[records.blob_field]]
        else:
            keys = list(ref.blob_keys)
        return self.blobs.delete_many(keys) if keys else 0

    def RestrictUser(self, request: Any) -> Any:  # noqa: N802
        """Restriction marks every record (kept, not processed); erasure also applies each
        kept record's strategy and removes the belongings."""
        user_id = request.user_id
        restricted = bool(request.restrict or request.erase)
        changed = 0
        for records in self.data_map.records:
            collection = self.db[records.collection]
            if request.erase and records.erasure is Erasure.RESTRICT:
                assert self.pseudonym is not None  # checked at construction
                update = {records.user_field: self.pseudonym(user_id), "restricted": True}
            else:
                update = {"restricted": restricted}
            changed += collection.update_many(
                {records.user_field: user_id}, {"$set": update}
            ).modified_count
        if request.erase:
            for belonging in self.data_map.belongings:
                collection = self.db[belonging.collection]
                query = {belonging.user_field: user_id}
                if belonging.erased_to is not None:
                    collection.update_many(query, {"$set": dict(belonging.erased_to)})
                elif not belonging.deleted_with:
                    collection.delete_many(query)
        log.info(
            "processing_restricted", user_id=user_id, restricted=restricted, erase=request.erase
        )
        return data_owner_pb2.RestrictUserResponse(records_restricted=changed)

    # -- not a hook: a guest who signed in to an existing account keeps their data ----

    def move(self, from_user: str, to_user: str) -> int:
        moved = 0
        for name, user_field in self._user_collections():
            moved += (
                self.db[name]
                .update_many({user_field: from_user}, {"$set": {user_field: to_user}})
                .modified_count
            )
        return moved

    def _user_collections(self) -> list[tuple[str, str]]:
        return [
            (r.collection, r.user_field) for r in self.data_map.records if r.user_field != "_id"
        ] + [
            (b.collection, b.user_field) for b in self.data_map.belongings if b.user_field != "_id"
        ]


class PersonalData(DependencyProvider):
    """Gives a service's workers its DataOwner (see `DataOwnerHooks`), built when the
    service starts, which refuses to start on a map that disagrees with the table."""

    def __init__(
        self,
        data_map: DataMap,
        pseudonym: Callable[[str], str] | None = None,
        after_purge: Callable[[Database], dict[str, Callable[[dict], None]]] | None = None,
    ) -> None:
        self.data_map = data_map
        self.pseudonym = pseudonym
        self.after_purge = after_purge
        self.owner: DataOwner | None = None

    def setup(self) -> None:
        db = service_database(self.container.service_name)
        has_blobs = any(r.blob_field for r in self.data_map.records)
        self.owner = DataOwner(
            self.data_map,
            db,
            blob_store_from_settings() if has_blobs else None,
            self.pseudonym,
            self.after_purge(db) if self.after_purge else {},
        )

    def get_dependency(self, worker_ctx: Any) -> DataOwner:
        assert self.owner is not None
        return self.owner


OwnerStub = data_owner_pb2_grpc.DataOwnerServiceStub


class DataOwnerHooks:
    """Mixed into a service that owns personal data (beside `PlatformEntrypoints`): the
    DataOwner RPCs, served from the service's `personal_data = PersonalData(MAP)`."""

    personal_data: DataOwner

    @rpc(OwnerStub)
    def ExportUserData(
        self, request: data_owner_pb2.ExportUserDataRequest, context: Any
    ) -> data_owner_pb2.ExportUserDataResponse:
        return self.personal_data.ExportUserData(request)

    @rpc(OwnerStub)
    def ListRecords(
        self, request: data_owner_pb2.ListRecordsRequest, context: Any
    ) -> data_owner_pb2.ListRecordsResponse:
        return self.personal_data.ListRecords(request)

    @rpc(OwnerStub)
    def PurgeRecords(
        self, request: data_owner_pb2.PurgeRecordsRequest, context: Any
    ) -> data_owner_pb2.PurgeRecordsResponse:
        return self.personal_data.PurgeRecords(request)

    @rpc(OwnerStub)
    def RestrictUser(
        self, request: data_owner_pb2.RestrictUserRequest, context: Any
    ) -> data_owner_pb2.RestrictUserResponse:
        return self.personal_data.RestrictUser(request)
