"""pymongo access to the voice service's clips; owns their indexes."""

from __future__ import annotations

from pymongo import ASCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from mocky.platform.events import OUTBOX_FIELD, OUTBOX_SEQ
from mocky.platform.mongo import ensure_collection

CLIPS = "clips"  # recorded answers and synthesised lines; the audio itself is a blob
HIDDEN = {OUTBOX_FIELD: 0, OUTBOX_SEQ: 0}


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

    def clips_of(self, user_id: str) -> list[dict]:
        return list(self.clips.find({"user_id": user_id}, HIDDEN))

    def delete_clip(self, audio_id: str) -> dict | None:
        return self.clips.find_one_and_delete({"_id": audio_id}, {"blob_key": 1})

    def move_to(self, from_user: str, to_user: str) -> int:
        """A guest merged into an existing account: their recordings follow them (the
        blob keys stay; every clip records its own)."""
        return self.clips.update_many(
            {"user_id": from_user}, {"$set": {"user_id": to_user}}
        ).modified_count

    def restrict(self, user_id: str, restricted: bool) -> int:
        return self.clips.update_many(
            {"user_id": user_id}, {"$set": {"restricted": restricted}}
        ).modified_count
