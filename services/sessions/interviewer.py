"""The interviewer behind one interface, and its offline engine.

`OfflineInterviewer` (the embedded default) plans questions for the job's occupation
family (`planning`): probes of the CV against the job description, and the family's own
behavioural and role-specific questions for the seniority. It follows up on thin
answers and — in coach mode — gives a tip on each answer. Deterministic for a given
seed. The language-model engine (`model_interviewer.py`) serves the same interface."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from services.sessions import nlp
from services.sessions.feedback import follow_up, tip
from services.sessions.planning import PlannedQuestion, plan_questions
from services.sessions.report import ReportData, build_report
from services.sessions.turns import AnsweredTurn, Context, plan_item, read_turn

MODES = ("text", "coach", "live")
MAX_FOLLOW_UPS = 2  # per interview: enough to dig, not enough to feel like a grilling


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

    def stream_step(
        self, context: Context, plan: list[PlannedQuestion], turns: list[AnsweredTurn]
    ) -> Iterator[str | NextStep]:
        """The next question's sentences as they are written (none when it is known at
        once), then the step itself."""
        ...

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
        coached = context.mode == "coach" and not (last.kind == "closing" and reading.empty)
        feedback = tip(reading, asked.topic or asked.text) if coached else ""
        follow_ups = sum(t.kind == "follow_up" for t in turns)
        if last.kind not in ("follow_up", "closing", "opening") and follow_ups < MAX_FOLLOW_UPS:
            wanted = follow_up(reading, last.question)
            if wanted is not None:
                question = PlannedQuestion("follow_up", wanted.text, wanted.reason)
                return NextStep(question, True, feedback)
        upcoming = next_planned(plan, turns)
        return NextStep(upcoming, False, feedback)

    def stream_step(
        self, context: Context, plan: list[PlannedQuestion], turns: list[AnsweredTurn]
    ) -> Iterator[str | NextStep]:
        yield self.next_step(context, plan, turns)

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
