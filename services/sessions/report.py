"""The feedback report on the versioned rubric (`rubric`): each criterion scored from
the answers that bear on it, with the quote that best supports the score (a different
one per criterion, never a pleasantry), suggestions from the weaknesses actually found,
strengths and improvements that agree with the scores, feedback per question with an
outline of what a strong answer would contain, and delivery figures (filler words, words
per minute when spoken). Deterministic: the same turns give the same report."""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import mean

from services.sessions import nlp
from services.sessions.answers import PLEASANTRY, AnswerReading
from services.sessions.feedback import outline, short, texts, told_by_team, verdict
from services.sessions.phrasing import counted, quote, sentence
from services.sessions.planning import PlannedQuestion
from services.sessions.rubric import CRITERIA, RUBRIC, RUBRIC_VERSION, levels, score_of
from services.sessions.turns import AnsweredTurn, Context, plan_item, probe_of, read_turn

QUOTE_WORDS = 40
MIN_QUOTE_WORDS = 6


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
class QuestionFeedback:
    turn: int
    question: str
    score: int
    verdict: str
    had: tuple[str, ...]
    lacked: tuple[str, ...]
    strong_answer: tuple[str, ...]  # an outline of what a strong answer would contain
    follow_up: bool = False  # a follow-up to the question before it


@dataclass(frozen=True)
class ReportData:
    overall_score: int
    summary: str
    competencies: tuple[CompetencyScore, ...]
    delivery: Delivery
    strengths: tuple[str, ...]
    improvements: tuple[str, ...]
    engine: str
    questions: tuple[QuestionFeedback, ...] = ()
    rubric_version: str = RUBRIC_VERSION


def build_report(context: Context, turns: list[AnsweredTurn], engine: str) -> ReportData:
    plan = list(context.plan)
    readings = {
        i: read_turn(context, plan, turns, i) for i, t in enumerate(turns) if t.answer.strip()
    }
    # "No, nothing to add" to the closing question is an answer, not a failure: left out.
    readings = {i: r for i, r in readings.items() if not (turns[i].kind == "closing" and r.empty)}
    answered = sorted(readings)
    if not answered:
        return _empty(engine)
    per_answer = {i: levels(r) for i, r in readings.items()}
    scores = {}
    for criterion in RUBRIC:
        bearing = [per_answer[i][criterion.id] for i in answered if criterion.id in per_answer[i]]
        if bearing:
            scores[criterion.id] = score_of(mean(bearing))
    used_quotes: set[str] = set()
    competencies = tuple(
        CompetencyScore(
            c.id,
            scores[c.id],
            _summary(c.id, scores[c.id]),
            _evidence(c.id, readings, per_answer, turns, used_quotes),
            _suggestions(c.id, scores[c.id], readings, turns),
        )
        for c in RUBRIC
        if c.id in scores
    )
    overall = overall_of(scores)
    questions = tuple(
        _question_feedback(i, turns[i], readings[i], plan_item(plan, turns, i), context)
        for i in answered
    )
    strengths, improvements = strengths_and_improvements(competencies)
    return ReportData(
        overall_score=overall,
        summary=_overall_summary(context, overall, answered, competencies),
        competencies=competencies,
        delivery=_delivery(turns, readings),
        strengths=strengths,
        improvements=improvements,
        engine=engine,
        questions=questions,
    )


def _empty(engine: str) -> ReportData:
    none = tuple(
        CompetencyScore(c.id, 0, f"{c.name}: no answers to judge.", (), ()) for c in RUBRIC
    )
    return ReportData(
        0,
        "No answers were given, so there is nothing to score yet.",
        none,
        Delivery(),
        (),
        ("Answer at least one question.",),
        engine,
    )


def _summary(criterion: str, score: int) -> str:
    band = (
        "strong"
        if score >= 75
        else "solid"
        if score >= 55
        else "developing"
        if score >= 35
        else "weak"
    )
    return f"{CRITERIA[criterion].name}: {band} ({score}/100)."


# -- evidence ---------------------------------------------------------------------------


