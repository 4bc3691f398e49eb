"""pymongo access to the voice service's clips; owns their indexes."""

from __future__ import annotations

from typing import Protocol

from pymongo import ASCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from mocky.platform.clock import as_utc
from mocky.platform.data_map import DataMap, Records
from mocky.platform.events import OUTBOX_FIELD, OUTBOX_SEQ
from mocky.platform.mongo import ensure_collection
from services.voice.domain import Clip, ClipKind

CLIPS = "clips"  # recorded answers and synthesised lines; the audio itself is a blob
HIDDEN = {OUTBOX_FIELD: 0, OUTBOX_SEQ: 0}

# What voice holds on a person, for the privacy hooks (mocky.platform.data_map).
DATA_MAP = DataMap(
    "voice",
    records=(
        Records(
            "clip",
            CLIPS,
            "audio",
            blob_field="blob_key",
            blob_file=lambda clip: (
                f"{clip['kind']}s/{clip['_id']}.{clip['content_type'].split('/')[-1]}"
            ),
        ),
    ),
)


class VoiceStore(Protocol):
    """What the voice service needs of storage: `VoiceRepository` over MongoDB and the
    unit tests' in-memory fake (both pass tests/integration/test_voice_store.py)."""

    def add_clip(self, clip: Clip, event: dict) -> bool: ...
    def clip(self, user_id: str, audio_id: str) -> Clip | None: ...
    def delete_clip(self, audio_id: str) -> bool: ...


def clip_doc(clip: Clip) -> dict:
    return {
        "_id": clip.id,
        "user_id": clip.user_id,
        "interview_id": clip.interview_id,
        "kind": clip.kind.value,
        "blob_key": clip.blob_key,
        "content_type": clip.content_type,
        "seconds": clip.seconds,
        "engine": clip.engine,
        "created_at": clip.created_at,
    }


def clip_from(doc: dict) -> Clip:
    return Clip(
        doc["_id"],
        doc["user_id"],
        doc.get("interview_id", ""),
        ClipKind(doc["kind"]),
        doc["content_type"],
        float(doc.get("seconds") or 0),
        as_utc(doc["created_at"]),
        doc["blob_key"],
        doc.get("engine", ""),
    )


class VoiceRepository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.clips = db[CLIPS]

    def ensure_indexes(self) -> None:
        ensure_collection(self.db, CLIPS)
        self.clips.create_index([("user_id", ASCENDING)])

    def add_clip(self, clip: Clip, event: dict) -> bool:
        """False when it exists (the same line for the same user: one clip)."""
        try:
            self.clips.insert_one({**clip_doc(clip), OUTBOX_FIELD: [event], OUTBOX_SEQ: 0})
            return True
        except DuplicateKeyError:
            return False

    def clip(self, user_id: str, audio_id: str) -> Clip | None:
        doc = self.clips.find_one({"_id": audio_id, "user_id": user_id}, HIDDEN)
        return clip_from(doc) if doc else None

    def delete_clip(self, audio_id: str) -> bool:
        return self.clips.delete_one({"_id": audio_id}).deleted_count == 1
