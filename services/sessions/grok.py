"""The xAI Grok adapter: the interviewer over xAI's chat-completions HTTP API.

Streaming (server-sent events, as xAI documents them: `data: {chunk}` lines, the text
in `choices[0].delta.content`, ending with `data: [DONE]`), a deadline per step across
retries, retries with backoff on 429 and 5xx honouring `Retry-After`, structured output
(`response_format` with a JSON schema) validated before use, then checked against the
rubric's reading of the answers (`guard`): a criterion scored far from what the answers
hold, a quote not in them, a follow-up asking for what was already said — each is
overruled by the offline judgement. Prompts are versioned files (prompts/v2/). When the
provider fails or answers with something unusable, that step falls back to the offline
engine: the candidate's practice goes on."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import httpx
import structlog

from mocky.platform.errors import Unavailable
from services.sessions.guard import (
    ModelCriterion,
    Unusable,
    asks_for_what_was_said,
    checked_report,
    criterion_names,
)
from services.sessions.interviewer import (
    MAX_FOLLOW_UPS,
    AnsweredTurn,
    Context,
    NextStep,
    OfflineInterviewer,
    PlannedQuestion,
    next_planned,
)
from services.sessions.report import Evidence, ReportData
from services.sessions.rubric import RUBRIC, RUBRIC_VERSION
from services.sessions.taxonomy import taxonomy
from services.sessions.turns import read_turn

log = structlog.get_logger(__name__)
PROMPT_VERSION = "v2"
CRITERION_IDS = tuple(c.id for c in RUBRIC)
PLAN_KINDS = ("opening", "cv_probe", "skill", "gap", "behavioural", "technical", "closing")
MAX_QUESTION_CHARS = 400


class InvalidOutput(Unavailable):
    """The provider answered with something that does not fit the schema."""

    code = "provider_invalid_output"


@cache
def prompt(name: str) -> str:
    return (Path(__file__).parent / "prompts" / PROMPT_VERSION / f"{name}.md").read_text()


@dataclass
class GrokClient:
    api_key: str
    base_url: str
    model: str
    deadline_seconds: float = 30.0
    max_attempts: int = 4
    sleep: Callable[[float], None] = time.sleep

    def complete_json(self, system: str, user: str, schema_name: str, schema: dict) -> dict:
        body = {
            "model": self.model,
            "stream": True,
            "temperature": 0.4,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": schema_name, "schema": schema, "strict": True},
            },
        }
        deadline = time.monotonic() + self.deadline_seconds
        problem = "no time left"
        for attempt in range(self.max_attempts):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            wait = None
            try:
                return json.loads(self._stream(body, remaining))
            except Retryable as retryable:
                problem, wait = f"status {retryable.status}", retryable.retry_after
            except (httpx.TimeoutException, httpx.TransportError) as error:
                problem = type(error).__name__
            except ValueError:  # a malformed chunk or an answer that is not JSON
                problem = "not JSON"
                log.warning("grok_invalid_json", attempt=attempt)
            delay = wait if wait is not None else min(8.0, 0.5 * 2**attempt)
            delay += random.uniform(0, 0.1)  # noqa: S311 - jitter, not security
            if time.monotonic() + delay >= deadline:
                break
            self.sleep(delay)
        raise Unavailable(
            f"the interviewer provider failed: {problem}", code="provider_unavailable"
        )

    def _stream(self, body: dict, timeout: float) -> str:
        """The streamed text. Raises Retryable for 429/5xx and Unavailable for a
        refusal that a retry cannot fix."""
        headers = {"Authorization": f"Bearer {self.api_key}", "Accept": "text/event-stream"}
        limits = httpx.Timeout(timeout, connect=min(5.0, timeout))
        with httpx.stream(
            "POST", f"{self.base_url}/chat/completions", json=body, headers=headers, timeout=limits
        ) as response:
            if response.status_code == 429 or response.status_code >= 500:
                response.read()
                raise Retryable(response.status_code, _retry_after(response))
            if response.status_code >= 400:
                response.read()
                log.error("grok_refused", status=response.status_code)
                raise Unavailable(
                    "the interviewer provider refused the request", code="provider_refused"
                )
            return "".join(_deltas(response.iter_lines()))


class Retryable(Exception):
    def __init__(self, status: int, retry_after: float | None) -> None:
        super().__init__(status)
        self.status = status
        self.retry_after = retry_after


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds from a numeric Retry-After (capped), or None without one."""
    try:
        return min(max(float(response.headers["retry-after"]), 0.0), 30.0)
    except (KeyError, ValueError):
        return None


