"""What the interviewer says about an answer, chosen from what the answer holds and
lacks (`answers.AnswerReading`): a follow-up that names the thin part ("You said 'we
fixed it'. What did you do yourself?") and never asks for what was already said, a
coach's tip, a verdict per question, and an outline of what a strong answer would
contain. Texts live in `coaching.json`; every sentence goes through `phrasing`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from services.sessions.answers import BEHAVIOURAL, KNOWLEDGE, OPEN, SITUATIONAL, AnswerReading
from services.sessions.phrasing import quote, sentence
from services.sessions.rubric import answer_score, levels

FOLLOW_UP_BELOW = 62  # an answer scoring this or more needs no follow-up
STRONG_FROM = 75  # the verdict "Strong", and the only score a tip praises
QUOTE_WORDS = 12


@cache
def texts() -> dict:
    return json.loads((Path(__file__).with_name("coaching.json")).read_text())


@dataclass(frozen=True)
class FollowUp:
    reason: str  # which part was missing (a key of coaching.json's follow_up)
    text: str


def follow_up(reading: AnswerReading, question: str) -> FollowUp | None:
    """The one thing most worth asking next, or None when the answer holds enough."""
    reason, anchor = missing_part(reading)
    if reason is None:
        return None
    template = texts()["follow_up"][reason]
    return FollowUp(reason, sentence(template, quote=short(anchor), question=question))


def missing_part(reading: AnswerReading) -> tuple[str | None, str]:
    """(what to ask about, the sentence of the answer it points at)."""
    if reading.empty:
        return "empty", ""
    if reading.keyword_list:
        return "keyword_list", ""
    if reading.off_topic:
        return "off_topic", ""
    if reading.repeat_of is not None:
        return "repeat", ""
    if answer_score(reading) >= FOLLOW_UP_BELOW and not reading.we_only:
        return None, ""
    if reading.kind != OPEN and told_by_team(reading):
        return "we_only", reading.team_actions[0]  # whatever was asked, it was the team's
    if reading.kind == BEHAVIOURAL:
        acted = reading.own_actions or reading.team_actions
        if (not acted and not reading.situation) or (reading.generic and not reading.situation):
            return "no_example", ""
        if not reading.own_actions:
            scene = reading.situation or reading.sentences
            return "no_actions", scene[-1]
        if not reading.results:
            return "no_result", (reading.own_actions or reading.situation)[-1]
        if reading.numbers == 0:
            return "no_number", reading.results[0]
        return None, ""
    if reading.kind == SITUATIONAL:
        if not reading.own_actions:
            return "no_steps", ""
        if not reading.results:
            return "no_aim", ""
        return None, ""
    if reading.kind == KNOWLEDGE and not (reading.situation or reading.own_actions):
        return "knowledge_example", ""
    return None, ""


def told_by_team(reading: AnswerReading) -> bool:
    """A whole story told as the team's — its actions and how it ended — rather than a
    scene that stops before anyone acts."""
    return reading.we_only and (bool(reading.results) or len(reading.team_actions) >= 2)


def short(text: str) -> str:
    words = quote(text).split()
    return " ".join(words[:QUOTE_WORDS]) + ("…" if len(words) > QUOTE_WORDS else "")


def tip(reading: AnswerReading, topic: str) -> str:
    """Coach mode: one tip about this answer, from its weakest part; praise only for an
    answer that scored as strong."""
    coaching = texts()["coaching"]
    reason, anchor = missing_part(reading)
    if reason in ("no_result", "no_number", "no_steps", "no_aim", "knowledge_example"):
        return sentence(coaching[reason], quote=short(anchor))
    if reason is not None:
        return sentence(coaching[reason], quote=short(anchor), topic=topic or "the question")
    if reading.kind == BEHAVIOURAL and not reading.results:
        return sentence(coaching["no_result"])
    fillers = sum(reading.fillers.values())
    if fillers >= 3 and fillers * 100 / max(reading.words, 1) > 2:
        names = ", ".join(sorted(reading.fillers, key=lambda f: -reading.fillers[f])[:3])
        return sentence(coaching["fillers"], fillers=names)
    if reading.words > 350:
        return sentence(coaching["length_long"])
    if reading.kind == BEHAVIOURAL and not reading.reflection:
        return sentence(coaching["no_reflection"])
    if answer_score(reading) < STRONG_FROM:
        found = levels(reading)
        return sentence(texts()["steps"][min(found, key=lambda c: found[c])])
    return sentence(coaching["good_open" if reading.kind == OPEN else "good"])


VERDICTS = (
    (STRONG_FROM, "Strong"),
    (55, "Good, with room to go further"),
    (25, "Thin"),
    (0, "Not yet an answer"),
)
LACKS = {
    "situation": "a specific situation",
    "own_actions": "what you did yourself",
    "result": "how it turned out",
    "numbers": "a number to show the result",
    "reflection": "what you learned",
}


def verdict(reading: AnswerReading) -> tuple[int, str, tuple[str, ...], tuple[str, ...]]:
    """(score, verdict, what it had, what it lacked), in plain words."""
    score = answer_score(reading)
    if reading.empty:
        return score, "Not yet an answer: nothing was said", (), ("an answer",)
    if reading.keyword_list:
        return score, "A list of terms, not an answer", (), ("sentences that tell what happened",)
    if reading.off_topic:
        return score, "About something else than the question", (), ("an answer to this question",)
    if reading.repeat_of is not None:
        return score, "The same as an earlier answer", (), ("a different example",)
    label = next(text for floor, text in VERDICTS if score >= floor)
    has = reading.has
    had = []
    if "situation" in has:
        had.append("a specific situation")
    if "own_actions" in has:
        had.append("your own actions")
    if "we_only" in has:
        had.append("what the team did")
    if "result" in has:
        had.append("a result" + (" with numbers" if "numbers" in has else ""))
    if "named_tools_or_methods" in has:
        had.append("named tools or methods (" + ", ".join(reading.methods[:3]) + ")")
    if "reflection" in has:
        had.append("what you learned")
    wanted = ["situation", "own_actions", "result", "numbers", "reflection"]
    if reading.kind == SITUATIONAL:
        wanted = ["own_actions", "result"]
    elif reading.kind not in (BEHAVIOURAL,):
        wanted = []
    lacked = [LACKS[w] for w in wanted if w not in has]
    return score, label, tuple(had), tuple(lacked)


def outline(kind: str, probe: str, achievement: str = "") -> tuple[str, ...]:
    """What a strong answer to this question would contain, built from what it probes
    and, where one fits, the candidate's own CV."""
    points = []
    if kind == BEHAVIOURAL:
        if achievement:
            points.append(
                sentence('One real example; your CV has one: "{a}"', a=quote(achievement))
            )
        else:
            points.append("One real example: when and where it happened, and what was at stake.")
        points.append("What you did yourself, step by step, in the first person.")
        points.append("How it turned out, with a number if you have one.")
        points.append("What you learned, or would do differently.")
    elif kind == SITUATIONAL:
        points.append("Your first steps, in order, and why in that order.")
        points.append("Who you would involve, and when.")
        points.append("What outcome you would aim for and how you would check it.")
        if achievement:
            points.append(sentence('A time you did something like it: "{a}"', a=quote(achievement)))
    elif kind == KNOWLEDGE:
        points.append("A direct answer first, in a sentence.")
        points.append("The reasons, or how it works, in plain words.")
        points.append("An example from your own work.")
    else:
        points.append("Two or three points about you that matter for this job.")
        points.append("One piece of evidence for each.")
    if probe:
        points.insert(0, sentence("What it probes: {p}.", p=probe))
    return tuple(points)
