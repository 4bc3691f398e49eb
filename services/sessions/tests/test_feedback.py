"""What the offline judgement does with answers, on examples written for the tests
(`data/answers.json`: one question per occupation family, nine answers each) — kept
apart from the benchmark's corpus (`bench/data/answers/`), which only measures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from services.sessions.analysis import Fit
from services.sessions.answers import read_answer
from services.sessions.feedback import follow_up, outline, tip
from services.sessions.guard import asks_for_what_was_said
from services.sessions.interviewer import AnsweredTurn, Context, OfflineInterviewer, next_planned
from services.sessions.planning import PlannedQuestion
from services.sessions.rubric import RUBRIC, answer_score, score_of

EXAMPLES = json.loads((Path(__file__).parent / "data" / "answers.json").read_text())
IDS = [e["id"] for e in EXAMPLES]


def reading(example: dict, label: str, earlier: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    return read_answer(
        example["answers"][label],
        example["question"],
        "behavioural",
        example["focus"],
        example["role"],
        example["family"],
        earlier,
    )


def score(example: dict, label: str, earlier: tuple[str, ...] = ()) -> int:
    return answer_score(reading(example, label, earlier))


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_gamed_answers_score_below_a_vague_honest_one_in_every_family(example):
    vague = score(example, "vague")
    gamed = {
        "stuffed": score(example, "stuffed"),
        "off_topic": score(example, "off_topic"),
        "polite": score(example, "polite"),
        "repeat": score(example, "strong", earlier=(example["answers"]["strong"],)),
    }
    assert all(value < vague for value in gamed.values()), (vague, gamed)
    strong = score(example, "strong")
    assert strong > score(example, "adequate") > vague
    assert strong - max(gamed.values()) >= 40  # by a wide margin, not a point or two


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_follow_ups_ask_for_what_is_missing_and_never_for_what_was_said(example):
    question = example["question"]
    we = follow_up(reading(example, "we_only"), question)
    assert we is not None and we.reason == "we_only"
    quoted = we.text.split('"')[1].rstrip("…")
    assert quoted in example["answers"]["we_only"]  # it names the sentence it asks about
    for label in ("strong", "result_already"):
        asked = follow_up(reading(example, label), question)
        assert asked is None or asked.reason not in ("no_result", "no_number", "we_only")
    scene = follow_up(reading(example, "situation_only"), question)
    assert scene is not None and scene.reason in ("no_actions", "no_result", "we_only")
    assert follow_up(reading(example, "stuffed"), question).reason == "keyword_list"
    assert follow_up(reading(example, "off_topic"), question).reason == "off_topic"


def test_an_answer_told_by_the_team_gets_the_ownership_follow_up():
    asked = "Tell me about a time you led a migration."
    helped = read_answer(
        "The team did most of the work on the migration, and I helped here and there. We "
        "moved the billing service to Kubernetes and it went live in March.",
        asked,
        "behavioural",
        family="software_data",
    )
    assert follow_up(helped, asked).reason == "we_only"
    mine = read_answer(
        "I noticed the backlog was growing, so I rewrote the triage rules and I trained the "
        "two newest agents myself. Within a month the backlog fell from 400 to 90 tickets.",
        "Tell me about a time you improved a process.",
        "behavioural",
        job="Customer support team lead",
        family="customer_support",
    )
    assert "own_actions" in mine.has and not mine.off_topic
    assert follow_up(mine, "q") is None or follow_up(mine, "q").reason != "we_only"


def test_a_model_follow_up_asking_for_what_was_given_is_caught():
    shipped = read_answer(
        "When a critical CVE hit our login library, I patched it, I ran the regression "
        "suite overnight and the fix shipped in 48 hours with no customer impact.",
        "Tell me about a time you handled a security issue.",
        "behavioural",
        family="software_data",
    )
    assert asks_for_what_was_said("What was the outcome? Put a number on it.", shipped)
    assert asks_for_what_was_said("What did you personally do?", shipped) == "own_actions"
    assert not asks_for_what_was_said("Who else did you involve, and when?", shipped)


def test_coaching_tips_talk_about_this_answer():
    example = EXAMPLES[0]
    assert "filler" not in tip(reading(example, "strong"), "").lower()
    filled = read_answer(
        "Um, so basically, I, like, fixed the outage, you know, um, by rolling back, "
        "basically, and, um, it was fine after, you know, like, an hour.",
        example["question"],
        "behavioural",
        family=example["family"],
    )
    assert "filler" in tip(filled, "").lower() or "result" in tip(filled, "").lower()


def test_the_cv_probe_is_skipped_once_the_achievement_has_been_told():
    probe = PlannedQuestion(
        "cv_probe",
        "Tell me about cutting deploy time by 70%.",
        "Led the migration to Kubernetes, cutting deploy time by 70%",
    )
    plan = [
        PlannedQuestion("opening", "Tell me about yourself."),
        probe,
        PlannedQuestion("closing", "Any questions?"),
    ]
    told = AnsweredTurn(
        "Tell me about yourself.",
        "opening",
        "I led the migration to Kubernetes at Fernway, cutting deploy time by 70% in a year.",
    )
    assert next_planned(plan, [told]) == plan[2]
    other = AnsweredTurn("Tell me about yourself.", "opening", "I build payment systems in Python.")
    assert next_planned(plan, [other]) == probe


def context_for(example: dict) -> Context:
    fit = Fit(
        role=example["role"],
        seniority="mid",
        overlap=(),
        gaps=(),
        achievements=("Cut the month-end close from 8 days to 5 by automating reconciliations",),
        requirements=(),
        family=example["family"],
    )
    return Context("text", fit, seed=1)


def interview(example: dict, labels: list[str]) -> list[AnsweredTurn]:
    return [
        AnsweredTurn(example["question"], "behavioural", example["answers"][lab]) for lab in labels
    ]


def test_the_report_quotes_a_different_relevant_sentence_for_each_criterion():
    example = EXAMPLES[1]
    turns = interview(example, ["strong", "adequate", "we_only"]) + [
        AnsweredTurn(
            "Do you have any questions for us?", "closing", "No, that's all. Thanks again."
        )
    ]
    report = OfflineInterviewer().report(context_for(example), turns)
    quotes = [e.quote for c in report.competencies for e in c.evidence]
    assert quotes and len(quotes) == len(set(quotes))
    assert not any("Thanks again" in q for q in quotes)
    for c in report.competencies:
        name = next(r.name for r in RUBRIC if r.id == c.competency)
        in_strengths = any(s.startswith(name) for s in report.strengths)
        in_improvements = any(s.startswith(name) for s in report.improvements)
        assert not (in_strengths and c.score < 60) and not (in_improvements and c.score >= 60)


def test_suggestions_come_from_what_was_found():
    example = EXAMPLES[2]
    engine = OfflineInterviewer()
    strong = engine.report(context_for(example), interview(example, ["strong", "result_already"]))
    weak = engine.report(context_for(example), interview(example, ["vague", "situation_only"]))
    advice = lambda r: [s for c in r.competencies for s in c.suggestions]  # noqa: E731
    assert not any("filler" in s.lower() for s in advice(strong) + advice(weak))
    assert not any("no number" in s.lower() for s in advice(strong))  # both had numbers
    for good, poor in zip(strong.competencies, weak.competencies, strict=True):
        if good.score - poor.score >= 20:  # scored apart: told apart
            assert set(good.suggestions).isdisjoint(poor.suggestions)
    assert strong.overall_score - weak.overall_score >= 30


def test_per_question_feedback_and_the_outline_of_a_strong_answer():
    example = EXAMPLES[5]
    turns = interview(example, ["adequate"])
    report = OfflineInterviewer().report(context_for(example), turns)
    (feedback,) = report.questions
    assert feedback.question == example["question"] and feedback.verdict
    assert "a number to show the result" in feedback.lacked
    assert feedback.score == answer_score(reading(example, "adequate"))
    with_cv = outline("behavioural", "Accuracy", "Cut the month-end close from 8 days to 5")
    assert any("Cut the month-end close" in point for point in with_cv)
    assert outline("situational", "")[0].startswith("Your first steps")


def test_the_rubric_is_documented_and_maps_levels_to_scores():
    assert abs(sum(c.weight for c in RUBRIC) - 1.0) < 1e-9
    assert all(len(c.anchors) == 5 and all(c.anchors) for c in RUBRIC)
    assert [score_of(level) for level in (1, 2, 3, 4, 5)] == [10, 30, 50, 70, 90]
