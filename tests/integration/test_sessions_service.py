"""The sessions service on real RabbitMQ, nx-27017, a blob store and gRPC, calling the
real billing service: credits through a service-to-service client that survives
billing being down or restarted, and the privacy hooks."""

from __future__ import annotations

import json
import time

import pytest
from nameko_grpc.errors import GrpcError

from mocky.billing.v1 import billing_pb2, billing_pb2_grpc
from mocky.platform.blobs import blob_store_from_settings
from mocky.platform.mongo import service_database
from mocky.platform.paddle import sign, transaction_completed
from mocky.platform.settings import DEV_WEBHOOK_SECRET, reset_settings
from mocky.privacy.v1 import data_owner_pb2, data_owner_pb2_grpc
from mocky.sessions.v1 import sessions_pb2, sessions_pb2_grpc
from services.billing.service import BillingService
from services.sessions.service import SessionsService
from tests import infra
from tests.documents import CV_TEXT
from tests.integration.conftest import grpc_client

Stub = sessions_pb2_grpc.SessionsServiceStub


@pytest.fixture
def billing_port(monkeypatch, settings):  # type: ignore[no-untyped-def]
    port = infra.free_port()
    monkeypatch.setenv("MOCKY_BILLING_GRPC_TARGET", f"127.0.0.1:{port}")
    monkeypatch.setenv("MOCKY_GRPC_DEADLINE_SECONDS", "3")
    reset_settings()
    return port


def give_credits(port: int, user_id: str) -> None:
    raw = json.dumps(transaction_completed(user_id, "pri_local_5_credits", 1)).encode()
    with grpc_client(port, billing_pb2_grpc.BillingServiceStub) as billing:
        billing.ReceivePaddleWebhook(
            billing_pb2.ReceivePaddleWebhookRequest(
                raw_body=raw, signature_header=sign(raw, DEV_WEBHOOK_SECRET, int(time.time()))
            )
        )


def start(sessions, user_id: str, key: str):  # type: ignore[no-untyped-def]
    return sessions.StartInterview(
        sessions_pb2.StartInterviewRequest(
            user_id=user_id, mode="text", role="Engineer", idempotency_key=key
        )
    ).interview


def test_billing_down_at_start_then_up_then_restarted(start_service, billing_port):
    _, sessions_port = start_service(SessionsService)  # billing is not running yet
    with grpc_client(sessions_port, Stub) as sessions:
        began = time.monotonic()
        with pytest.raises(GrpcError) as down:
            start(sessions, "u-1", "k-1")
        assert down.value.code.name == "UNAVAILABLE" and time.monotonic() - began < 3
        billing, _ = start_service(BillingService, port=billing_port)
        give_credits(billing_port, "u-1")
        resumed = start(sessions, "u-1", "k-1")  # the same start, retried: it goes through
        assert resumed.status == "in_progress" and resumed.question
        billing.stop()
        with pytest.raises(GrpcError) as stopped:
            start(sessions, "u-1", "k-2")
        assert stopped.value.code.name == "UNAVAILABLE"
        start_service(BillingService, port=billing_port)
        assert start(sessions, "u-1", "k-2").status == "in_progress"  # reconnected
    with grpc_client(billing_port, billing_pb2_grpc.BillingServiceStub) as billing_client:
        left = billing_client.GetBalance(billing_pb2.GetBalanceRequest(user_id="u-1")).credits
    assert left == 3  # two interviews, each charged once despite the retries


def test_export_and_purge_of_documents_with_their_files(start_service, billing_port):
    _, port = start_service(SessionsService)
    with grpc_client(port, Stub) as sessions:
        uploaded = sessions.UploadDocument(
            sessions_pb2.UploadDocumentRequest(
                user_id="u-2", kind="cv", filename="cv.md", data=CV_TEXT.encode()
            )
        ).document
    blob_key = service_database("sessions")["documents"].find_one({"_id": uploaded.id})["blob_key"]
    blobs = blob_store_from_settings()
    assert blobs.exists(blob_key)
    owner_stub = data_owner_pb2_grpc.DataOwnerServiceStub
    with grpc_client(port, owner_stub, "privacy") as owner:
        exported = owner.ExportUserData(data_owner_pb2.ExportUserDataRequest(user_id="u-2"))
        ref = {
            "owner": "sessions",
            "kind": "document",
            "record_id": uploaded.id,
            "blob_keys": [blob_key],
        }
        first = owner.PurgeRecords(data_owner_pb2.PurgeRecordsRequest(records=[ref]))
        again = owner.PurgeRecords(data_owner_pb2.PurgeRecordsRequest(records=[ref]))
    names = {f.name: f.data for f in exported.files}
    assert names[f"sessions/files/{uploaded.id}-cv.md"] == CV_TEXT.encode()
    assert json.loads(names["sessions/documents.json"])[0]["_id"] == uploaded.id
    assert first.results[0].outcome == data_owner_pb2.PURGE_OUTCOME_PURGED
    assert again.results[0].outcome == data_owner_pb2.PURGE_OUTCOME_ALREADY_GONE
    assert not blobs.exists(blob_key)
    assert service_database("sessions")["documents"].count_documents({}) == 0
