"""The retention sweep's throughput and the time to build an export, each against a
baseline measured in the same run.

* Purge: N documents with their (encrypted) files, due now. Ours: the privacy service's
  sweep (lease claims, one PurgeRecords gRPC call per batch of 100 to the sessions
  service, which deletes records and blobs, then a deletion-ledger line each). Baseline:
  the same deletions done directly (delete_one + blob delete per record), i.e. the floor
  any purge pays without scheduling, leases, gRPC or proof.
* Export: a user with 50 interviews (12 answered turns each) and 2 documents with files.
  Ours: the sessions service's ExportUserData over gRPC plus the ZIP with its README, as
  the privacy worker builds it. Baseline: reading the same records with pymongo and
  serialising them to JSON.

    python -m bench.privacy
"""

from __future__ import annotations

import eventlet

eventlet.monkey_patch()

import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from datetime import UTC, datetime  # noqa: E402

RECORDS = int(os.environ.get("BENCH_PURGE_RECORDS", "1000"))


def main() -> int:
    from tests import infra

    workdir = infra.temp_workdir("mocky-bench-privacy-")
    mongo = infra.start_mongo(workdir)
    vhost = infra.new_vhost()
    ports = {"sessions": infra.free_port(), "privacy": infra.free_port()}
    os.environ.update(
        {
            "MOCKY_ENV": "test",
            "MONGO_URL": mongo.url,
            "MOCKY_MONGO_DB_PREFIX": "bench_",
            "MOCKY_BLOB_DIR": str(workdir / "blobs"),
            "AMQP_URI": f"amqp://guest:guest@127.0.0.1:5672/{vhost}",
            "MOCKY_SESSIONS_GRPC_TARGET": f"127.0.0.1:{ports['sessions']}",
            "MOCKY_GRPC_DEADLINE_SECONDS": "60",
        }
    )
    try:
        result = run(ports, os.environ["AMQP_URI"])
    finally:
        mongo.stop()
        infra.delete_vhost(vhost)
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(result))
    return 0


def run(ports: dict[str, int], amqp_uri: str) -> dict:
    from nameko import config
    from nameko.containers import ServiceContainer
    from nameko_grpc.client import Client

    from mocky.platform import grpc as _grpc  # noqa: F401 (installs the wake-up)
    from mocky.platform.blobs import blob_store_from_settings
    from mocky.platform.mongo import service_database
    from mocky.privacy.v1 import data_owner_pb2, data_owner_pb2_grpc, privacy_pb2, privacy_pb2_grpc
    from services.privacy import export
    from services.privacy.domain import RetentionPolicy, load_document
    from services.privacy.service import PrivacyService
    from services.sessions.service import SessionsService

    containers = []
    for cls, port in ((SessionsService, ports["sessions"]), (PrivacyService, ports["privacy"])):
        config.setup({"AMQP_URI": amqp_uri, "GRPC_BIND_PORT": port, "GRPC_BIND_HOST": "127.0.0.1"})
        container = ServiceContainer(cls)
        container.start()
        containers.append(container)
    blobs = blob_store_from_settings()
    documents = service_database("sessions")["documents"]
    schedule = service_database("privacy")["retention_schedule"]
    original = os.urandom(40_000)  # a 40 KB CV file

    def seed(n: int, scheduled: bool) -> list[tuple[str, str]]:
        made = []
        now = datetime.now(UTC)
        for _ in range(n):
            doc_id, user = uuid.uuid4().hex, uuid.uuid4().hex
            key = f"sessions/documents/{user}/{doc_id}"
            blobs.put(key, original, "application/pdf")
            documents.insert_one(
                {
                    "_id": doc_id,
                    "user_id": user,
                    "kind": "cv",
                    "blob_key": key,
                    "text": "x" * 3000,
                    "created_at": now,
                }
            )
            if scheduled:
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
            made.append((doc_id, key))
        return made

    baseline_records = seed(RECORDS, scheduled=False)
    started = time.perf_counter()
    for doc_id, key in baseline_records:
        documents.delete_one({"_id": doc_id})
        blobs.delete_many([key])
    baseline_rate = RECORDS / (time.perf_counter() - started)

    seed(RECORDS, scheduled=True)
    started = time.perf_counter()
    with Client(f"//127.0.0.1:{ports['privacy']}", privacy_pb2_grpc.PrivacyServiceStub) as privacy:
        # The service's own timer sweeps too: run until nothing is left, whoever purged it.
        while schedule.count_documents({"state": "scheduled"}):
            privacy.RunRetentionSweep(privacy_pb2.RunRetentionSweepRequest())
    ours_rate = RECORDS / (time.perf_counter() - started)
    assert documents.count_documents({}) == 0 and not blobs.list_keys("sessions/")

    user = "bench-export-user"
    interviews = service_database("sessions")["interviews"]
    answer = "I led the migration and as a result deploys went from 2 hours to 20 minutes. " * 6
    for _ in range(50):
        turns = [
            {"index": i, "question": "Tell me about a project.", "answer": answer}
            for i in range(12)
        ]
        interviews.insert_one(
            {
                "_id": uuid.uuid4().hex,
                "user_id": user,
                "turns": turns,
                "created_at": datetime.now(UTC),
            }
        )
    for _ in range(2):
        doc_id = uuid.uuid4().hex
        key = f"sessions/documents/{user}/{doc_id}"
        blobs.put(key, original, "application/pdf")
        documents.insert_one(
            {
                "_id": doc_id,
                "user_id": user,
                "kind": "cv",
                "filename": "cv.pdf",
                "blob_key": key,
                "text": "x" * 3000,
                "created_at": datetime.now(UTC),
            }
        )

    def ours_export() -> int:
        with Client(
            f"//127.0.0.1:{ports['sessions']}", data_owner_pb2_grpc.DataOwnerServiceStub
        ) as owner:
            answer = owner.ExportUserData(data_owner_pb2.ExportUserDataRequest(user_id=user))
        files = [(f.name, f.data) for f in answer.files]
        text = export.readme(
            user, RetentionPolicy.load(), load_document(), datetime.now(UTC), [n for n, _ in files]
        )
        return len(export.build_archive(files, text, {"_id": "bench"}))

    def baseline_export() -> int:
        data = {
            "interviews": list(interviews.find({"user_id": user})),
            "documents": list(documents.find({"user_id": user})),
        }
        return len(json.dumps(data, default=str))

    def timed(fn) -> tuple[float, int]:  # type: ignore[no-untyped-def]
        samples, size = [], 0
        for _ in range(5):
            started = time.perf_counter()
            size = fn()
            samples.append((time.perf_counter() - started) * 1000)
        return sorted(samples)[2], size

    export_ms, archive_bytes = timed(ours_export)
    export_baseline_ms, _ = timed(baseline_export)
    for container in containers:
        container.stop()
    return {
        "records": RECORDS,
        "purge_baseline_direct_deletes_per_s": round(baseline_rate),
        "purge_ours_sweep_per_s": round(ours_rate),
        "ratio_ours_to_baseline": round(ours_rate / baseline_rate, 2),
        "export_50_interviews_ms": round(export_ms, 1),
        "export_baseline_read_and_json_ms": round(export_baseline_ms, 1),
        "export_archive_bytes": archive_bytes,
        "ratio_export_to_baseline": round(export_ms / export_baseline_ms, 2),
    }


if __name__ == "__main__":
    sys.exit(main())
