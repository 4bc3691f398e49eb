"""What an answer says, read with the parser and the embeddings rather than by counting
words: whether it answers this question and is about the job (WordLlama similarity),
whether it is language at all (clauses with verbs and subjects, function words, common
words by wordfreq — not a list of terms), whether it repeats an earlier answer, and what
it holds — a situation, a task, the candidate's own actions (or only the team's), a
result, numbers, named tools or methods, a reflection — quoted, so follow-ups and the
report can point at what was said."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from services.sessions import nlp
from services.sessions.analysis import YEAR, find_skills_in
from services.sessions.taxonomy import taxonomy

BEHAVIOURAL = "behavioural"
SITUATIONAL = "situational"
KNOWLEDGE = "knowledge"
OPEN = "open"  # opening and closing questions: about the person, not a story

FILLERS = (
    "um",
    "uh",
    "erm",
    "hmm",
    "you know",
    "basically",
    "literally",
    "sort of",
    "kind of",
    "i mean",
    "so yeah",
)
FUNCTION_POS = frozenset({"DET", "ADP", "AUX", "PRON", "CCONJ", "SCONJ", "PART"})
STATIVE = frozenset(
    "think believe feel hope like love want wish know guess suppose try be have seem "
    "appreciate enjoy consider mean".split()
)
SITUATION_CUE = re.compile(
    r"\b(when|while|during|once|one (day|night|morning|evening|shift)|last (year|month|week|"
    r"summer|winter|spring|autumn|quarter)|at my (last|previous|current|old)|in my (last|"
    r"previous|current|first)|in my \w+ (year|week|month|job|role|placement|term)|"
    r"it was (the|a|an|my|our) |i was (a|an|the|assistant|senior|junior|head|lead|one of) |"
    r"at the (time|start|end)|there was|there were|we had|i had|a few (weeks|months|years) "
    r"ago|on a (\w+ )?(shift|night|day|call|visit|project|site)|in (19|20)\d\d)\b",
    re.I,
)
TASK_CUE = re.compile(
    r"\b(my (job|role|task|goal|aim|responsibility|brief|target) (was|were)|i (needed|had|was "
    r"asked|was expected|was responsible|was tasked) to|the (goal|aim|task|brief|target|"
    r"challenge) was|we needed to|i was (in charge|responsible)|it was (my|down to me))\b",
    re.I,
)
RESULT_CUE = re.compile(
    r"\b(as a result|result(ed|ing)?|outcome|which (meant|led|cut|saved|raised)|led to|"
    r"ended up|in the end|by the end|afterwards|since then|from then on|so that|"
    r"(reduced|increased|improved|cut|saved|grew|raised|lowered|dropped|fell|rose|halved|"
    r"doubled|tripled|recovered|resolved|fixed|closed|won|retained|renewed|exceeded|beat|"
    r"hit|achieved|passed|shipped|launched|delivered|completed|discharged|stabilised|"
    r"stabilized|signed|converted|corrected|caught|prevented|avoided|settled|"
    r"reached|showed|agreed|accepted|returned|came back|went back|kept|has since|have since|"
    r"no longer|never again|later|over the next|within (a|an|\d+)|the (next|following) "
    r"(day|week|month|quarter|term|year)|went (up|down)|died down|ahead of (plan|target|"
    r"schedule|budget)|growth|put right|sorted( out)?|back on track|on track)\b)",
    re.I,
)
OUTCOME = re.compile(
    r"\b(as a result|result(ed|ing)?|outcome|which (meant|led)|led to|ended up|in the end|"
    r"by the end|since then|from then on|so that|no longer|never again|afterwards|"
    r"on (schedule|time|budget))\b",
    re.I,
)
CHANGE = re.compile(r"\bfrom\s+[£$€]?\d[\d.,]*\s*\S*\s+to\s+[£$€]?\d|\bby\s+[£$€]?\d", re.I)
REFLECTION_CUE = re.compile(
    r"\b(i (learned|learnt|realised|realized|now|would now|'d now|would do|'d do)|"
    r"(taught|showed) me|next time|in hindsight|looking back|with hindsight|the lesson|"
    r"what i took away|i still|since then i|i've (since|learned|learnt)|if i did it again|"
    r"differently)\b",
    re.I,
)
PLEASANTRY = re.compile(
    r"\b(thank(s| you)|great question|good question|appreciate|happy to (answer|help|be here)|"
    r"pleasure|delighted|excited to be|opportunity to|hope (that|this) answers|nice to meet)\b",
    re.I,
)
GENERIC = re.compile(
    r"\b(i always|i usually|i normally|i generally|i tend to|i would always|i try to|"
    r"it depends|in general|generally speaking|i believe|i think it's important|"
    r"i'm (a|very) (hard|good|great))\b",
    re.I,
)
SITUATIONAL_QUESTION = re.compile(
    r"\b(what would you do|how would you|what would you|imagine|suppose|if (a|an|the|you|one|"
    r"your)\b|say (a|an|you)\b)",
    re.I,
)
BEHAVIOURAL_QUESTION = re.compile(
    r"\b(tell me about a (time|situation|project|moment|case|day|mistake|decision|occasion)|"
    r"describe a (time|situation|project|moment|case|day|mistake|decision|occasion)|"
    r"give (me|us) an example|talk me through a|walk me through (a|an|the|how you|your)|"
    r"share an example|have you ever|when did you last|what did you|what was the|"
    r"(how|what|when) have you (\w+ )?(improved|handled|dealt|managed|led|used|changed|"
    r"built|reduced|increased|made|done)|"
    r"your cv (says|mentions)|this line from your cv|closest experience)\b",
    re.I,
)
SIMILAR_FLOOR, SIMILAR_SPAN = 0.05, 0.22  # WordLlama cosine of an answer that addresses it
REPEAT_SIMILARITY = 0.93
OFF_TOPIC_BELOW = -0.02  # cosine margin; on-topic answers run at +0.05 and above
DOUBT_BELOW = 0.08
KEYWORD_LIST_BELOW = 0.7  # sentences score 0.8–1, lists of terms 0.1–0.6
CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ", "PROPN"})


@dataclass(frozen=True)
class AnswerReading:
    text: str
    kind: str  # behavioural | situational | knowledge | open
    words: int
    sentences: tuple[str, ...]
    on_question: float  # 0..1: near the question and what it probes
    on_field: float  # 0..1: near the job and its occupation
    work_margin: float  # how much nearer the work than life outside it (< 0: elsewhere)
    shared_terms: int  # content words (lemmas) it shares with the question and its focus
    coherence: float  # 0..1: language, not a list of terms
    repeat_of: int | None = None  # the earlier answer it repeats
    situation: tuple[str, ...] = ()
    task: tuple[str, ...] = ()
    own_actions: tuple[str, ...] = ()  # sentences where the candidate acts, in the first person
    team_actions: tuple[str, ...] = ()  # sentences where only "we"/"the team" acts
    results: tuple[str, ...] = ()
    numbers: int = 0
    methods: tuple[str, ...] = ()  # named tools, systems, methods
    reflection: tuple[str, ...] = ()
    generic: tuple[str, ...] = ()  # "I always try to …": a habit, not an example
    pleasantries: int = 0  # sentences of politeness
    fillers: dict[str, int] = field(default_factory=dict)

    @property
    def we_only(self) -> bool:
        return bool(self.team_actions) and not self.own_actions

    @property
    def empty(self) -> bool:
        """Nothing said: too short, or politeness."""
        substantive = len(self.sentences) - self.pleasantries
        return (
            self.words < 12
            or substantive <= 0
            or (self.pleasantries >= substantive and not self.own_actions and not self.results)
        )

    @property
    def keyword_list(self) -> bool:
        return self.coherence < KEYWORD_LIST_BELOW

    @property
    def off_topic(self) -> bool:
        """Neither about the question nor about the work: a holiday, a football match.
        Opening and closing questions are about the person, so they are never off topic."""
        return self.kind != OPEN and self.work_margin < OFF_TOPIC_BELOW

    @property
    def doubtful(self) -> bool:
        """Barely nearer the work than life outside it, and not one content word in
        common with the question: it may well be about something else."""
        return (
            self.kind != OPEN
            and not self.off_topic
            and self.work_margin < DOUBT_BELOW
            and self.shared_terms == 0
        )

    @property
    def has(self) -> set[str]:
        """The parts it holds, in the words of the rubric."""
        parts = {
            "situation": bool(self.situation),
            "task": bool(self.task),
            "own_actions": bool(self.own_actions),
            "we_only": self.we_only,
            "result": bool(self.results),
            "numbers": self.numbers > 0,
            "named_tools_or_methods": bool(self.methods),
            "reflection": bool(self.reflection),
        }
        return {name for name, present in parts.items() if present}


def question_kind(question: str, planned_kind: str = "") -> str:
    if planned_kind in ("opening", "closing"):
        return OPEN
    if planned_kind in ("cv_probe", "gap", "skill") or BEHAVIOURAL_QUESTION.search(question):
        return BEHAVIOURAL
    if planned_kind == "situational" or SITUATIONAL_QUESTION.search(question):
        return SITUATIONAL
    if planned_kind == BEHAVIOURAL:
        return BEHAVIOURAL
    return KNOWLEDGE


def read_answer(
    answer: str,
    question: str,
    planned_kind: str = "",
    focus: str = "",
    job: str = "",
    family: str = "",
    earlier: tuple[str, ...] = (),
) -> AnswerReading:
    """`focus`: what the question probes (its competency); `job`: the role and what it
    asks; `earlier`: the answers given before, to catch a pasted repeat."""
    kind = question_kind(question, planned_kind)
    doc = nlp.parse(answer)
    sentences = [s for s in doc.sents if s.text.strip()]
    texts = tuple(s.text.strip() for s in sentences)
    words = sum(1 for t in doc if t.is_alpha or t.like_num)
    on_question, on_field, work_margin, repeat_of = _meaning(
        answer, question, focus, field_text(job, family), earlier
    )
    generic = tuple(s for s in texts if GENERIC.search(s))
    own, team = _actions([s for s in sentences if s.text.strip() not in generic], kind)
    return AnswerReading(
        text=answer,
        kind=kind,
        words=words,
        sentences=texts,
        on_question=on_question,
        on_field=on_field,
        work_margin=work_margin,
        shared_terms=_shared_terms(doc, f"{question} {focus}"),
        coherence=coherence(doc, sentences),
        repeat_of=repeat_of,
        situation=tuple(
            s.text.strip()
            for s in sentences
            if (SITUATION_CUE.search(s.text) and any(t.tag_ == "VBD" for t in s))
            or any(_background(t) for t in s)
        ),
        task=tuple(s for s in texts if TASK_CUE.search(s)),
        own_actions=own,
        team_actions=team,
        results=_results(sentences, kind, generic, {*own, *team}, own),
        numbers=sum(
            1 for t in doc if (t.like_num or t.text[:1].isdigit()) and not YEAR.fullmatch(t.text)
        ),
        methods=_methods(doc, family),
        reflection=tuple(s for s in texts if REFLECTION_CUE.search(s)),
        generic=generic,
        pleasantries=sum(1 for s in texts if PLEASANTRY.search(s) and len(s.split()) < 25),
        fillers=count_fillers(doc),
    )


def _meaning(
    answer: str, question: str, focus: str, field: str, earlier: tuple[str, ...]
) -> tuple[float, float, float, int | None]:
    """(near the question, near the job, how much nearer work than life outside it, the
    earlier answer it repeats)."""
    references = [question, f"{question} {focus}".strip(), field or question]
    vectors = nlp.embed([answer, *references, *earlier])
    mine = vectors[0]
    on_question = max(float(mine @ vectors[1]), float(mine @ vectors[2]))
    on_field = float(mine @ vectors[3])
    elsewhere = float((_elsewhere() @ mine).max())
    repeat_of = None
    for index, other in enumerate(vectors[4:]):
        if float(mine @ other) >= REPEAT_SIMILARITY or _same_words(answer, earlier[index]):
            repeat_of = index
            break
    margin = max(on_question, on_field) - elsewhere
    return _scale(on_question), _scale(on_field), round(margin, 3), repeat_of


@cache
def _elsewhere() -> Any:
    """Embeddings of what answers not about work tend to be about (elsewhere.json):
    similarities of static embeddings are only meaningful against each other, so an
    answer is off topic when it is nearer these than the work, not below a fixed line."""
    path = Path(__file__).with_name("elsewhere.json")
    return nlp.embed(json.loads(path.read_text())["topics"])


def field_text(job: str, family: str) -> str:
    """The job and its occupation's description: what an answer about this work is near."""
    description = taxonomy().family(family).description if family else ""
    return f"{job}. {description}".strip(". ")


