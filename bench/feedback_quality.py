"""How well the offline interviewer judges answers, on the labelled answer corpus written
for this project (`bench/data/answers/`: 12 families × 5 questions × 7 answers —
strong, adequate, vague, off-topic, keyword-stuffed, politeness, told only as "we" —
each labelled with the parts it contains; the rules were developed with its misses in
view) and `bench/data/answers_heldout/` (12 × 3 × 7, written later by someone else and
never read by the developers: only its scores are seen). Both are kept apart from the
tests' examples (`services/sessions/tests/data/answers.json`).
Repeated-answer interviews are built from it: the first question's strong answer
pasted under every later question of its family. Against the engine as it was before
the rubric (`bench/legacy_engine.py`), measured in the same run:

- pairwise ordering accuracy per pair type (goal ≥ 0.95 on every one) and the mean
  score per label;
- the margin by which each family's strong answers beat the best gamed answer
  (keyword list, repeat, off-topic story, politeness);
- follow-ups: the share asking for a part the labels say the answer already had (goal
  0), how many "we" answers get the ownership follow-up, and how often an honest answer
  is mistaken for a gamed one;
- reports: how often a report quotes one sentence under several criteria (goal 0) or
  quotes a pleasantry, and whether strengths and improvements agree with the scores;
- time to judge an answer and to write a report, against the old engine.

    python -m bench.feedback_quality
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from bench import legacy_engine
from services.sessions import analysis
from services.sessions.analysis import Fit
from services.sessions.answers import PLEASANTRY, question_kind, read_answer
from services.sessions.feedback import follow_up
from services.sessions.interviewer import AnsweredTurn, Context, OfflineInterviewer
from services.sessions.rubric import RUBRIC, answer_score

DATA = Path(__file__).with_name("data")
CORPORA = {"development": DATA / "answers", "held_out": DATA / "answers_heldout"}
PAIRS = (
    ("strong", "adequate"),
    ("adequate", "vague"),
    ("strong", "vague"),
    ("vague", "off_topic"),
    ("vague", "stuffed"),
    ("vague", "repeat"),
    ("vague", "polite"),
    ("strong", "we_only"),
)
GAMED = ("stuffed", "off_topic", "repeat", "polite")
HONEST = ("strong", "adequate", "vague", "we_only")
# The part of an answer each follow-up asks for, in the labels' words.
ASKS_FOR = {
    "we_only": "own_actions",
    "no_actions": "own_actions",
    "no_steps": "own_actions",
    "no_result": "result",
    "no_aim": "result",
    "no_number": "numbers",
    "no_example": "situation",
    "knowledge_example": "situation",
}
GAMING_REASONS = ("empty", "keyword_list", "off_topic", "repeat")


def load(directory: Path = CORPORA["development"]) -> list[dict]:
    return [q for path in sorted(directory.glob("*.json")) for q in json.loads(path.read_text())]


def main() -> int:
    analysis.warm_up()
    print(json.dumps(evaluate_corpora()))
    return 0


def evaluate_corpora() -> dict:
    return {name: evaluate(load(path)) for name, path in CORPORA.items() if path.is_dir()}


def evaluate(questions: list[dict]) -> dict:
    by_family: dict[str, list[dict]] = {}
    for q in questions:
        by_family.setdefault(q["family"], []).append(q)
    ours: dict[str, dict[str, float]] = {}
    old: dict[str, dict[str, float]] = {}
    readings = {}
    our_ms, old_ms = [], []
    for family, items in by_family.items():
        pasted = items[0]["answers"]["strong"]
        for position, q in enumerate(items):
            answers = dict(q["answers"])
            if position:
                answers["repeat"] = pasted
            for label, text in answers.items():
                earlier = (pasted,) if label == "repeat" else ()
                started = time.perf_counter()
                reading = read_answer(
                    text, q["question"], "", q["focus"], q["role"], family, earlier
                )
                score = answer_score(reading)
                middle = time.perf_counter()
                legacy = legacy_engine.answer_score(text, q["question"])
                old_ms.append((time.perf_counter() - middle) * 1000)
                our_ms.append((middle - started) * 1000)
                ours.setdefault(q["id"], {})[label] = score
                old.setdefault(q["id"], {})[label] = legacy
                readings[(q["id"], label)] = reading
    result = {
        "questions": len(questions),
        "families": len(by_family),
        "answers": len(readings),
        "ours": judgement(ours, by_family),
        "before_the_rubric": judgement(old, by_family),
        "follow_ups": follow_ups(questions, readings),
        "reports": reports(by_family),
        "judge_answer_p50_ms": round(statistics.median(our_ms), 2),
        "baseline_old_engine_answer_p50_ms": round(statistics.median(old_ms), 3),
        "ratio_answer_to_old_p50": round(statistics.median(our_ms) / statistics.median(old_ms), 1),
    }
    result.update(report_timing(by_family))
    return result


def judgement(scores: dict[str, dict[str, float]], by_family: dict[str, list[dict]]) -> dict:
    pairs = {}
    for high, low in PAIRS:
        outcomes = [s[high] > s[low] for s in scores.values() if high in s and low in s]
        pairs[f"{high}>{low}"] = round(sum(outcomes) / len(outcomes), 3)
    labels = sorted({label for s in scores.values() for label in s})
    means = {
        label: round(statistics.mean(s[label] for s in scores.values() if label in s), 1)
        for label in labels
    }
    margins = {}
    for family, items in by_family.items():
        strong = min(scores[q["id"]]["strong"] for q in items)
        gamed = max(scores[q["id"]][g] for q in items for g in GAMED if g in scores[q["id"]])
        margins[family] = round(strong - gamed, 1)
    return {
        "pairwise_accuracy": pairs,
        "worst_pair_accuracy": min(pairs.values()),
        "mean_score_by_label": means,
        "weakest_strong_minus_best_gamed_by_family": margins,
        "min_margin_over_families": min(margins.values()),
    }


def follow_ups(questions: list[dict], readings: dict) -> dict:
    asked = redundant = honest = mistaken = 0
    we_answers = we_asked = 0
    for q in questions:
        for label in q["answers"]:
            reading = readings[(q["id"], label)]
            wanted = follow_up(reading, q["question"])
            if label in HONEST:
                honest += 1
                mistaken += bool(wanted and wanted.reason in GAMING_REASONS)
            if label == "we_only":
                we_answers += 1
                we_asked += bool(wanted and wanted.reason == "we_only")
            if wanted is None:
                continue
            asked += 1
            part = ASKS_FOR.get(wanted.reason)
            redundant += bool(part and part in q["contains"].get(label, []))
    return {
        "follow_ups_asked": asked,
        "asking_for_what_was_said_share": round(redundant / max(asked, 1), 4),
        "we_answers_given_the_ownership_follow_up": round(we_asked / max(we_answers, 1), 3),
        "honest_answers_taken_for_gamed_share": round(mistaken / max(honest, 1), 4),
    }


def context_for(family: str, role: str) -> Context:
    return Context("text", Fit(role=role, seniority="mid", family=family), seed=1)


def interviews(items: list[dict]) -> dict[str, list[AnsweredTurn]]:
    def turns(labels: list[str]) -> list[AnsweredTurn]:
        return [
            AnsweredTurn(q["question"], question_kind(q["question"]), q["answers"][label])
            for q, label in zip(items, labels, strict=False)
        ]

    pasted = items[0]["answers"]["strong"]
    return {
        "strong": turns(["strong"] * 5),
        "adequate": turns(["adequate"] * 5),
        "mixed": turns(["strong", "adequate", "vague", "we_only", "off_topic"]),
        "gamed": turns(["stuffed", "polite", "off_topic", "stuffed", "polite"]),
        "pasted": [
            AnsweredTurn(q["question"], question_kind(q["question"]), pasted) for q in items
        ],
    }


def reports(by_family: dict[str, list[dict]]) -> dict:
    engine = OfflineInterviewer()
    made = duplicated = pleasantries = disagreeing = 0
    overall: dict[str, list[int]] = {}
    names = {c.id: c.name for c in RUBRIC}
    for family, items in by_family.items():
        context = context_for(family, items[0]["role"])
        for name, turns in interviews(items).items():
            report = engine.report(context, turns)
            made += 1
            quotes = [e.quote for c in report.competencies for e in c.evidence]
            duplicated += len(quotes) != len(set(quotes))
            pleasantries += any(len(q.split()) < 25 and PLEASANTRY.search(q) for q in quotes)
            scores = {names[c.competency]: c.score for c in report.competencies}
            disagreeing += any(scores[s.split(" (")[0]] < 60 for s in report.strengths) or any(
                scores[s.split(" (")[0]] >= 60 for s in report.improvements
            )
            overall.setdefault(name, []).append(report.overall_score)
    return {
        "reports": made,
        "same_quote_under_several_criteria_share": round(duplicated / made, 4),
        "pleasantry_quoted_share": round(pleasantries / made, 4),
        "strengths_or_improvements_disagreeing_with_scores_share": round(disagreeing / made, 4),
        "mean_overall_by_interview": {
            name: round(statistics.mean(values), 1) for name, values in overall.items()
        },
    }


def report_timing(by_family: dict[str, list[dict]]) -> dict:
    """A report of five answers, ours against the old engine scoring the same answers."""
    engine = OfflineInterviewer()
    ours, old = [], []
    for family, items in by_family.items():
        context = context_for(family, items[0]["role"])
        turns = interviews(items)["mixed"]
        for _ in range(3):
            started = time.perf_counter()
            engine.report(context, turns)
            ours.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            for turn in turns:
                legacy_engine.answer_score(turn.answer, turn.question)
            old.append((time.perf_counter() - started) * 1000)
    return {
        "report_5_answers_p50_ms": round(statistics.median(ours), 1),
        "baseline_old_engine_report_5_answers_p50_ms": round(statistics.median(old), 2),
        "ratio_report_to_old_p50": round(statistics.median(ours) / statistics.median(old), 1),
    }


if __name__ == "__main__":
    sys.exit(main())
