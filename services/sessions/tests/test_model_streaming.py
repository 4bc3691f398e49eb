"""How a model's streamed answer is read: the follow-up's sentences cut out of JSON that
is still arriving, and an object found in whatever text a model wraps it in."""

from __future__ import annotations

import json

import pytest

from services.sessions.chat import parse_object
from services.sessions.model_interviewer import QuestionStream


def fed(text: str, size: int) -> list[str]:
    watcher = QuestionStream()
    out: list[str] = []
    for start in range(0, len(text), size):
        out += watcher.feed(text[start : start + size])
    return out


@pytest.mark.parametrize("size", [1, 5, 64])
def test_sentences_come_out_whole_whatever_the_pieces(size):
    """Escaped quotes and \\u escapes (json.dumps writes the dash as one) split
    anywhere."""
    first, second = 'You said "we fixed it".', "Which step was yours \u2014 and why then?"
    text = json.dumps({"follow_up": True, "question": f"{first} {second}", "feedback": "Tip."})
    assert "\\u2014" in text
    assert fed(text, size) == [first, second]


def test_nothing_comes_out_before_follow_up_is_known_true():
    watcher = QuestionStream()
    assert watcher.feed('{"question": "Tell me more. And') == []
    assert watcher.feed(' then?", "follow_up": true}') == ["Tell me more.", "And then?"]
    moving_on = QuestionStream()
    assert moving_on.feed('{"follow_up": false, "question": "Ignored. Really?"}') == []
    assert moving_on.follow_up is False


def test_a_sentence_waits_until_the_next_has_begun():
    watcher = QuestionStream()
    assert watcher.feed('{"follow_up": true, "question": "What did you do?') == []
    assert watcher.feed(" W") == ["What did you do?"]
    assert watcher.rest("What did you do? What changed?") == "What changed?"


def test_an_object_is_found_in_prose_or_a_code_fence():
    data = {"follow_up": False, "question": "", "feedback": "Use numbers {like 30%}."}
    fenced = f"Sure! Here it is:\n```json\n{json.dumps(data)}\n```\nAnything else?"
    assert parse_object(fenced) == data
    assert parse_object("{broken {" + json.dumps(data)) == data
    with pytest.raises(ValueError):
        parse_object("I think the candidate did well.")
    with pytest.raises(ValueError):
        parse_object("[1, 2, 3]")
