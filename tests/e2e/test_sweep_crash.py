"""SIGKILL on the privacy service in the middle of a retention sweep (real processes):
after a restart every due record is gone, each with exactly one ledger line, and no
record was purged twice (a batch in flight when it died answers `already gone`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from datetime import UTC, datetime

import pymongo

from mocky.platform.blobs import LocalBlobStore
from mocky.platform.devstack import ROOT
from tests import infra

RECORDS = 1500


def start(service: str, env: dict, log_path) -> subprocess.Popen:  # type: ignore[no-untyped-def]
    return subprocess.Popen(
        [sys.executable, "-m", "mocky.platform.runner", service],
        cwd=ROOT,
        env=env,
        stdout=open(log_path, "ab"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )


def test_killing_privacy_mid_sweep_leaves_nothing_behind_and_purges_nothing_twice(tmp_path):
    vhost = infra.new_vhost()
    mongo = infra.start_mongo(tmp_path)
    sessions_port = infra.free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("MOCKY_")},
        "MOCKY_ENV": "test",
        "AMQP_URI": f"amqp://guest:guest@127.0.0.1:5672/{vhost}",
        "MONGO_URL": mongo.url,
        "MOCKY_BLOB_DIR": str(tmp_path / "blobs"),
        "MOCKY_SESSIONS_GRPC_PORT": str(sessions_port),
        "MOCKY_SESSIONS_GRPC_TARGET": f"127.0.0.1:{sessions_port}",
        "MOCKY_SESSIONS_METRICS_PORT": str(infra.free_port()),
        "MOCKY_PRIVACY_GRPC_PORT": str(infra.free_port()),
        "MOCKY_PRIVACY_METRICS_PORT": str(infra.free_port()),
    }
    client = pymongo.MongoClient(mongo.url)
    documents = client["mocky_sessions"]["documents"]
    schedule = client["mocky_privacy"]["retention_schedule"]
    ledger = client["mocky_privacy"]["deletion_ledger"]
    processes: list[subprocess.Popen] = []
    try:
        subprocess.run(
            [sys.executable, "-m", "mocky.platform.topology"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        processes.append(start("sessions", env, tmp_path / "sessions.log"))
        blobs = LocalBlobStore.from_settings(_settings(env))
        now = datetime.now(UTC)
        for _ in range(RECORDS):
            doc_id, user = uuid.uuid4().hex, uuid.uuid4().hex
            key = f"sessions/documents/{user}/{doc_id}"
            blobs.put(key, b"%PDF-1.4 a CV", "application/pdf")
            documents.insert_one(
                {"_id": doc_id, "user_id": user, "kind": "cv", "blob_key": key, "created_at": now}
            )
            schedule.insert_one(
                {
                    "_id": f"sessions/document/{doc_id}",
                    "owner": "sessions",
                    "kind": "document",
                    "record_id": doc_id,
                    "user_id": user,
                    "category": "interview_session",
                    "created_at": now,
                    "due_ts": 0.0,
                    "blob_keys": [key],
                    "state": "scheduled",
                    "lease_until_ts": 0.0,
                    "next_attempt_ts": 0.0,
                    "attempts": 0,
                }
            )
        privacy = start("privacy", env, tmp_path / "privacy-1.log")
        infra.wait_until(lambda: ledger.count_documents({}) >= 200, 60, "the sweep to be under way")
        privacy.send_signal(signal.SIGKILL)
        privacy.wait(10)
        left = schedule.count_documents({"state": "scheduled"})
        assert 0 < left < RECORDS  # killed in the middle
        processes.append(start("privacy", env, tmp_path / "privacy-2.log"))
        # Claims of the killed sweep wait for their lease (2 minutes) to run out.
        infra.wait_until(
            lambda: schedule.count_documents({"state": "scheduled"}) == 0, 240, "the rest to go"
        )
        assert documents.count_documents({}) == 0
        assert blobs.list_keys("sessions/") == []
        assert ledger.count_documents({}) == RECORDS  # one line per record
        assert len({d["_id"] for d in ledger.find({}, {"_id": 1})}) == RECORDS
        repeats = ledger.count_documents({"outcome": "already_gone"})
        assert repeats <= 100  # at most the batch in flight, and not purged again
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(30)
        mongo.stop()
        infra.delete_vhost(vhost)


def _settings(env: dict):  # type: ignore[no-untyped-def]
    from mocky.platform.settings import Settings

    return Settings(blob_dir=env["MOCKY_BLOB_DIR"])
