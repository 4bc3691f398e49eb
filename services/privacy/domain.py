"""Retention rules and the schedule they produce. Pure Python (no frameworks)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from mocky.platform.errors import InvalidArgument

POLICY_FILE = Path(__file__).with_name("retention_policy.json")


class StartsAt(StrEnum):
    CREATION = "creation"
    DELETION = "deletion"  # the clock starts when the account deletion is requested


class EntryState(StrEnum):
    SCHEDULED = "scheduled"
    PURGED = "purged"
    FAILED = "failed"


class EntryStatus(StrEnum):
    """What an officer sees: the stored state, with `scheduled` split by time."""

    SCHEDULED = "scheduled"
    DUE = "due"
    OVERDUE = "overdue"
    PURGED = "purged"
    FAILED = "failed"


@dataclass(frozen=True)
class RetentionRule:
    category: str
    period: timedelta
    starts_at: StartsAt
    retention: str
    owner: str
    examples: str
    erasure: str


@dataclass(frozen=True)
class RetentionPolicy:
    rules: dict[str, RetentionRule]
    overdue_grace: timedelta

    @classmethod
    def load(cls, path: Path = POLICY_FILE) -> RetentionPolicy:
        data = json.loads(path.read_text())
        rules = {
            item["category"]: RetentionRule(
                category=item["category"],
                period=timedelta(days=item["period_days"]),
                starts_at=StartsAt(item["starts_at"]),
                retention=item["retention"],
                owner=item["owner"],
                examples=item["examples"],
                erasure=item["erasure"],
            )
            for item in data["categories"]
        }
        return cls(rules, timedelta(hours=data["overdue_grace_hours"]))

    def rule(self, category: str) -> RetentionRule:
        try:
            return self.rules[category]
        except KeyError:
            raise InvalidArgument(f"unknown data category {category!r}") from None

    def due_at(
        self, category: str, created_at: datetime, deletion_requested_at: datetime | None = None
    ) -> datetime | None:
        """None while the start event (an account deletion) has not happened."""
        rule = self.rule(category)
        if rule.starts_at is StartsAt.DELETION:
            return deletion_requested_at + rule.period if deletion_requested_at else None
        return created_at + rule.period


@dataclass(frozen=True)
class ScheduleEntry:
    """One stored record of personal data and when it must be gone."""

    owner: str
    kind: str
    record_id: str
    user_id: str
    category: str
    created_at: datetime
    due_at: datetime | None
    blob_keys: tuple[str, ...] = ()
    state: EntryState = EntryState.SCHEDULED

    @property
    def key(self) -> str:
        return f"{self.owner}/{self.kind}/{self.record_id}"


def schedule_entry(
    policy: RetentionPolicy,
    owner: str,
    kind: str,
    record_id: str,
    user_id: str,
    category: str,
    created_at: datetime,
    blob_keys: tuple[str, ...] = (),
    deletion_requested_at: datetime | None = None,
) -> ScheduleEntry:
    """`deletion_requested_at`: when the subject asked to delete the account, if the
    event saying so arrived before this record's (events come in any order)."""
    if not (owner and kind and record_id):
        raise InvalidArgument("a record reference needs owner, kind and id")
    return ScheduleEntry(
        owner,
        kind,
        record_id,
        user_id,
        category,
        created_at,
        policy.due_at(category, created_at, deletion_requested_at),
        tuple(blob_keys),
    )


def status_of(
    state: EntryState, due_at: datetime | None, now: datetime, grace: timedelta
) -> EntryStatus:
    if state is EntryState.PURGED:
        return EntryStatus.PURGED
    if state is EntryState.FAILED:
        return EntryStatus.FAILED
    if due_at is None or due_at > now:
        return EntryStatus.SCHEDULED
    return EntryStatus.DUE if now - due_at <= grace else EntryStatus.OVERDUE


@dataclass
class CategoryStatus:
    rule: RetentionRule
    counts: dict[EntryStatus, int]
    oldest_overdue_due_at: datetime | None = None
