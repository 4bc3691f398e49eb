"""Events the billing service publishes (exchange `billing.events`). Its data-creation
events arrive with the billing issue; the privacy service picks them up from here."""

from __future__ import annotations

SERVICE = "billing"
PUBLISHES: dict[str, type] = {}
CREATES_PERSONAL_DATA: frozenset[str] = frozenset()
