"""What a CV and a job description say, in any field: the role title, its seniority and
occupation family, the skills (hard skills, tools, certifications, soft skills), the
job's must-have and nice-to-have requirements, the CV's achievements with their
numbers — and how the two meet (shared skills, missing skills, unmet requirements).

Read with spaCy (sentences, parts of speech, noun chunks, entities) and WordLlama
embeddings (`nlp`), against the curated taxonomy (`taxonomy`). Runs offline on every
upload; a document that is not in English is recognised as such and not guessed at."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from services.sessions import nlp, phrasing
from services.sessions.taxonomy import GENERAL, Family, taxonomy

LANGUAGE_SAMPLE = 3000
MAX_LINES = 400

# Words that end a job title in any family (the taxonomy's own titles add theirs).
GENERIC_HEADS = frozenset(
    "manager engineer developer designer analyst scientist architect consultant "
    "administrator specialist lead leader director officer coordinator co-ordinator "
    "representative accountant assistant associate advisor adviser agent executive "
    "technician operative operator supervisor planner buyer controller partner teacher "
    "lecturer tutor nurse midwife worker clerk receptionist chef cook waiter waitress "
    "barista bartender electrician plumber carpenter joiner mechanic welder fitter "
    "apprentice trainee intern graduate head owner researcher writer strategist marketer "
    "recruiter bookkeeper auditor paramedic practitioner therapist carer driver "
    "merchandiser cashier host hostess housekeeper steward stewardess porter "
    "attendant instructor coach principal headteacher sister matron foreman forewoman "
    "chargehand senior".split()
)
OF_TITLE = re.compile(
    r"^(head|director|teacher|lecturer|manager|chief|professor|vp|vice president)\s+of\b", re.I
)
LABELLED_TITLE = re.compile(
    r"^\s*(?:job\s+title|title|role|position|vacancy|post|job)\s*[:\-–]\s*(.+)$", re.I
)
NAME_SEPARATORS = re.compile(r"\s+[|–—-]\s+|\s*\|\s*")
TITLE_FILLER = frozenset(
    "a an another the our your their this experienced passionate motivated enthusiastic talented "
    "dedicated skilled driven ambitious proactive dynamic brilliant outstanding exceptional "
    "friendly new confident reliable hardworking hard-working organised organized caring "
    "compassionate energetic curious creative qualified fantastic great trusted "
    "committed keen inspiring outstanding".split()
)
HIRING_VERBS = frozenset(
    "recruit hire seek look search need want appoint welcome join find add".split()
)
OPENINGS = frozenset("opportunity vacancy opening position role post".split())
DATE_RANGE = re.compile(
    r"((19|20)\d{2}|present|current|now)\s*[-–—to]+\s*((19|20)\d{2}|present|current|now)", re.I
)
YEARS = re.compile(r"(\d{1,2})\s*\+?\s*(?:years|yrs)", re.I)

NON_PEOPLE_MANAGERS = re.compile(
    r"\b(account|product|project|programme|program|case|community|social media|content|"
    r"campaign|relationship|property|portfolio|category|brand|bid|release|delivery)\s+manager",
    re.I,
)
ENTRY = re.compile(
    r"\b(graduate|junior|jr\.?|trainee|apprentice(ship)?|intern(ship)?|entry[- ]level|"
    r"newly[- ]qualified|nqt|ect|student|placement|school leaver|level 1)\b",
    re.I,
)
LEAD = re.compile(
    r"\b(head of|director|chief|vp|vice president|principal|team lead(er)?|lead|leader|"
    r"manager|supervisor|matron|ward sister|charge nurse|headteacher|head teacher|"
    r"foreman|forewoman|superintendent)\b",
    re.I,
)
SENIOR = re.compile(r"\b(senior|sr\.?|experienced|band [78]|staff engineer)\b", re.I)
ENTRY_JOB = re.compile(
    r"\b(no (previous )?experience (is )?(needed|necessary|required)|full training|"
    r"training (is )?provided|entry[- ]level|graduates? welcome|first (job|role)|"
    r"0\s*[-–]\s*[12] years|newly qualified|school leavers?)\b",
    re.I,
)
ASSISTANT = re.compile(r"\b(assistant|aide|helper|runner|porter|operative|crew)\b", re.I)
LEADS_PEOPLE = re.compile(
    r"\b(line[- ]manag\w*|manage (a|the) team|lead (a|the) team|leading (a|the) team|"
    r"managing (a|the) team|people management|direct reports)\b",
    re.I,
)

HEADINGS = {
    "must": re.compile(
        r"^(requirements?|essential( criteria| skills)?|what we('re| are) looking for|"
        r"what you('ll| will) (need|bring)|about you|you have|you will have|you('ll| will) bring|"
        r"you('ll| will) need|you need|we need|you should have|we('d| would) like you to have|"
        r"skills( and| &) experience|experience( and| &) skills|qualifications?( and .*)?|"
        r"who you are|must[- ]haves?|person specification|the ideal candidate|"
        r"what you need|your experience|key skills|skills|criteria)\b",
        re.I,
    ),
    "nice": re.compile(
        r"^(desirable( criteria| skills)?|nice[- ]to[- ]haves?|bonus( points)?|preferred|"
        r"it would be great if|ideally|advantageous|a plus|extra credit)\b",
        re.I,
    ),
    "duties": re.compile(
        r"^(responsibilities|key responsibilities|what you('ll| will) do|the role|your role|"
        r"duties|main duties|day[- ]to[- ]day|in this role|about the role|the job|"
        r"what the job involves|role purpose)\b",
        re.I,
    ),
    "other": re.compile(
        r"^(about us|who we are|benefits|what we offer|perks|salary|pay|hours|location|"
        r"how to apply|to apply|package|why join|our values|the company|the team)\b",
        re.I,
    ),
}
NICE_CUES = re.compile(
    r"\b(desirable|nice to have|bonus|a plus|ideally|preferred|advantageous|would be great|"
    r"is an advantage|beneficial)\b",
    re.I,
)
MUST_CUES = re.compile(
    r"\b(must|essential|required|you will need|you('ll| will) have|minimum|at least|proven|"
    r"experience (of|with|in)|qualified|registration|registered|licen[cs]e|certificat\w+|"
    r"degree|knowledge of|understanding of|ability to|able to|track record|proficien\w+|"
    r"familiar\w*|comfortable|confident)\b",
    re.I,
)
ASKS_OF_YOU = re.compile(
    r"\b(you|your|candidates?|applicants?|must|essential|required|minimum|at least)\b", re.I
)
ADMIN = re.compile(
    r"(£|\$|€|\bsalary\b|\bper (hour|annum|year)\b|\bbenefits?\b|\bpension\b|\bholiday\b|"
    r"\bapply\b|\bright to work\b|\bvisa\b|\bequal opportunit|\bhybrid\b|\bremote\b|"
    r"\bhours\b|\bshifts? (pattern|are)\b)",
    re.I,
)
ACTION_LEMMAS = frozenset(
    "increase reduce improve grow cut save launch lead build deliver ship design migrate "
    "scale raise win close exceed achieve introduce create develop train mentor manage "
    "run organise organize negotiate hit generate boost lower halve double triple sell "
    "secure resolve handle complete implement automate streamline open establish recruit "
    "coach teach care support serve process prepare redesign rebuild restructure".split()
)
YEAR = re.compile(r"(19|20)\d{2}s?")
YEARS_OF_EXPERIENCE = re.compile(
    r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|\w+teen|twenty)\+?\s+years?'?\s+(of\s+)?(experience|in)\b",
    re.I,
)


@dataclass(frozen=True)
class Analysis:
    role: str = ""
    seniority: str = ""  # entry | mid | senior | lead | ""
    family: str = ""  # an occupation family id; "general" when none fits; "" not read
    skills: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()  # JD: must-have lines; CV: achievement lines
    nice_to_have: tuple[str, ...] = ()  # JD only
    years_of_experience: int = 0
    language: str = "en"


@dataclass(frozen=True)
class Fit:
    """How a CV meets a job description: what the interview is planned from."""

    role: str
    seniority: str
    family: str = GENERAL
    overlap: tuple[str, ...] = ()  # skills the job asks for that the CV shows
    gaps: tuple[str, ...] = ()  # skills the job asks for that the CV does not show
    cv_only: tuple[str, ...] = ()
    achievements: tuple[str, ...] = ()  # the CV's, strongest first
    requirements: tuple[str, ...] = ()  # the job's must-haves
    unmet: tuple[str, ...] = ()  # must-haves the CV does not show
    notes: tuple[str, ...] = field(default_factory=tuple)  # what could not be used, and why


# -- reading --------------------------------------------------------------------------


def analyse(text: str, kind: str) -> Analysis:
    text = _distinct_lines(text)
    language = detect_language(text)
    if language != "en":
        labelled = next((m.group(1) for m in map(LABELLED_TITLE.match, text.splitlines()) if m), "")
        return Analysis(role=labelled.strip()[:80], language=language)
    doc = nlp.parse(text)
    lines = _lines(text)
    role = find_role(lines, doc, kind)
    years = max((int(y) for y in YEARS.findall(text)), default=0)
    family = classify(role, find_skills_in(doc), text)
    known = find_skills_in(doc, family)
    skills = known + free_skills(lines, known)
    if kind == "jd":
        must, nice = requirements_of(lines)
        return Analysis(
            role=role,
            seniority=seniority_of(role, text, years),
            family=family,
            skills=skills,
            requirements=must,
            nice_to_have=nice,
            years_of_experience=years,
        )
    return Analysis(
        role=role,
        seniority=seniority_of(role, "", years),
        family=family,
        skills=skills,
        requirements=achievements_of(doc),
        years_of_experience=years,
    )


def _distinct_lines(text: str) -> str:
    """Each line once (a 5 MB paste of one line repeated is one line), at most
    `nlp.MAX_CHARS` of them."""
    seen: set[str] = set()
    kept: list[str] = []
    size = 0
    for line in text.splitlines():
        key = line.strip().lower()
        if key and key in seen:
            continue
        seen.add(key)
        kept.append(line)
        size += len(line) + 1
        if size > nlp.MAX_CHARS or len(kept) > MAX_LINES:
            break
    return "\n".join(kept)


def detect_language(text: str) -> str:
    """The text's language (ISO 639-1); "en" for anything too short to tell."""
    sample = text[:LANGUAGE_SAMPLE]
    if len(re.findall(r"[A-Za-zÀ-ÿ]{3,}", sample)) < 12:
        return "en"
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0  # deterministic
    try:
        best = detect_langs(sample)[0]
    except LangDetectException:
        return "en"
    return best.lang if best.prob >= 0.9 else "en"


