"""The answer judgement as it was before the rubric (git 8a5e317, `services/sessions/
answers.py` and the answer scoring of `report.py`, with the skills table of the analysis
before 342d112): word lists and regular expressions. Kept frozen, only as the baseline
`bench/interviewer_quality.py` measures today's judgement against in the same run."""

# ruff: noqa
from __future__ import annotations

import re
from dataclasses import dataclass

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


WEIGHTS = {
    "relevance": 0.25,
    "structure": 0.2,
    "specificity": 0.2,
    "technical_depth": 0.2,
    "communication": 0.15,
}


def per_answer_scores(a: AnswerAnalysis, job_skills: tuple[str, ...]) -> dict[str, float]:
    jd_skills = {s.lower() for s in job_skills}
    said_skills = {s.lower() for s in a.skills}
    filler_rate = sum(a.fillers.values()) * 100 / max(a.words, 1)
    length = 100 if 60 <= a.words <= 260 else (a.words / 60 * 100 if a.words < 60 else 75)
    sentence_words = a.words / max(len(a.sentences), 1)
    return {
        "relevance": 25 + 55 * a.relevance + (20 if said_skills & jd_skills else 0),
        "structure": 10 + 30 * a.star_parts,
        "specificity": 15
        + (30 if a.numbers else 0)
        + 10 * min(len(a.skills), 3)
        + (25 if a.first_person >= max(a.we, 1) else 5),
        "technical_depth": 15
        + 15 * min(len(a.skills), 4)
        + (25 if a.words >= 80 else a.words / 80 * 25),
        "communication": 0.6 * length
        + (25 if sentence_words <= 28 else 10)
        + max(0.0, 15 - 5 * filler_rate),
    }


def answer_score(answer: str, question: str, job_skills: tuple[str, ...] = ()) -> float:
    """The overall score the old report would give this answer alone."""
    scores = per_answer_scores(analyse_answer(answer, question, job_skills), job_skills)
    return sum(max(0, min(100, scores[c])) * w for c, w in WEIGHTS.items())
