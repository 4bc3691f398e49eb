"""Checks on what a language model says about answers, before anyone sees it: the same
rubric and the same reading of the answers as the offline engine, so a model that is
fooled (a keyword list scored 90) or careless (a quote it made up, a follow-up asking
for the result the candidate just gave) is overruled by the offline judgement, one
criterion or one step at a time. Provider-agnostic: the xAI adapter uses it today."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import structlog

from services.sessions.answers import PLEASANTRY, AnswerReading
from services.sessions.report import (
    CompetencyScore,
    Evidence,
    ReportData,
    overall_of,
    strengths_and_improvements,
)
from services.sessions.rubric import CRITERIA

log = structlog.get_logger(__name__)
TOLERANCE = 20  # points a model's criterion score may differ from the rubric's reading
MAX_OVERRULED = 0.5  # overruled on more than half the criteria: its report is not used


class Unusable(ValueError):
    """The model's output fails the checks as a whole."""


@dataclass(frozen=True)
class ModelCriterion:
    competency: str
    score: int
    summary: str
    suggestions: tuple[str, ...]
    evidence: tuple[Evidence, ...]


def checked_report(
    summary: str,
    criteria: list[ModelCriterion],
    answers: list[str],
    offline: ReportData,
    engine: str,
) -> ReportData:
    """The model's report where it agrees with the rubric's reading of the answers,
    the offline report's criterion where it does not. The overall score, strengths and
    improvements are derived from the final criteria, never taken on trust."""
    by_id = {c.competency: c for c in offline.competencies}
    given = {c.competency: c for c in criteria if c.competency in by_id}
    final, overruled = [], []
    used: set[str] = set()
    for competency, measured in by_id.items():
        candidate = given.get(competency)
        problem = _problem(candidate, measured, answers, used) if candidate else "missing"
        if problem:
            overruled.append(competency)
            log.info("model_criterion_overruled", criterion=competency, reason=problem)
            final.append(measured)
            used.update(e.quote for e in measured.evidence)
            continue
        assert candidate is not None
        used.update(e.quote for e in candidate.evidence)
        final.append(
            CompetencyScore(
                competency,
                candidate.score,
                candidate.summary,
                candidate.evidence[:3],
                candidate.suggestions[:3],
            )
        )
    if len(overruled) > MAX_OVERRULED * len(by_id):
        raise Unusable(f"overruled on {len(overruled)} of {len(by_id)} criteria")
    competencies = tuple(final)
    strengths, improvements = strengths_and_improvements(competencies)
    return replace(
        offline,
        overall_score=overall_of({c.competency: c.score for c in competencies}),
        summary=summary,
        competencies=competencies,
        strengths=strengths,
        improvements=improvements,
        engine=engine,
    )


def _problem(
    given: ModelCriterion, measured: CompetencyScore, answers: list[str], used: set[str]
) -> str:
    if abs(given.score - measured.score) > TOLERANCE:
        return "score_inconsistent_with_rubric"
    if not given.evidence or not given.suggestions:
        return "no_evidence"
    for evidence in given.evidence:
        if not 0 <= evidence.turn < len(answers):
            return "quote_names_no_answer"
        if _folded(evidence.quote) not in _folded(answers[evidence.turn]):
            return "quote_not_in_answers"
        if evidence.quote in used:
            return "quote_used_twice"
        if len(evidence.quote.split()) < 25 and PLEASANTRY.search(evidence.quote):
            return "quote_is_a_pleasantry"
    return ""


def _folded(text: str) -> str:
    return " ".join(text.split()).lower()


# What a follow-up asks for, in the words of `AnswerReading.has`.
ASKS = {
    "own_actions": re.compile(
        r"\b(you (yourself|personally)|your own (part|role|actions?)|what did you (do|decide)|"
        r"your (part|role|contribution)|as opposed to the team)\b",
        re.I,
    ),
    "result": re.compile(
        r"\b(outcome|how did it (turn out|end)|what happened (next|in the end|after)|"
        r"the result|what changed)\b",
        re.I,
    ),
    "numbers": re.compile(
        r"\b(put a number|quantif\w*|how (much|many)|measur\w*|what (figures|metrics))\b", re.I
    ),
}


def asks_for_what_was_said(question: str, reading: AnswerReading) -> str:
    """The part a follow-up asks for that the answer already gave, or ""."""
    has = reading.has
    for part, pattern in ASKS.items():
        if part in has and pattern.search(question):
            return part
    return ""


def criterion_names() -> str:
    """The rubric for a prompt: each criterion, its weight and its anchors."""
    lines = []
    for criterion in CRITERIA.values():
        lines.append(f"- {criterion.id} ({criterion.name}, weight {criterion.weight}):")
        for level, anchor in enumerate(criterion.anchors, start=1):
            lines.append(f"  {level} ({20 * level - 10}/100): {anchor}")
    return "\n".join(lines)
