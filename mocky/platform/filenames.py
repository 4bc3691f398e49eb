"""Names that came from outside (an upload's filename) and paths inside archives we
write: never a directory part, a parent reference or a control character, so an
uploaded `../../../../tmp/x.txt` cannot become a path-traversal member of an export."""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_CHARS = 120
_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")


def safe_filename(name: str, default: str) -> str:
    """The last part of `name` (either slash), cleaned; `default` when nothing is left."""
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", name or ""))[-1]
    base = _UNSAFE.sub("", base).strip().lstrip(".").strip()
    return base[:MAX_NAME_CHARS] or default


def safe_archive_path(path: str) -> str:
    """A relative path of clean parts: no absolute root, no `.` or `..`."""
    parts = [_UNSAFE.sub("", part).strip() for part in re.split(r"[/\\]", path or "")]
    kept = [part for part in parts if part and part not in (".", "..")]
    return "/".join(kept) or "file"
