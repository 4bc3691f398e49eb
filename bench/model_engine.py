"""The language-model interviewer against the offline one, on local Chat Completions
servers answering at a fixed pace, in the same run: like a hosted model (300 ms to the
first piece of text, then 12 characters every 10 ms — about 300 tokens a second) and like
a 7B model on a CPU-only server of the operator's (1 s, then 12 characters every 300 ms —
about 10 tokens a second). The model's follow-up is a realistic three sentences:

- the live turn: from an answer to the first sentence of a follow-up the model writes
  (what the voice agent can start speaking), against the whole step, and against the
  offline engine's step;
- the report on 5 answers, model (checked against the rubric) against offline;
- a failing endpoint (503 to every request, retried until the 2 s deadline): a step
  while it fails, and once the circuit breaker skips it.

    python -m bench.model_engine
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from mocky.platform.language_model import PRESETS, ModelEndpoint
from services.sessions import chat
from services.sessions.analysis import analyse, fit
from services.sessions.chat import ChatClient
from services.sessions.interviewer import AnsweredTurn, Context, OfflineInterviewer
from services.sessions.model_interviewer import ModelInterviewer
from tests import infra
from tests.documents import CV_TEXT, JD_TEXT

REPEAT = 15
PACES = {"hosted": (300, 10, 15), "local_cpu": (1000, 300, 4)}  # ms, ms, repetitions
FOLLOW_UP = {
    "follow_up": True,
    "question": (
        "You mentioned that the team used Kafka. I would like to hear about your own part in "
        "that work. Which decision did you make yourself, and what did it change?"
    ),
    "feedback": "Say what you did yourself, then how it turned out, with a number if you can.",
}
STORY = (
    "Last year our nightly billing batch kept failing and customers were charged twice. I "
    "traced it to a retry loop without idempotency keys, rewrote the consumer with keys per "
    "invoice and added an alert. Duplicate charges fell from 40 a week to none."
)


def p50_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


def timed(fn, repeat: int = REPEAT) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def endpoint(url: str, deadline: float = 15.0) -> ModelEndpoint:
    base = PRESETS["ollama"]
    return ModelEndpoint(
        "ollama", url, base.model, "", "local", "json_schema", deadline, "", "", ""
    )


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="mocky-bench-model-"))
    result = {}
    for name, (first_ms, piece_ms, repeat) in PACES.items():
        server = infra.start_fake(
            "chat_api", workdir, "unused", "ollama", str(first_ms), str(piece_ms)
        )
        try:
            result[name] = {
                "pace": {"first_piece_ms": first_ms, "per_12_chars_ms": piece_ms},
                **run(server.url, repeat, failing=name == "hosted"),
            }
        finally:
            server.stop()
    print(json.dumps(result, indent=2))
    return 0


def script(server: str, steps: list[dict]) -> None:
    httpx.post(server + "/_script", json={"steps": steps})


def run(server: str, repeat: int, failing: bool) -> dict:
    url = server + "/v1"
    model = ModelInterviewer(ChatClient(endpoint(url)))
    offline = OfflineInterviewer()
    ctx = Context("live", fit(analyse(CV_TEXT, "cv"), analyse(JD_TEXT, "jd")), seed=3)
    plan = offline.plan(ctx)
    thin = [
        AnsweredTurn(plan[0].text, plan[0].kind, STORY),
        AnsweredTurn(plan[1].text, plan[1].kind, "We used Kafka."),
    ]
    offline.next_step(ctx, plan, thin)  # models loaded before anything is timed

    script(server, [{"step": FOLLOW_UP}] * repeat)
    first_sentence, whole_step = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        first = None
        for item in model.stream_step(ctx, plan, thin):
            if first is None and isinstance(item, str):
                first = time.perf_counter() - started
        whole_step.append(time.perf_counter() - started)
        first_sentence.append(first if first is not None else whole_step[-1])
    offline_step = timed(lambda: offline.next_step(ctx, plan, thin), repeat)

    answers = [
        AnsweredTurn(q.text, q.kind, STORY if i % 2 else "We used Kafka, it went fine.")
        for i, q in enumerate(plan[:5])
    ]
    report_ctx = Context("text", ctx.fit, ctx.seed, plan=tuple(plan))
    engines: list[str] = []
    model_report = timed(lambda: engines.append(model.report(report_ctx, answers).engine), 3)
    offline_report = timed(lambda: offline.report(report_ctx, answers), 3)
    result = {
        "live_turn": {
            "first_follow_up_sentence_p50_ms": p50_ms(first_sentence),
            "whole_step_p50_ms": p50_ms(whole_step),
            "offline_step_p50_ms": p50_ms(offline_step),
            "ratio_first_sentence_to_whole_step": round(
                statistics.median(first_sentence) / statistics.median(whole_step), 2
            ),
        },
        "report_5_answers": {
            "model_p50_ms": p50_ms(model_report),
            "offline_p50_ms": p50_ms(offline_report),
            "ratio_model_to_offline": round(
                statistics.median(model_report) / statistics.median(offline_report), 2
            ),
            # The fake scores every criterion 60: overruled where the rubric reads far
            # from it; "offline" when the deadline passed or over half were overruled.
            "engines_used": sorted(set(engines)),
        },
    }
    if failing:
        # The server answers 503 to everything now (retried with backoff until the 2 s
        # deadline), three steps in a row; then the breaker skips it.
        script(server, [{"status": 503}] * 60)
        hung = ModelInterviewer(ChatClient(endpoint(url, 2.0)))
        failed = timed(lambda: hung.next_step(ctx, plan, thin), chat.BREAK_AFTER_FAILURES)
        skipped = timed(lambda: hung.next_step(ctx, plan, thin), 5)
        result["failing_endpoint"] = {
            "deadline_s": 2.0,
            "step_while_failing_p50_ms": p50_ms(failed),
            "step_once_skipped_p50_ms": p50_ms(skipped),
        }
    return result


if __name__ == "__main__":
    sys.exit(main())
