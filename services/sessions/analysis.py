"""What a CV and a job description say: the role, seniority, skills, requirements and
achievements, and how the two meet (overlap and gaps). The interviewer plans its
questions from this. Rule-based and deterministic: it runs offline, on every upload."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Skills we recognise, by area. The area tells the interviewer which technical
# questions fit; the names are matched as whole words, case-insensitively.
SKILLS: dict[str, tuple[str, ...]] = {
    "backend": (
        "Python",
        "Java",
        "Go",
        "Golang",
        "Rust",
        "C#",
        "C++",
        "Ruby",
        "PHP",
        "Node.js",
        "Kotlin",
        "Scala",
        "Elixir",
        "Django",
        "Flask",
        "FastAPI",
        "Spring",
        "Rails",
        "REST",
        "gRPC",
        "GraphQL",
        "microservices",
        "RabbitMQ",
        "Kafka",
        "Redis",
        "event-driven",
        "APIs",
        "API design",
    ),
    "frontend": (
        "JavaScript",
        "TypeScript",
        "React",
        "Vue",
        "Angular",
        "Svelte",
        "HTML",
        "CSS",
        "Next.js",
        "accessibility",
        "Redux",
        "webpack",
        "Tailwind",
    ),
    "data": (
        "SQL",
        "PostgreSQL",
        "MySQL",
        "MongoDB",
        "Spark",
        "Airflow",
        "dbt",
        "pandas",
        "NumPy",
        "data modelling",
        "data modeling",
        "ETL",
        "Snowflake",
        "BigQuery",
        "Tableau",
        "Power BI",
        "Excel",
        "statistics",
        "A/B testing",
    ),
    "ml": (
        "machine learning",
        "deep learning",
        "PyTorch",
        "TensorFlow",
        "scikit-learn",
        "NLP",
        "LLM",
        "LLMs",
        "computer vision",
        "MLOps",
    ),
    "infrastructure": (
        "AWS",
        "GCP",
        "Azure",
        "Kubernetes",
        "Docker",
        "Terraform",
        "Ansible",
        "Linux",
        "CI/CD",
        "GitHub Actions",
        "Jenkins",
        "observability",
        "Prometheus",
        "Grafana",
        "SRE",
        "networking",
        "security",
    ),
    "practice": (
        "testing",
        "TDD",
        "code review",
        "Agile",
        "Scrum",
        "Kanban",
        "system design",
        "architecture",
        "performance",
        "scalability",
        "distributed systems",
        "Git",
    ),
    "product": (
        "product management",
        "roadmap",
        "user research",
        "stakeholder management",
        "OKRs",
        "analytics",
        "Figma",
        "UX",
        "UI design",
        "prototyping",
        "SEO",
        "marketing",
        "sales",
        "CRM",
        "Salesforce",
        "negotiation",
        "budgeting",
    ),
    "people": (
        "leadership",
        "mentoring",
        "coaching",
        "hiring",
        "communication",
        "project management",
        "team management",
        "presentation",
        "collaboration",
        "customer service",
        "conflict resolution",
    ),
}
AREA_OF = {skill.lower(): area for area, skills in SKILLS.items() for skill in skills}
CANONICAL = {"golang": "Go", "data modeling": "data modelling", "llms": "LLM", "apis": "APIs"}

ROLE_NOUNS = (
    "engineer",
    "developer",
    "manager",
    "designer",
    "analyst",
    "scientist",
    "architect",
    "consultant",
    "administrator",
    "specialist",
    "lead",
    "director",
    "officer",
    "coordinator",
    "representative",
    "accountant",
    "marketer",
    "writer",
    "researcher",
)
SENIORITY_WORDS = (
    ("lead", ("lead", "principal", "staff", "head of", "director", "vp ")),
    ("senior", ("senior", "sr.", "sr ")),
    ("junior", ("junior", "jr.", "jr ", "graduate", "intern", "entry level", "entry-level")),
)
REQUIREMENT_CUES = re.compile(
    r"\b(must|required|requirement|you have|you will|experience (with|in)|proficien|"
    r"knowledge of|familiar|ability to|degree|years of|strong|excellent|responsib)",
    re.IGNORECASE,
)
ACHIEVEMENT_CUES = re.compile(
    r"(\d+\s?%|\$\s?\d|€\s?\d|£\s?\d|\b\d+[kKmM]\b|\b(increased|reduced|improved|grew|"
    r"cut|saved|launched|led|built|delivered|shipped|designed|migrated|scaled)\b)",
    re.IGNORECASE,
)
YEARS = re.compile(r"(\d{1,2})\+?\s*(?:years|yrs)", re.IGNORECASE)


@dataclass(frozen=True)
class Analysis:
    role: str = ""
    seniority: str = ""
    skills: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()  # JD: requirement lines; CV: achievement lines
    years_of_experience: int = 0


@dataclass(frozen=True)
class Fit:
    """How a CV meets a job description."""

    role: str
    seniority: str
    overlap: tuple[str, ...] = ()
    gaps: tuple[str, ...] = ()
    cv_only: tuple[str, ...] = ()
    achievements: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()
    areas: tuple[str, ...] = field(default_factory=tuple)


def find_skills(text: str) -> tuple[str, ...]:
    found: dict[str, None] = {}
    lowered = text.lower()
    for skill in AREA_OF:
        pattern = r"(?<![\w+#])" + re.escape(skill) + r"(?![\w+#])"
        if re.search(pattern, lowered):
            name = CANONICAL.get(skill) or _display(skill)
            found.setdefault(name, None)
    return tuple(found)


def _display(skill: str) -> str:
    for skills in SKILLS.values():
        for name in skills:
            if name.lower() == skill:
                return name
    return skill


def lines_of(text: str) -> list[str]:
    lines = []
    for raw in text.splitlines():
        line = raw.strip(" \t-*•·–—>#").strip()
        if 12 <= len(line) <= 300:
            lines.append(line)
    return lines


def find_role(text: str) -> str:
    for line in lines_of(text)[:15]:
        labelled = re.match(r"(?:job title|title|role|position)\s*[:\-]\s*(.+)", line, re.I)
        if labelled:
            return labelled.group(1).strip()[:80]
    nouns = "|".join(ROLE_NOUNS)
    pattern = re.compile(
        rf"\b((?:(?:senior|junior|lead|principal|staff|head of|sr\.?|jr\.?)\s+)?"
        rf"(?:[A-Z][\w/+#.-]*\s+){{0,3}}(?:{nouns}))\b",
        re.IGNORECASE,
    )
    for line in lines_of(text)[:25]:
        match = pattern.search(line)
        if match:
            return match.group(1).strip()[:80]
    return ""


def find_seniority(text: str, years: int) -> str:
    head = " ".join(lines_of(text)[:10]).lower() + " "
    for level, words in SENIORITY_WORDS:
        if any(word in head for word in words):
            return level
    if years >= 8:
        return "lead"
    if years >= 5:
        return "senior"
    if years >= 2:
        return "mid"
    if years:
        return "junior"
    return ""


def analyse(text: str, kind: str) -> Analysis:
    years = max((int(y) for y in YEARS.findall(text)), default=0)
    lines = lines_of(text)
    cue = REQUIREMENT_CUES if kind == "jd" else ACHIEVEMENT_CUES
    picked = tuple(line for line in lines if cue.search(line))[:12]
    return Analysis(
        role=find_role(text),
        seniority=find_seniority(text, years),
        skills=find_skills(text),
        requirements=picked,
        years_of_experience=years,
    )


def fit(cv: Analysis | None, jd: Analysis | None, role: str = "") -> Fit:
    cv = cv or Analysis()
    jd = jd or Analysis()
    cv_skills = {s.lower(): s for s in cv.skills}
    jd_skills = {s.lower(): s for s in jd.skills}
    overlap = tuple(jd_skills[k] for k in jd_skills if k in cv_skills)
    gaps = tuple(jd_skills[k] for k in jd_skills if k not in cv_skills)
    cv_only = tuple(cv_skills[k] for k in cv_skills if k not in jd_skills)
    skills = list(jd_skills) or list(cv_skills)
    areas: dict[str, None] = {}
    for skill in skills:
        areas.setdefault(AREA_OF.get(skill, "practice"), None)
    return Fit(
        role=role or jd.role or cv.role or "this role",
        seniority=jd.seniority or cv.seniority or "mid",
        overlap=overlap,
        gaps=gaps,
        cv_only=cv_only,
        achievements=cv.requirements,
        requirements=jd.requirements,
        areas=tuple(areas),
    )
