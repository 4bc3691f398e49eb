"""Events the sessions service publishes (exchange `sessions.events`). Its data-creation
events arrive with the sessions issue; the privacy service picks them up from here."""

from __future__ import annotations

SERVICE = "sessions"
PUBLISHES: dict[str, type] = {}
CREATES_PERSONAL_DATA: frozenset[str] = frozenset()
