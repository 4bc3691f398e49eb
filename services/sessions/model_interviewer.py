"""The interviewer over a language model: any OpenAI-compatible Chat Completions
endpoint (`chat.py`; xAI Grok is one preset of it), for the steps a model may do —
plan, follow up or move on (with a coaching tip), report.

What the model says is validated against the schema, then checked against the rubric's
reading of the answers (`guard`): a criterion scored far from what the answers hold, a
quote not in them, a follow-up asking for what was already said — each is overruled by
the offline judgement. When the endpoint fails, is late or answers with something
unusable, that step is the offline engine's (a metric and a log event, never the
content): the candidate's practice goes on. Prompts are versioned files (prompts/v3/).

What is sent: the role, occupation, seniority, skills found and missing, CV achievement
lines and JD requirements (for the plan), the question and answer (for a step), the
questions and answers (for the report). Never an email, a name field or an id."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

import structlog
from prometheus_client import Counter

from mocky.platform.errors import Unavailable
from services.sessions.chat import RESTART, ChatClient
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
PROMPT_VERSION = "v3"
CRITERION_IDS = tuple(c.id for c in RUBRIC)
PLAN_KINDS = ("opening", "cv_probe", "skill", "gap", "behavioural", "technical", "closing")
MAX_QUESTION_CHARS = 400
FALLBACKS = Counter(
    "mocky_interviewer_fallbacks_total",
    "Steps the language model should have done that the offline engine did",
    ["step", "reason"],
)


class InvalidOutput(Unavailable):
    """The model answered with something that does not fit the schema or the checks."""

    code = "provider_invalid_output"


@cache
def prompt(name: str) -> str:
    return (Path(__file__).parent / "prompts" / PROMPT_VERSION / f"{name}.md").read_text()


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
            engine="model",
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
class ModelInterviewer:
    client: ChatClient
    name: str = "model"
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
        *_, step = self.stream_step(context, plan, turns)
        assert isinstance(step, NextStep)
        return step

    def stream_step(
        self, context: Context, plan: list[PlannedQuestion], turns: list[AnsweredTurn]
    ) -> Iterator[str | NextStep]:
        """A follow-up's sentences as the model writes them (each checked before it goes
        out), then the step. Moving on to the planned question needs no more of the
        model than its `follow_up: false` (and, in coach mode, its tip)."""
        last = turns[-1]
        follow_ups = sum(t.kind == "follow_up" for t in turns)
        may_follow = last.kind not in ("follow_up", "closing", "opening")
        may_follow = may_follow and follow_ups < MAX_FOLLOW_UPS
        reading = read_turn(context, plan, turns, len(turns) - 1)
        user = prompt("next_step").format(
            role=context.fit.role, mode=context.mode, question=last.question, answer=last.answer
        )
        watcher = QuestionStream()
        spoken: list[str] = []
        data: dict | None = None
        stream = self.client.stream_json(prompt("system"), user, "interview_step", STEP_SCHEMA)
        try:
            for item in stream:
                if isinstance(item, dict):
                    data = item
                    break
                if item is RESTART:
                    if spoken:  # a second version could not unsay the first
                        raise InvalidOutput("the stream broke after it was spoken")
                    watcher = QuestionStream()
                    continue
                assert isinstance(item, str)
                sentences = watcher.feed(item)
                for sentence in sentences if may_follow else ():
                    said = asks_for_what_was_said(sentence, reading)
                    if said:
                        raise InvalidOutput(f"the follow-up asks for what was said: {said}")
                    spoken.append(sentence)
                    yield sentence
                if context.mode != "coach" and watcher.follow_up is not None:
                    # No tip is shown: the rest of the model's answer is not needed
                    # once the next question is known.
                    question, closed = watcher.question()
                    if not (watcher.follow_up and may_follow):
                        data = {"follow_up": False, "question": "", "feedback": ""}
                        break
                    if closed:
                        data = {"follow_up": True, "question": question, "feedback": ""}
                        break
            if data is None:
                raise InvalidOutput("the stream ended without an answer")
            follow_up, question, feedback = valid_step(data)
            feedback = feedback if context.mode == "coach" else ""
            if not (follow_up and may_follow):
                yield NextStep(next_planned(plan, turns), False, feedback)
                return
            said = asks_for_what_was_said(question, reading)
            if said:
                raise InvalidOutput(f"the follow-up asks for what was said: {said}")
            rest = watcher.rest(question)
            if rest:
                yield rest
            yield NextStep(PlannedQuestion("follow_up", question), True, feedback)
        except Unavailable as error:
            FALLBACKS.labels("next_step", error.code).inc()
            log.warning("interviewer_fallback", step="next_step", reason=error.code)
            offline = self.offline.next_step(context, plan, turns)  # type: ignore[union-attr]
            yield after_spoken(spoken, offline)
        finally:
            stream.close()  # type: ignore[attr-defined]

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
            FALLBACKS.labels(step, error.code).inc()
            log.warning("interviewer_fallback", step=step, reason=error.code)
            return offline()


def after_spoken(spoken: list[str], offline: NextStep) -> NextStep:
    """The step when the model failed after some of its follow-up was spoken: a whole
    question stands as the follow-up; words short of one lead into the offline step's
    question (which is all there is when nothing was spoken)."""
    said = " ".join(spoken)
    if not said:
        return offline
    if said.endswith("?"):
        return NextStep(PlannedQuestion("follow_up", said), True, offline.feedback)
    if offline.question is None:
        return offline
    question = offline.question
    text = f"{said} {question.text}"
    return NextStep(
        PlannedQuestion(question.kind, text, question.topic), offline.follow_up, offline.feedback
    )


class QuestionStream:
    """The `question` of a step's JSON as it streams, cut into sentences: a sentence is
    handed out once the next one has begun (or the string has closed), and only once
    `follow_up` has been seen to be true."""

    SENTENCE_END = re.compile(r"[.?!][\"')\]]*\s+")

    def __init__(self) -> None:
        self.buffer = ""
        self.follow_up: bool | None = None
        self.emitted = 0  # characters of the question handed out

    def feed(self, piece: str) -> list[str]:
        self.buffer += piece
        if self.follow_up is None:
            found = re.search(r'"follow_up"\s*:\s*(true|false)', self.buffer)
            if found:
                self.follow_up = found.group(1) == "true"
        if not self.follow_up:
            return []
        text, closed = self.question()
        if text is None:
            return []
        pending = text[self.emitted :]
        ends = [m.end() for m in self.SENTENCE_END.finditer(pending)]
        upto = len(pending) if closed else (ends[-1] if ends else 0)
        if not upto or self.emitted + upto > MAX_QUESTION_CHARS:
            return []
        self.emitted += upto
        cut = [0, *[e for e in ends if e < upto], upto]
        return [pending[a:b].strip() for a, b in pairwise(cut) if pending[a:b].strip()]

    def rest(self, question: str) -> str:
        """What of the final question was not handed out yet."""
        return question[self.emitted :].strip() if question.startswith(self._said()) else ""

    def _said(self) -> str:
        text, _ = self.question()
        return (text or "")[: self.emitted].strip()

    def question(self) -> tuple[str | None, bool]:
        """The question as far as it has arrived, and whether it is whole."""
        start = re.search(r'"question"\s*:\s*"', self.buffer)
        if not start:
            return None, False
        raw, i, closed = self.buffer, start.end(), False
        while i < len(raw):
            if raw[i] == "\\":
                step = 6 if raw[i + 1 : i + 2] == "u" else 2
                if i + step > len(raw):
                    break
                i += step
            elif raw[i] == '"':
                closed = True
                break
            else:
                i += 1
        try:
            return json.loads(f'"{raw[start.end() : i]}"', strict=False), closed
        except ValueError:
            return None, False
