"""The retention sweep on real services: privacy claims due entries with leases, asks
the real sessions service to purge them (records and blobs), writes the deletion
ledger; survives a sweep that died half-way, an owner that is down, and events that
were lost (reconciliation)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from mocky.platform.blobs import blob_store_from_settings
from mocky.platform.mongo import service_database
from mocky.platform.settings import reset_settings
from mocky.platform.v1 import platform_pb2, platform_pb2_grpc
from mocky.privacy.v1 import data_owner_pb2, data_owner_pb2_grpc, privacy_pb2, privacy_pb2_grpc
from mocky.sessions.v1 import sessions_pb2, sessions_pb2_grpc
from services.privacy.service import PrivacyService
from services.sessions.service import SessionsService
from tests import infra
from tests.documents import CV_TEXT
from tests.infra import wait_until
from tests.integration.conftest import grpc_client

DAY = 24 * 3600


@pytest.fixture
def ports(monkeypatch, settings):  # type: ignore[no-untyped-def]
    chosen = {name: infra.free_port() for name in ("auth", "billing", "sessions", "voice")}
    for name, port in chosen.items():
        monkeypatch.setenv(f"MOCKY_{name.upper()}_GRPC_TARGET", f"127.0.0.1:{port}")
    monkeypatch.setenv("MOCKY_GRPC_DEADLINE_SECONDS", "3")
    reset_settings()
    return chosen


def upload(port: int, user_id: str) -> str:
    with grpc_client(port, sessions_pb2_grpc.SessionsServiceStub) as sessions:
        return sessions.UploadDocument(
            sessions_pb2.UploadDocumentRequest(
                user_id=user_id, kind="cv", filename="cv.md", data=CV_TEXT.encode()
            )
        ).document.id


def schedule() -> object:
    return service_database("privacy")["retention_schedule"]


def advance(port: int, seconds: float) -> None:
    with grpc_client(port, platform_pb2_grpc.PlatformServiceStub) as platform:
        platform.AdvanceClock(platform_pb2.AdvanceClockRequest(advance_seconds=seconds))


def sweep(port: int):  # type: ignore[no-untyped-def]
    with grpc_client(port, privacy_pb2_grpc.PrivacyServiceStub) as privacy:
        return privacy.RunRetentionSweep(privacy_pb2.RunRetentionSweepRequest())


def test_a_due_document_and_its_file_are_purged_and_the_ledger_proves_it(start_service, ports):
    start_service(SessionsService, port=ports["sessions"])
    _, privacy_port = start_service(PrivacyService)
    document_id = upload(ports["sessions"], "u-sweep")
    key = f"sessions/document/{document_id}"
    wait_until(lambda: schedule().find_one({"_id": key}), 10, "the schedule entry")
    blob_key = schedule().find_one({"_id": key})["blob_keys"][0]
    assert blob_store_from_settings().exists(blob_key)

    advance(privacy_port, 89 * DAY)
    assert sweep(privacy_port).purged == 0  # the day before: kept
    assert service_database("sessions")["documents"].count_documents({"_id": document_id}) == 1
    advance(privacy_port, 2 * DAY)
    assert sweep(privacy_port).purged == 1  # the day after: gone
    assert service_database("sessions")["documents"].count_documents({"_id": document_id}) == 0
    assert not blob_store_from_settings().exists(blob_key)
    with grpc_client(privacy_port, privacy_pb2_grpc.PrivacyServiceStub) as privacy:
        ledger = privacy.GetDeletionLedger(
            privacy_pb2.GetDeletionLedgerRequest(subject_user_id="u-sweep")
        ).entries
    assert [(e.record, e.category, e.outcome) for e in ledger] == [
        (key, "interview_session", "purged")
    ]
    assert ledger[0].rule == "90 days from creation" and ledger[0].reason == "retention"
    assert "Jane" not in str(service_database("privacy")["deletion_ledger"].find_one())


def test_a_sweep_that_died_half_way_is_finished_once(start_service, ports):
    start_service(SessionsService, port=ports["sessions"])
    _, privacy_port = start_service(PrivacyService)
    ids = [upload(ports["sessions"], "u-crash") for _ in range(3)]
    keys = [f"sessions/document/{i}" for i in ids]
    wait_until(lambda: schedule().count_documents({"_id": {"$in": keys}}) == 3, 10, "entries")
    past = time.time() - 1
    # The dead sweep: it claimed all three (its lease has run out), and the owner had
    # already purged the first one when it died, before the ledger line was written.
    schedule().update_many(
        {"_id": {"$in": keys}},
        {"$set": {"due_ts": 0.0, "lease_until_ts": past, "lease_owner": "dead"}},
    )
    with grpc_client(
        ports["sessions"], data_owner_pb2_grpc.DataOwnerServiceStub, "privacy"
    ) as owner:
        ref = {"owner": "sessions", "kind": "document", "record_id": ids[0]}
        owner.PurgeRecords(data_owner_pb2.PurgeRecordsRequest(records=[ref]))
    # A live sweep elsewhere holds the third: not taken while its lease runs.
    schedule().update_one({"_id": keys[2]}, {"$set": {"lease_until_ts": time.time() + 60}})
    first = sweep(privacy_port)
    assert (first.claimed, first.purged) == (2, 2)
    schedule().update_one({"_id": keys[2]}, {"$set": {"lease_until_ts": past}})
    assert sweep(privacy_port).purged == 1
    ledger = list(service_database("privacy")["deletion_ledger"].find({"subject": "u-crash"}))
    assert sorted(e["_id"] for e in ledger) == sorted(keys)  # each exactly once
    outcomes = {e["_id"]: e["outcome"] for e in ledger}
    assert outcomes[keys[0]] == "already_gone" and outcomes[keys[1]] == "purged"
    assert sweep(privacy_port).claimed == 0


def test_an_owner_that_is_down_is_retried_with_backoff(start_service, ports):
    sessions, _ = start_service(SessionsService, port=ports["sessions"])
    _, privacy_port = start_service(PrivacyService)
    document_id = upload(ports["sessions"], "u-down")
    key = f"sessions/document/{document_id}"
    wait_until(lambda: schedule().find_one({"_id": key}), 10, "the schedule entry")
    sessions.stop()
    advance(privacy_port, 91 * DAY)
    assert sweep(privacy_port).failed == 1
    entry = schedule().find_one({"_id": key})
    assert entry["state"] == "scheduled" and entry["attempts"] == 1 and entry["last_error"]
    assert sweep(privacy_port).claimed == 0  # backing off
    start_service(SessionsService, port=ports["sessions"])
    advance(privacy_port, 120)
    assert sweep(privacy_port).purged == 1
    assert schedule().find_one({"_id": key})["state"] == "purged"


def test_a_record_whose_event_was_lost_is_found_and_purged(start_service, ports):
    start_service(SessionsService, port=ports["sessions"])
    _, privacy_port = start_service(PrivacyService)
    old = datetime.now(UTC) - timedelta(days=100)
    service_database("sessions")["reports"].insert_one(
        {"_id": "lost-report", "user_id": "u-lost", "created_at": old, "overall_score": 50}
    )
    result = sweep(privacy_port)
    assert result.purged == 1
    assert service_database("sessions")["reports"].count_documents({"_id": "lost-report"}) == 0
    entry = schedule().find_one({"_id": "sessions/report/lost-report"})
    assert entry["state"] == "purged"


def test_an_erasure_stays_in_progress_until_every_owner_has_confirmed(start_service, ports):
    from services.auth.service import AuthService
    from services.billing.service import BillingService
    from services.voice.service import VoiceService

    start_service(AuthService, port=ports["auth"])
    start_service(SessionsService, port=ports["sessions"])
    start_service(VoiceService, port=ports["voice"])
    _, privacy_port = start_service(PrivacyService)  # billing is down
    document_id = upload(ports["sessions"], "u-erase")
    key = f"sessions/document/{document_id}"
    wait_until(lambda: schedule().find_one({"_id": key}), 10, "the schedule entry")
    with grpc_client(privacy_port, privacy_pb2_grpc.PrivacyServiceStub) as privacy:
        request_id = privacy.CreateRequest(
            privacy_pb2.CreateRequestRequest(user_id="u-erase", type="erasure")
        ).request.id

        def state():  # type: ignore[no-untyped-def]
            return privacy.GetRequest(privacy_pb2.GetRequestRequest(id=request_id)).request

        wait_until(lambda: list(state().pending_owners) == ["billing"], 20, "billing pending")
        assert state().status == "in_progress"
        assert service_database("sessions")["documents"].count_documents({"_id": document_id}) == 0
        time.sleep(6)  # another round of the worker: still not complete
        assert state().status == "in_progress"
        start_service(BillingService, port=ports["billing"])
        wait_until(lambda: state().status == "completed", 20, "the erasure to complete")
        assert list(state().pending_owners) == []
