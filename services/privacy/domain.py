"""Retention rules and the schedule they produce. Pure Python (no frameworks)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path

from mocky.platform.errors import Conflict, InvalidArgument
from mocky.platform.language_model import ModelEndpoint
from mocky.platform.retention import RETENTION_TABLE

POLICY_FILE = RETENTION_TABLE


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


# -- the sweep ------------------------------------------------------------------------

LEASE_SECONDS = 120  # a sweep that dies leaves its claims to the next one after this
MAX_ATTEMPTS = 8  # then the entry is `failed` and shows up for the officer


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4 … minutes, at most 6 hours, between purge attempts of one record."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


# -- data-subject requests --------------------------------------------------------------


class RequestType(StrEnum):
    ACCESS = "access"
    EXPORT = "export"
    RECTIFICATION = "rectification"
    ERASURE = "erasure"
    RESTRICTION = "restriction"
    OBJECTION = "objection"


class RequestStatus(StrEnum):
    RECEIVED = "received"  # waiting for the subject to confirm (requests by email)
    CONFIRMED = "confirmed"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    REJECTED = "rejected"


TRANSITIONS = {
    RequestStatus.RECEIVED: {RequestStatus.CONFIRMED, RequestStatus.REJECTED},
    RequestStatus.CONFIRMED: {RequestStatus.IN_PROGRESS, RequestStatus.REJECTED},
    RequestStatus.IN_PROGRESS: {RequestStatus.COMPLETED, RequestStatus.REJECTED},
    RequestStatus.COMPLETED: set(),
    RequestStatus.REJECTED: set(),
}
# Handled by the platform itself; the others (rectification, objection) by an officer.
AUTOMATED = {RequestType.ACCESS, RequestType.EXPORT, RequestType.ERASURE, RequestType.RESTRICTION}
CONFIRMATION_ATTEMPTS = 3  # wrong tokens before a confirmation link is burnt
NEAR_DEADLINE = timedelta(days=7)
EXPORT_LINK_LIFETIME = timedelta(hours=24)


def check_transition(current: str, new: RequestStatus) -> None:
    if new not in TRANSITIONS[RequestStatus(current)]:
        raise Conflict(f"a {current} request cannot become {new.value}", code="invalid_transition")


def add_months(moment: datetime, months: int) -> datetime:
    """Calendar months, as Art. 12(3) counts them (31 Jan + 1 month = 28/29 Feb)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    days_in_month = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return moment.replace(year=year, month=month, day=min(moment.day, days_in_month[month - 1]))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def request_due_at(received_at: datetime, extended: bool) -> datetime:
    """One month; two more when extended (the subject told, with reasons)."""
    return add_months(received_at, 3 if extended else 1)


def check_extension(received_at: datetime, extended: bool, reason: str, now: datetime) -> None:
    if not reason.strip():
        raise InvalidArgument("an extension needs a reason", code="reason_required")
    if extended:
        raise Conflict("this request was extended already", code="already_extended")
    if now > request_due_at(received_at, False):
        raise Conflict("extensions must be decided within the first month", code="too_late")


# -- audit log --------------------------------------------------------------------------


def audit_hash(
    previous_hash: str, seq: int, at: float, actor: str, action: str, target: str, details: str
) -> str:
    """Each entry's hash covers the previous one's: changing or removing any entry
    breaks every hash after it."""
    canonical = json.dumps([previous_hash, seq, round(at, 6), actor, action, target, details])
    return hashlib.sha256(canonical.encode()).hexdigest()


def audit_entry(
    seq: int, previous_hash: str, at: float, actor: str, action: str, target: str, details: str
) -> dict:
    """The audit log's next entry, chained to the one before by its hash."""
    return {
        "_id": seq,
        "seq": seq,
        "at_ts": at,
        "actor": actor,
        "action": action,
        "target": target,
        "details": details,
        "prev_hash": previous_hash,
        "hash": audit_hash(previous_hash, seq, at, actor, action, target, details),
    }


def chain_is_valid(entries: list[dict]) -> bool:
    """`entries` oldest first, as stored."""
    previous = ""
    for expected_seq, entry in enumerate(entries, start=1):
        if entry["_id"] != expected_seq or entry["prev_hash"] != previous:
            return False
        recomputed = audit_hash(
            previous,
            entry["_id"],
            entry["at_ts"],
            entry["actor"],
            entry["action"],
            entry["target"],
            entry["details"],
        )
        if recomputed != entry["hash"]:
            return False
        previous = entry["hash"]
    return True