def _lines(text: str) -> list[str]:
    lines = []
    for raw in text.splitlines():
        line = re.sub(r"^[\s\-*•·–—>#▪◦]+", "", raw).strip()
        if line:
            lines.append(line)
    return lines


# -- skills -----------------------------------------------------------------------------


def find_skills_in(doc: Any, family: str = "") -> tuple[str, ...]:
    """Canonical names of the skills in a parsed text, in the order they appear. A
    skill of another occupation family found only through one ambiguous word — an
    ordinary lower-case word ("forecasting" for sales forecasting, in a data engineer's
    job) or a short acronym ("CPA": an accountant's licence, or cost per acquisition in
    marketing) — is taken to mean what it means in the text's own family."""
    found = sorted(nlp.skill_matcher().find(doc), key=lambda match: match[1])
    names: dict[str, None] = {}
    for skill, _, text in found:
        one_word = " " not in text and text.lower() != skill.name.lower()
        ambiguous = (one_word and text == text.lower()) or (text.isupper() and len(text) <= 4)
        if family and ambiguous and skill.family not in (family, GENERAL):
            continue
        names.setdefault(skill.name, None)
    return tuple(names)


def find_skills(text: str, family: str = "") -> tuple[str, ...]:
    return find_skills_in(nlp.parse(text), family) if text.strip() else ()


