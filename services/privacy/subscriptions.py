"""Which events create personal data: collected from every service's `events.py`
(its `PUBLISHES` and `CREATES_PERSONAL_DATA`), so a new service's events are picked
up by declaring them there, not by editing the privacy service."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

import services


@dataclass(frozen=True)
class Subscription:
    source_service: str
    event_type: str
    message_type: type

    @property
    def handler_name(self) -> str:
        return f"schedule_{self.source_service}_{self.event_type}"


def event_modules() -> list:
    modules = []
    for info in pkgutil.iter_modules(services.__path__):
        if not info.ispkg:
            continue
        try:
            modules.append(importlib.import_module(f"services.{info.name}.events"))
        except ModuleNotFoundError as error:
            if error.name != f"services.{info.name}.events":
                raise
    return modules


def personal_data_subscriptions() -> list[Subscription]:
    found = []
    for module in event_modules():
        for event_type in sorted(getattr(module, "CREATES_PERSONAL_DATA", ())):
            found.append(Subscription(module.SERVICE, event_type, module.PUBLISHES[event_type]))
    return found


def data_owners() -> list[str]:
    """The services whose events create personal data: each serves the DataOwner hooks."""
    return sorted({s.source_service for s in personal_data_subscriptions()})