def _shared_terms(doc: Any, question: str) -> int:
    """Content lemmas in both, leaving out the commonest words ("time", "make", "work")."""
    zipf = _zipf()

    def terms(tokens: Any) -> set[str]:
        return {
            t.lemma_.lower()
            for t in tokens
            if t.pos_ in CONTENT_POS and not t.is_stop and zipf(t.lemma_.lower(), "en") < 5.5
        }

    return len(terms(doc) & terms(nlp.parse(question)))


def _scale(similarity: float) -> float:
    return max(0.0, min(1.0, (similarity - SIMILAR_FLOOR) / SIMILAR_SPAN))


def _same_words(a: str, b: str) -> bool:
    left, right = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    return bool(left) and len(left & right) / len(left | right) >= 0.7


@cache
def _zipf() -> Any:
    from wordfreq import zipf_frequency

    return zipf_frequency


def coherence(doc: Any, sentences: list[Any]) -> float:
    """0..1: how much the text is sentences of a language — clauses (a verb with its
    subject), a normal share of function words (the, of, to, that …), mostly common
    words — and not a string of terms. Written English scores ~0.8–1; keyword salad
    ~0.1–0.4."""
    alpha = [t for t in doc if t.is_alpha]
    if not alpha:
        return 0.0
    clause_tokens = sum(len(s) for s in sentences if _is_clause(s))
    clauses = clause_tokens / max(sum(len(s) for s in sentences), 1)
    function = sum(1 for t in alpha if t.pos_ in FUNCTION_POS) / len(alpha)
    zipf = _zipf()
    common = sum(1 for t in alpha if zipf(t.lower_, "en") >= 4.0) / len(alpha)
    # Written English runs at ~45–55% function words and ~80% common words (Zipf ≥ 4);
    # a list of terms at ~20% and ~45%.
    function_part = max(0.0, min(1.0, (function - 0.15) / 0.25))
    common_part = max(0.0, min(1.0, (common - 0.4) / 0.35))
    return round(0.4 * clauses + 0.35 * function_part + 0.25 * common_part, 3)