SKILL_LIST_LABEL = re.compile(
    r"^(?:key |core |technical |other |additional )?(?:skills|tools|systems|software|"
    r"technologies|tech stack|stack|certifications?|qualifications|licen[cs]es|languages|"
    r"platforms|competencies|expertise)(?: and [a-z ]+)?\s*[:\-–]\s*(.+)$",
    re.I,
)
LIST_SPLIT = re.compile(r"\s*(?:,|;|\||•|·|/(?=\s))\s*|\s+and\s+(?=[A-Za-z])")
NOT_A_SKILL = frozenset(
    "experience skills knowledge ability work team role years year people things etc "
    "others other a the and or more".split()
)


def free_skills(lines: list[str], known: tuple[str, ...]) -> tuple[str, ...]:
    """Skills the taxonomy does not list, where a document lists them itself: the items
    of a "Skills: …" or "Tools: …" line. (What follows "experience in" was tried too: it
    names industries and settings more often than skills.)"""
    seen = {form for name in known for form in _forms(name)}
    found: dict[str, None] = {}

    def add(item: str) -> None:
        item = re.sub(r"\([^)]*\)", "", item).strip(" .,:;-–—*•")
        words = item.split()
        if not 1 <= len(words) <= 4 or len(item) > 40 or not re.search(r"[A-Za-z]{2}", item):
            return
        lowered = item.lower()
        if (
            lowered in NOT_A_SKILL
            or lowered in seen
            or any(w.lower() in ("i", "we", "you") for w in words)
        ):
            return
        seen.add(lowered)
        found.setdefault(item, None)

    for line in lines:
        listed = SKILL_LIST_LABEL.match(line)
        if listed:
            for item in LIST_SPLIT.split(listed.group(1)):
                add(item)
    return tuple(found)[:15]


