"""The scoring rubric, versioned: six criteria, each with anchors for levels 1–5 (shown
to the candidate with the report), the kinds of question it bears on, and how an
answer's reading (`answers.AnswerReading`) places it on the scale. A level maps to a
score as 1 → 10, 2 → 30, 3 → 50, 4 → 70, 5 → 90.

Gaming is handled before anything is counted: a list of terms, a pasted repeat, an
off-topic story or empty politeness is capped low on every criterion, so none of them
can outscore an honest but vague answer. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass

from services.sessions.answers import BEHAVIOURAL, KNOWLEDGE, OPEN, SITUATIONAL, AnswerReading

RUBRIC_VERSION = "2"
ALL_KINDS = (BEHAVIOURAL, SITUATIONAL, KNOWLEDGE, OPEN)


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    weight: float
    bears_on: tuple[str, ...]
    anchors: tuple[str, str, str, str, str]  # what levels 1..5 look like


RUBRIC: tuple[Criterion, ...] = (
    Criterion(
        "relevance",
        "Answers the question",
        0.25,
        ALL_KINDS,
        (
            "Does not answer this question (another topic, a repeat, or nothing said).",
            "Touches the topic but does not answer what was asked.",
            "Answers the question in general terms.",
            "Answers this question with an example or plan that fits it.",
            "Answers exactly what was asked, with an example that fits the job.",
        ),
    ),
    Criterion(
        "structure",
        "Structure",
        0.15,
        (BEHAVIOURAL, SITUATIONAL, KNOWLEDGE),
        (
            "No story or reasoning to follow.",
            "One part of a story (only the situation, or only a conclusion).",
            "Some of situation, task, actions and result, not in an order that is easy to follow.",
            "Situation, actions and result in order.",
            "Situation, task, actions and result in order, closed with what was learned.",
        ),
    ),
    Criterion(
        "evidence",
        "Specific evidence",
        0.15,
        (BEHAVIOURAL, SITUATIONAL, KNOWLEDGE),
        (
            "Nothing specific: no facts, names or numbers.",
            "A detail or two, mostly general statements.",
            "Some concrete detail: a number or a named tool or method.",
            "Several concrete details: numbers and named tools or methods.",
            "Rich, checkable detail: numbers, names, methods, all relevant.",
        ),
    ),
    Criterion(
        "ownership",
        "Your own actions",
        0.15,
        (BEHAVIOURAL, SITUATIONAL),
        (
            "No actions of the candidate at all.",
            'Only what the team did ("we"), or what one usually does.',
            "One or two own actions, mixed with the team's.",
            "Clear first-person actions.",
            "Clear first-person actions and decisions, with the reasons for them.",
        ),
    ),
    Criterion(
        "impact",
        "Results",
        0.15,
        (BEHAVIOURAL, SITUATIONAL),
        (
            "No outcome.",
            "An outcome hinted at.",
            "An outcome, without a measure.",
            "A measured outcome (a number, a before and after).",
            "A measured outcome tied to the candidate's own actions, and what it meant.",
        ),
    ),
    Criterion(
        "communication",
        "Clarity",
        0.15,
        ALL_KINDS,
        (
            "Not sentences: a list of terms, or nothing.",
            "Hard to follow.",
            "Understandable, with some padding or fillers.",
            "Clear sentences of a sensible length.",
            "Clear, concise and easy to follow, with no fillers.",
        ),
    ),
)
CRITERIA = {c.id: c for c in RUBRIC}


def score_of(level: float) -> int:
    return round(20 * level - 10)


def levels(reading: AnswerReading) -> dict[str, float]:
    """The answer's level (1–5) on each criterion that bears on its kind of question."""
    raw = {
        "relevance": _relevance(reading),
        "structure": _structure(reading),
        "evidence": _evidence(reading),
        "ownership": _ownership(reading),
        "impact": _impact(reading),
        "communication": _communication(reading),
    }
    cap = _cap(reading)
    result = {}
    for criterion in RUBRIC:
        if reading.kind not in criterion.bears_on:
            continue
        value = min(raw[criterion.id], cap)
        if criterion.id == "relevance" and (reading.off_topic or reading.repeat_of is not None):
            value = 1.0
        if criterion.id == "communication" and reading.keyword_list:
            value = 1.0
        result[criterion.id] = round(value, 2)
    return result


