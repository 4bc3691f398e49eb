"""What an answer shows: structure (STAR), specificity, relevance to the question and
the job, technical depth, delivery (length, filler words, pace when spoken). Used by
the offline interviewer for follow-ups and tips, and by the report."""

from __future__ import annotations

import re
from dataclasses import dataclass

from services.sessions.analysis import find_skills

WORD = re.compile(r"[A-Za-z][A-Za-z'+#./-]*|\d+(?:[.,]\d+)?%?")
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
FILLERS = (
    "um",
    "uh",
    "erm",
    "hmm",
    "like",
    "you know",
    "basically",
    "actually",
    "sort of",
    "kind of",
    "i mean",
    "literally",
    "so yeah",
)
SITUATION = re.compile(
    r"\b(when|while|at my (last|previous|current)|in my (last|previous|current)|"
    r"the (project|team|company|client|situation|problem|challenge)|we had|there was|"
    r"our (team|product|system|customers?))\b",
    re.IGNORECASE,
)
ACTION = re.compile(
    r"\bI (built|designed|led|decided|wrote|created|introduced|proposed|set up|"
    r"implemented|migrated|analy[sz]ed|organi[sz]ed|talked|worked|changed|started|"
    r"automated|reduced|improved|fixed|refactored|hired|mentored|negotiated|ran|used|"
    r"took|made|chose|split|moved|measured|tested|added|removed|found|asked|convinced|"
    r"planned|prioriti[sz]ed|delivered|shipped|owned|drove|coordinated|trained|"
    r"investigated|debugged|profiled|wrote)\b",
    re.IGNORECASE,
)
RESULT = re.compile(
    r"\b(as a result|result(ed)?|outcome|which (meant|led)|so that|led to|ended up|"
    r"in the end|saved|reduced|increased|improved|grew|cut|down from|up from|"
    r"from \d+ to \d+)\b|\d+\s?%|\b\d+x\b",
    re.IGNORECASE,
)
NUMBER = re.compile(r"\d")
STOPWORDS = frozenset(
    "a an the and or but of to in on for with at by from as is are was were be been it this "
    "that these those you your we our i me my what how why when where which who tell about "
    "walk through did do does have has had would could should can will any some one give "
    "describe time example me us they them their there here if then than so not no yes".split()
)


@dataclass(frozen=True)
class AnswerAnalysis:
    words: int
    sentences: tuple[str, ...]
    situation: bool
    action: bool
    result: bool
    numbers: int
    skills: tuple[str, ...]
    relevance: float  # share of the question's key words the answer takes up
    fillers: dict[str, int]
    first_person: int
    we: int

    @property
    def star_parts(self) -> int:
        return int(self.situation) + int(self.action) + int(self.result)

    @property
    def thin(self) -> bool:
        return self.words < 35 or self.star_parts < 2


def key_words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text) if w.lower() not in STOPWORDS and len(w) > 2}


def count_fillers(text: str) -> dict[str, int]:
    lowered = " " + re.sub(r"[^\w' ]+", " ", text.lower()) + " "
    counts = {}
    for filler in FILLERS:
        n = lowered.count(f" {filler} ")
        if filler == "like":  # "I'd like to", "looks like" are not fillers
            n -= len(
                re.findall(r"\b(would|i'd|we'd|you'd|looks?|felt|feel|seems?|just) like\b", lowered)
            )
        if n > 0:
            counts[filler] = n
    return counts


def analyse_answer(answer: str, question: str, job_skills: tuple[str, ...] = ()) -> AnswerAnalysis:
    words = WORD.findall(answer)
    sentences = tuple(s.strip() for s in SENTENCE.split(answer) if len(s.strip()) > 3)
    wanted = key_words(question) | {s.lower() for s in job_skills}
    said = key_words(answer)
    relevance = len(wanted & said) / len(wanted) if wanted else 0.0
    return AnswerAnalysis(
        words=len(words),
        sentences=sentences,
        situation=bool(SITUATION.search(answer)),
        action=bool(ACTION.search(answer)),
        result=bool(RESULT.search(answer)),
        numbers=len(NUMBER.findall(answer)),
        skills=find_skills(answer),
        relevance=min(1.0, relevance * 2.5),  # a good answer echoes about 40% of the cues
        fillers=count_fillers(answer),
        first_person=len(re.findall(r"\bI\b", answer)),
        we=len(re.findall(r"\bwe\b", answer, re.IGNORECASE)),
    )
