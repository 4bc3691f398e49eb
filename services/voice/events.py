"""Events the voice service publishes (exchange `voice.events`)."""

from __future__ import annotations

from datetime import datetime

from mocky.events.v1 import events_pb2
from mocky.platform.clock import Clock
from mocky.platform.events import new_envelope, record_reference

SERVICE = "voice"


def audio_stored(
    audio_id: str,
    user_id: str,
    kind: str,
    blob_key: str,
    seconds: float,
    at: datetime,
    clock: Clock,
) -> events_pb2.AudioStored:
    return events_pb2.AudioStored(
        envelope=new_envelope("audio_stored", SERVICE, clock, user_id),
        record=record_reference(SERVICE, "clip", audio_id, user_id, "audio", at, (blob_key,)),
        user_id=user_id,
        audio_id=audio_id,
        kind=kind,
        seconds=seconds,
    )