def _is_clause(sentence: Any) -> bool:
    """A verb with its own subject, and not mostly nouns strung together."""
    has_subject_verb = any(
        t.dep_ in ("nsubj", "nsubjpass", "expl") and t.head.pos_ in ("VERB", "AUX")
        for t in sentence
    )
    nouns = sum(1 for t in sentence if t.pos_ in ("PROPN", "NOUN", "NUM"))
    return has_subject_verb and nouns <= 0.5 * max(len(sentence), 1)


def _actions(sentences: list[Any], kind: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Sentences where "I" does something (not "I think", "I always try", nor the
    background "I was working nights"); for a situational question "I would …" counts.
    And those where something is done without the candidate: by "we", the team, a group
    ("the department ran a quiz") or, after the opening sentence (which sets the scene:
    "11 of 27 students were predicted a grade 3"), in the passive with nobody named ("the
    circuit was isolated")."""
    own, team = [], []
    for position, sentence in enumerate(sentences):
        mine = ours = False
        for token in sentence:
            if token.dep_ not in ("nsubj", "nsubjpass") or token.head.pos_ != "VERB":
                continue
            verb = token.head
            if verb.lemma_.lower() in STATIVE or _background(verb):
                continue
            habitual = verb.tag_ in ("VBP", "VBZ") and not any(
                c.lower_ in ("will", "'ll", "would", "'d") for c in verb.children
            )
            if token.lower_ == "i":
                if token.dep_ == "nsubjpass":
                    continue  # "I was given a class": done to the candidate, not by them
                if verb.lemma_.lower() in MINOR_PART:
                    ours = True  # "I helped here and there": the candidate's part untold
                    continue
                if kind == BEHAVIOURAL and habitual and not _continuing_story(sentence):
                    continue
                mine = True
            elif _pluperfect(verb) or token.dep_ == "nsubjpass" and token.lower_ == "we":
                continue  # "we'd put the budget behind it", "we were fully booked": the scene
            elif token.lower_ in ("we", "they", "everyone") or token.lemma_.lower() in GROUPS:
                ours = True
            elif position and token.dep_ == "nsubjpass" and _simple_passive(verb):
                ours = True
        text = sentence.text.strip()
        if mine:
            own.append(text)
        elif ours:
            team.append(text)
    return tuple(own), tuple(team)


def _background(verb: Any) -> bool:
    """ "I was working", "we were running": the scene, not an action."""
    return verb.tag_ == "VBG" and any(
        c.dep_ == "aux" and c.lower_ in ("was", "were") for c in verb.children
    )


def _pluperfect(verb: Any) -> bool:
    return verb.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in verb.children
    )


def _simple_passive(verb: Any) -> bool:
    """ "was isolated", not "had been passed" (the scene) nor "was fixed by me"."""
    auxes = {c.lower_ for c in verb.children if c.dep_ == "auxpass"}
    return verb.tag_ == "VBN" and bool(auxes & {"was", "were"}) and not _agent(verb)


MINOR_PART = frozenset("help assist support contribute participate join involve".split())
GROUPS = frozenset(
    "team department crew staff colleague company business unit group squad committee "
    "board management manager office ward unit school site firm agency".split()
)


def _agent(verb: Any) -> bool:
    """ "… was fixed by me": the passive names who did it."""
    return any(
        c.dep_ == "agent" and any(g.lower_ == "me" for g in c.children) for c in verb.children
    )


def _continuing_story(sentence: Any) -> bool:
    """ "Now I check every line twice": a present tense that follows from the story."""
    return bool(re.search(r"\b(now|since then|these days|every time since)\b", sentence.text, re.I))


def _results(
    sentences: list[Any],
    kind: str,
    generic: tuple[str, ...],
    actions: set[str],
    own: tuple[str, ...] = (),
) -> tuple[str, ...]:
    """Sentences that tell how it turned out — a change ("from 12 to 3", "by 40%") or an
    outcome verb — from the first action on: before it, "sales dropped" is the scene.
    A habit ("which usually leads to results") is not an outcome."""
    found = []
    started = kind == SITUATIONAL or not actions
    for index, sentence in enumerate(sentences):
        text = sentence.text.strip()
        started = started or text in actions
        if not started or text in generic:
            continue
        if CHANGE.search(text) or (RESULT_CUE.search(text) and _is_clause(sentence)):
            if text in own and not (OUTCOME.search(text) or _measured(sentence)):
                continue  # "I increased his observations to hourly": an action, not an outcome
            found.append(text)
        elif kind == SITUATIONAL and re.search(r"\b(so that|to make sure|to ensure)\b", text, re.I):
            found.append(text)
        elif text not in own and _measured_state(sentence):
            found.append(text)
        elif index >= len(sentences) / 2 and _world_changed(sentence):
            found.append(text)  # also "… so I started it sooner and the deal closed"
    return tuple(found)


def _world_changed(sentence: Any) -> bool:
    """In the second half of a story, after the actions, someone or something other than
    the candidate in the past tense: "she calmed down and thanked me", "the pull request
    was merged", "the complaints stopped"."""
    if REFLECTION_CUE.search(sentence.text) or any(t.tag_ == "MD" for t in sentence):
        return False  # a lesson, or what would or will happen: not what did
    return any(
        t.dep_ in ("nsubj", "nsubjpass")
        and t.lower_ not in ("i", "we", "it", "there", "this", "that")
        and t.head.pos_ == "VERB"
        and t.head.tag_ in ("VBD", "VBN")
        and not _pluperfect(t.head)
        and t.head.lemma_.lower() not in ("say", "tell", "ask", "think", "want", "feel")
        for t in sentence
    )


def _measured(sentence: Any) -> bool:
    return any(t.like_num and not YEAR.fullmatch(t.text) and t.lower_ != "one" for t in sentence)


def _measured_state(sentence: Any) -> bool:
    """After the actions, the world measured in the past tense: "p95 settled at 310 ms",
    "8 of the 11 reached grade 4" (not the backstory: "three staff had called in sick")."""
    return _measured(sentence) and any(
        t.dep_ in ("nsubj", "nsubjpass")
        and t.lower_ not in ("i", "we")
        and t.head.tag_ in ("VBD", "VBN")
        and t.head.lemma_.lower() not in STATIVE  # "the set had 11 students below grade 4"
        and not _pluperfect(t.head)
        for t in sentence
    )


def _methods(doc: Any, family: str) -> tuple[str, ...]:
    """Named tools, systems and methods: the taxonomy's (not soft skills), and
    acronyms a field names things by (SBAR, NEWS2, CRM)."""
    named = [
        s for s in find_skills_in(doc, family) if (k := taxonomy().skill(s)) and k.kind != "soft"
    ]
    acronyms = [
        t.text
        for t in doc
        if re.fullmatch(r"[A-Z][A-Z0-9&/+-]{1,7}", t.text) and t.text not in ("I", "OK", "A")
    ]
    return tuple(dict.fromkeys([*named, *acronyms]))


def count_fillers(doc_or_text: Any) -> dict[str, int]:
    """Filler words, said as fillers: "like" only between commas ("it was, like, fine"),
    never the verb ("I like helping people")."""
    text = doc_or_text if isinstance(doc_or_text, str) else doc_or_text.text
    lowered = " " + re.sub(r"[^\w', ]+", " ", text.lower()) + " "
    counts = {}
    for filler in FILLERS:
        n = len(re.findall(rf"(?<![\w']){re.escape(filler)}(?![\w'])", lowered))
        if n:
            counts[filler] = n
    likes = len(re.findall(r",\s*like\s*,|^\s*like\s*,", lowered))
    if likes:
        counts["like"] = likes
    return counts
