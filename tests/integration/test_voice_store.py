"""The contract of voice's storage (`VoiceStore`): the MongoDB repository on the
embedded MongoDB and the unit tests' in-memory fake pass the same tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from mocky.platform.mongo import service_database
from services.voice.domain import Clip, ClipKind
from services.voice.repository import VoiceRepository
from services.voice.tests.fakes import InMemoryVoiceStore

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(params=["mongo", "memory"])
def store(request, settings):  # type: ignore[no-untyped-def]
    if request.param == "memory":
        return InMemoryVoiceStore()
    repo = VoiceRepository(service_database(f"voice_store_{uuid.uuid4().hex[:8]}"))
    repo.ensure_indexes()
    return repo


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
