"""The contract of voice's storage (`VoiceStore`): the MongoDB repository on the
embedded MongoDB and the unit tests' in-memory fake pass the same tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.voice.domain import Clip, ClipKind
from services.voice.repository import VoiceRepository
from services.voice.tests.fakes import InMemoryVoiceStore
from tests.integration.conftest import store_under_test

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(params=["mongo", "memory"])
def store(request, settings):  # type: ignore[no-untyped-def]
    return store_under_test(request.param, VoiceRepository, InMemoryVoiceStore)


def clip(audio_id: str = "a1", user_id: str = "u-1") -> Clip:
    return Clip.new(audio_id, user_id, "iv-1", ClipKind.LINE, "audio/wav", 1.5, NOW, "piper")


def test_a_clip_is_stored_once_and_read_only_by_its_owner(store):
    assert store.add_clip(clip(), {"event_id": "e1"})
    assert not store.add_clip(clip(), {"event_id": "e2"})  # the same line again
    assert store.clip("u-1", "a1") == clip()
    assert store.clip("u-2", "a1") is None
    assert store.clip("u-1", "missing") is None


def test_a_deleted_clip_is_gone(store):
    store.add_clip(clip(), {"event_id": "e1"})
    assert store.delete_clip("a1")
    assert not store.delete_clip("a1")
    assert store.clip("u-1", "a1") is None
