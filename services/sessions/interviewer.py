"""The interviewer behind one interface, and its offline engine.

`OfflineInterviewer` (the embedded default) plans questions for the job's occupation
family (`planning`): probes of the CV against the job description, and the family's own
behavioural and role-specific questions for the seniority. It follows up on thin
answers and — in coach mode — gives a tip on each answer. Deterministic for a given
seed. The xAI Grok adapter (`grok.py`) serves the same interface."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from services.sessions import nlp
from services.sessions.analysis import Fit
from services.sessions.answers import AnswerReading, read_answer
from services.sessions.feedback import follow_up, tip
from services.sessions.phrasing import quote, sentence
from services.sessions.planning import DEFAULT_QUESTIONS, PlannedQuestion, plan_questions
from services.sessions.report import ReportData, build_report
from services.sessions.taxonomy import taxonomy

MODES = ("text", "coach", "live")
MAX_FOLLOW_UPS = 2  # per interview: enough to dig, not enough to feel like a grilling


@dataclass(frozen=True)
class Context:
    mode: str
    fit: Fit
    seed: int
    questions: int = DEFAULT_QUESTIONS  # planned main questions; follow-ups come on top
    plan: tuple[PlannedQuestion, ...] = ()  # for the report: what each answer was asked for

    @property
    def job_skills(self) -> tuple[str, ...]:
        return self.fit.overlap + self.fit.gaps


@dataclass(frozen=True)
class AnsweredTurn:
    question: str
    kind: str
    answer: str
    audio_seconds: float = 0.0


@dataclass(frozen=True)
class NextStep:
    question: PlannedQuestion | None  # None: the interview is over
    follow_up: bool = False
    feedback: str = ""  # coach mode only


class Interviewer(Protocol):
    name: str

    def plan(self, context: Context) -> list[PlannedQuestion]: ...

    def next_step(
        self, context: Context, plan: list[PlannedQuestion], turns: list[AnsweredTurn]
    ) -> NextStep: ...

    def report(self, context: Context, turns: list[AnsweredTurn]) -> ReportData: ...


@dataclass
class OfflineInterviewer:
    name: str = "offline"

    def plan(self, context: Context) -> list[PlannedQuestion]:
        return plan_questions(context.fit, context.seed, context.questions)

    def next_step(
        self, context: Context, plan: list[PlannedQuestion], turns: list[AnsweredTurn]
    ) -> NextStep:
        last = turns[-1]
        reading = read_turn(context, plan, turns, len(turns) - 1)
        asked = plan_item(plan, turns, len(turns) - 1)
        feedback = tip(reading, asked.topic or asked.text) if context.mode == "coach" else ""
        follow_ups = sum(t.kind == "follow_up" for t in turns)
        if last.kind not in ("follow_up", "closing", "opening") and follow_ups < MAX_FOLLOW_UPS:
            wanted = follow_up(reading, last.question)
            if wanted is not None:
                question = PlannedQuestion("follow_up", wanted.text, wanted.reason)
                return NextStep(question, True, feedback)
        upcoming = next_planned(plan, turns)
        return NextStep(upcoming, False, feedback)

    def report(self, context: Context, turns: list[AnsweredTurn]) -> ReportData:
        return build_report(context, turns, self.name)


def next_planned(plan: list[PlannedQuestion], turns: list[AnsweredTurn]) -> PlannedQuestion | None:
    """The first planned question not asked yet — skipping a probe of a CV achievement
    the candidate has already described in an answer (it would re-ask what was said)."""
    asked = {t.question for t in turns}
    answers = [t.answer for t in turns if t.answer.strip()]
    for question in plan:
        if question.text in asked:
            continue
        if question.kind == "cv_probe" and any(_describes(a, question.topic) for a in answers):
            continue
        return question
    return None


def _describes(answer: str, achievement: str) -> bool:
    """The answer tells the story of that CV line: most of its particular words, or the
    same meaning."""
    wanted = {w for w in re.findall(r"[a-z0-9%]{3,}", achievement.lower())} - COMMON
    said = set(re.findall(r"[a-z0-9%]{3,}", answer.lower()))
    if wanted and len(wanted & said) / len(wanted) >= 0.6:
        return True
    return nlp.similarity(answer, achievement) >= 0.6


COMMON = frozenset("the and for with from that this our was were have has had into".split())


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
        return sentence('how close your experience comes to "{t}"', t=quote(question.topic))
    if question.kind == "skill" and question.topic:
        return sentence("how you have used {t} in practice", t=question.topic)
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
