"""Whisper base is joined from its two registry wheels into the models directory once,
checked against the pinned SHA-256, and never half-written."""

from __future__ import annotations

import pytest

from services.voice.models import (
    BASE_SHA256,
    ModelUnavailable,
    sha256_of,
    whisper_base,
    whisper_model_path,
)


def test_base_is_joined_once_and_matches_the_pinned_digest(tmp_path):
    directory = whisper_base(tmp_path)
    model = directory / "model.bin"
    assert sha256_of(model) == BASE_SHA256
    assert {p.name for p in directory.iterdir()} == {
        "model.bin",
        "config.json",
        "tokenizer.json",
        "vocabulary.txt",
    }
    joined_at = model.stat().st_mtime_ns
    assert whisper_base(tmp_path) == directory and model.stat().st_mtime_ns == joined_at


def test_a_damaged_model_is_joined_again(tmp_path):
    model = whisper_base(tmp_path) / "model.bin"
    with model.open("r+b") as f:
        f.seek(1000)
        f.write(b"\x00" * 16)
    whisper_base(tmp_path)
    assert sha256_of(model) == BASE_SHA256


def test_parts_that_do_not_match_the_pin_are_refused_and_leave_nothing(tmp_path):
    with pytest.raises(ModelUnavailable, match="SHA-256"):
        whisper_base(tmp_path, expected="0" * 64)
    assert not any((tmp_path / "whisper-base").glob("model.bin*"))


def test_an_unknown_model_is_named(tmp_path):
    with pytest.raises(ModelUnavailable, match="unknown Whisper model"):
        whisper_model_path("large-v3", tmp_path)
