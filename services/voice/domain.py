"""Clips: recorded answers and the interviewer's spoken lines. Pure Python (no
frameworks)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from mocky.platform.errors import InvalidArgument

MAX_LINE_CHARS = 1000


class ClipKind(StrEnum):
    ANSWER = "answer"  # a candidate's recorded answer (a new clip each time)
    LINE = "line"  # a synthesised interviewer line (one clip per user and text)


@dataclass(frozen=True)
class Clip:
    """One stored piece of audio; the audio itself is a blob at `blob_key`."""

    id: str
    user_id: str
    interview_id: str
    kind: ClipKind
    content_type: str
    seconds: float
    created_at: datetime
    blob_key: str  # kept as stored: a guest's clips keep theirs when they move to an account
    engine: str = ""

    @classmethod
    def new(
        cls,
        audio_id: str,
        user_id: str,
        interview_id: str,
        kind: ClipKind,
        content_type: str,
        seconds: float,
        at: datetime,
        engine: str = "",
    ) -> Clip:
        blob_key = f"voice/{kind.value}s/{user_id}/{audio_id}"
        return cls(
            audio_id, user_id, interview_id, kind, content_type, seconds, at, blob_key, engine
        )


def line_of(text: str, user_id: str) -> tuple[str, str]:
    """The line's text and its clip id: the same text for the same user is one clip."""
    text = text.strip()
    if not text or len(text) > MAX_LINE_CHARS:
        raise InvalidArgument("a line is 1 to 1000 characters", code="invalid_text")
    return text, hashlib.sha256(f"{user_id}\x00{text}".encode()).hexdigest()[:32]


MAX_TERMS = 30
MAX_PROMPT_CHARS = 600  # Whisper reads at most 224 prompt tokens


def ear_prompt(vocabulary: list[str]) -> str:
    """What the ear is told to expect: the interview's terms, as a sentence Whisper takes
    as preceding text ("" when there are none). Only printable, short terms, each once."""
    terms: list[str] = []
    for term in vocabulary:
        cleaned = " ".join("".join(c for c in term if c.isprintable()).split())[:40]
        if cleaned and cleaned.lower() not in {t.lower() for t in terms}:
            terms.append(cleaned)
    prompt = ""
    for term in terms[:MAX_TERMS]:
        longer = f"{prompt}, {term}" if prompt else term
        if len(longer) + 40 > MAX_PROMPT_CHARS:
            break
        prompt = longer
    return f"An answer in a job interview about {prompt}." if prompt else ""


def recording_type(container: str) -> str:
    """The content type a recorded answer is kept under, from its decoded container."""
    if "webm" in container:
        return "audio/webm"
    if "ogg" in container:
        return "audio/ogg"
    return "audio/wav"
