"""Short-lived download links for exports (`mocky.platform.links`: the token carries the
request id, its expiry and an HMAC under the export links' own key)."""

from __future__ import annotations

from mocky.platform.links import LinkSigner
from mocky.platform.settings import get_settings

LINK_SECONDS = 3600  # shown in the privacy centre
EMAILED_LINK_SECONDS = 24 * 3600  # in the "your export is ready" email


def _signer() -> LinkSigner:
    return LinkSigner(get_settings().link_secret, "export")


def export_token(request_id: str, expires_ts: float) -> str:
    return _signer().token(request_id, "archive", expires_ts)


def export_token_valid(request_id: str, token: str, now_ts: float) -> bool:
    return _signer().subject("archive", token, now_ts) == request_id
