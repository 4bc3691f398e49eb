import numpy as np
import pytest

from mocky.platform.audio import SAMPLE_RATE, wav_bytes
from services.voice.audio import AudioRefused, decode
from tests.speech import encode, word_error_rate

RATE = 48000


def tone(seconds: float, amplitude: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (amplitude * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


@pytest.mark.parametrize("fmt", ["webm", "ogg", "wav"])
def test_what_browsers_record_decodes_to_16khz_mono(fmt):
    decoded = decode(encode(tone(2.0), RATE, fmt))
    assert abs(decoded.seconds - 2.0) < 0.1
    assert decoded.samples.dtype == np.float32 and decoded.samples.ndim == 1
    assert decoded.samples.size == pytest.approx(2.0 * SAMPLE_RATE, rel=0.05)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_audio"),
        (b"OggS this is not audio at all" * 10, "corrupt_audio"),
        (b"\x1aE\xdf\xa3 not webm" * 20, "corrupt_audio"),
        (wav_bytes(np.zeros(2 * SAMPLE_RATE, np.float32), SAMPLE_RATE), "silent_audio"),
    ],
)
def test_bad_recordings_are_refused_with_a_clear_code(data, code):
    with pytest.raises(AudioRefused) as refused:
        decode(data)
    assert refused.value.code == code


def test_an_answer_longer_than_the_limit_is_refused():
    with pytest.raises(AudioRefused) as refused:
        decode(encode(tone(4.0), RATE, "ogg"), max_seconds=3)
    assert refused.value.code == "too_long"


def test_word_error_rate():
    assert word_error_rate("I led the team", "I led the team.") == 0
    assert word_error_rate("I led the team", "I lead a team") == 0.5