def _forms(name: str) -> tuple[str, ...]:
    skill = taxonomy().skill(name)
    return tuple(f.lower() for f in (skill.forms if skill else (name,)))


# -- the role title ---------------------------------------------------------------------


PERSON_NOUN = re.compile(r"(er|or|ist|ian|ant|ent|eer|man|woman|person|ee|ive|ic|wright|smith)$")
NOT_PEOPLE = frozenset("center centre customer software hardware partner".split()) - GENERIC_HEADS


@cache
def role_heads() -> frozenset[str]:
    """Nouns for people that end job titles: the generic ones, the families' title
    words, and the last words of their titles that name a person ("bricklayer",
    "sommelier") or are a title's abbreviation on its own ("RN", "SDR") — not the
    functions some titles end in ("accounts payable", "IT service desk")."""
    heads = set(GENERIC_HEADS)
    for family in taxonomy().occupational():
        for title in family.titles:
            words = title.split()
            if len(words) == 1:
                heads.add(words[0])  # a title on its own: "chef", "tutor", "RN"
            elif words and PERSON_NOUN.search(words[-1]) and words[-1] not in NOT_PEOPLE:
                heads.add(words[-1])
        for keyword in family.title_keywords:  # "hotel", "HVAC": what, not who
            last = keyword.split()[-1]
            if PERSON_NOUN.search(last) and last not in NOT_PEOPLE:
                heads.add(last)
    return frozenset(heads)


def plausible_title(text: str) -> bool:
    """A job title: a few words, ending in a role noun (or "head of …") or naming a
    title one of the families lists."""
    words = re.findall(r"[A-Za-z][A-Za-z&/+#.'-]*|\d+", text)
    if not 1 <= len(words) <= 9 or len(text) > 90:
        return False
    lowered = " ".join(w.lower() for w in words)
    if OF_TITLE.match(lowered):
        return True
    core = re.split(r"\s*(?:,|\(|\s[-–—|]\s|\bat\b|\bfor\b|\bin\b)\s*", text, maxsplit=1)[0]
    core_words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z&/+#.'-]*", core)]
    if core_words and core_words[-1].rstrip(".") in role_heads():
        return True
    return any(_contains(lowered, t) for f in taxonomy().occupational() for t in f.titles)


