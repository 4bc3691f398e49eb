"""The cloud speech adapters against local fakes of the providers' HTTP APIs (real
HTTP, chunked streams): ElevenLabs text to speech and speech to text, xAI text to
speech; refusals fall back to the embedded engines; nothing goes to a provider
without consent."""

from __future__ import annotations

import httpx
import numpy as np
import pytest

from mocky.platform.settings import reset_settings
from services.voice.engines import FallbackStt, WhisperStt
from services.voice.providers import (
    ElevenLabsStt,
    ElevenLabsTts,
    SpeechEngines,
    XaiTts,
)
from tests import infra

KEY = "provider-test-key"


@pytest.fixture(scope="module")
def elevenlabs(tmp_path_factory):  # type: ignore[no-untyped-def]
    server = infra.start_fake("elevenlabs_api", tmp_path_factory.mktemp("el"), KEY)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def xai(tmp_path_factory):  # type: ignore[no-untyped-def]
    server = infra.start_fake("xai_api", tmp_path_factory.mktemp("xai-tts"), KEY)
    yield server
    server.stop()


def seen(server) -> int:  # type: ignore[no-untyped-def]
    return len(httpx.get(server.url + "/_requests").json()["requests"])


def test_elevenlabs_streams_pcm_cut_anywhere_into_whole_samples(elevenlabs):
    tts = ElevenLabsTts(KEY, "voice-1", elevenlabs.url)
    chunks = list(tts.sentences("Tell me about a project you are proud of."))
    audio = np.concatenate([c for c, _ in chunks])
    assert len(chunks) > 3 and all(rate == 16000 for _, rate in chunks)
    assert abs(audio.size / 16000 - 9 * 0.35) < 0.05 and np.abs(audio).max() > 0.2
    speech = tts.speak("Hello there.")
    assert speech.wav[:4] == b"RIFF" and speech.engine == "elevenlabs"


def test_elevenlabs_speech_to_text_and_a_refused_key(elevenlabs):
    samples = (0.3 * np.sin(np.arange(16000) / 5)).astype(np.float32)
    heard = ElevenLabsStt(KEY, elevenlabs.url).transcribe(samples)
    assert heard.text == "I led the migration of our payment service."
    from mocky.platform.errors import Unavailable

    with pytest.raises(Unavailable):
        ElevenLabsStt("wrong", elevenlabs.url).transcribe(samples)


def test_xai_text_to_speech(xai):
    speech = XaiTts(KEY, xai.url + "/v1").speak("Welcome to your interview.")
    assert speech.engine == "xai" and abs(speech.seconds - 2.0) < 0.01


def test_a_busy_provider_falls_back_to_the_embedded_engine(elevenlabs):
    httpx.post(elevenlabs.url + "/_script", json={"steps": [{"status": 429}]})
    from tests.speech import spoken, word_error_rate

    samples, rate = spoken("I wrote the deployment pipeline myself.")
    resampled = np.interp(
        np.arange(0, samples.size, rate / 16000), np.arange(samples.size), samples
    )
    engine = FallbackStt(ElevenLabsStt(KEY, elevenlabs.url), WhisperStt())
    heard = engine.transcribe(resampled.astype(np.float32))
    # The embedded engine answered (Piper's voice varies run to run, so the words may too).
    assert heard.engine == "faster-whisper"
    assert word_error_rate("I wrote the deployment pipeline myself.", heard.text) <= 0.4


def test_nothing_goes_to_a_provider_without_consent(elevenlabs, monkeypatch):
    monkeypatch.setenv("MOCKY_STT_ENGINE", "elevenlabs")
    monkeypatch.setenv("MOCKY_TTS_ENGINE", "elevenlabs")
    monkeypatch.setenv("ELEVENLABS_API_KEY", KEY)
    monkeypatch.setenv("ELEVENLABS_BASE_URL", elevenlabs.url)
    reset_settings()
    try:
        before = seen(elevenlabs)
        assert SpeechEngines().speech_to_text(provider_consent=False).name == "faster-whisper"
        assert SpeechEngines().text_to_speech(provider_consent=False).name == "piper"
        SpeechEngines().text_to_speech(provider_consent=False).speak("No consent, no provider.")
        assert seen(elevenlabs) == before
        assert (
            SpeechEngines().text_to_speech(provider_consent=True).speak("With consent.").engine
            == "elevenlabs"
        )
        assert seen(elevenlabs) == before + 1
    finally:
        reset_settings()
