"""Decoding what a browser records (WebM/Opus, OGG/Opus, WAV …) into 16 kHz mono
samples, with limits; PyAV (FFmpeg's libraries) decodes. Refusals are InvalidArgument
with codes the gateway maps to 4xx. WAV and PCM16 encoding is `mocky.platform.audio`."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

from mocky.platform.audio import SAMPLE_RATE
from mocky.platform.errors import InvalidArgument

MAX_BYTES = 10 * 1024 * 1024
MAX_SECONDS = 180.0
SILENCE_RMS = 0.003  # below this the recording holds no speech worth transcribing


class AudioRefused(InvalidArgument):
    """The recording cannot be used as an answer."""


@dataclass(frozen=True)
class Decoded:
    samples: np.ndarray  # float32, mono, 16 kHz, -1..1
    seconds: float
    container: str


def decode(data: bytes, max_seconds: float = MAX_SECONDS) -> Decoded:
    import av

    if not data:
        raise AudioRefused("the recording is empty", code="empty_audio")
    if len(data) > MAX_BYTES:
        raise AudioRefused(f"the recording is larger than {MAX_BYTES} bytes", code="too_large")
    chunks: list[np.ndarray] = []
    total = 0
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.audio:
                raise AudioRefused("the file holds no audio", code="corrupt_audio")
            resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    chunks.append(chunk)
                    total += chunk.size
                    if total > max_seconds * SAMPLE_RATE:
                        raise AudioRefused(
                            f"answers are at most {int(max_seconds)} seconds", code="too_long"
                        )
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
            name = container.format.name
    except AudioRefused:
        raise
    except Exception:  # FFmpeg raises many error types for a damaged file
        raise AudioRefused("the recording could not be decoded", code="corrupt_audio") from None
    samples = np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)
    if samples.size < SAMPLE_RATE // 4:
        raise AudioRefused("the recording is too short", code="corrupt_audio")
    if float(np.sqrt(np.mean(samples**2))) < SILENCE_RMS:
        raise AudioRefused("the recording is silent", code="silent_audio")
    return Decoded(samples, samples.size / SAMPLE_RATE, name)
