"""pymongo access to the voice service's clips; owns their indexes."""

from __future__ import annotations

from pymongo import ASCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from mocky.platform.data_map import DataMap, Records
from mocky.platform.events import OUTBOX_FIELD, OUTBOX_SEQ
from mocky.platform.mongo import ensure_collection

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


class VoiceRepository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.clips = db[CLIPS]

    def ensure_indexes(self) -> None:
        ensure_collection(self.db, CLIPS)
        self.clips.create_index([("user_id", ASCENDING)])

    def add_clip(self, doc: dict, event: dict) -> bool:
        try:
            self.clips.insert_one({**doc, OUTBOX_FIELD: [event], OUTBOX_SEQ: 0})
            return True
        except DuplicateKeyError:  # the same line for the same user: one clip
            return False

    def clip(self, user_id: str, audio_id: str) -> dict | None:
        return self.clips.find_one({"_id": audio_id, "user_id": user_id}, HIDDEN)

    def delete_clip(self, audio_id: str) -> dict | None:
        return self.clips.find_one_and_delete({"_id": audio_id}, {"blob_key": 1})
