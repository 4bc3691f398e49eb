"""How well the embedded ears hear interview answers: word error rate and real-time
factor of each Whisper model the voice service can use, on 24 interview-style sentences
(numbers, technical and clinical terms; bench/data/speech/utterances.json) spoken by
espeak-ng and by Piper, each with and without the job's terms (what the platform tells
the ear: the interview's role and skills, `voice.domain.ear_prompt`). WER is computed
with jiwer after Whisper's own English normaliser (case, punctuation, spelling and
numbers: "forty eight" and "48" are one word), so a model is not blamed for writing
digits. Piper's voice varies a little from run to run (its synthesis samples noise).

    python -m bench.speech_recognition
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import jiwer
import numpy as np
from whisper_normalizer.english import EnglishTextNormalizer

from services.voice.domain import ear_prompt
from services.voice.engines import PiperTts, WhisperStt

CORPUS = Path(__file__).parent / "data" / "speech" / "utterances.json"
# (label, model, beam, told the job's terms): the recorded-answer ear and the live ear as
# the platform runs them, and each without the terms or the beam to show what those buy.
EARS = [
    ("base_beam5_terms", "base", 5, True),
    ("base_beam5", "base", 5, False),
    ("base_beam1", "base", 1, False),
    ("tiny.en_beam1_terms", "tiny.en", 1, True),
    ("tiny.en_beam1", "tiny.en", 1, False),
]


def to_16k(samples: np.ndarray, rate: int) -> np.ndarray:
    if rate == 16000:
        return samples.astype(np.float32)
    positions = np.arange(0, samples.size, rate / 16000)
    return np.interp(positions, np.arange(samples.size), samples).astype(np.float32)


def piper(text: str) -> np.ndarray:
    parts, rate = [], 22050
    for samples, rate in PiperTts().sentences(text):  # noqa: B007 - the last rate is the rate
        parts.append(samples)
    return to_16k(np.concatenate(parts), rate)


def espeak(text: str) -> np.ndarray:
    binary = shutil.which("espeak-ng")
    assert binary, "espeak-ng is not installed"
    with tempfile.NamedTemporaryFile(suffix=".wav") as out:
        subprocess.run([binary, "-v", "en-us", "-w", out.name, text], check=True)  # noqa: S603
        with wave.open(out.name) as wav:
            pcm = np.frombuffer(wav.readframes(wav.getnframes()), np.int16)
            return to_16k(pcm.astype(np.float32) / 32768, wav.getframerate())


def main() -> int:
    corpus = json.loads(CORPUS.read_text())
    sentences = [u["text"] for u in corpus["utterances"]]
    prompts = [ear_prompt(corpus["jobs"][u["job"]]) for u in corpus["utterances"]]
    voices = {"espeak-ng": [espeak(s) for s in sentences], "piper": [piper(s) for s in sentences]}
    normalise = EnglishTextNormalizer()
    results: dict = {"utterances": len(sentences), "ears": {}}
    for label, model, beam, terms in EARS:
        WhisperStt(model=model).transcribe(np.zeros(8000, np.float32))  # loaded and warm
        by_voice = {}
        for voice, clips in voices.items():
            heard, seconds, audio = [], 0.0, 0.0
            for samples, prompt in zip(clips, prompts, strict=True):
                ear = WhisperStt(model=model, beam_size=beam, prompt=prompt if terms else "")
                started = time.perf_counter()
                heard.append(ear.transcribe(samples).text)
                seconds += time.perf_counter() - started
                audio += samples.size / 16000
            wer = jiwer.wer([normalise(s) for s in sentences], [normalise(h) for h in heard])
            by_voice[voice] = {
                "wer": round(wer, 3),
                "real_time_factor": round(seconds / audio, 3),
                "examples": [
                    {"said": s, "heard": h} for s, h in zip(sentences[:3], heard[:3], strict=True)
                ],
            }
        results["ears"][label] = by_voice
    ears = results["ears"]
    for voice in voices:
        baseline = max(ears["tiny.en_beam1"][voice]["wer"], 1e-9)  # last release's ear
        results[f"wer_recorded_vs_tiny_{voice}"] = round(
            ears["base_beam5_terms"][voice]["wer"] / baseline, 2
        )
        results[f"wer_live_vs_tiny_{voice}"] = round(
            ears["tiny.en_beam1_terms"][voice]["wer"] / baseline, 2
        )
    json.dump(results, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
