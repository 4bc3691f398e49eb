"""SIGTERM on a real service process (what Kubernetes sends on a rollout): it stops
taking work, lets running workers finish, gives unacknowledged messages back to the
broker, and exits well within its grace period; nothing is lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pymongo

from mocky.platform.devstack import ROOT
from mocky.platform.events import (
    ConfirmedPublisher,
    Outbox,
    outbox_entry,
)
from tests import infra
from tests.factories import user_registered

EVENTS = 1500
GRACE_SECONDS = 45  # terminationGracePeriodSeconds of the services in deploy/k8s


def start_privacy(env: dict, log_path) -> subprocess.Popen:  # type: ignore[no-untyped-def]
    return subprocess.Popen(
        [sys.executable, "-m", "mocky.platform.runner", "privacy"],
        cwd=ROOT,
        env=env,
        stdout=open(log_path, "ab"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )


def test_sigterm_mid_stream_loses_nothing_and_exits_in_time(tmp_path):
    vhost = infra.new_vhost()
    mongo = infra.start_mongo(tmp_path)
    amqp_uri = f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("MOCKY_")},
        "MOCKY_ENV": "test",
        "AMQP_URI": amqp_uri,
        "MONGO_URL": mongo.url,
        "MOCKY_PRIVACY_GRPC_PORT": str(infra.free_port()),
        "MOCKY_PRIVACY_METRICS_PORT": str(infra.free_port()),
    }
    schedule = pymongo.MongoClient(mongo.url)["mocky_privacy"]["retention_schedule"]
    try:
        subprocess.run(
            [sys.executable, "-m", "mocky.platform.topology"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        outbox = Outbox("auth", ConfirmedPublisher(amqp_uri))
        for _ in range(EVENTS):
            outbox.publish_entry(outbox_entry(user_registered()))

        first = start_privacy(env, tmp_path / "privacy-1.log")
        infra.wait_until(lambda: schedule.count_documents({}) > 0, 60, "consumption started")
        first.send_signal(signal.SIGTERM)
        stopping = time.monotonic()
        first.wait(GRACE_SECONDS)
        stopped_after = time.monotonic() - stopping
        handled_before_stop = schedule.count_documents({})

        second = start_privacy(env, tmp_path / "privacy-2.log")
        try:
            infra.wait_until(
                lambda: schedule.count_documents({}) == EVENTS, 60, "every event handled"
            )
            handled_in_the_end = schedule.count_documents({})
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(GRACE_SECONDS)
    finally:
        mongo.stop()
        infra.delete_vhost(vhost)
    assert first.returncode == 0 and second.returncode == 0
    assert stopped_after < GRACE_SECONDS
    assert 0 < handled_before_stop < EVENTS, "the stop really came mid-stream"
    assert handled_in_the_end == EVENTS  # nothing lost
