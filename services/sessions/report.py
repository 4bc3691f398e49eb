"""The feedback report: an overall score and five competency scores, each with quotes
from the answers as evidence and concrete suggestions; delivery figures (filler words,
and words per minute for spoken answers). Deterministic: the same turns give the same
report."""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import mean
from typing import TYPE_CHECKING

from services.sessions.analysis import Fit
from services.sessions.answers import AnswerAnalysis, analyse_answer, count_fillers

if TYPE_CHECKING:
    from services.sessions.interviewer import AnsweredTurn

COMPETENCIES = ("relevance", "structure", "specificity", "technical_depth", "communication")
WEIGHTS = {
    "relevance": 0.25,
    "structure": 0.2,
    "specificity": 0.2,
    "technical_depth": 0.2,
    "communication": 0.15,
}
TECHNICAL_KINDS = ("skill", "gap", "technical", "cv_probe")
QUOTE_CHARS = 220


@dataclass(frozen=True)
class Evidence:
    turn: int
    quote: str
    positive: bool


@dataclass(frozen=True)
class CompetencyScore:
    competency: str
    score: int
    summary: str
    evidence: tuple[Evidence, ...]
    suggestions: tuple[str, ...]


@dataclass(frozen=True)
class Delivery:
    words_per_minute: float = 0.0
    filler_words: int = 0
    fillers: dict[str, int] = field(default_factory=dict)
    spoken_answers: int = 0


@dataclass(frozen=True)
class ReportData:
    overall_score: int
    summary: str
    competencies: tuple[CompetencyScore, ...]
    delivery: Delivery
    strengths: tuple[str, ...]
    improvements: tuple[str, ...]
    engine: str


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"


def _score(value: float) -> int:
    return max(0, min(100, round(value)))


def _per_answer(a: AnswerAnalysis, turn: AnsweredTurn, fit: Fit) -> dict[str, float]:
    jd_skills = {s.lower() for s in fit.overlap + fit.gaps}
    said_skills = {s.lower() for s in a.skills}
    filler_rate = sum(a.fillers.values()) * 100 / max(a.words, 1)
    length = 100 if 60 <= a.words <= 260 else (a.words / 60 * 100 if a.words < 60 else 75)
    sentence_words = a.words / max(len(a.sentences), 1)
    return {
        "relevance": 25 + 55 * a.relevance + (20 if said_skills & jd_skills else 0),
        "structure": 10 + 30 * a.star_parts,
        "specificity": 15
        + (30 if a.numbers else 0)
        + 10 * min(len(a.skills), 3)
        + (25 if a.first_person >= max(a.we, 1) else 5),
        "technical_depth": 15
        + 15 * min(len(a.skills), 4)
        + (25 if a.words >= 80 else a.words / 80 * 25),
        "communication": 0.6 * length
        + (25 if sentence_words <= 28 else 10)
        + max(0.0, 15 - 5 * filler_rate),
    }


SUGGESTIONS = {
    "relevance": (
        "Connect each answer to the job: name the requirement it shows you meet.",
        "Before answering, pick the one point of the job description your story proves.",
    ),
    "structure": (
        "Use STAR for behavioural questions: Situation and Task briefly, most time on "
        "your Actions, and always close with the Result.",
        'Signpost your answers ("The situation was… What I did… The result…") so the '
        "interviewer can follow.",
    ),
    "specificity": (
        "Quantify results: percentages, time saved, users, money — one number per story.",
        'Say "I" for your own contribution and name the tools and decisions involved.',
    ),
    "technical_depth": (
        "Explain the trade-offs you weighed, not only what you built.",
        "Prepare one deep example per key skill of the job: the problem, the design, "
        "what went wrong and what you would change.",
    ),
    "communication": (
        "Keep answers to one or two minutes: headline first, then one example, then the result.",
        "Replace filler words with a short pause; shorter sentences sound more confident.",
    ),
}


def _evidence(
    competency: str, analyses: list[tuple[int, AnswerAnalysis, dict[str, float]]]
) -> tuple[Evidence, ...]:
    """The answer that best supports the score and the one that most holds it back,
    each quoted by its most telling sentence."""
    ranked = sorted(analyses, key=lambda item: (item[2][competency], -item[0]))
    best_turn, best, _ = ranked[-1]
    worst_turn, worst, _ = ranked[0]
    quotes = [Evidence(best_turn, _clip(_telling_sentence(best, competency, True)), True)]
    if worst_turn != best_turn:
        quotes.append(
            Evidence(worst_turn, _clip(_telling_sentence(worst, competency, False)), False)
        )
    return tuple(quotes)


