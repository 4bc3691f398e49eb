import numpy as np

from mocky.platform.audio import SAMPLE_RATE
from mocky.platform.vad import TurnDetector
from tests.speech import pcm16, spoken


def test_speech_starts_and_a_pause_ends_the_turn():
    speech = pcm16(*spoken("Hello, I am ready for the interview."))
    silence = bytes(SAMPLE_RATE * 2)  # one second
    detector = TurnDetector(silence_ms=600)
    events = detector.feed(silence[:SAMPLE_RATE]) + detector.feed(speech)
    assert events == ["speech_started"]
    assert detector.feed(silence) == ["speech_stopped"]
    turn = detector.take_turn()
    assert 1.0 < len(turn) / (SAMPLE_RATE * 2) < len(speech) / (SAMPLE_RATE * 2) + 1.0
    assert detector.take_turn() == b""


def test_silence_and_a_click_are_not_speech():
    detector = TurnDetector()
    click = (np.random.default_rng(1).standard_normal(480) * 0.5).astype(np.float32)
    assert detector.feed(bytes(SAMPLE_RATE * 4)) == []
    assert detector.feed(pcm16(click, SAMPLE_RATE) + bytes(SAMPLE_RATE)) == []
