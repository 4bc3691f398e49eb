"""Events the privacy service publishes (exchange `privacy.events`). Consent changes,
request progress and erasure confirmations arrive with the privacy issue."""

from __future__ import annotations

SERVICE = "privacy"
PUBLISHES: dict[str, type] = {}
CREATES_PERSONAL_DATA: frozenset[str] = frozenset()
