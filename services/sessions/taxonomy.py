"""The occupation families the interviewer knows: for each, its job titles, the skills
(hard skills, tools, certifications, soft skills) with the ways people write them, the
competencies it hires on, and its question bank — curated JSON under `taxonomy/`, plus
the O*NET occupation titles mapped to families for titles no family lists. Pure Python;
loaded once per process."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DIRECTORY = Path(__file__).with_name("taxonomy")
GENERAL = "general"
LEVELS = ("entry", "mid", "senior", "lead")
SKILL_KINDS = ("hard", "tool", "certification", "soft")


@dataclass(frozen=True)
class Skill:
    name: str
    kind: str
    family: str
    aliases: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Competency:
    id: str
    name: str
    description: str


@dataclass(frozen=True)
class BankQuestion:
    text: str
    competency: str
    kind: str  # behavioural | situational | technical
    levels: tuple[str, ...]
    family: str


@dataclass(frozen=True)
class Family:
    id: str
    name: str
    description: str
    titles: tuple[str, ...]
    title_keywords: tuple[str, ...]
    skills: tuple[Skill, ...]
    competencies: tuple[Competency, ...]
    questions: tuple[BankQuestion, ...]
    templates: dict[str, tuple[str, ...]]

    def competency(self, competency_id: str) -> Competency | None:
        return next((c for c in self.competencies if c.id == competency_id), None)


@dataclass(frozen=True)
class Occupation:
    """An O*NET-SOC occupation: its code, title and the family it belongs to."""

    code: str
    title: str
    family: str


class Taxonomy:
    def __init__(self, families: dict[str, Family], occupations: tuple[Occupation, ...]) -> None:
        self.families = families
        self.occupations = occupations
        skills: dict[str, Skill] = {}
        for family in families.values():
            for skill in family.skills:
                skills.setdefault(skill.name.lower(), skill)  # the first family to list it
        self.skills = skills

    @property
    def general(self) -> Family:
        return self.families[GENERAL]

    def family(self, family_id: str) -> Family:
        return self.families.get(family_id) or self.general

    def skill(self, name: str) -> Skill | None:
        return self.skills.get(name.lower())

    def occupational(self) -> list[Family]:
        """Every family but the general one."""
        return [f for f in self.families.values() if f.id != GENERAL]


def _family(data: dict) -> Family:
    family_id = data["id"]
    return Family(
        id=family_id,
        name=data["name"],
        description=data["description"],
        titles=tuple(t.lower() for t in data.get("titles", ())),
        title_keywords=tuple(k.lower() for k in data.get("title_keywords", ())),
        skills=tuple(
            Skill(s["name"], s["kind"], family_id, tuple(s.get("aliases", ())))
            for s in data.get("skills", ())
        ),
        competencies=tuple(
            Competency(c["id"], c["name"], c.get("description", ""))
            for c in data.get("competencies", ())
        ),
        questions=tuple(
            BankQuestion(q["text"], q["competency"], q["kind"], tuple(q["levels"]), family_id)
            for q in data.get("questions", ())
        ),
        templates={k: tuple(v) for k, v in data.get("templates", {}).items()},
    )


def soc_family(code: str, prefixes: dict[str, str]) -> str:
    """The family of an O*NET-SOC code: the longest matching prefix wins."""
    best = max((p for p in prefixes if code.startswith(p)), key=len, default="")
    return prefixes[best] if best else GENERAL


@cache
def taxonomy() -> Taxonomy:
    families = {}
    for path in sorted(DIRECTORY.glob("*.json")):
        if path.name == "soc_families.json":
            continue
        family = _family(json.loads(path.read_text()))
        families[family.id] = family
    prefixes = json.loads((DIRECTORY / "soc_families.json").read_text())["prefixes"]
    occupations = []
    for line in (DIRECTORY / "onet_occupations.tsv").read_text().splitlines()[1:]:
        code, _, title = line.partition("\t")
        occupations.append(Occupation(code, title.strip(), soc_family(code, prefixes)))
    return Taxonomy(families, tuple(occupations))
