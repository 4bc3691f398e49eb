"""Bounded speech work: jobs beyond the running and waiting slots are refused at once with
Retry-After, a transcription is one per user, a caller that has gone loses its place, and
the queue's depth, waits and refusals are metrics."""

from __future__ import annotations

import eventlet
import pytest
from prometheus_client import REGISTRY

from mocky.platform.errors import RateLimited
from services.voice.slots import CallerGone, WorkSlots


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def hold(slots: WorkSlots, user: str, release: eventlet.Event) -> eventlet.GreenThread:
    def job() -> None:
        with slots.slot(user, wait_seconds=5):
            release.wait()

    thread = eventlet.spawn(job)
    eventlet.sleep(0.01)
    return thread


def test_beyond_the_running_and_waiting_slots_a_job_is_refused_at_once():
    slots = WorkSlots("synthesis_test", concurrent=1, waiting=1, retry_after_seconds=3)
    release = eventlet.Event()
    threads = [hold(slots, "u-1", release), hold(slots, "u-2", release)]
    assert sample("mocky_voice_queue_depth", kind="synthesis_test", state="running") == 1
    assert sample("mocky_voice_queue_depth", kind="synthesis_test", state="waiting") == 1
    before = sample("mocky_voice_refused_total", kind="synthesis_test", reason="busy")
    with pytest.raises(RateLimited) as refused:
        with slots.slot("u-3"):
            pass
    assert refused.value.code == "busy" and refused.value.retry_after_seconds == 3
    assert sample("mocky_voice_refused_total", kind="synthesis_test", reason="busy") == before + 1
    release.send()
    for thread in threads:
        thread.wait()
    assert slots.admitted == 0 and not slots.full
    assert sample("mocky_voice_queue_depth", kind="synthesis_test", state="waiting") == 0
    assert sample("mocky_voice_queue_wait_seconds_count", kind="synthesis_test") == 2


def test_a_transcription_is_one_per_user():
    slots = WorkSlots("transcription_test", concurrent=2, waiting=2, one_per_user=True)
    release = eventlet.Event()
    thread = hold(slots, "u-1", release)
    with pytest.raises(RateLimited) as refused:
        with slots.slot("u-1"):
            pass
    assert refused.value.code == "busy_user"
    with slots.slot("u-2"):  # someone else is not held up
        pass
    release.send()
    thread.wait()


def test_a_caller_that_has_gone_loses_its_place():
    slots = WorkSlots("gone_test", concurrent=1, waiting=1)
    release = eventlet.Event()
    thread = hold(slots, "u-1", release)
    with pytest.raises(CallerGone):
        with slots.slot("u-2", gone=lambda: True):
            pass
    assert slots.admitted == 1  # only the running job
    release.send()
    thread.wait()