def answer_score(reading: AnswerReading) -> int:
    found = levels(reading)
    weight = sum(CRITERIA[c].weight for c in found)
    return score_of(sum(CRITERIA[c].weight * level for c, level in found.items()) / weight)


def _cap(reading: AnswerReading) -> float:
    """What a gamed or empty answer can reach at most, whatever it contains."""
    if reading.empty:
        return 1.0
    if reading.keyword_list:
        return 1.5
    if reading.repeat_of is not None or reading.off_topic:
        return 1.8
    if reading.doubtful:
        return 2.0  # a good story may be a story about something else
    return 5.0


def _relevance(r: AnswerReading) -> float:
    level = 1.0 + 4.0 * (0.75 * r.on_question + 0.25 * r.on_field)
    if r.kind in (BEHAVIOURAL, SITUATIONAL) and not (r.own_actions or r.team_actions):
        level = min(level, 3.0)  # on the topic, but no example or plan
    if r.generic and not r.situation and r.kind == BEHAVIOURAL:
        level = min(level, 3.0)
    if r.we_only and r.kind == BEHAVIOURAL:
        level = min(level, 3.0)  # asked what the candidate did; told what the team did
    if r.doubtful:
        level = min(level, 2.0)
    return max(1.0, min(5.0, level))


def _structure(r: AnswerReading) -> float:
    if r.kind == KNOWLEDGE:  # an explanation: a point, its reasons, an example
        return 1.0 + min(4.0, len(r.sentences) / 2 + (1.0 if r.methods else 0.0))
    story = [bool(r.situation or r.task), bool(r.own_actions or r.team_actions), bool(r.results)]
    if r.kind == SITUATIONAL:
        story[0] = True  # the situation is the question's
    level = 1.0 + 1.2 * sum(story)
    if r.task and r.situation:
        level += 0.2
    if r.reflection:
        level += 0.5
    return min(5.0, level)


def _evidence(r: AnswerReading) -> float:
    level = 1.0
    level += {0: 0.0, 1: 1.0, 2: 1.5}.get(r.numbers, 2.0)
    level += {0: 0.0, 1: 0.8}.get(len(r.methods), 1.3)
    if r.situation:
        level += 0.5
    if r.generic and not r.situation:
        level -= 0.5
    return max(1.0, min(5.0, level))


def _ownership(r: AnswerReading) -> float:
    own, team = len(r.own_actions), len(r.team_actions)
    if not own:
        return 2.0 if team else 1.0
    level = 3.0 if own == 1 else 4.0 if own <= 3 else 4.5
    if team > 2 * own:
        level -= 1.0
    if r.task or r.reflection:
        level += 0.5
    return max(1.0, min(5.0, level))


def _impact(r: AnswerReading) -> float:
    if not r.results:
        return 1.0
    level = 3.0
    measured = r.numbers > 0 and any(any(c.isdigit() for c in s) for s in r.results)
    if measured:
        level = 4.0
    if measured and r.own_actions:
        level += 0.7
    if r.kind == SITUATIONAL:
        level = min(level, 4.0)  # an intended outcome, not one that happened
    if r.we_only:
        level = min(level, 3.5)  # an outcome nobody can tie to the candidate
    return min(5.0, level)


def _communication(r: AnswerReading) -> float:
    level = 1.0 + 4.0 * r.coherence
    filler_rate = sum(r.fillers.values()) * 100 / max(r.words, 1)
    level -= min(1.5, filler_rate / 2)
    if r.words < 25:
        level -= 1.0
    elif r.words > 350:
        level -= 0.7
    return max(1.0, min(5.0, level))