def _deltas(lines: Iterator[str]) -> Iterator[str]:
    for line in lines:
        if not line.startswith("data:"):
            continue  # comments, event names, keep-alives
        data = line[5:].strip()
        if data == "[DONE]":
            return
        chunk = json.loads(data)
        if "error" in chunk:
            raise httpx.TransportError("stream error")  # retried like a dropped stream
        for choice in chunk.get("choices") or []:
            content = (choice.get("delta") or {}).get("content")
            if content:
                yield content


# -- schemas and validation -----------------------------------------------------------

PLAN_SCHEMA = {
    "type": "object",
    "properties": {
        "questions": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "kind": {"type": "string", "enum": list(PLAN_KINDS)},
                    "text": {"type": "string"},
                },
                "required": ["kind", "text"],
            },
        }
    },
    "required": ["questions"],
}
STEP_SCHEMA = {
    "type": "object",
    "properties": {
        "follow_up": {"type": "boolean"},
        "question": {"type": "string"},
        "feedback": {"type": "string"},
    },
    "required": ["follow_up", "question", "feedback"],
}
REPORT_SCHEMA = {
    "type": "object",
    "properties": {
        "summary": {"type": "string"},
        "competencies": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "competency": {"type": "string", "enum": list(CRITERION_IDS)},
                    "score": {"type": "integer"},
                    "summary": {"type": "string"},
                    "suggestions": {"type": "array", "items": {"type": "string"}},
                    "evidence": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "turn": {"type": "integer"},
                                "quote": {"type": "string"},
                                "positive": {"type": "boolean"},
                            },
                            "required": ["turn", "quote", "positive"],
                        },
                    },
                },
                "required": ["competency", "score", "summary", "suggestions", "evidence"],
            },
        },
    },
    "required": ["summary", "competencies"],
}


