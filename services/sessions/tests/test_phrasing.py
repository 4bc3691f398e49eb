"""Generated text reads like a person wrote it: every template of every family."""

import re

import pytest

from services.sessions.phrasing import article, phrase, quote, role_names, sentence, tidy
from services.sessions.taxonomy import taxonomy

ROLES = [
    "Senior Staff Nurse, Intensive Care Unit",
    "Enterprise Account Executive",
    "UX Designer (Contract)",
    "HR Business Partner",
    "",
    "Head of Finance - London",
    "a Band 6 Staff Nurse",
]
VALUES = {
    "achievement": "Reduced medication errors on the ward by 40% in six months.",
    "requirement": "Immediate Life Support (ILS) certificate",
    "skill": "ventilator care",
}


def problems(text: str) -> list[str]:
    found = []
    if not text[:1].isupper():
        found.append("starts lower-case")
    if not text.endswith(("?", ".")):
        found.append("no closing mark")
    if re.search(r"\b(\w+)\s+\1\b", text, re.I):
        found.append("doubled word")
    if re.search(r"\.\s*\.|[.!?]\"\.|\?\.|\s[,.?]", text):
        found.append("punctuation")
    if re.search(
        r"\b(a|an) (a|an|the) |\ban [bcdfgjklmnpqrtvwz][a-z]|\ba (?!one|once|eu)[aeio][a-z]",
        text,
        re.I,
    ):
        found.append("article")
    if "{" in text or "}" in text:
        found.append("unfilled placeholder")
    for sentence_start in re.findall(r"[.?!]\s+([a-z])", text):
        found.append(f"sentence starts with {sentence_start!r}")
    return found


@pytest.mark.parametrize("family", sorted(taxonomy().families))
def test_every_bank_question_is_already_a_clean_sentence(family):
    for question in taxonomy().families[family].questions:
        assert problems(sentence(question.text)) == [], question.text
        assert tidy(question.text) == question.text, question.text


@pytest.mark.parametrize("role", ROLES)
def test_every_template_reads_well_for_every_kind_of_role(role):
    names = role_names(role)
    values = {**VALUES, "this_role": names.this_role, "a_role": names.a_role}
    values["achievement"] = quote(VALUES["achievement"])
    values["requirement"] = quote(VALUES["requirement"])
    for kind, templates in taxonomy().general.templates.items():
        for template in templates:
            text = sentence(template, **values)
            assert problems(text) == [], (kind, text)


def test_quotes_from_a_cv_do_not_double_the_full_stop():
    text = sentence('Your CV mentions "{a}". What was your part?', a=quote("Cut waits by 20 days."))
    assert text == 'Your CV mentions "Cut waits by 20 days". What was your part?'
    assert tidy('It says "done.". what now') == 'It says "done". What now.'


def test_sentences_start_with_a_capital_and_lose_doubled_words():
    assert tidy("architecture matters here. this this role needs it") == (
        "Architecture matters here. This role needs it."
    )


@pytest.mark.parametrize(
    "phrase_,expected",
    [
        ("ICU nurse", "an"),
        ("UX designer", "a"),
        ("SEO specialist", "an"),
        ("HR manager", "an"),
        ("18th Edition electrician", "an"),
        ("8-week course", "an"),
        ("user researcher", "a"),
        ("hour", "an"),
        ("one-off", "a"),
        ("account executive", "an"),
    ],
)
def test_articles_follow_how_the_word_sounds(phrase_, expected):
    assert article(phrase_) == expected


def test_the_role_is_a_noun_phrase():
    icu = role_names("Senior Staff Nurse, Intensive Care Unit")
    assert icu.this_role == "this senior staff nurse role in the intensive care unit"
    assert icu.a_role == "a senior staff nurse"
    assert role_names("ICU Registered Nurse").this_role == "this ICU registered nurse role"
    assert role_names("Teacher of Mathematics (MPS/UPS)").noun == "teacher of mathematics"
    assert role_names("Senior Staff Nurse role").this_role == "this senior staff nurse role"
    assert role_names("").this_role == "this role"


def test_requirements_lose_their_labels_and_keep_names():
    assert phrase("- Essential: Experience caring for ventilated patients.") == (
        "experience caring for ventilated patients"
    )
    assert phrase("NMC registration") == "NMC registration"
    assert phrase("Salesforce experience", keep_case=True) == "Salesforce experience"
