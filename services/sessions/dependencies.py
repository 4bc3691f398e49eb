"""DependencyProviders for the sessions service's own resources."""

from __future__ import annotations

from typing import Any

from nameko.extensions import DependencyProvider

from mocky.platform.settings import get_settings
from services.sessions import analysis
from services.sessions.analysis import Analysis, analyse
from services.sessions.engines import Interviewers
from services.sessions.extraction import ExtractionPool


class Extractions(DependencyProvider):
    """The budgeted worker processes that read uploads (see `extraction`)."""

    def setup(self) -> None:
        settings = get_settings()
        self.pool = ExtractionPool(settings.extract_max_concurrent, settings.extract_max_waiting)

    def get_dependency(self, worker_ctx: Any) -> ExtractionPool:
        return self.pool


class Reader:
    def __init__(self, run: Any) -> None:
        self.run = run

    def analyse(self, text: str, kind: str) -> Analysis:
        return self.run(analyse, text, kind)


class DocumentReader(DependencyProvider):
    """Reading a document (spaCy, embeddings) in an OS thread, so the service keeps
    answering meanwhile; the models load and run once before the service serves, on
    its own thread (their first load takes locks of the green kind)."""

    def setup(self) -> None:
        analysis.warm_up()

    def get_dependency(self, worker_ctx: Any) -> Reader:
        from eventlet import tpool

        return Reader(tpool.execute)


class InterviewerEngines(DependencyProvider):
    """The interviewers (and the one client of the configured language model), so that
    worker_factory can swap them."""

    def setup(self) -> None:
        self.interviewers = Interviewers(get_settings().model)

    def get_dependency(self, worker_ctx: Any) -> Interviewers:
        return self.interviewers
