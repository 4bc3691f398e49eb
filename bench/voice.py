"""The embedded speech engines on this machine: speech-to-text real-time factor,
text-to-speech time to the first sentence's audio (against synthesising the whole line,
measured in the same run), and the turn latency of the spoken-answer path — from the end
of a 5-second answer to the first audio of the interviewer's next line: decode the
recording, transcribe it, synthesise the reply's first sentence — median and p95 over 20
turns. (The realtime WebSocket agent is not built yet; this is the path it would take
without streaming transcription.)

    python -m bench.voice
"""

from __future__ import annotations

import json
import statistics
import sys
import time

from services.voice.audio import decode
from services.voice.engines import PiperTts, WhisperStt
from tests.speech import encode, spoken

ANSWER = (
    "I led the move of our payment service to Kubernetes, and I wrote the new deployment "
    "pipeline myself, step by step."
)
REPLY = (
    "Thank you. Now tell me about a time you disagreed with a colleague. How did you "
    "resolve it, and what was the outcome?"
)
TURNS = 20


def p95(samples: list[float]) -> float:
    return sorted(samples)[int(len(samples) * 0.95) - 1]


def main() -> int:
    stt, tts = WhisperStt(), PiperTts()
    samples, rate = spoken(ANSWER)
    recording = encode(samples, rate, "webm")
    audio = decode(recording)
    stt.transcribe(audio.samples)  # load the model before timing
    first_sentence, whole_line, stt_times, turns = [], [], [], []
    for _ in range(TURNS):
        ended = time.perf_counter()  # the user stopped speaking; the recording arrives
        heard = decode(recording)
        started = time.perf_counter()
        stt.transcribe(heard.samples)
        stt_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        next(iter(tts.sentences(REPLY)))
        first = time.perf_counter()
        first_sentence.append(first - started)
        turns.append(first - ended)
    for _ in range(5):
        started = time.perf_counter()
        tts.speak(REPLY)
        whole_line.append(time.perf_counter() - started)
    result = {
        "answer_seconds": round(audio.seconds, 2),
        "stt_p50_s": round(statistics.median(stt_times), 3),
        "stt_real_time_factor": round(statistics.median(stt_times) / audio.seconds, 3),
        "tts_first_sentence_p50_s": round(statistics.median(first_sentence), 3),
        "tts_whole_line_p50_s": round(statistics.median(whole_line), 3),
        "ratio_first_sentence_to_whole_line": round(
            statistics.median(first_sentence) / statistics.median(whole_line), 2
        ),
        "turn_latency_p50_s": round(statistics.median(turns), 3),
        "turn_latency_p95_s": round(p95(turns), 3),
        "turns": TURNS,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
