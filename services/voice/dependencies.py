"""The voice service's outside parts behind DependencyProviders, so that worker_factory
can swap them: the speech engines (embedded models and cloud providers) and this
process's transcription slots."""

from __future__ import annotations

import time
from typing import Any

import structlog
from eventlet import tpool
from nameko.extensions import DependencyProvider

from mocky.platform.settings import get_settings
from services.voice.engines import warm_up
from services.voice.providers import SpeechEngines
from services.voice.slots import WorkSlots

log = structlog.get_logger(__name__)


class Engines(DependencyProvider):
    """Native model work runs in OS threads (one user's transcription must not stop the
    process serving everyone else), and the models load and run once before the
    service serves."""

    def setup(self) -> None:
        started = time.perf_counter()
        warm_up()  # on this thread: the models' locks are eventlet's
        log.info("speech_engines_warm", seconds=round(time.perf_counter() - started, 2))
        self.engines = SpeechEngines(run=tpool.execute)

    def get_dependency(self, worker_ctx: Any) -> SpeechEngines:
        return self.engines


class Slots(DependencyProvider):
    """This process's slots for one kind of speech work (see `slots`), sized by
    configuration: `transcription` (one per user at a time) or `synthesis`."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def setup(self) -> None:
        settings = get_settings()
        if self.kind == "transcription":
            self.slots = WorkSlots(
                self.kind, settings.stt_max_concurrent, settings.stt_max_waiting, one_per_user=True
            )
        else:
            self.slots = WorkSlots(self.kind, settings.tts_max_concurrent, settings.tts_max_waiting)

    def get_dependency(self, worker_ctx: Any) -> WorkSlots:
        return self.slots
