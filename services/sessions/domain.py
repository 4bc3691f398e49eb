"""The interview state machine and the shapes stored for it. Pure Python.

created --(credit taken, first question asked)--> in_progress
in_progress --(last answer, finish, or idle timeout with answers)--> completed
created | in_progress --(idle without any answer)--> abandoned
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import asdict, fields
from typing import Any

from mocky.platform.errors import Conflict, InvalidArgument
from mocky.platform.filenames import safe_filename
from mocky.platform.ratelimit import RateLimit
from services.sessions.analysis import Analysis, Fit
from services.sessions.interviewer import MODES, AnsweredTurn, PlannedQuestion
from services.sessions.phrasing import role_names
from services.sessions.taxonomy import taxonomy

CREATED, IN_PROGRESS, COMPLETED, ABANDONED = "created", "in_progress", "completed", "abandoned"
FINISHED = (COMPLETED, ABANDONED)
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


def require_answerable(status: str) -> None:
    if status in FINISHED:
        raise InterviewFinished("this interview has finished")
    if status != IN_PROGRESS:
        raise Conflict("this interview has not started", code="interview_not_started")


def analysis_to_doc(analysis: Analysis) -> dict:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(analysis).items()}


def analysis_from(doc: dict | None) -> Analysis | None:
    if not doc:
        return None
    a = doc.get("analysis") or {}
    return Analysis(
        role=a.get("role", ""),
        seniority=a.get("seniority", ""),
        family=a.get("family", ""),
        skills=tuple(a.get("skills") or ()),
        requirements=tuple(a.get("requirements") or ()),
        nice_to_have=tuple(a.get("nice_to_have") or ()),
        years_of_experience=int(a.get("years_of_experience") or 0),
        language=a.get("language", "en"),
    )


def fit_to_doc(fit: Fit) -> dict:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(fit).items()}


def fit_from_doc(doc: dict) -> Fit:
    """Older interviews stored fields that are gone (`areas`): only today's are read."""
    known = {f.name for f in fields(Fit)}
    values: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in doc.items() if k in known
    }
    return Fit(**values)


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


def plan_to_doc(plan: list[PlannedQuestion]) -> list[dict]:
    return [asdict(q) for q in plan]


def plan_from_doc(items: list[dict]) -> list[PlannedQuestion]:
    return [
        PlannedQuestion(
            i["kind"], i["text"], i.get("topic", ""), i.get("family", ""), i.get("competency", "")
        )
        for i in items
    ]


def new_turn(index: int, question: PlannedQuestion, now_ts: float) -> dict[str, Any]:
    return {
        "index": index,
        "question": question.text,
        "kind": question.kind,
        "answer": "",
        "feedback": "",
        "asked_ts": now_ts,
        "answered_ts": None,
        "audio_seconds": 0.0,
        "audio_id": "",
        "answer_key": "",
        "result": None,
    }


def answered_turns(turns: list[dict]) -> list[AnsweredTurn]:
    return [
        AnsweredTurn(t["question"], t["kind"], t["answer"], float(t.get("audio_seconds") or 0))
        for t in turns
        if t.get("answer")
    ]


def answered_with_key(turns: list[dict], key: str) -> dict | None:
    if not key:
        return None
    return next((t for t in turns if t.get("answer_key") == key), None)