def _evidence(
    criterion: str,
    readings: dict[int, AnswerReading],
    per_answer: dict[int, dict[str, float]],
    turns: list[AnsweredTurn],
    used: set[str],
) -> tuple[Evidence, ...]:
    """The quote that best supports the criterion's score: from the answer that scored
    highest on it, the sentence that shows it; a different sentence for every
    criterion, never a pleasantry or an answer to the opening or closing pleasantries;
    and, when another answer held the score back, the sentence that shows why."""
    bearing = [i for i in readings if criterion in per_answer[i]]
    ranked = sorted(bearing, key=lambda i: (-per_answer[i][criterion], i))
    quotes: list[Evidence] = []
    for index in ranked:
        chosen = _telling(criterion, readings[index], True, used)
        if chosen:
            used.add(chosen)
            quotes.append(Evidence(index, quote(chosen, QUOTE_WORDS), True))
            break
    for index in reversed(ranked):
        if per_answer[index][criterion] >= 3.5 or (quotes and index == quotes[0].turn):
            break  # nothing held the score back
        chosen = _telling(criterion, readings[index], False, used)
        if chosen:
            used.add(chosen)
            quotes.append(Evidence(index, quote(chosen, QUOTE_WORDS), False))
            break
    return tuple(quotes)


def _telling(criterion: str, r: AnswerReading, positive: bool, used: set[str]) -> str:
    candidates = {
        "relevance": list(r.sentences),
        "structure": [*r.situation, *r.results, *r.own_actions] or list(r.sentences),
        "evidence": sorted(
            r.sentences,
            key=lambda s: -sum(c.isdigit() for c in s) - 5 * sum(m in s for m in r.methods),
        ),
        "ownership": [*r.own_actions] if positive else [*r.team_actions, *r.generic],
        "impact": [*r.results] if positive else [*r.own_actions, *r.situation],
        "communication": sorted(r.sentences, key=lambda s: abs(len(s.split()) - 18)),
    }[criterion]
    for text in candidates:
        if text in used or len(text.split()) < MIN_QUOTE_WORDS:
            continue
        if r.empty or (len(text.split()) < 25 and PLEASANTRY.search(text)):
            continue
        return text
    return ""


# -- suggestions --------------------------------------------------------------------------


def _suggestions(
    criterion: str, score: int, readings: dict[int, AnswerReading], turns: list[AnsweredTurn]
) -> tuple[str, ...]:
    """Advice from what was actually found (with how often), nothing generic: a
    criterion scored well gets what to keep doing."""
    rs = list(readings.values())
    advice = texts()["suggestions"]
    found = []
    for key, values in _findings(criterion, rs):
        n = values.pop("n")
        counts = {
            "total": str(len(rs)),
            "answers": counted(n, "answer"),
            "stories": counted(n, "story"),
            "examples": counted(n, "example"),
            "filler_words": counted(n, "filler word"),
        }
        found.append(sentence(advice[key], **counts, **{k: str(v) for k, v in values.items()}))
    if not found:
        found.append(texts()["keep" if score >= 55 else "steps"][criterion])
    return tuple(found[:3])


def _findings(criterion: str, rs: list[AnswerReading]) -> list[tuple[str, dict]]:
    """(which advice, its values) for every weakness of this criterion that was found."""

    def n(predicate) -> int:  # type: ignore[no-untyped-def]
        return sum(1 for r in rs if not r.empty and predicate(r))

    story = [r for r in rs if r.kind == "behavioural" and not r.empty]
    counts: list[tuple[str, int, dict]] = []
    if criterion == "relevance":
        counts += [
            ("off_topic", n(lambda r: r.off_topic), {}),
            ("repeat", n(lambda r: r.repeat_of is not None), {}),
            ("empty", sum(1 for r in rs if r.empty), {}),
        ]
    elif criterion == "structure":
        counts += [
            ("no_situation", sum(1 for r in story if not r.situation), {}),
            ("no_result", sum(1 for r in story if not r.results), {}),
        ]
    elif criterion == "evidence":
        counts += [
            ("no_numbers", sum(1 for r in story if r.numbers == 0), {}),
            ("no_methods", n(lambda r: not r.methods and r.kind != "open"), {}),
        ]
    elif criterion == "ownership":
        we = [r for r in rs if r.kind == "behavioural" and told_by_team(r)]
        if we:
            counts.append(("we_only", len(we), {"quote": short(we[0].team_actions[0])}))
        counts.append(
            ("no_actions", sum(1 for r in story if not r.own_actions and not told_by_team(r)), {})
        )
        counts.append(("generic", n(lambda r: bool(r.generic) and not r.own_actions), {}))
    elif criterion == "impact":
        counts.append(("no_outcome", sum(1 for r in story if not r.results), {}))
        unmeasured = [r for r in rs if r.results and r.numbers == 0]
        if unmeasured:
            counts.append(("unmeasured", 1, {"quote": short(unmeasured[0].results[0])}))
    elif criterion == "communication":
        fillers: dict[str, int] = {}
        for r in rs:
            for word, k in r.fillers.items():
                fillers[word] = fillers.get(word, 0) + k
        total = sum(fillers.values())
        if total >= 3 and total * 100 / max(sum(r.words for r in rs), 1) > 1.5:
            names = ", ".join(sorted(fillers, key=lambda w: -fillers[w])[:3])
            counts.append(("fillers", total, {"fillers": names}))
        counts += [
            ("keyword_list", n(lambda r: r.keyword_list), {}),
            ("long", n(lambda r: r.words > 300), {}),
        ]
    return [(key, {"n": count, **values}) for key, count, values in counts if count]


