"""In-memory stand-ins for the voice unit tests: a `VoiceStore` that passes the same
contract tests as the MongoDB repository (tests/integration/test_voice_store.py), and
speech engines that hear and say what they are told."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from mocky.platform.audio import wav_bytes
from services.voice.engines import Speech, Transcript, never


class InMemoryVoiceStore:
    def __init__(self) -> None:
        self.clips: dict = {}
        self.events: list[dict] = []

    def add_clip(self, clip, event):
        if clip.id in self.clips:
            return False
        self.clips[clip.id] = clip
        self.events.append(event)
        return True

    def clip(self, user_id, audio_id):
        clip = self.clips.get(audio_id)
        return clip if clip is not None and clip.user_id == user_id else None

    def delete_clip(self, audio_id):
        return self.clips.pop(audio_id, None) is not None


@dataclass
class ScriptedStt:
    heard: str
    name: str = "scripted-stt"
    calls: int = 0

    def transcribe(self, samples: np.ndarray, stop: Callable[[], bool] = never) -> Transcript:
        self.calls += 1
        return Transcript(self.heard, self.name)


@dataclass
class ToneTts:
    """A 0.25 s tone per sentence."""

    name: str = "tone-tts"
    spoken: list[str] = field(default_factory=list)

    def sentences(self, text: str) -> Iterator[tuple[np.ndarray, int]]:
        self.spoken.append(text)
        for _ in text.split(". "):
            yield np.full(4000, 0.1, dtype=np.float32), 16000

    def speak(self, text: str) -> Speech:
        audio = np.concatenate([s for s, _ in self.sentences(text)])
        return Speech(wav_bytes(audio, 16000), audio.size / 16000, self.name)


@dataclass
class FakeEngines:
    stt: ScriptedStt
    tts: ToneTts
    consents: list[bool] = field(default_factory=list)
    live: list[bool] = field(default_factory=list)
    vocabularies: list[list[str]] = field(default_factory=list)

    def speech_to_text(
        self, provider_consent: bool = False, live: bool = False, vocabulary: list | None = None
    ) -> ScriptedStt:
        self.consents.append(provider_consent)
        self.live.append(live)
        self.vocabularies.append(list(vocabulary or []))
        return self.stt

    def text_to_speech(self, provider_consent: bool = False) -> ToneTts:
        self.consents.append(provider_consent)
        return self.tts