# -- incidents --------------------------------------------------------------------------

AUTHORITY_REPORT_WITHIN = timedelta(hours=72)  # Art. 33(1)
MAX_NOTICE_SUBJECT = 150
MAX_NOTICE_TEXT = 5000


class IncidentStatus(StrEnum):
    OPEN = "open"  # being handled; the supervisory authority not told yet
    REPORTED = "reported"  # reported under Art. 33 (the reference may still be corrected)


INCIDENT_TRANSITIONS: dict[IncidentStatus, frozenset[IncidentStatus]] = {
    IncidentStatus.OPEN: frozenset({IncidentStatus.REPORTED}),
    IncidentStatus.REPORTED: frozenset({IncidentStatus.REPORTED}),
}


@dataclass(frozen=True)
class Incident:
    """A personal-data breach: what, which data categories, the window it covers, who
    it affected, who has been told, and whether the authority has been (within 72 h
    of becoming aware)."""

    id: str
    title: str
    description: str
    categories: tuple[str, ...]
    window_start: datetime
    window_end: datetime
    aware_at: datetime
    affected: tuple[str, ...]
    notified: tuple[str, ...] = ()
    status: IncidentStatus = IncidentStatus.OPEN
    reported_at: datetime | None = None
    reference: str = ""

    @classmethod
    def open(
        cls,
        incident_id: str,
        title: str,
        description: str,
        categories: list[str],
        window: tuple[datetime, datetime],
        aware_at: datetime,
        affected: list[str],
        policy: RetentionPolicy,
    ) -> Incident:
        cls.check(title, categories, window, policy)
        start, end = window
        return cls(
            incident_id,
            title.strip()[:200],
            description[:5000],
            tuple(categories),
            start,
            end,
            aware_at,
            tuple(affected),
        )

    @staticmethod
    def check(
        title: str,
        categories: list[str],
        window: tuple[datetime, datetime],
        policy: RetentionPolicy,
    ) -> None:
        if not title.strip():
            raise InvalidArgument("an incident needs a title")
        if not categories or any(c not in policy.rules for c in categories):
            raise InvalidArgument("categories must be data categories of the retention table")
        if window[1] <= window[0]:
            raise InvalidArgument("the window must end after it starts")

    @property
    def authority_deadline(self) -> datetime:
        return self.aware_at + AUTHORITY_REPORT_WITHIN

    def report_overdue(self, now: datetime) -> bool:
        return self.reported_at is None and now > self.authority_deadline

    def reported(self, reference: str, at: datetime) -> Incident:
        if IncidentStatus.REPORTED not in INCIDENT_TRANSITIONS[self.status]:
            raise Conflict(f"an incident {self.status} cannot be reported", code="invalid_state")
        return replace(
            self, status=IncidentStatus.REPORTED, reported_at=at, reference=reference[:200]
        )

    def still_to_notify(self) -> list[str]:
        """Each affected person is told once, however often the officer sends."""
        told = set(self.notified)
        return [u for u in self.affected if u not in told]

    def notice(self, subject: str, text: str) -> tuple[str, str]:
        """The notice's subject and text, with {incident} and {categories} filled in."""
        subject = subject.strip()
        if not subject or not text.strip():
            raise InvalidArgument("the notification needs a subject and a text")
        if len(subject) > MAX_NOTICE_SUBJECT or "\n" in subject or len(text) > MAX_NOTICE_TEXT:
            raise InvalidArgument(
                "the subject is one line of at most 150 characters, the text 5000"
            )
        filled = text.replace("{incident}", self.title).replace(
            "{categories}", ", ".join(self.categories)
        )
        return subject, filled


@cache
def load_document(model: ModelEndpoint | None = None) -> dict:
    """The retention table, its sub-processors and consents — with the interviewer's
    language model when a third party runs it (from configuration): listed as a
    sub-processor and as a recipient of the interview data it is sent. A model on the
    operator's own servers is neither."""
    document = json.loads(POLICY_FILE.read_text())
    entry = model.subprocessor() if model is not None else None
    if entry is not None:
        document["subprocessors"].append(entry)
        for item in document["categories"]:
            if item["category"] == "interview_session":
                item["recipients"] += f", {entry['name']} (the interviewer's model, with consent)"
    return document
