import numpy as np

from mocky.platform.audio import SAMPLE_RATE
from mocky.platform.vad import TurnDetector
from tests.speech import pcm16, spoken


def test_speech_starts_and_a_pause_ends_the_turn():
    speech = pcm16(*spoken("Hello, I am ready for the interview."))
    silence = bytes(SAMPLE_RATE * 2)  # one second
    detector = TurnDetector(silence_ms=600)
    events = detector.feed(silence[:SAMPLE_RATE]) + detector.feed(speech)
    assert events[0] == "speech_started"  # then a pause and a resume at the comma
    assert set(events[1:]) <= {"pause", "resume"}
    assert detector.feed(silence) == ["pause", "speech_stopped"]
    turn = detector.take_turn()
    assert 1.0 < len(turn) / (SAMPLE_RATE * 2) < len(speech) / (SAMPLE_RATE * 2) + 1.0
    assert detector.take_turn() == b""


def test_silence_and_a_click_are_not_speech():
    detector = TurnDetector()
    click = (np.random.default_rng(1).standard_normal(480) * 0.5).astype(np.float32)
    assert detector.feed(bytes(SAMPLE_RATE * 4)) == []
    assert detector.feed(pcm16(click, SAMPLE_RATE) + bytes(SAMPLE_RATE)) == []


def test_a_pause_offers_the_turn_so_far_and_speech_after_it_resumes_the_turn():
    first = pcm16(*spoken("I led the migration."))
    second = pcm16(*spoken("And I wrote the pipeline."))
    detector = TurnDetector(silence_ms=700, pause_ms=240)
    detector.feed(first)
    events = detector.feed(bytes(SAMPLE_RATE * 2 * 300 // 1000))  # 300 ms of quiet
    assert events == ["pause"]
    guess = detector.peek_turn()
    assert detector.feed(second)[:1] == ["resume"]  # the user went on: the guess is stale
    assert detector.feed(bytes(SAMPLE_RATE * 2)) == ["pause", "speech_stopped"]
    turn = detector.take_turn()
    assert turn.startswith(guess) and len(turn) > len(guess) + len(second) // 2


def test_a_turn_that_ends_after_its_pause_is_the_paused_audio_and_quiet():
    detector = TurnDetector(silence_ms=700, pause_ms=240)
    detector.feed(pcm16(*spoken("That is my answer.")))
    assert detector.feed(bytes(SAMPLE_RATE * 2 * 300 // 1000)) == ["pause"]
    guess = detector.peek_turn()
    assert detector.feed(bytes(SAMPLE_RATE * 2)) == ["speech_stopped"]
    turn = detector.take_turn()
    assert turn.startswith(guess)
    assert not any(turn[len(guess) :])  # only silence came after the guess
