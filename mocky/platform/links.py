"""Short-lived signed links to something a service owns (an export archive, an audio
clip), opened without a session cookie, like a presigned URL: the token carries its
subject, its expiry and an HMAC, so nothing is stored and a link stops working on its own.

One scheme for every link. Each kind of link has its own key, derived from the platform's
link secret (`MOCKY_LINK_SECRET`) and the link's purpose, so a token made for one purpose
proves nothing for another, and no other secret (the pseudonym key, a webhook secret) is
handed to whoever signs links. Expiry is checked against the caller's clock (the movable
one in services), so dev runs can move time past it."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

# ASCII only: str.isdigit() admits "²", which int() then refuses.
TOKEN = re.compile(r"([0-9a-zA-Z_-]{1,64})\.([0-9]{1,12})\.([0-9a-f]{64})", re.ASCII)


@dataclass(frozen=True)
class LinkSigner:
    secret: str
    purpose: str

    def _key(self) -> bytes:
        return hmac.new(
            self.secret.encode(), f"link:{self.purpose}".encode(), hashlib.sha256
        ).digest()

    def _mac(self, subject: str, thing: str, expires: int) -> str:
        message = f"{self.purpose}:{subject}:{thing}:{expires}".encode()
        return hmac.new(self._key(), message, hashlib.sha256).hexdigest()

    def token(self, subject: str, thing: str, expires_ts: float) -> str:
        """A token for `thing` (what is linked) on behalf of `subject` (whose it is)."""
        if not TOKEN.fullmatch(f"{subject}.0.{'0' * 64}"):
            raise ValueError("a link's subject is 1-64 letters, digits, '-' or '_'")
        expires = int(expires_ts)
        return f"{subject}.{expires}.{self._mac(subject, thing, expires)}"

    def subject(self, thing: str, token: str, now_ts: float) -> str | None:
        """Whose `thing` the token opens, or None when it is forged, altered, made for
        something else or expired."""
        parsed = TOKEN.fullmatch(token)
        if parsed is None or int(parsed[2]) < now_ts:
            return None
        subject, expires, mac = parsed[1], int(parsed[2]), parsed[3]
        return subject if hmac.compare_digest(self._mac(subject, thing, expires), mac) else None
