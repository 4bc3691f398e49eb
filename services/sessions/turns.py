"""An interview's context and its answered turns, and how a turn is read: which planned
question it answered, what that question probes, and the answer's reading against it.
Shared by the interviewer (follow-ups, tips) and the report."""

from __future__ import annotations

from dataclasses import dataclass

from services.sessions.analysis import Fit
from services.sessions.answers import AnswerReading, read_answer
from services.sessions.phrasing import quote
from services.sessions.planning import DEFAULT_QUESTIONS, PlannedQuestion
from services.sessions.taxonomy import taxonomy


@dataclass(frozen=True)
class Context:
    mode: str
    fit: Fit
    seed: int
    questions: int = DEFAULT_QUESTIONS  # planned main questions; follow-ups come on top
    plan: tuple[PlannedQuestion, ...] = ()  # for the report: what each answer was asked for


@dataclass(frozen=True)
class AnsweredTurn:
    question: str
    kind: str
    answer: str
    audio_seconds: float = 0.0


def plan_item(
    plan: list[PlannedQuestion], turns: list[AnsweredTurn], index: int
) -> PlannedQuestion:
    """The planned question a turn answered (for a follow-up, the one it followed)."""
    for position in range(index, -1, -1):
        turn = turns[position]
        if turn.kind == "follow_up":
            continue
        found = next((q for q in plan if q.text == turn.question), None)
        return found or PlannedQuestion(turn.kind, turn.question)
    return PlannedQuestion(turns[index].kind, turns[index].question)


def focus_of(question: PlannedQuestion) -> str:
    """What a question probes, in words the answer can be compared with."""
    if question.family and question.competency:
        competency = taxonomy().family(question.family).competency(question.competency)
        if competency is not None:
            return f"{competency.name}: {competency.description}"
    if question.kind in ("cv_probe", "gap", "skill") and question.topic:
        return question.topic
    return ""


def probe_of(question: PlannedQuestion) -> str:
    """What a question probes, as a candidate would read it in the report."""
    if question.family and question.competency:
        competency = taxonomy().family(question.family).competency(question.competency)
        if competency is not None:
            what = competency.description.rstrip(".")
            return f"{competency.name.lower()} ({what[:1].lower()}{what[1:]})"
    if question.kind == "cv_probe":
        return "the story behind a line of your CV"
    if question.kind == "gap" and question.topic:
        return f'how close your experience comes to "{quote(question.topic)}"'
    if question.kind == "skill" and question.topic:
        return f"how you have used {question.topic} in practice"
    return ""


def job_text(fit: Fit) -> str:
    return " ".join((fit.role, *fit.requirements[:6], *fit.overlap[:6], *fit.gaps[:6])).strip()


def read_turn(
    context: Context, plan: list[PlannedQuestion], turns: list[AnsweredTurn], index: int
) -> AnswerReading:
    turn = turns[index]
    asked = plan_item(plan, turns, index)
    kind = asked.kind if turn.kind != "follow_up" else asked.kind or "behavioural"
    earlier = tuple(t.answer for t in turns[:index] if t.answer.strip())
    return read_answer(
        turn.answer,
        turn.question if turn.kind != "follow_up" else f"{asked.text} {turn.question}",
        kind,
        focus_of(asked),
        job_text(context.fit),
        context.fit.family,
        earlier,
    )
