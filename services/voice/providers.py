"""The cloud speech adapters behind the same interfaces as the embedded engines, over
the providers' HTTP APIs with httpx: ElevenLabs text to speech (streamed PCM) and speech
to text (Scribe), and xAI text to speech. Used only when configured and when the user
consented to sending their data to a provider; any failure falls back to the embedded
engine, so an answer is never lost to a provider outage."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import numpy as np
import structlog

from mocky.platform.audio import SAMPLE_RATE, wav_bytes
from mocky.platform.errors import Unavailable
from mocky.platform.settings import get_settings
from services.voice.domain import ear_prompt
from services.voice.engines import (
    STT_SECONDS,
    TTS_FIRST_AUDIO,
    TTS_SECONDS,
    FallbackStt,
    FallbackTts,
    NativeRunner,
    Speech,
    SpeechToText,
    TextToSpeech,
    Transcript,
    WhisperStt,
    embedded_text_to_speech,
    inline,
    never,
)

log = structlog.get_logger(__name__)


def _refused(response: httpx.Response, provider: str) -> Unavailable:
    log.error("speech_provider_refused", provider=provider, status=response.status_code)
    code = "provider_rate_limited" if response.status_code == 429 else "provider_refused"
    return Unavailable(f"{provider} refused the request ({response.status_code})", code=code)


def _pcm_response(response: httpx.Response, provider: str) -> Iterator[tuple[np.ndarray, int]]:
    """A streamed PCM16 answer, chunk by chunk as it arrives (or the provider's refusal)."""
    if response.status_code != 200:
        response.read()
        raise _refused(response, provider)
    for samples in _pcm_chunks(response.iter_bytes()):
        yield samples, SAMPLE_RATE


def _pcm_chunks(stream: Iterator[bytes]) -> Iterator[np.ndarray]:
    """Whole 16-bit samples out of a byte stream cut anywhere."""
    carry = b""
    for piece in stream:
        data = carry + piece
        usable = len(data) - len(data) % 2
        carry = data[usable:]
        if usable:
            yield np.frombuffer(data[:usable], dtype=np.int16).astype(np.float32) / 32768


@dataclass
class ElevenLabsTts:
    api_key: str
    voice_id: str
    base_url: str = "https://api.elevenlabs.io"
    model_id: str = "eleven_flash_v2_5"
    timeout: float = 30.0
    name: str = "elevenlabs"

    def sentences(self, text: str) -> Iterator[tuple[np.ndarray, int]]:
        url = f"{self.base_url}/v1/text-to-speech/{self.voice_id}/stream"
        with httpx.stream(
            "POST",
            url,
            params={"output_format": f"pcm_{SAMPLE_RATE}"},
            headers={"xi-api-key": self.api_key},
            json={"text": text, "model_id": self.model_id},
            timeout=self.timeout,
        ) as response:
            yield from _pcm_response(response, self.name)

    def speak(self, text: str) -> Speech:
        return _collect(self, text)


@dataclass
class XaiTts:
    api_key: str
    base_url: str = "https://api.x.ai/v1"
    voice_id: str = "eve"
    timeout: float = 30.0
    name: str = "xai"

    def sentences(self, text: str) -> Iterator[tuple[np.ndarray, int]]:
        with httpx.stream(
            "POST",
            f"{self.base_url}/tts",
            headers={"Authorization": f"Bearer {self.api_key}"},
            json={
                "text": text,
                "voice_id": self.voice_id,
                "language": "en",
                "output_format": {"codec": "pcm", "sample_rate": SAMPLE_RATE},
            },
            timeout=self.timeout,
        ) as response:
            yield from _pcm_response(response, self.name)

    def speak(self, text: str) -> Speech:
        return _collect(self, text)


@dataclass
class ElevenLabsStt:
    api_key: str
    base_url: str = "https://api.elevenlabs.io"
    model_id: str = "scribe_v1"
    timeout: float = 60.0
    name: str = "elevenlabs-scribe"

    def transcribe(self, samples: np.ndarray, stop: Callable[[], bool] = never) -> Transcript:
        started = time.perf_counter()  # one request: `stop` is checked by the caller
        response = httpx.post(
            f"{self.base_url}/v1/speech-to-text",
            headers={"xi-api-key": self.api_key},
            data={"model_id": self.model_id, "language_code": "en"},
            files={"file": ("answer.wav", wav_bytes(samples, SAMPLE_RATE), "audio/wav")},
            timeout=self.timeout,
        )
        if response.status_code != 200:
            raise _refused(response, self.name)
        try:
            text = str(response.json()["text"]).strip()
        except (ValueError, KeyError, TypeError):
            raise Unavailable(
                "the speech provider answered nonsense", code="provider_invalid_output"
            ) from None
        STT_SECONDS.labels(self.name).observe(time.perf_counter() - started)
        return Transcript(text, self.name)


def _collect(engine: ElevenLabsTts | XaiTts, text: str) -> Speech:
    started = time.perf_counter()
    parts: list[np.ndarray] = []
    for samples, _ in engine.sentences(text):
        if not parts:
            TTS_FIRST_AUDIO.labels(engine.name).observe(time.perf_counter() - started)
        parts.append(samples)
    audio = np.concatenate(parts) if parts else np.zeros(0, np.float32)
    TTS_SECONDS.labels(engine.name).observe(time.perf_counter() - started)
    return Speech(wav_bytes(audio, SAMPLE_RATE), audio.size / SAMPLE_RATE, engine.name)


# -- which engine serves a user ----------------------------------------------------


@dataclass(frozen=True)
class SpeechEngines:
    """The engines a request may use: a cloud engine only when configured and the user
    allowed their voice or text to go to the provider; the embedded one otherwise (and
    as the fallback of every cloud one)."""

    run: NativeRunner = inline

    def speech_to_text(
        self,
        provider_consent: bool = False,
        live: bool = False,
        vocabulary: list[str] | None = None,
    ) -> SpeechToText:
        """`live`: a turn of the realtime interview (the fast ear, no beam search);
        `vocabulary`: the interview's terms, which the embedded ear is told to expect."""
        settings = get_settings()
        prompt = ear_prompt(vocabulary or [])
        embedded = (
            WhisperStt(self.run, settings.stt_live_model, 1, prompt)
            if live
            else WhisperStt(self.run, settings.stt_model, settings.stt_beam_size, prompt)
        )
        if provider_consent and settings.stt_engine == "elevenlabs":
            return FallbackStt(
                ElevenLabsStt(settings.elevenlabs_api_key, settings.elevenlabs_base_url), embedded
            )
        return embedded

    def text_to_speech(self, provider_consent: bool = False) -> TextToSpeech:
        settings = get_settings()
        embedded = embedded_text_to_speech(self.run)
        if provider_consent and settings.tts_engine == "elevenlabs":
            cloud: TextToSpeech = ElevenLabsTts(
                settings.elevenlabs_api_key,
                settings.elevenlabs_voice_id,
                settings.elevenlabs_base_url,
            )
            return FallbackTts(cloud, embedded)
        if provider_consent and settings.tts_engine == "xai":
            return FallbackTts(XaiTts(settings.xai_api_key, settings.xai_base_url), embedded)
        return embedded
