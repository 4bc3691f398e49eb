"""Events the voice service publishes (exchange `voice.events`). Its data-creation
events arrive with the voice issue; the privacy service picks them up from here."""

from __future__ import annotations

SERVICE = "voice"
PUBLISHES: dict[str, type] = {}
CREATES_PERSONAL_DATA: frozenset[str] = frozenset()
