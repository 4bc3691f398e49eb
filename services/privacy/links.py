"""Short-lived download links for exports: the token carries its expiry and an HMAC,
so nothing is stored and a link stops working on its own."""

from __future__ import annotations

import hashlib
import hmac
import re

from mocky.platform.settings import get_settings

LINK_SECONDS = 3600  # shown in the privacy centre
EMAILED_LINK_SECONDS = 24 * 3600  # in the "your export is ready" email


def _key() -> bytes:
    return hmac.new(get_settings().pseudonym_key.encode(), b"export-links", hashlib.sha256).digest()


def export_token(request_id: str, expires_ts: float) -> str:
    expires = int(expires_ts)
    mac = hmac.new(_key(), f"{request_id}:{expires}".encode(), hashlib.sha256).hexdigest()
    return f"{expires}.{mac}"


# ASCII only: str.isdigit() admits "²", which int() then refuses.
TOKEN = re.compile(r"([0-9]{1,12})\.([0-9a-f]{64})", re.ASCII)


def export_token_valid(request_id: str, token: str, now_ts: float) -> bool:
    parsed = TOKEN.fullmatch(token)
    if parsed is None or int(parsed[1]) < now_ts:
        return False
    expected = hmac.new(_key(), f"{request_id}:{parsed[1]}".encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parsed[2])