def _text(value: object, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidOutput("expected text")
    return value.strip()[:limit]


def _score(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
        raise InvalidOutput("expected a score from 0 to 100")
    return value


def valid_plan(data: dict, count: int) -> list[PlannedQuestion]:
    questions = data.get("questions")
    if not isinstance(questions, list) or not 3 <= len(questions) <= count + 2:
        raise InvalidOutput("expected a list of questions")
    plan = []
    for item in questions:
        if not isinstance(item, dict) or item.get("kind") not in PLAN_KINDS:
            raise InvalidOutput("unknown question kind")
        plan.append(PlannedQuestion(item["kind"], _text(item.get("text"), MAX_QUESTION_CHARS)))
    return plan


def valid_step(data: dict) -> tuple[bool, str, str]:
    follow_up = data.get("follow_up")
    if not isinstance(follow_up, bool):
        raise InvalidOutput("expected follow_up")
    question = data.get("question") or ""
    feedback = data.get("feedback") or ""
    if follow_up:
        question = _text(question, MAX_QUESTION_CHARS)
    if not isinstance(feedback, str):
        raise InvalidOutput("expected feedback text")
    return follow_up, question, feedback.strip()[:600]


def valid_report(data: dict, turns: list[AnsweredTurn], offline: ReportData) -> ReportData:
    """The provider's report in our shape, then checked criterion by criterion against
    the rubric's reading (`guard.checked_report`). A criterion that is malformed is
    treated as missing: the offline one stands in for it."""
    items = data.get("competencies")
    if not isinstance(items, list):
        raise InvalidOutput("expected competencies")
    criteria = []
    for item in items:
        try:
            criteria.append(_criterion(item))
        except InvalidOutput:
            continue
    try:
        return checked_report(
            _text(data.get("summary"), 800),
            criteria,
            [t.answer for t in turns],
            offline,
            engine="grok",
        )
    except Unusable as error:
        raise InvalidOutput(str(error)) from error


def _criterion(item: object) -> ModelCriterion:
    if not isinstance(item, dict) or item.get("competency") not in CRITERION_IDS:
        raise InvalidOutput("unknown criterion")
    evidence = []
    for e in item.get("evidence") or []:
        if not isinstance(e, dict) or not isinstance(e.get("turn"), int):
            raise InvalidOutput("evidence names no turn")
        evidence.append(Evidence(e["turn"], _text(e.get("quote"), 300), bool(e.get("positive"))))
    return ModelCriterion(
        item["competency"],
        _score(item.get("score")),
        _text(item.get("summary"), 400),
        tuple(_text(s, 300) for s in item.get("suggestions") or []),
        tuple(evidence),
    )


@dataclass
class GrokInterviewer:
    client: GrokClient
    name: str = "grok"
    offline: OfflineInterviewer | None = None

    def __post_init__(self) -> None:
        self.offline = self.offline or OfflineInterviewer()

    def plan(self, context: Context) -> list[PlannedQuestion]:
        fit = context.fit
        user = prompt("plan").format(
            role=fit.role,
            family=taxonomy().family(fit.family).name,
            seniority=fit.seniority,
            overlap=", ".join(fit.overlap) or "none found",
            gaps=", ".join(fit.gaps) or "none found",
            achievements="; ".join(fit.achievements[:6]) or "none found",
            requirements="; ".join(fit.requirements[:8]) or "none found",
            count=context.questions,
        )
        return self._or_offline(
            "plan",
            lambda: valid_plan(
                self.client.complete_json(prompt("system"), user, "interview_plan", PLAN_SCHEMA),
                context.questions,
            ),
            lambda: self.offline.plan(context),  # type: ignore[union-attr]
        )

    def next_step(
        self, context: Context, plan: list[PlannedQuestion], turns: list[AnsweredTurn]
    ) -> NextStep:
        offline = self.offline.next_step(context, plan, turns)  # type: ignore[union-attr]
        last = turns[-1]
        user = prompt("next_step").format(
            role=context.fit.role, mode=context.mode, question=last.question, answer=last.answer
        )

        def ask() -> NextStep:
            follow_up, question, feedback = valid_step(
                self.client.complete_json(prompt("system"), user, "interview_step", STEP_SCHEMA)
            )
            feedback = feedback if context.mode == "coach" else ""
            follow_ups = sum(t.kind == "follow_up" for t in turns)
            may_follow = last.kind not in ("follow_up", "closing", "opening")
            if follow_up and may_follow and follow_ups < MAX_FOLLOW_UPS:
                said = asks_for_what_was_said(
                    question, read_turn(context, plan, turns, len(turns) - 1)
                )
                if said:
                    raise InvalidOutput(f"the follow-up asks for what was said: {said}")
                return NextStep(PlannedQuestion("follow_up", question), True, feedback)
            return NextStep(next_planned(plan, turns), False, feedback)

        return self._or_offline("next_step", ask, lambda: offline)

    def report(self, context: Context, turns: list[AnsweredTurn]) -> ReportData:
        measured = self.offline.report(context, turns)  # type: ignore[union-attr]
        transcript = "\n".join(
            f"[turn {i}] Q: {t.question}\n[turn {i}] A: {t.answer}" for i, t in enumerate(turns)
        )
        user = prompt("report").format(
            role=context.fit.role,
            transcript=transcript,
            rubric_version=RUBRIC_VERSION,
            rubric=criterion_names(),
        )
        return self._or_offline(
            "report",
            lambda: valid_report(
                self.client.complete_json(
                    prompt("system"), user, "interview_report", REPORT_SCHEMA
                ),
                turns,
                measured,
            ),
            lambda: measured,
        )

    def _or_offline(self, step: str, ask: Callable, offline: Callable):  # type: ignore[no-untyped-def]
        try:
            return ask()
        except Unavailable as error:
            log.warning("interviewer_fallback", step=step, reason=error.code)
            return offline()