def _contains(haystack: str, needle: str) -> bool:
    return (
        bool(needle) and re.search(rf"(?<![\w-]){re.escape(needle)}(?![\w-])", haystack) is not None
    )


def clean_title(text: str) -> str:
    """A title without what surrounds it: articles and praise in front, "to join …"
    after, brackets ("(Band 5)", "(Nights)"), and an employer or place after a comma —
    a unit or department stays ("Staff Nurse, Intensive Care Unit")."""
    text = re.sub(r"\([^)]*\)?", " ", text)
    words = text.strip(" .,:;!").split()
    while words and words[0].lower().strip(",") in TITLE_FILLER:
        words.pop(0)
    title = " ".join(words)
    title = re.split(r"\s+(?:to join|to work|who|with|that|which|to lead|to help)\b", title)[0]
    title = re.split(r"\s+[-–—|]\s+|\s+@\s+", title)[0]  # "– Main Theatres", "| Remote"
    core, comma, rest = title.partition(",")
    if comma and not re.match(
        r"\s*[^,]*\b(unit|ward|department|team|icu|a&e|theatres?)\b", rest, re.I
    ):
        title = core
    return re.sub(r"\s+", " ", title).strip(" .,:;!-–—")[:80]


def find_role(lines: list[str], doc: Any, kind: str) -> str:
    for line in lines[:25]:  # "Job title: …"
        labelled = LABELLED_TITLE.match(line)
        if labelled and plausible_title(clean_title(labelled.group(1))):
            return clean_title(labelled.group(1))
    if kind == "jd":
        for line in lines[:6]:  # a heading line that is a title
            if _heading_like(line) and plausible_title(line):
                return clean_title(line)
        sentence_title = _title_in_sentences(doc)
        if sentence_title:
            return sentence_title
        return ""
    return _cv_title(lines)


def _heading_like(line: str) -> bool:
    """A short line, not a sentence ("PPC Specialist — Remote (US …)" counts by the part
    before its dash)."""
    first = re.split(r"\s+[-–—|]\s+", line)[0]
    return len(first.split()) <= 10 and not line.endswith((".", "!", "?")) and ":" not in first


def _title_in_sentences(doc: Any) -> str:
    """ "We are recruiting a Band 6 Staff Nurse to join …", "an exciting opportunity for
    a …": a noun chunk ending in a role noun, close to a hiring verb (or an
    "opportunity"/"vacancy" it is for)."""
    for sentence in list(doc.sents)[:12]:
        for chunk in sentence.noun_chunks:
            if chunk.root.text.lower() not in role_heads() or not _hiring_context(chunk):
                continue
            title = clean_title(_extend_title(chunk))
            if plausible_title(title):
                return title
    return ""


def _hiring_context(chunk: Any) -> bool:
    ancestors = list(chunk.root.ancestors)[:3]
    if any(a.lemma_.lower() in HIRING_VERBS for a in ancestors):
        return True
    before = chunk.doc[max(chunk.start - 4, 0) : chunk.start]
    return any(t.lemma_.lower() in HIRING_VERBS | OPENINGS for t in before) and (
        len(before) > 0 and before[-1].lower_ in ("for", "as", "a", "an")
    )


def _extend_title(chunk: Any) -> str:
    """The noun chunk with a following "(Band 5)" or "of Mathematics" kept."""
    doc = chunk.doc
    end = chunk.end
    if end < len(doc) and doc[end].text == "of" and end + 1 < len(doc):
        tail = doc[end + 1]
        if tail.pos_ in ("PROPN", "NOUN"):
            end = tail.i + 1
    return doc[chunk.start : end].text


