"""Voice's domain objects as the messages of `mocky.voice.v1`."""

from __future__ import annotations

from typing import Any

from mocky.voice.v1 import voice_pb2
from services.voice.domain import Clip
from services.voice.engines import Transcript


def heard_answer(clip: Clip, transcript: Transcript) -> Any:
    return voice_pb2.TranscribeAnswerResponse(
        audio_id=clip.id, transcript=transcript.text, seconds=clip.seconds, engine=transcript.engine
    )


def spoken_line(clip: Clip, wav: bytes, cached: bool) -> Any:
    return voice_pb2.SpeakLineResponse(
        audio_id=clip.id, wav=wav, seconds=clip.seconds, engine=clip.engine, cached=cached
    )
