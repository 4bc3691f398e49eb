"""The retention sweep: claim due schedule entries with leases, ask each owner to purge
them by reference (in batches, so blob deletions are batched too), write the deletion
ledger, back off on failures; and the reconciliation pass that schedules records whose
creation event was lost."""

from __future__ import annotations

import time
import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

import structlog
from nameko_grpc.errors import GrpcError
from prometheus_client import Counter, Gauge

from mocky.events.v1 import events_pb2
from mocky.platform.clock import Clock, as_utc, from_epoch
from mocky.privacy.v1 import data_owner_pb2
from services.privacy.domain import (
    CategoryStatus,
    RetentionPolicy,
    ScheduleEntry,
    schedule_entry,
)

log = structlog.get_logger(__name__)
BATCH = 100
MAX_BATCHES_PER_RUN = 50  # 5,000 records a run; the next run (seconds later) goes on

PURGED = Counter("mocky_retention_purged_total", "Records purged", ["category", "reason"])
PURGE_FAILURES = Counter(
    "mocky_retention_purge_failures_total", "Failed purge attempts", ["category"]
)
ENTRIES = Gauge("mocky_retention_entries", "Schedule entries by status", ["category", "status"])
RECONCILED = Counter(
    "mocky_retention_reconciled_total", "Records scheduled by reconciliation", ["owner"]
)


@dataclass
class SweepResult:
    claimed: int = 0
    purged: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


class Sweeper:
    def __init__(
        self, repo: Any, owners: dict[str, Any], policy: RetentionPolicy, clock: Clock
    ) -> None:
        self.repo = repo
        self.owners = owners
        self.policy = policy
        self.clock = clock

    def run(self) -> SweepResult:
        result = SweepResult()
        sweep_id = uuid.uuid4().hex
        for _ in range(MAX_BATCHES_PER_RUN):
            # Due by the service clock (movable in dev); leases by real time.
            claimed = self.repo.claim_due(self.clock.time(), time.time(), sweep_id, BATCH)
            if not claimed:
                break
            result.claimed += len(claimed)
            by_owner: dict[str, list[dict]] = defaultdict(list)
            for entry in claimed:
                by_owner[entry["owner"]].append(entry)
            for owner, entries in by_owner.items():
                purged, failed = self._purge(owner, entries)
                result.purged += purged
                result.failed += failed
        if result.claimed:
            log.info("retention_sweep", **result.as_dict())
        return result

    def _purge(self, owner: str, entries: list[dict]) -> tuple[int, int]:
        client = self.owners.get(owner)
        refs = [
            events_pb2.RecordReference(
                owner=e["owner"],
                kind=e["kind"],
                record_id=e["record_id"],
                user_id=e["user_id"],
                category=e["category"],
                blob_keys=e.get("blob_keys") or [],
            )
            for e in entries
        ]
        try:
            if client is None:
                raise LookupError(f"no data owner called {owner}")
            answer = client.PurgeRecords(data_owner_pb2.PurgeRecordsRequest(records=refs))
        except (GrpcError, LookupError) as error:
            reason = type(error).__name__
            for entry in entries:
                self._failed(entry, f"{owner} unavailable: {reason}")
            log.warning("retention_owner_unavailable", owner=owner, records=len(entries))
            return 0, len(entries)
        results = {(r.kind, r.record_id): r for r in answer.results}
        purged = failed = 0
        now = self.clock.time()
        for entry in entries:
            outcome = results.get((entry["kind"], entry["record_id"]))
            if outcome is None or outcome.outcome == data_owner_pb2.PURGE_OUTCOME_UNKNOWN_KIND:
                self._failed(entry, "the owner does not know this kind of record")
                failed += 1
                continue
            gone = outcome.outcome == data_owner_pb2.PURGE_OUTCOME_ALREADY_GONE
            self.repo.record_deletion(
                entry,
                self.policy.rule(entry["category"]).retention,
                "already_gone" if gone else "purged",
                int(outcome.blobs_deleted),
                now,
            )
            PURGED.labels(entry["category"], entry.get("reason", "retention")).inc()
            purged += 1
        return purged, failed

    def _failed(self, entry: dict, error: str) -> None:
        PURGE_FAILURES.labels(entry["category"]).inc()
        if self.repo.purge_failed(entry, error, self.clock.time()):
            log.error("retention_purge_failed", record=entry["_id"], category=entry["category"])

    def reconcile(self, page: int = 500) -> int:
        """Asks every owner for records created since the last pass that are older than
        the shortest retention, and schedules those no event told us about."""
        shortest = min(rule.period for rule in self.policy.rules.values())
        until = self.clock.now() - shortest
        scheduled = 0
        for owner, client in self.owners.items():
            cursor_name = f"reconcile:{owner}"
            since = self.repo.cursor(cursor_name)
            try:
                while True:
                    request = data_owner_pb2.ListRecordsRequest(limit=page)
                    request.created_after.FromDatetime(as_utc_from(since))
                    request.created_before.FromDatetime(until)
                    records = client.ListRecords(request).records
                    scheduled += self.schedule_unknown(records, "reconciliation")
                    if len(records) < page:
                        break
                    since = as_utc(records[-1].created_at.ToDatetime()).timestamp()
            except GrpcError:
                log.warning("reconciliation_owner_unavailable", owner=owner)
                continue
            self.repo.set_cursor(cursor_name, until.timestamp() - 1)
        if scheduled:
            log.warning("reconciliation_scheduled", records=scheduled)
        return scheduled

    def schedule_unknown(self, records: list[Any], reason: str) -> int:
        if not records:
            return 0
        keys = [f"{r.owner}/{r.kind}/{r.record_id}" for r in records]
        known = self.repo.known_keys(keys)
        added = 0
        for ref, key in zip(records, keys, strict=True):
            if key in known:
                continue
            entry = entry_for(self.policy, ref, self.repo.deletion_requested_at(ref.user_id))
            if self.repo.add_entry(entry):
                RECONCILED.labels(ref.owner).inc()
                added += 1
                log.info("record_scheduled_late", record=key, reason=reason)
        return added


def entry_for(policy: RetentionPolicy, ref: Any, deletion_requested_at: Any) -> ScheduleEntry:
    """The schedule entry of a record reference (from an event, or found late)."""
    return schedule_entry(
        policy,
        ref.owner,
        ref.kind,
        ref.record_id,
        ref.user_id,
        ref.category,
        as_utc(ref.created_at.ToDatetime()),
        tuple(ref.blob_keys),
        deletion_requested_at=deletion_requested_at,
    )


def as_utc_from(ts: float) -> Any:
    return from_epoch(max(ts, 0.0))


def publish_metrics(statuses: list[CategoryStatus]) -> None:
    for status in statuses:
        for entry_status, count in status.counts.items():
            ENTRIES.labels(status.rule.category, entry_status.value).set(count)