def _telling_sentence(a: AnswerAnalysis, competency: str, positive: bool) -> str:
    sentences = list(a.sentences) or [""]

    def weight(sentence: str) -> float:
        analysis = analyse_answer(sentence, "")
        if competency == "specificity":
            return analysis.numbers + len(analysis.skills) + analysis.first_person
        if competency == "structure":
            return analysis.star_parts
        if competency == "technical_depth":
            return len(analysis.skills) * 2 + analysis.words / 40
        if competency == "communication":
            return -sum(count_fillers(sentence).values()) - abs(analysis.words - 18) / 10
        return len(analysis.skills) + analysis.words / 30

    ordered = sorted(sentences, key=weight)
    return ordered[-1] if positive else ordered[0]


def _summary(competency: str, score: int) -> str:
    names = {
        "relevance": "Relevance to the job",
        "structure": "Structure",
        "specificity": "Specificity and evidence",
        "technical_depth": "Technical depth",
        "communication": "Communication",
    }
    band = "strong" if score >= 75 else "solid" if score >= 55 else "needs work"
    return f"{names[competency]}: {band} ({score}/100)."


def build_report(fit: Fit, turns: list[AnsweredTurn], bank: dict, engine: str) -> ReportData:
    answered = [(i, t) for i, t in enumerate(turns) if t.answer.strip()]
    if not answered:
        empty = tuple(
            CompetencyScore(c, 0, _summary(c, 0), (), SUGGESTIONS[c]) for c in COMPETENCIES
        )
        return ReportData(0, "No answers were given.", empty, Delivery(), (), (), engine)
    analyses = []
    for index, turn in answered:
        a = analyse_answer(turn.answer, turn.question, fit.overlap + fit.gaps)
        analyses.append((index, a, _per_answer(a, turn, fit)))
    scores: dict[str, int] = {}
    for competency in COMPETENCIES:
        pool = analyses
        if competency == "technical_depth":
            pool = [x for x in analyses if turns[x[0]].kind in TECHNICAL_KINDS] or analyses
        scores[competency] = _score(mean(x[2][competency] for x in pool))
    competencies = []
    for competency in COMPETENCIES:
        suggestions = list(SUGGESTIONS[competency])
        if competency == "technical_depth" and fit.gaps:
            suggestions.append(
                f"Prepare for questions on {', '.join(fit.gaps[:3])}: the job asks for it "
                "and your CV does not show it yet."
            )
        if competency == "relevance" and fit.overlap:
            suggestions.append(
                f"Lead with what you share with the job: {', '.join(fit.overlap[:3])}."
            )
        competencies.append(
            CompetencyScore(
                competency,
                scores[competency],
                _summary(competency, scores[competency]),
                _evidence(competency, analyses),
                tuple(suggestions[:3]),
            )
        )
    overall = _score(sum(scores[c] * w for c, w in WEIGHTS.items()))
    ranked = sorted(COMPETENCIES, key=lambda c: scores[c])
    fillers: dict[str, int] = {}
    for _, a, _ in analyses:
        for word, n in a.fillers.items():
            fillers[word] = fillers.get(word, 0) + n
    spoken = [(turns[i], a) for i, a, _ in analyses if turns[i].audio_seconds > 0]
    spoken_words = sum(a.words for _, a in spoken)
    spoken_minutes = sum(t.audio_seconds for t, _ in spoken) / 60
    delivery = Delivery(
        words_per_minute=round(spoken_words / spoken_minutes, 1) if spoken_minutes else 0.0,
        filler_words=sum(fillers.values()),
        fillers=fillers,
        spoken_answers=len(spoken),
    )
    level = "a strong" if overall >= 75 else "a solid" if overall >= 55 else "a developing"
    summary = (
        f"{level.capitalize()} interview for {fit.role}: {len(answered)} answers, overall "
        f"{overall}/100. Best: {ranked[-1].replace('_', ' ')}; work on "
        f"{ranked[0].replace('_', ' ')}."
    )
    return ReportData(
        overall_score=overall,
        summary=summary,
        competencies=tuple(competencies),
        delivery=delivery,
        strengths=tuple(_summary(c, scores[c]) for c in reversed(ranked[-2:])),
        improvements=tuple(SUGGESTIONS[c][0] for c in ranked[:2]),
        engine=engine,
    )
