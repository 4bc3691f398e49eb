"""Documents and interviews: the aggregates of the sessions service and the interview's
state machine. Pure Python.

created --(credit taken, first question asked)--> in_progress
in_progress --(last answer, finish, or idle timeout with answers)--> completed
created | in_progress --(finished or idle without any answer)--> abandoned
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from mocky.platform.errors import Conflict, InvalidArgument
from mocky.platform.filenames import safe_filename
from mocky.platform.ratelimit import RateLimit
from services.sessions.analysis import Analysis, Fit
from services.sessions.interviewer import MODES, AnsweredTurn, Context, NextStep, PlannedQuestion
from services.sessions.phrasing import role_names
from services.sessions.taxonomy import taxonomy


class InterviewStatus(StrEnum):
    CREATED = "created"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


TRANSITIONS: dict[InterviewStatus, frozenset[InterviewStatus]] = {
    InterviewStatus.CREATED: frozenset({InterviewStatus.IN_PROGRESS, InterviewStatus.ABANDONED}),
    InterviewStatus.IN_PROGRESS: frozenset({InterviewStatus.COMPLETED, InterviewStatus.ABANDONED}),
    InterviewStatus.COMPLETED: frozenset(),
    InterviewStatus.ABANDONED: frozenset(),
}
FINISHED = frozenset({InterviewStatus.COMPLETED, InterviewStatus.ABANDONED})


def states_before(status: InterviewStatus) -> list[str]:
    """The states an interview may move to `status` from (the stores' atomic guard)."""
    return [s.value for s, targets in TRANSITIONS.items() if status in targets]


MAX_ANSWER_CHARS = 10_000
MAX_KEY_CHARS = 128
# Reading a document costs a worker process; a person uploads a CV and a job
# description, and now and then a better version.
UPLOADS_PER_USER = RateLimit("upload_user", 10, 600)


class InterviewFinished(Conflict):
    """The interview is over: no more answers."""

    code = "interview_finished"


class AnswerConflict(Conflict):
    """Another answer to this question arrived at the same time and won."""

    code = "answer_conflict"


def interview_id_for(user_id: str, idempotency_key: str) -> str:
    """A retried start (same user, same key) lands on the same interview."""
    if not idempotency_key:
        return uuid.uuid4().hex
    if len(idempotency_key) > MAX_KEY_CHARS:
        raise InvalidArgument("idempotency key too long")
    return hashlib.sha256(f"{user_id}\x00{idempotency_key}".encode()).hexdigest()[:32]


def upload_name(filename: str, kind: str, pasted: bool) -> str:
    """What an upload is called: its file's base name, cleaned (never a path)."""
    return f"{kind}.txt" if pasted else safe_filename(filename, f"{kind}.bin")


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise InvalidArgument("mode must be text, coach or live", code="invalid_mode")
    return mode


def check_answer(text: str, key: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidArgument("the answer is empty", code="empty_answer")
    if len(text) > MAX_ANSWER_CHARS:
        raise InvalidArgument("the answer is too long", code="answer_too_long")
    if len(key) > MAX_KEY_CHARS:
        raise InvalidArgument("idempotency key too long")
    return text


def plan_summary(fit: Fit, plan: list[PlannedQuestion]) -> dict[str, Any]:
    """What the candidate may see of the plan: the role and family understood, how many
    questions, what will be probed."""
    family = taxonomy().family(fit.family)
    return {
        "role": role_names(fit.role).noun,
        "family": family.id,
        "family_name": family.name,
        "seniority": {"junior": "entry"}.get(fit.seniority, fit.seniority),
        "questions_planned": len(plan),
        "requirements_to_probe": list(fit.unmet[:5]),
        "skills_to_probe": list(fit.overlap[:6]),
        "achievements_to_probe": list(fit.achievements[:3]),
        "missing_skills": list(fit.gaps[:6]),
        "notes": list(fit.notes),
    }


# -- documents ----------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """An uploaded CV or job description: its extracted text and what was read from it;
    the original file is a blob at `blob_key`."""

    id: str
    user_id: str
    kind: str  # cv | jd
    filename: str
    content_type: str
    size_bytes: int
    blob_key: str
    created_at: datetime
    text: str = ""  # left out when listing
    analysis: Analysis | None = None


# -- interviews ---------------------------------------------------------------------


@dataclass(frozen=True)
class StepResult:
    """What an answer led to, kept with it: a resubmit gets the same result."""

    question: str
    follow_up: bool
    feedback: str
    done: bool


@dataclass(frozen=True)
class Turn:
    index: int
    question: str
    kind: str
    asked_ts: float
    answer: str = ""
    feedback: str = ""
    answered_ts: float | None = None
    audio_seconds: float = 0.0
    audio_id: str = ""
    answer_key: str = ""
    result: StepResult | None = None

    @classmethod
    def asking(cls, index: int, question: PlannedQuestion, now_ts: float) -> Turn:
        return cls(index, question.text, question.kind, now_ts)

    @property
    def answered(self) -> bool:
        return bool(self.answer)


def answered(turns: Iterable[Turn]) -> list[AnsweredTurn]:
    """What the interviewer reads: the answered turns."""
    return [
        AnsweredTurn(t.question, t.kind, t.answer, t.audio_seconds) for t in turns if t.answered
    ]


@dataclass(frozen=True)
class Interview:
    id: str
    user_id: str
    mode: str
    status: InterviewStatus
    fit: Fit
    plan: tuple[PlannedQuestion, ...]
    seed: int
    engine: str
    created_at: datetime
    role: str = ""
    cv_id: str = ""
    jd_id: str = ""
    provider_consent: bool = False
    summary: dict[str, Any] = field(default_factory=dict)
    turns: tuple[Turn, ...] = ()
    turn_seq: int = 0  # bumped by every save of the turns: two answers cannot both land
    updated_ts: float = 0.0
    finished_ts: float | None = None

    @classmethod
    def new(
        cls,
        interview_id: str,
        user_id: str,
        mode: str,
        fit: Fit,
        plan: list[PlannedQuestion],
        seed: int,
        engine: str,
        provider_consent: bool,
        ids: tuple[str, str],
        now: datetime,
    ) -> Interview:
        return cls(
            interview_id,
            user_id,
            mode,
            InterviewStatus.CREATED,
            fit,
            tuple(plan),
            seed,
            engine,
            now,
            role=fit.role,
            cv_id=ids[0],
            jd_id=ids[1],
            provider_consent=provider_consent,
            summary=plan_summary(fit, plan),
            updated_ts=now.timestamp(),
        )

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def first_turn(self, now_ts: float) -> Turn:
        return Turn.asking(0, self.plan[0], now_ts)

    @property
    def open_question(self) -> str:
        """The question waiting for an answer ("" when none is)."""
        if self.status is not InterviewStatus.IN_PROGRESS or not self.turns:
            return ""
        last = self.turns[-1]
        return "" if last.answered else last.question

    def answered_turns(self) -> list[AnsweredTurn]:
        return answered(self.turns)

    def turn_answered_with(self, key: str) -> Turn | None:
        if not key:
            return None
        return next((t for t in self.turns if t.answer_key == key), None)

    def require_answerable(self) -> None:
        if self.finished:
            raise InterviewFinished("this interview has finished")
        if self.status is not InterviewStatus.IN_PROGRESS:
            raise Conflict("this interview has not started", code="interview_not_started")

    def context(self, with_plan: bool = False) -> Context:
        return Context(self.mode, self.fit, self.seed, plan=self.plan if with_plan else ())

    def answering(
        self, text: str, key: str, audio_seconds: float, audio_id: str, now_ts: float
    ) -> list[Turn]:
        """The turns with the open question answered (not saved yet)."""
        self.require_answerable()
        turns = list(self.turns)
        turns[-1] = replace(
            turns[-1],
            answer=text,
            answered_ts=now_ts,
            answer_key=key,
            audio_seconds=audio_seconds,
            audio_id=audio_id,
        )
        return turns

    @staticmethod
    def after_step(turns: list[Turn], step: NextStep, now_ts: float) -> list[Turn]:
        """The answered turns with the step's result kept on the answer, and the next
        question asked (none when the interview is over)."""
        result = StepResult(
            step.question.text if step.question else "",
            step.follow_up,
            step.feedback,
            step.question is None,
        )
        turns = [*turns[:-1], replace(turns[-1], feedback=step.feedback, result=result)]
        if step.question is not None:
            turns.append(Turn.asking(len(turns), step.question, now_ts))
        return turns