def overall_of(scores: dict[str, int]) -> int:
    """The criteria's scores weighted as the rubric weighs them."""
    weight = sum(CRITERIA[c].weight for c in scores)
    return round(sum(CRITERIA[c].weight * s for c, s in scores.items()) / weight)


def strengths_and_improvements(
    competencies: tuple[CompetencyScore, ...],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Strengths are criteria that scored well (with what to keep doing), improvements
    those that scored low (with the first thing to change) — never the other way round."""
    ranked = sorted(competencies, key=lambda c: -c.score)
    keep = texts()["keep"]
    strengths = tuple(
        f"{CRITERIA[c.competency].name} ({c.score}/100): {keep[c.competency]}"
        for c in ranked
        if c.score >= 60
    )[:2]
    improvements = tuple(
        f"{CRITERIA[c.competency].name} ({c.score}/100): {c.suggestions[0]}"
        for c in reversed(ranked)
        if c.score < 60
    )[:2]
    return strengths, improvements


def _overall_summary(
    context: Context, overall: int, answered: list[int], competencies: tuple[CompetencyScore, ...]
) -> str:
    ranked = sorted(competencies, key=lambda c: -c.score)
    level = "A strong" if overall >= 75 else "A solid" if overall >= 55 else "A developing"
    role = context.fit.role or "this role"
    text = f"{level} interview for {role}: {len(answered)} answers, overall {overall}/100."
    if ranked[0].score >= 60:
        text += f" Best: {CRITERIA[ranked[0].competency].name.lower()}."
    if ranked[-1].score < 60:
        text += f" Work on {CRITERIA[ranked[-1].competency].name.lower()}."
    return text


# -- per question and delivery -------------------------------------------------------------


def _question_feedback(
    index: int,
    turn: AnsweredTurn,
    reading: AnswerReading,
    asked: PlannedQuestion,
    context: Context,
) -> QuestionFeedback:
    score, said, had, lacked = verdict(reading)
    achievement = ""
    if context.fit.achievements and reading.kind in ("behavioural", "situational"):
        scored = [(nlp.similarity(turn.question, a), a) for a in context.fit.achievements[:5]]
        similarity, best = max(scored)
        achievement = best if similarity >= 0.25 else ""
    return QuestionFeedback(
        turn=index,
        question=turn.question,
        score=score,
        verdict=said,
        had=had,
        lacked=lacked,
        strong_answer=outline(reading.kind, probe_of(asked), achievement),
        follow_up=turn.kind == "follow_up",
    )


def _delivery(turns: list[AnsweredTurn], readings: dict[int, AnswerReading]) -> Delivery:
    fillers: dict[str, int] = {}
    for r in readings.values():
        for word, n in r.fillers.items():
            fillers[word] = fillers.get(word, 0) + n
    spoken = [(turns[i], r) for i, r in readings.items() if turns[i].audio_seconds > 0]
    words = sum(r.words for _, r in spoken)
    minutes = sum(t.audio_seconds for t, _ in spoken) / 60
    return Delivery(
        words_per_minute=round(words / minutes, 1) if minutes else 0.0,
        filler_words=sum(fillers.values()),
        fillers=fillers,
        spoken_answers=len(spoken),
    )
