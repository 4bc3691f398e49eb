"""How well the offline interviewer reads CVs and job descriptions in every occupation
family, on labelled corpora written for this project, kept apart from the tests'
examples: `bench/data/documents/` (72 pairs, 6 per family; the rules were developed
with its misses in view) and `bench/data/heldout/` (36 pairs, 3 per family, written
later by someone else and never read by the developers: only its scores are seen).
Per corpus:

- role accuracy (the JD's title, and the CV's), family and seniority accuracy;
- skill precision and recall against the labelled key skills (precision is a floor: the
  labels list the key skills, not every skill a text names);
- must-have recall: labelled must-haves found among the extracted must-have lines;
- the share of planned bank questions from a family other than the job's (the goal: 0);
- time to read a document, against spaCy parsing it alone (the floor), in the same run.

And how well it judges answers (`bench/feedback_quality.py`): ordering, gaming,
follow-ups and reports on the labelled answer corpora.

    python -m bench.interviewer_quality
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from pathlib import Path

from bench import feedback_quality
from services.sessions import analysis, nlp
from services.sessions.analysis import analyse, fit
from services.sessions.planning import plan_questions
from services.sessions.taxonomy import taxonomy

DATA = Path(__file__).with_name("data")
CORPORA = {"development": DATA / "documents", "held_out": DATA / "heldout"}


def norm(text: str) -> str:
    text = re.sub(r"\([^)]*\)", " ", text.lower())
    text = re.sub(r"[^a-z0-9&+#/ ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def role_correct(predicted: str, role: str, accept: list[str]) -> bool:
    wanted = {norm(role), *(norm(a) for a in accept)}
    return bool(predicted) and norm(predicted) in wanted


def forms(name: str) -> set[str]:
    skill = taxonomy().skill(name)
    return {norm(f) for f in (skill.forms if skill else (name,))}


def same_skill(label: str, predicted_forms: set[str]) -> bool:
    wanted = norm(label)
    return any(
        wanted == form
        or re.search(rf"\b{re.escape(form)}\b", wanted)
        or re.search(rf"\b{re.escape(wanted)}\b", form)
        for form in predicted_forms
        if len(form) >= 2
    )


def skill_scores(predicted: tuple[str, ...], labels: list[str]) -> tuple[int, int, int, int]:
    """(predictions matching a label, predictions, labels recalled, labels)."""
    predicted_forms = [forms(p) for p in predicted]
    correct = sum(any(same_skill(label, f) for label in labels) for f in predicted_forms)
    recalled = sum(any(same_skill(label, f) for f in predicted_forms) for label in labels)
    return correct, len(predicted), recalled, len(labels)


def must_recall(lines: tuple[str, ...], labels: list[str]) -> tuple[int, int]:
    found = 0
    for label in labels:
        words = set(norm(label).split()) - {"a", "an", "the", "of", "in", "and", "or", "with", "to"}
        if any(len(words & set(norm(line).split())) >= max(1, len(words) // 2) for line in lines):
            found += 1
    return found, len(labels)


def main() -> int:
    analysis.warm_up()
    documents = {}
    for name, directory in CORPORA.items():
        pairs = [
            p for path in sorted(directory.glob("*.json")) for p in json.loads(path.read_text())
        ]
        if pairs:
            documents[name] = evaluate(pairs, show_misses=name != "held_out")
    print(json.dumps({"documents": documents, "answers": feedback_quality.evaluate_corpora()}))
    return 0


def evaluate(pairs: list[dict], show_misses: bool) -> dict:
    counts = {"role": 0, "cv_role": 0, "cv_roles": 0, "family": 0, "fit_family": 0, "seniority": 0}
    skills = [0, 0, 0, 0]
    musts = [0, 0]
    foreign = bank = 0
    per_family: dict[str, list[int]] = {}
    read_ms: list[float] = []
    parse_ms: list[float] = []
    misses: list[str] = []
    for pair in pairs:
        for kind in ("jd", "cv"):
            started = time.perf_counter()
            nlp.parse(pair[kind])
            parse_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        jd = analyse(pair["jd"], "jd")
        middle = time.perf_counter()
        cv = analyse(pair["cv"], "cv")
        read_ms += [(middle - started) * 1000, (time.perf_counter() - middle) * 1000]
        interview_fit = fit(cv, jd)
        role_ok = role_correct(jd.role, pair["role"], pair["role_accept"])
        counts["role"] += role_ok
        if not role_ok:
            misses.append(f"{pair['id']}: role {jd.role!r} (labelled {pair['role']!r})")
        if pair["cv_role"]:
            counts["cv_roles"] += 1
            counts["cv_role"] += norm(cv.role) == norm(pair["cv_role"])
        counts["family"] += jd.family == pair["family"]
        counts["fit_family"] += interview_fit.family == pair["family"]
        if jd.family != pair["family"]:
            misses.append(f"{pair['id']}: family {jd.family} (labelled {pair['family']})")
        counts["seniority"] += jd.seniority == pair["seniority"]
        for index, value in enumerate(skill_scores(jd.skills, pair["jd_skills"])):
            skills[index] += value
        for index, value in enumerate(skill_scores(cv.skills, pair["cv_skills"])):
            skills[index] += value
        found, total = must_recall(jd.requirements, pair["jd_must"])
        musts[0] += found
        musts[1] += total
        plan = plan_questions(interview_fit, seed=1)
        from_bank = [q for q in plan if q.family]
        wrong = sum(q.family != pair["family"] for q in from_bank)
        foreign += wrong
        bank += len(from_bank)
        tally = per_family.setdefault(pair["family"], [0, 0, 0])
        tally[0] += 1
        tally[1] += role_ok
        tally[2] += jd.family == pair["family"]
    n = len(pairs)
    result = {
        "pairs": n,
        "families": len(per_family),
        "role_accuracy": round(counts["role"] / n, 3),
        "cv_role_accuracy": round(counts["cv_role"] / max(counts["cv_roles"], 1), 3),
        "family_accuracy": round(counts["family"] / n, 3),
        "interview_family_accuracy": round(counts["fit_family"] / n, 3),
        "seniority_accuracy": round(counts["seniority"] / n, 3),
        "skill_precision": round(skills[0] / max(skills[1], 1), 3),
        "skill_recall": round(skills[2] / max(skills[3], 1), 3),
        "must_have_recall": round(musts[0] / max(musts[1], 1), 3),
        "foreign_family_question_share": round(foreign / max(bank, 1), 4),
        "bank_questions_planned": bank,
        "read_document_p50_ms": round(statistics.median(read_ms), 1),
        "read_document_p95_ms": round(sorted(read_ms)[int(len(read_ms) * 0.95) - 1], 1),
        "baseline_spacy_parse_p50_ms": round(statistics.median(parse_ms), 1),
        "ratio_read_to_parse_p50": round(
            statistics.median(read_ms) / statistics.median(parse_ms), 2
        ),
        "per_family": {
            family: {"pairs": t[0], "role": round(t[1] / t[0], 2), "family": round(t[2] / t[0], 2)}
            for family, t in sorted(per_family.items())
        },
    }
    if show_misses:  # the held-out corpus's are not shown: nobody tunes on them
        result["misses"] = misses
    return result


if __name__ == "__main__":
    sys.exit(main())