def _cv_title(lines: list[str]) -> str:
    for line in lines[:4]:  # "Jane Doe — Senior Backend Engineer", or a headline line
        for part in NAME_SEPARATORS.split(line):
            if _is_name(part):
                continue
            if _heading_like(part) and plausible_title(part) and not DATE_RANGE.search(part):
                return clean_title(_before_employer(part))
    for line in lines:  # the first job of the experience section, dated
        if DATE_RANGE.search(line) or re.search(r"\((19|20)\d{2}", line):
            candidate = _before_employer(DATE_RANGE.sub("", line))
            candidate = re.sub(r"[()\d–—-]+\s*$", "", candidate).strip(" ,|")
            if plausible_title(candidate):
                return clean_title(candidate)
    return ""


def _is_name(text: str) -> bool:
    """A person's name (perhaps with letters after it: "Siobhan Carrick RN")."""
    doc = nlp.parse(text)
    return any(e.label_ == "PERSON" and e.start == 0 and len(e) >= 2 for e in doc.ents)


def _before_employer(text: str) -> str:
    return re.split(r"\s*(?:,|\||\s[-–—]\s|\s@\s|\bat\b)\s*", text.strip(), maxsplit=1)[0]


# -- family and seniority ---------------------------------------------------------------

TITLE_MATCH_MIN = 0.55  # WordLlama similarity of a title to a family's or O*NET's titles
BODY_MATCH_MIN = 0.25


def classify(role: str, skills: tuple[str, ...], text: str = "") -> str:
    """The occupation family: the title's evidence (a full title a family lists counts
    most, a title word less, a title close in meaning to one it knows less again) added to
    the content's (the family's own skills in the text, what the text is about); "general"
    when nothing fits."""
    votes = family_votes_of_content(skills, text)
    if role:
        for family, weight in family_votes_of_title(role).items():
            votes[family] = votes.get(family, 0.0) + weight
    if not votes:
        return GENERAL
    best = max(votes, key=lambda f: votes[f])
    return best if votes[best] >= 1.5 else GENERAL


def family_of_title(title: str) -> str:
    votes = family_votes_of_title(title)
    return max(votes, key=lambda f: votes[f]) if votes else ""


def family_votes_of_title(title: str) -> dict[str, float]:
    lowered = title.lower()
    votes: dict[str, float] = {}
    for family in taxonomy().occupational():
        full = max((len(t) for t in family.titles if _contains(lowered, t)), default=0)
        word = max((len(k) for k in family.title_keywords if _contains(lowered, k)), default=0)
        if full:
            votes[family.id] = 4.0 + full / 20  # a longer title is more specific
        elif word:
            votes[family.id] = 3.0 + word / 40
    if votes:
        return votes
    words = lowered.split()
    if len(words) == 1 and words[0] in GENERIC_HEADS:
        return {}  # "Manager", "Assistant": every family has one
    by_meaning = _family_by_meaning(title)
    return {by_meaning: 1.5} if by_meaning else {}


@cache
def _title_vectors() -> tuple[list[str], Any]:
    """Every known title (the families' and O*NET's), with its family, embedded once."""
    names, families = [], []
    for family in taxonomy().occupational():
        for title in family.titles:
            names.append(title)
            families.append(family.id)
    for occupation in taxonomy().occupations:
        if occupation.family != GENERAL:
            names.append(occupation.title)
            families.append(occupation.family)
    return families, nlp.embed(names)


def _family_by_meaning(title: str) -> str:
    families, vectors = _title_vectors()
    scores = vectors @ nlp.embed([title])[0]
    best = int(scores.argmax())
    return families[best] if scores[best] >= TITLE_MATCH_MIN else ""


@cache
def _family_vectors() -> tuple[list[Family], Any]:
    families = taxonomy().occupational()
    return families, nlp.embed([f.description for f in families])


