"""DependencyProviders of the auth service."""

from __future__ import annotations

import time
from typing import Any

import httpx
import structlog
from nameko.extensions import DependencyProvider

from mocky.platform.clock import Clock
from mocky.platform.settings import Settings, get_settings
from services.auth.mail import (
    CloudflareEmailSender,
    DevOutbox,
    EmailDeliveryError,
    EmailMessage,
    EmailSender,
    SmtpSender,
)

log = structlog.get_logger(__name__)


ATTEMPTS = 3


class Mailer:
    """Sends in the background so a request answers in the same time whatever the
    address (no enumeration through timing); retries what the provider says may work
    later, with backoff."""

    def __init__(
        self,
        sender: EmailSender,
        spawn: Any,
        outbox: DevOutbox | None = None,
        backoff_seconds: float = 2.0,
    ) -> None:
        self.sender = sender
        self.spawn = spawn
        self.dev_outbox = outbox
        self.backoff_seconds = backoff_seconds

    def send_later(self, message: EmailMessage, clock: Clock) -> None:
        self.spawn(lambda: self.deliver(message, clock))

    def deliver(self, message: EmailMessage, clock: Clock) -> bool:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                self.sender.send(message, clock.now())
                log.info("email_sent", subject=message.subject, attempt=attempt)
                return True
            except EmailDeliveryError as error:
                log.warning(
                    "email_send_failed",
                    subject=message.subject,
                    attempt=attempt,
                    reason=str(error),
                    retryable=error.retryable,
                )
                if not error.retryable or attempt == ATTEMPTS:
                    return False
                time.sleep(max(error.retry_after, self.backoff_seconds * attempt))
        return False

    def outbox(self, to: str, limit: int) -> list[dict]:
        return self.dev_outbox.list(to, limit) if self.dev_outbox else []


def sender_from_settings(settings: Settings) -> tuple[EmailSender, DevOutbox | None]:
    if settings.email_backend == "smtp":
        return SmtpSender(
            settings.smtp_host,
            settings.smtp_port,
            settings.email_from,
            settings.smtp_username,
            settings.smtp_password,
            settings.smtp_starttls,
        ), None
    if settings.email_backend == "cloudflare":
        client = httpx.Client(base_url=settings.cloudflare_api_base_url, timeout=10)
        return CloudflareEmailSender(
            client,
            settings.cloudflare_account_id,
            settings.cloudflare_api_token,
            settings.email_from,
        ), None
    outbox = DevOutbox(settings.outbox_dir)
    return outbox, outbox


class MailerProvider(DependencyProvider):
    def setup(self) -> None:
        sender, outbox = sender_from_settings(get_settings())
        self.mailer = Mailer(
            sender,
            lambda fn: self.container.spawn_managed_thread(fn, identifier="send_email"),
            outbox,
        )

    def get_dependency(self, worker_ctx: Any) -> Mailer:
        return self.mailer
