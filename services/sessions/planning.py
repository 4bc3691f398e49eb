"""The offline interviewer's question plan, for any occupation.

From the fit of a CV and a job (`analysis.Fit`): an opening that names the role, a
probe of the CV's strongest achievement, a probe of a must-have the CV does not show
(or a skill it lacks), a probe of a skill both share, questions from the occupation
family's own bank for the job's seniority — the ones closest to what the job
description asks, across different competencies — and a closing question. A question
never comes from another family's bank; with no family, the general bank is used.
Every sentence goes through `phrasing`. Deterministic for a seed."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from services.sessions import nlp
from services.sessions.analysis import Fit
from services.sessions.phrasing import phrase, quote, role_names, sentence
from services.sessions.taxonomy import LEVELS, BankQuestion, taxonomy

DEFAULT_QUESTIONS = 7  # main questions, opening and closing included; follow-ups on top
MAX_PROBES = 3
MAX_REQUIREMENT_WORDS = 14
LEVEL_OF = {"junior": "entry", "": "mid"}  # older analyses called entry level "junior"


@dataclass(frozen=True)
class PlannedQuestion:
    kind: str  # opening, cv_probe, gap, skill, closing, follow_up, or a bank question's kind
    text: str
    topic: str = ""  # the achievement, requirement or skill it probes
    family: str = ""  # the bank it came from ("" for the shared templates)
    competency: str = ""


def plan_questions(fit: Fit, seed: int, total: int = DEFAULT_QUESTIONS) -> list[PlannedQuestion]:
    rng = random.Random(seed)
    templates = taxonomy().general.templates
    names = role_names(fit.role)
    values = {"this_role": names.this_role, "a_role": names.a_role}
    opening = PlannedQuestion("opening", sentence(rng.choice(templates["opening"]), **values))
    closing = PlannedQuestion("closing", sentence(rng.choice(templates["closing"]), **values))
    slots = max(total - 2, 1)
    probes = _probes(fit, rng, templates)[: min(MAX_PROBES, max(slots - 2, 0))]
    bank = _bank_questions(fit, rng, slots - len(probes))
    return [opening, *_interleave(probes, bank), closing]


def _probes(fit: Fit, rng: random.Random, templates: dict) -> list[PlannedQuestion]:
    probes = []
    if fit.achievements:
        achievement = quote(fit.achievements[0])
        text = sentence(rng.choice(templates["achievement"]), achievement=achievement)
        probes.append(PlannedQuestion("cv_probe", text, achievement))
    requirement = _unmet_requirement(fit)
    missing = "" if requirement else _skill_phrase(_preferred_skill(fit.gaps, rng))
    if requirement:
        text = sentence(rng.choice(templates["requirement"]), requirement=requirement)
        probes.append(PlannedQuestion("gap", text, requirement))
    elif missing:
        text = sentence(rng.choice(templates["missing_skill"]), skill=missing)
        probes.append(PlannedQuestion("gap", text, missing))
    shared = _preferred_skill(fit.overlap, rng)
    if shared:
        text = sentence(rng.choice(templates["skill"]), skill=_skill_phrase(shared))
        probes.append(PlannedQuestion("skill", text, shared))
    return probes


def _unmet_requirement(fit: Fit) -> str:
    """The first must-have the CV does not show that is short enough to quote."""
    for requirement in fit.unmet:
        words = quote(requirement)
        if 2 <= len(words.split()) <= MAX_REQUIREMENT_WORDS:
            return words
    return ""


def _preferred_skill(skills: tuple[str, ...], rng: random.Random) -> str:
    """A hard skill, tool or certification before a soft skill (asking about
    "teamwork" by name probes nothing)."""
    known = [(s, taxonomy().skill(s)) for s in skills]
    hard = [s for s, k in known if k is not None and k.kind != "soft"]
    if hard:
        return hard[0] if len(hard) == 1 else rng.choice(hard[:3])
    return ""


def _starts_with_a_name(text: str) -> bool:
    """ "Immediate Life Support (ILS) certificate" keeps its capital; "Experience of
    …" does not."""
    cleaned = phrase(text, keep_case=True)
    doc = nlp.parse(cleaned)
    return bool(len(doc)) and doc[0].pos_ == "PROPN"


def _skill_phrase(skill: str) -> str:
    """Tools, certifications and names keep their capitals ("Zendesk", "the NMC PIN",
    "Python"); other skills are ordinary words ("ventilator care")."""
    if not skill:
        return ""
    known = taxonomy().skill(skill)
    if known is not None and known.kind == "certification":
        return skill if skill.lower().startswith(("a ", "an ", "the ")) else f"the {skill}"
    named = (known is not None and known.kind == "tool") or _starts_with_a_name(skill)
    return phrase(skill, keep_case=named)


def _bank_questions(fit: Fit, rng: random.Random, count: int) -> list[PlannedQuestion]:
    family = taxonomy().family(fit.family)
    level = LEVEL_OF.get(fit.seniority, fit.seniority)
    if level not in LEVELS:
        level = "mid"
    pool = [q for q in family.questions if level in q.levels] or list(family.questions)
    if not pool:  # a family without a bank of its own: the general one
        family = taxonomy().general
        pool = [q for q in family.questions if level in q.levels] or list(family.questions)
    ranked = _ranked(pool, fit, rng)
    chosen: list[BankQuestion] = []
    used: set[str] = set()
    for question in ranked:  # one question per competency first
        if len(chosen) < count and question.competency not in used:
            chosen.append(question)
            used.add(question.competency)
    for question in ranked:
        if len(chosen) < count and question not in chosen:
            chosen.append(question)
    chosen = _balanced(chosen, ranked, count)
    return [
        PlannedQuestion(q.kind, sentence(q.text), q.competency, family.id, q.competency)
        for q in chosen
    ]


def _ranked(pool: list[BankQuestion], fit: Fit, rng: random.Random) -> list[BankQuestion]:
    """Closest in meaning to what the job asks first — its title, must-haves and hard
    skills, each on its own (an average of them all says little) — a little shuffled,
    so two interviews for the same job differ; shuffled when the job says nothing."""
    hard = [s for s in (*fit.overlap, *fit.gaps) if (k := taxonomy().skill(s)) and k.kind != "soft"]
    asks = [a for a in (fit.role, *fit.requirements, *hard) if a.strip()]
    jitter = [rng.random() * 0.06 for _ in pool]
    if len(asks) < 2:
        return [q for _, q in sorted(zip(jitter, pool, strict=True), key=lambda p: p[0])]
    similarity = nlp.embed([q.text for q in pool]) @ nlp.embed(asks).T
    top = np.sort(similarity, axis=1)[:, -2:].mean(axis=1)
    order = sorted(range(len(pool)), key=lambda i: -(float(top[i]) + jitter[i]))
    return [pool[i] for i in order]


def _balanced(chosen: list[BankQuestion], ranked: list[BankQuestion], count: int) -> list:
    """At least one behavioural question and one about the work itself, when the bank
    has both."""
    kinds = {q.kind for q in chosen}
    for wanted in ("behavioural", "technical"):
        if wanted in kinds or not chosen:
            continue
        swap = next((q for q in ranked if q.kind == wanted and q not in chosen), None)
        if swap is not None:
            chosen[-1] = swap
            kinds = {q.kind for q in chosen}
    return chosen[:count]


def _interleave(probes: list[PlannedQuestion], bank: list[PlannedQuestion]) -> list:
    merged: list[PlannedQuestion] = []
    while probes or bank:
        if probes:
            merged.append(probes.pop(0))
        if bank:
            merged.append(bank.pop(0))
    return merged