def family_votes_of_content(skills: tuple[str, ...], text: str) -> dict[str, float]:
    """Which family's own skills the text shows (hard skills, tools and certifications
    count fully, soft skills a little), and what the text is about."""
    votes: dict[str, float] = {}
    for name in skills:
        skill = taxonomy().skill(name)
        if skill is None or skill.family == GENERAL:
            continue
        votes[skill.family] = votes.get(skill.family, 0.0) + (0.15 if skill.kind == "soft" else 0.5)
    listy = text.count(",") > 0.3 * max(len(text.split()), 1)
    if listy and len(votes) >= 5 and max(votes.values()) < 0.4 * sum(votes.values()):
        return {}  # mostly commas, skills of every field: buzzwords, not one job
    if text.strip():
        families, vectors = _family_vectors()
        scores = vectors @ nlp.embed([text[:1500]])[0]
        for family, score in zip(families, scores, strict=True):
            if score >= BODY_MATCH_MIN:
                votes[family.id] = votes.get(family.id, 0.0) + 4 * float(score)
    return votes


def seniority_of(title: str, jd_text: str, years: int) -> str:
    """From the title's words first, then (a job description) whether it leads people
    and the years it asks for."""
    if title:
        if ENTRY.search(title):
            return "entry"
        if SENIOR.search(title):  # "Senior Growth Marketing Manager": senior, not a head
            return "senior"
        managers = LEAD.findall(title)
        if managers and not (NON_PEOPLE_MANAGERS.search(title) and len(managers) == 1):
            return "lead"
        if ASSISTANT.search(title):
            return "entry"
    if jd_text and LEADS_PEOPLE.search(jd_text):
        return "lead"
    if jd_text and ENTRY_JOB.search(jd_text):
        return "entry"
    if years >= 7:
        return "senior"
    if years >= 3:
        return "mid"
    if years >= 1:
        return "entry"
    return "mid" if title else ""


# -- requirements and achievements -----------------------------------------------------


