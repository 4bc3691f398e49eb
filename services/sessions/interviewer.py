"""The interviewer behind one interface, and its offline engine.

`OfflineInterviewer` (the embedded default) plans questions for the job's occupation
family (`planning`): probes of the CV against the job description, and the family's own
behavioural and role-specific questions for the seniority. It follows up on thin
answers and — in coach mode — gives a tip on each answer. Deterministic for a given
seed. The xAI Grok adapter (`grok.py`) serves the same interface."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Protocol

from services.sessions.analysis import Fit
from services.sessions.answers import AnswerAnalysis, analyse_answer
from services.sessions.planning import DEFAULT_QUESTIONS, PlannedQuestion, plan_questions
from services.sessions.report import ReportData, build_report

MODES = ("text", "coach", "live")
MAX_FOLLOW_UPS = 2  # per interview: enough to dig, not enough to feel like a grilling


@dataclass(frozen=True)
class Context:
    mode: str
    fit: Fit
    seed: int
    questions: int = DEFAULT_QUESTIONS  # planned main questions; follow-ups come on top

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


@cache
def coaching_texts() -> dict:
    return json.loads((Path(__file__).parent / "coaching.json").read_text())


@dataclass
class OfflineInterviewer:
    name: str = "offline"
    bank: dict = field(default_factory=coaching_texts)

    def plan(self, context: Context) -> list[PlannedQuestion]:
        return plan_questions(context.fit, context.seed, context.questions)

    def next_step(
        self, context: Context, plan: list[PlannedQuestion], turns: list[AnsweredTurn]
    ) -> NextStep:
        last = turns[-1]
        analysis = analyse_answer(last.answer, last.question, context.job_skills)
        feedback = self._tip(context, analysis) if context.mode == "coach" else ""
        follow_ups = sum(t.kind == "follow_up" for t in turns)
        if (
            analysis.thin
            and last.kind not in ("follow_up", "closing")
            and follow_ups < MAX_FOLLOW_UPS
        ):
            return NextStep(PlannedQuestion("follow_up", self._follow_up(analysis)), True, feedback)
        main_answered = sum(t.kind != "follow_up" for t in turns)
        if main_answered >= len(plan):
            return NextStep(None, False, feedback)
        return NextStep(plan[main_answered], False, feedback)

    def report(self, context: Context, turns: list[AnsweredTurn]) -> ReportData:
        return build_report(context.fit, turns, self.bank, self.name)

    def _follow_up(self, a: AnswerAnalysis) -> str:
        prompts = self.bank["follow_up"]
        if a.words < 20:
            return prompts["too_short"]
        if not a.result:
            return prompts["no_result"]
        if not a.action:
            return prompts["no_action"]
        if not a.situation:
            return prompts["no_situation"]
        return prompts["vague"]

    def _tip(self, context: Context, a: AnswerAnalysis) -> str:
        tips = self.bank["coaching"]
        fillers = sum(a.fillers.values())
        if a.words < 35:
            return tips["length_short"]
        if a.words > 350:
            return tips["length_long"]
        if a.star_parts < 2:
            return tips["structure"]
        if not a.result:
            return tips["result"]
        if not a.action or a.we > 2 * max(a.first_person, 1):
            return tips["action"]
        if a.numbers == 0 and not a.skills:
            return tips["specificity"]
        if fillers >= 3 and fillers * 100 / max(a.words, 1) > 2:
            names = sorted(a.fillers, key=lambda f: -a.fillers[f])[:3]
            return tips["fillers"].format(fillers=", ".join(names))
        if a.relevance < 0.3:
            return tips["relevance"].format(role=context.fit.role)
        return tips["good"]
