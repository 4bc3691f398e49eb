"""The contract of the incident entrypoints' storage (`IncidentStore`): the MongoDB
repository on the embedded MongoDB and the unit tests' in-memory fake pass the same
tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from services.privacy.domain import (
    Incident,
    IncidentStatus,
    RetentionPolicy,
    ScheduleEntry,
    chain_is_valid,
)
from services.privacy.repository import PrivacyRepository
from services.privacy.tests.fakes import InMemoryIncidentStore
from tests.integration.conftest import store_under_test

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
POLICY = RetentionPolicy.load()


@pytest.fixture(params=["mongo", "memory"])
def store(request, settings):  # type: ignore[no-untyped-def]
    return store_under_test(request.param, PrivacyRepository, InMemoryIncidentStore)


def entry(user_id: str, category: str, created_at: datetime) -> ScheduleEntry:
    return ScheduleEntry(
        "sessions", "interview", uuid.uuid4().hex, user_id, category, created_at, None
    )


def incident(affected: tuple[str, ...] = ("u-1", "u-2")) -> Incident:
    return Incident.open(
        uuid.uuid4().hex,
        "Lost laptop",
        "An unencrypted laptop with exports",
        ["interview_session"],
        (NOW - timedelta(hours=2), NOW),
        NOW,
        list(affected),
        POLICY,
    )


def test_an_incident_round_trips_and_the_newest_comes_first(store):
    first = incident()
    later = Incident.open(
        "later",
        "Mail misdirected",
        "",
        ["account"],
        (NOW, NOW + timedelta(hours=1)),
        NOW + timedelta(hours=1),
        [],
        POLICY,
    )
    store.add_incident(first)
    store.add_incident(later)
    assert store.incident(first.id) == first
    assert [i.id for i in store.all_incidents()] == ["later", first.id]
    assert store.incident("missing") is None


def test_notified_people_are_added_once_and_a_report_is_recorded(store):
    opened = incident()
    store.add_incident(opened)
    store.add_notified(opened.id, ["u-1"])
    store.add_notified(opened.id, ["u-1", "u-2"])
    assert sorted(store.incident(opened.id).notified) == ["u-1", "u-2"]
    store.record_report(opened.reported("REF-1", NOW + timedelta(hours=5)))
    reported = store.incident(opened.id)
    assert reported.status is IncidentStatus.REPORTED and reported.reference == "REF-1"
    assert reported.reported_at == NOW + timedelta(hours=5)
    assert sorted(reported.notified) == ["u-1", "u-2"]  # the report leaves them


def test_the_people_affected_are_those_with_records_of_the_categories_in_the_window(store):
    store.add_entry(entry("inside", "interview_session", NOW - timedelta(hours=1)))
    store.add_entry(entry("other_category", "audio", NOW - timedelta(hours=1)))
    store.add_entry(entry("after", "interview_session", NOW + timedelta(hours=1)))
    start, end = (NOW - timedelta(hours=2)).timestamp(), NOW.timestamp()
    assert store.subjects_in(["interview_session"], start, end) == ["inside"]
    assert store.subjects_in(["interview_session", "audio"], start, end) == [
        "inside",
        "other_category",
    ]


def test_the_audit_log_is_a_valid_hash_chain_in_order(store):
    store.append_audit("officer", "incident_opened", "incident/1", "{}", 1.0)
    store.append_audit("officer", "incident_reported", "incident/1", "{}", 2.0)
    entries = store.audit_entries()
    assert [e["action"] for e in entries] == ["incident_opened", "incident_reported"]
    assert chain_is_valid(entries)
