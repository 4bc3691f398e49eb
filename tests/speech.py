"""Speech for the tests, generated here: Piper's bundled voice (the same engine as the
service's TTS) encoded the way browsers record it, and the word error rate."""

from __future__ import annotations

import io
import re

import av
import numpy as np


def spoken(text: str) -> tuple[np.ndarray, int]:
    from services.voice.engines import PiperTts

    parts, rate = [], 22050
    for samples, rate in PiperTts().sentences(text):  # noqa: B007 - the last rate is the rate
        parts.append(samples)
    return np.concatenate(parts), rate


def encode(samples: np.ndarray, rate: int, fmt: str = "webm") -> bytes:
    """WebM/Opus (Chrome's MediaRecorder), OGG/Opus (Firefox's) or WAV."""
    out = io.BytesIO()
    codec = {"webm": "libopus", "ogg": "libopus", "wav": "pcm_s16le"}[fmt]
    target_rate = 48000 if codec == "libopus" else rate
    with av.open(out, "w", format=fmt) as container:
        stream = container.add_stream(codec, rate=target_rate, layout="mono")
        resampler = av.AudioResampler(format=stream.format.name, layout="mono", rate=target_rate)
        pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = rate
        for chunk in resampler.resample(frame) + resampler.resample(None):
            for packet in stream.encode(chunk):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()


def words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split()


def word_error_rate(reference: str, hypothesis: str) -> float:
    ref, hyp = words(reference), words(hypothesis)
    distance = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        previous, distance[0] = distance[0], i
        for j, h in enumerate(hyp, start=1):
            previous, distance[j] = (
                distance[j],
                min(distance[j] + 1, distance[j - 1] + 1, previous + (r != h)),
            )
    return distance[len(hyp)] / max(len(ref), 1)


def pcm16(samples: np.ndarray, rate: int, target: int = 16000) -> bytes:
    """Raw PCM16 mono at `target` Hz, as the realtime protocol carries it."""
    frame = av.AudioFrame.from_ndarray(
        (np.clip(samples, -1, 1) * 32767).astype(np.int16).reshape(1, -1),
        format="s16",
        layout="mono",
    )
    frame.sample_rate = rate
    resampler = av.AudioResampler(format="s16", layout="mono", rate=target)
    frames = resampler.resample(frame) + resampler.resample(None)
    return b"".join(bytes(f.planes[0])[: f.samples * 2] for f in frames)