def requirements_of(lines: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(must-have, nice-to-have) lines of a job description, by the section they sit in
    or, outside sections, by their wording."""
    must: list[str] = []
    nice: list[str] = []
    section = ""
    for line in lines:
        heading = _heading(line)
        if heading:
            section = heading
            rest = line.split(":", 1)[1].strip() if ":" in line else ""
            if not rest:
                continue
            line = rest
        if ADMIN.search(line) or len(line.split()) < 3:
            continue
        if section == "nice" or (section != "must" and NICE_CUES.search(line)):
            nice.append(line)
        elif section == "must" or (
            section in ("", "duties") and MUST_CUES.search(line) and ASKS_OF_YOU.search(line)
        ):
            for part in _split_desirable(line):
                (nice if NICE_CUES.search(part) else must).append(part)
    return tuple(_dedupe(must))[:15], tuple(_dedupe(nice))[:8]


def _heading(line: str) -> str:
    text = line.strip().rstrip(":").strip()
    if len(text.split()) > 8 or text.endswith((".", "?", "!")):
        return ""
    for name, pattern in HEADINGS.items():
        if pattern.match(text):
            return name
    return ""


def _split_desirable(line: str) -> list[str]:
    """ "ILS certificate; ALS desirable" is two requirements."""
    parts = [p.strip() for p in re.split(r";\s+", line) if p.strip()]
    return parts or [line]


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    return [i for i in items if not (i.lower() in seen or seen.add(i.lower()))]  # type: ignore[func-returns-value]


def achievements_of(doc: Any) -> tuple[str, ...]:
    """The CV's lines that say what someone did, with a number that is not a date:
    strongest first (money and percentages, several numbers, an action verb)."""
    scored: list[tuple[float, int, str]] = []
    for position, line in enumerate(_doc_lines(doc)):
        score = _achievement_score(line)
        if score > 0:
            scored.append((score, position, line.text.strip()))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return tuple(_dedupe([phrasing.quote(text, 60) for _, _, text in scored]))[:10]


def _doc_lines(doc: Any) -> list[Any]:
    """Bullet lines and sentences as spans of the parsed document."""
    spans = []
    for sentence in doc.sents:
        start = sentence.start
        for token in sentence:
            if "\n" in token.text_with_ws and token.i + 1 < sentence.end:
                spans.append(doc[start : token.i + 1])
                start = token.i + 1
        spans.append(doc[start : sentence.end])
    return [s for s in spans if s.text.strip(" -•*·\n")]


def _achievement_score(span: Any) -> float:
    text = span.text
    if len(span) < 5 or DATE_RANGE.search(text) or "@" in text:
        return 0.0
    if text.count(",") >= 5 and len(text.split()) / (text.count(",") + 1) <= 3.5:
        return 0.0  # a list of keywords, not something someone did
    # Numbers by token (the small model's entities miss "4 new starters" and call
    # "200+" a date); a year on its own is not a result.
    numbers = [
        t for t in span if (t.like_num or t.text[:1].isdigit()) and not YEAR.fullmatch(t.text)
    ]
    if not numbers:
        return 0.0
    if YEARS_OF_EXPERIENCE.search(text):
        return 0.0  # a profile line ("eight years of experience"), not a result
    verbs = [
        t
        for t in span
        if t.pos_ == "VERB" and (t.tag_ in ("VBD", "VBN") or t.lemma_.lower() in ACTION_LEMMAS)
    ]
    if not verbs:
        return 0.0
    score = 1.0 + 0.5 * min(len(numbers), 3)
    if re.search(r"\d\s?%|[£$€]\s?\d|\d\s?(k|m|bn)\b|\bper cent\b|\bpercent\b", text, re.I):
        score += 1.0
    if any(t.lemma_.lower() in ACTION_LEMMAS for t in verbs):
        score += 1.0
    if re.search(r"\b(from|to|by)\s+[£$€]?\d", text):
        score += 0.5  # "from 58% to 91%", "by 40%": a change, not a count
    return score


# -- how a CV meets a job ----------------------------------------------------------------


def fit(cv: Analysis | None, jd: Analysis | None, role: str = "") -> Fit:
    cv = cv or Analysis()
    jd = jd or Analysis()
    notes = []
    if jd.language != "en":
        notes.append(f"the job description is in another language ({jd.language})")
        jd = Analysis()
    if cv.language != "en":
        notes.append(f"the CV is in another language ({cv.language})")
        cv = Analysis()
    typed = clean_title(role)
    if typed and not plausible_title(typed) and not family_of_title(typed):
        notes.append("the role typed is not a job title we recognise")
        typed = ""
    title = typed or jd.role or cv.role
    family = (family_of_title(typed) if typed else "") or jd.family or cv.family or GENERAL
    seniority = (
        (seniority_of(typed, "", 0) if typed else "") or jd.seniority or cv.seniority or "mid"
    )
    cv_skills = {s.lower(): s for s in cv.skills}
    jd_skills = {s.lower(): s for s in jd.skills}
    overlap = tuple(jd_skills[k] for k in jd_skills if k in cv_skills)
    gaps = tuple(jd_skills[k] for k in jd_skills if k not in cv_skills)
    return Fit(
        role=title,
        seniority=seniority,
        family=family,
        overlap=overlap,
        gaps=gaps,
        cv_only=tuple(cv_skills[k] for k in cv_skills if k not in jd_skills),
        achievements=cv.requirements,
        requirements=jd.requirements,
        unmet=unmet_requirements(jd.requirements, set(cv_skills)),
        notes=tuple(notes),
    )


def unmet_requirements(requirements: tuple[str, ...], cv_skills: set[str]) -> tuple[str, ...]:
    """Must-haves that name a skill (not a soft one) the CV shows none of."""
    unmet = []
    for requirement in requirements:
        named = [
            s for s in find_skills(requirement) if (sk := taxonomy().skill(s)) and sk.kind != "soft"
        ]
        if named and not any(s.lower() in cv_skills for s in named):
            unmet.append(requirement)
    return tuple(unmet)


def warm_up() -> None:
    """Load both models, the matcher and the taxonomy's embeddings, and run them once."""
    analyse("Job title: Registered Nurse\nYou will need BLS and Excel.", "jd")
    family_of_title("sommelier")  # embeds every known title once
