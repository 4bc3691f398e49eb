"""DependencyProviders for the sessions service's own resources."""

from __future__ import annotations

from typing import Any

from nameko.extensions import DependencyProvider

from mocky.platform.settings import get_settings
from services.sessions.extraction import ExtractionPool


class Extractions(DependencyProvider):
    """The budgeted worker processes that read uploads (see `extraction`)."""

    def setup(self) -> None:
        settings = get_settings()
        self.pool = ExtractionPool(settings.extract_max_concurrent, settings.extract_max_waiting)

    def get_dependency(self, worker_ctx: Any) -> ExtractionPool:
        return self.pool
