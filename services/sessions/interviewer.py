"""The interviewer behind one interface, and its offline engine.

`OfflineInterviewer` (the embedded default) plans questions that probe the CV against
the job description (its achievements, the skills both share, the skills the CV lacks),
adds behavioural questions for the seniority and technical ones for the role's areas
from a question bank, follows up on thin answers, and — in coach mode — gives a tip on
each answer. Deterministic for a given seed. The xAI Grok adapter (`grok.py`) serves
the same interface."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Protocol

from services.sessions.analysis import Fit
from services.sessions.answers import AnswerAnalysis, analyse_answer
from services.sessions.report import ReportData, build_report

MODES = ("text", "coach", "live")
MAX_FOLLOW_UPS = 2  # per interview: enough to dig, not enough to feel like a grilling


@dataclass(frozen=True)
class PlannedQuestion:
    kind: str  # opening, cv_probe, skill, gap, behavioural, technical, closing, follow_up
    text: str
    topic: str = ""


@dataclass(frozen=True)
class Context:
    mode: str
    fit: Fit
    seed: int
    questions: int = 6  # planned main questions; follow-ups come on top

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
def question_bank() -> dict:
    return json.loads((Path(__file__).parent / "question_bank.json").read_text())


@dataclass
class OfflineInterviewer:
    name: str = "offline"
    bank: dict = field(default_factory=question_bank)

    def plan(self, context: Context) -> list[PlannedQuestion]:
        rng = random.Random(context.seed)
        fit = context.fit
        bank = self.bank

        def pick(options: list[str], **values: str) -> str:
            return rng.choice(options).format(role=fit.role, **values)

        plan = [PlannedQuestion("opening", pick(bank["opening"]))]
        probes: list[PlannedQuestion] = []
        if fit.achievements:
            achievement = rng.choice(fit.achievements)
            probes.append(
                PlannedQuestion(
                    "cv_probe", pick(bank["cv_probe"], achievement=achievement), achievement
                )
            )
        for skill in _shuffled(rng, fit.gaps)[:1]:
            probes.append(PlannedQuestion("gap", pick(bank["gap"], skill=skill), skill))
        for skill in _shuffled(rng, fit.overlap)[:1]:
            probes.append(PlannedQuestion("skill", pick(bank["skill"], skill=skill), skill))
        behavioural = bank["behavioural"].get(fit.seniority) or bank["behavioural"]["mid"]
        areas = [a for a in fit.areas if a in bank["technical"]] or ["practice"]
        technical = [
            PlannedQuestion("technical", text, area)
            for area in areas
            for text in bank["technical"][area]
        ]
        general = [PlannedQuestion("behavioural", q) for q in _shuffled(rng, behavioural)]
        general_technical = _shuffled(rng, technical)
        # Interleave: probes of this CV against this job first, then behavioural and
        # technical questions alternately, then the closing question.
        middle = probes
        while general or general_technical:
            if general:
                middle.append(general.pop())
            if general_technical:
                middle.append(general_technical.pop())
        closing = PlannedQuestion("closing", pick(bank["closing"]))
        return plan + middle[: max(context.questions - 2, 1)] + [closing]

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


def _shuffled(rng: random.Random, items: tuple | list) -> list:
    copy = list(items)
    rng.shuffle(copy)
    return copy
