"""DependencyProviders of the auth service."""

from __future__ import annotations

from typing import Any

import structlog
from nameko.extensions import DependencyProvider

from mocky.platform.clock import Clock
from mocky.platform.settings import get_settings
from services.auth.mail import DevOutbox, EmailMessage

log = structlog.get_logger(__name__)


class Mailer:
    """Sends in the background so a request answers in the same time whatever the
    address (no enumeration through timing)."""

    def __init__(self, sender: DevOutbox, spawn: Any) -> None:
        self.sender = sender
        self.spawn = spawn

    def send_later(self, message: EmailMessage, clock: Clock) -> None:
        def deliver() -> None:
            try:
                self.sender.send(message, clock.now())
                log.info("email_sent", subject=message.subject)
            except Exception:
                log.error("email_send_failed", subject=message.subject, exc_info=True)

        self.spawn(deliver)

    def outbox(self, to: str, limit: int) -> list[dict]:
        return self.sender.list(to, limit)


class MailerProvider(DependencyProvider):
    def setup(self) -> None:
        self.mailer = Mailer(
            DevOutbox(get_settings().outbox_dir),
            lambda fn: self.container.spawn_managed_thread(fn, identifier="send_email"),
        )

    def get_dependency(self, worker_ctx: Any) -> Mailer:
        return self.mailer
