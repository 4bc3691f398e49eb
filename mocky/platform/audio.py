"""The platform's speech audio format — 16 kHz mono PCM16, in WAV or raw as the realtime
protocol carries it — shared by the voice service and the gateway's live sockets."""

from __future__ import annotations

import io
import wave

import numpy as np

SAMPLE_RATE = 16_000


def wav_bytes(samples: np.ndarray, rate: int) -> bytes:
    """16-bit mono WAV of float samples (-1..1) or int16 samples."""
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(wav_pcm16(samples))
    return out.getvalue()


def wav_pcm16(samples: np.ndarray) -> bytes:
    """Float samples (-1..1) as raw PCM16, what the realtime protocol carries."""
    if samples.dtype != np.int16:
        samples = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
    return samples.tobytes()


def pcm16_of_wav(data: bytes) -> tuple[int, bytes]:
    """A 16-bit mono WAV's rate and raw frames."""
    with wave.open(io.BytesIO(data)) as wav:
        return wav.getframerate(), wav.readframes(wav.getnframes())


def wav_seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as wav:
        return wav.getnframes() / float(wav.getframerate())
