import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from mocky.platform.errors import InvalidArgument
from mocky.platform.language_model import PRESETS, ModelEndpoint
from services.privacy.domain import (
    EntryState,
    EntryStatus,
    RetentionPolicy,
    load_document,
    schedule_entry,
    status_of,
)

POLICY = RetentionPolicy.load()
CREATED = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "category,days",
    [
        ("interview_session", 90),
        ("audio", 30),
        ("usage_log", 90),
        ("payment_record", 2557),
    ],
)
def test_records_are_due_their_retention_period_after_creation(category, days):
    assert POLICY.due_at(category, CREATED) == CREATED + timedelta(days=days)


def test_account_retention_waits_for_the_deletion_request():
    assert POLICY.due_at("account", CREATED) is None
    assert POLICY.rule("account").period == timedelta(days=30)


def test_unknown_category_is_refused():
    with pytest.raises(InvalidArgument):
        POLICY.due_at("marketing", CREATED)


def test_every_category_of_the_privacy_policy_has_a_rule():
    assert set(POLICY.rules) == {
        "account",
        "interview_session",
        "audio",
        "payment_record",
        "usage_log",
    }


def test_schedule_entry_key_names_the_record():
    entry = schedule_entry(POLICY, "voice", "clip", "c1", "u1", "audio", CREATED, ("a/1",))
    assert entry.key == "voice/clip/c1"
    assert entry.due_at == CREATED + timedelta(days=30)


def test_reference_without_an_id_is_refused():
    with pytest.raises(InvalidArgument):
        schedule_entry(POLICY, "voice", "clip", "", "u1", "audio", CREATED)


@pytest.mark.parametrize(
    "now_offset,expected",
    [
        (timedelta(seconds=-1), EntryStatus.SCHEDULED),
        (timedelta(0), EntryStatus.DUE),
        (timedelta(hours=24), EntryStatus.DUE),
        (timedelta(hours=24, seconds=1), EntryStatus.OVERDUE),
    ],
)
def test_status_on_both_sides_of_due_and_overdue(now_offset, expected):
    due = CREATED + timedelta(days=30)
    assert status_of(EntryState.SCHEDULED, due, due + now_offset, POLICY.overdue_grace) == expected


def test_purged_and_failed_states_win_over_time():
    due = CREATED
    later = CREATED + timedelta(days=400)
    assert status_of(EntryState.PURGED, due, later, POLICY.overdue_grace) == EntryStatus.PURGED
    assert status_of(EntryState.FAILED, due, later, POLICY.overdue_grace) == EntryStatus.FAILED
    assert (
        status_of(EntryState.SCHEDULED, None, later, POLICY.overdue_grace) == EntryStatus.SCHEDULED
    )


def test_account_is_due_thirty_days_after_the_deletion_request_whatever_the_event_order():
    requested = CREATED + timedelta(days=100)
    entry = schedule_entry(
        POLICY, "auth", "user", "u1", "u1", "account", CREATED, deletion_requested_at=requested
    )
    assert entry.due_at == requested + timedelta(days=30)


def test_a_month_is_a_calendar_month_and_an_extension_two_more():
    from services.privacy.domain import add_months, request_due_at

    jan31 = datetime(2027, 1, 31, 10, tzinfo=UTC)
    assert add_months(jan31, 1) == datetime(2027, 2, 28, 10, tzinfo=UTC)
    assert add_months(datetime(2028, 1, 31, tzinfo=UTC), 1).day == 29  # leap year
    assert request_due_at(jan31, extended=True) == datetime(2027, 4, 30, 10, tzinfo=UTC)
    assert add_months(datetime(2026, 11, 15, tzinfo=UTC), 3) == datetime(2027, 2, 15, tzinfo=UTC)


def test_an_extension_needs_a_reason_comes_once_and_within_the_first_month():
    from mocky.platform.errors import Conflict, InvalidArgument
    from services.privacy.domain import check_extension

    received = datetime(2027, 3, 1, tzinfo=UTC)
    check_extension(received, False, "complex request", received + timedelta(days=20))
    with pytest.raises(InvalidArgument):
        check_extension(received, False, " ", received)
    with pytest.raises(Conflict):
        check_extension(received, True, "again", received)
    with pytest.raises(Conflict):
        check_extension(received, False, "late", received + timedelta(days=32))


def test_the_audit_chain_detects_a_changed_or_removed_entry():
    from services.privacy.domain import audit_hash, chain_is_valid

    entries, previous = [], ""
    for seq in range(1, 5):
        entry = {
            "_id": seq,
            "at_ts": 1000.0 + seq,
            "actor": "officer",
            "action": "x",
            "target": f"t{seq}",
            "details": "{}",
            "prev_hash": previous,
        }
        entry["hash"] = audit_hash(
            previous, seq, entry["at_ts"], "officer", "x", entry["target"], "{}"
        )
        previous = entry["hash"]
        entries.append(entry)
    assert chain_is_valid(entries)
    tampered = [dict(e) for e in entries]
    tampered[1]["target"] = "someone else"
    assert not chain_is_valid(tampered)
    assert not chain_is_valid(entries[:1] + entries[2:])  # a removed entry


def test_purge_retries_back_off_and_are_capped():
    from services.privacy.domain import retry_delay

    assert [retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert retry_delay(30) == timedelta(hours=6)


def test_a_providers_model_is_a_sub_processor_and_a_recipient_a_local_one_is_neither():
    base = PRESETS["mistral"]
    hosted = ModelEndpoint(
        "mistral",
        base.base_url,
        base.model,
        "k",
        "provider",
        base.structured,
        15,
        base.provider,
        base.region,
        base.safeguards,
    )
    document = load_document(hosted)
    listed = [s for s in document["subprocessors"] if s["name"] == "Mistral AI"]
    assert listed and listed[0]["location"] == "EU (France)"
    sessions = next(c for c in document["categories"] if c["category"] == "interview_session")
    assert "Mistral AI" in sessions["recipients"]
    local = load_document(replace(hosted, location="local"))
    assert local == load_document(None)
    assert "Mistral AI" not in json.dumps(local)
