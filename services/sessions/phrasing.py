"""The one place that turns templates and pieces of documents into sentences a person
would write: a capital at the start of each sentence, no doubled words or full stops
around quotes, the right article, the role as a noun phrase ("this senior staff nurse
role in the intensive care unit"), quotes cut to a readable length. Pure Python (inflect
for articles)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

MAX_QUOTE_WORDS = 28
# Letters whose English names start with a vowel sound: "an HR", "an SEO", "a UX".
VOWEL_LETTERS = set("AEFHILMNORSX")
KEEP_CASE = re.compile(r"^(?:[A-Z0-9&/+#.-]{2,}|[A-Za-z]+[A-Z][A-Za-z]*|[A-Z]\d.*)$")
ARTICLE = re.compile(r"\b([Aa]n?) ([\"“']?)([A-Za-z0-9][\w&/+#.-]*)")
DOUBLED = re.compile(r"\b(\w+)(?:\s+\1\b)+", re.IGNORECASE)
SENTENCE_START = re.compile(r"(^|[.!?]\s+)([\"“'(]?)([a-z])")
ROLE_WORDS = re.compile(r"\s+(?:role|position|job|vacancy|post|opportunity)$", re.IGNORECASE)
UNIT_WORDS = re.compile(r"\b(unit|ward|department|team|centre|center|clinic|theatres?)\b", re.I)


@cache
def _inflect():  # type: ignore[no-untyped-def]
    import inflect

    return inflect.engine()


def article(phrase: str) -> str:
    """ "a" or "an" for a phrase, by how its first word sounds."""
    word = phrase.strip().split()[0] if phrase.strip() else ""
    if not word:
        return "a"
    if word.isupper() and len(word) >= 2 and word.isalpha():
        return "an" if word[0] in VOWEL_LETTERS else "a"
    if word[0].isdigit():
        digits = re.match(r"\d+", word).group(0)  # type: ignore[union-attr]
        # "an 8-week", "an 18th", "an 11,000": eight, eighteen, eleven are said with a vowel
        eleven_or_eighteen = digits[:2] in ("11", "18") and len(digits) in (2, 5, 8)
        return "an" if digits.startswith("8") or eleven_or_eighteen else "a"
    return _inflect().a(word).split()[0]


def tidy(text: str) -> str:
    """Whitespace, doubled words, punctuation around quotes, articles, capitals and a
    closing mark: what every generated sentence passes through."""
    text = re.sub(r"\s+", " ", text).strip()
    text = DOUBLED.sub(r"\1", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([.!?])([\"”'])\s*[.]", r"\2.", text)  # `…days.".` -> `…days".`
    text = re.sub(r"([.!?,;:])([\"”'])([.!?])", r"\2\3", text)  # `…days.". What` -> `…days". What`
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r"\?\s*\.", "?", text)
    text = ARTICLE.sub(lambda m: _article_for(m), text)
    text = SENTENCE_START.sub(lambda m: m.group(1) + m.group(2) + m.group(3).upper(), text)
    if text and text[-1] not in '.?!"”':
        text += "."
    return text


def _article_for(match: re.Match[str]) -> str:
    given, opening, word = match.groups()
    right = article(word)
    if given[0].isupper():
        right = right.capitalize()
    return f"{right} {opening}{word}"


def sentence(template: str, **values: str) -> str:
    return tidy(template.format(**values))


def counted(n: int, noun: str) -> str:
    """ "one answer", "three answers", "12 answers"."""
    engine = _inflect()
    number = engine.number_to_words(n) if 0 <= n <= 10 else str(n)
    return f"{number} {noun if n == 1 else engine.plural_noun(noun)}"


def quote(text: str, max_words: int = MAX_QUOTE_WORDS) -> str:
    """A line of a document as it reads inside quotation marks: no bullet, no closing
    full stop (the sentence around it has its own), cut at a clause if long."""
    text = re.sub(r"^[\s\-*•·–—>]+", "", text).strip().strip("\"“”'")
    words = text.split()
    if len(words) > max_words:
        cut = " ".join(words[:max_words])
        clause = re.split(r"[;,:(]\s", cut)[0]
        text = clause if len(clause.split()) >= 8 else cut + "…"
    return text.rstrip(" .;,:")


def phrase(text: str, keep_case: bool = False) -> str:
    """A requirement or skill as part of a sentence: no label or bullet in front, no
    full stop, a lower-case first word unless it is an acronym or a name (`keep_case`:
    the caller knows it is one, e.g. "Salesforce", "Immediate Life Support")."""
    text = re.sub(r"^[\s\-*•·–—>]+", "", text).strip()
    text = re.sub(
        r"^(?:essential|desirable|required|requirements?|must[- ]have|nice[- ]to[- ]have|"
        r"you (?:will )?(?:have|need|bring)|we(?:'d| would)? (?:love|like) you to have)"
        r"\s*[:\-–]?\s*",
        "",
        text,
        flags=re.I,
    )
    text = text.rstrip(" .;,:")
    first, _, rest = text.partition(" ")
    if first and not keep_case and not KEEP_CASE.match(first):
        first = first.lower()
    return f"{first} {rest}".strip()


@dataclass(frozen=True)
class RoleNames:
    """How sentences name the role: "senior staff nurse", "this senior staff nurse role
    in the intensive care unit", "a senior staff nurse"."""

    noun: str
    this_role: str
    a_role: str


def role_names(title: str) -> RoleNames:
    core, qualifier = _split_title(title)
    noun = " ".join(_case(word) for word in core.split())
    noun = ROLE_WORDS.sub("", noun).strip()
    if not noun:
        return RoleNames("", "this role", "someone in this role")
    this_role = f"this {noun} role"
    if qualifier and UNIT_WORDS.search(qualifier):
        place = " ".join(_case(word) for word in qualifier.split())
        this_role += f" in {place}" if place.startswith("the ") else f" in the {place}"
    return RoleNames(noun, this_role, f"{article(noun)} {noun}")


def _split_title(title: str) -> tuple[str, str]:
    title = re.sub(r"\s+", " ", title).strip(" .:-–—")
    title = re.sub(r"^(?:an?|the)\s+", "", title, flags=re.I)
    title = re.sub(r"\([^)]*\)", "", title).strip()  # (Nights), (12-month contract)
    parts = re.split(r"\s*(?:,|\s[-–—|]\s|\s@\s|\bat\b)\s*", title, maxsplit=1)
    core = parts[0].strip()
    qualifier = parts[1].strip() if len(parts) > 1 else ""
    return core, qualifier


def _case(word: str) -> str:
    if KEEP_CASE.match(word.strip("(),")):
        return word
    return word.lower()
