"""Email delivery behind one interface: the dev outbox (each message a JSON file,
listed by `GET /api/v1/dev/outbox`; the embedded default), SMTP, and Cloudflare's
Email Sending REST API. Other services send through auth's interface."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from email.message import EmailMessage as MimeMessage
from html import escape
from pathlib import Path
from string import Template
from typing import Any, Protocol

import httpx

from mocky.platform.errors import InvalidArgument

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class EmailMessage:
    to: str
    subject: str
    text: str
    html: str


def render(template: str, subject: str, to: str, **values: str) -> EmailMessage:
    text = Template((TEMPLATES / f"{template}.txt").read_text()).substitute(values)
    html = Template((TEMPLATES / f"{template}.html").read_text()).substitute(values)
    return EmailMessage(to=to, subject=subject, text=text, html=html)


@dataclass(frozen=True)
class ServiceTemplate:
    """A message another service may have sent (SendUserEmail, EmailRoleHolders): our
    words and layout, its values inserted as text. `links` must point into this
    platform, so the platform cannot be made to mail anyone a link elsewhere."""

    subject: str
    fields: tuple[str, ...]
    links: tuple[str, ...] = ()


SERVICE_TEMPLATES = {
    "privacy_request_confirmation": ServiceTemplate(
        "Please confirm your privacy request", ("request_type", "link"), ("link",)
    ),
    "privacy_request_extended": ServiceTemplate(
        "Your privacy request needs more time", ("request_type", "reason", "due_date")
    ),
    "privacy_request_rejected": ServiceTemplate("Your privacy request", ("request_type", "reason")),
    "privacy_export_ready": ServiceTemplate(
        "Your Mocky data export is ready", ("link",), ("link",)
    ),
    "incident_notice": ServiceTemplate("$subject", ("subject", "message")),
    "privacy_request_due": ServiceTemplate(
        "A privacy request is due in $days days",
        ("request_type", "request_id", "due_date", "days", "link"),
        ("link",),
    ),
}
MAX_VALUE_CHARS = 5000
MAX_SUBJECT_CHARS = 150


def render_service_email(
    template: str, values: Mapping[str, str], to: str, public_base_url: str
) -> EmailMessage:
    spec = SERVICE_TEMPLATES.get(template)
    if spec is None:
        raise InvalidArgument("unknown email template", code="unknown_template")
    if set(values) != set(spec.fields):
        raise InvalidArgument(
            f"{template} takes exactly {', '.join(spec.fields)}", code="invalid_values"
        )
    for name, value in values.items():
        if len(value) > MAX_VALUE_CHARS or any(ord(c) < 32 and c not in "\n\t" for c in value):
            raise InvalidArgument(f"{name} is too long or not text", code="invalid_values")
        if name in spec.links and not _own_link(value, public_base_url):
            raise InvalidArgument(f"{name} must be a link to this platform", code="foreign_link")
    subject = Template(spec.subject).substitute(values)
    if "\n" in subject or not 0 < len(subject) <= MAX_SUBJECT_CHARS:
        raise InvalidArgument("the subject is one short line", code="invalid_values")
    text = Template((TEMPLATES / f"{template}.txt").read_text()).substitute(values)
    html = Template((TEMPLATES / f"{template}.html").read_text()).substitute(
        {name: escape(value) for name, value in values.items()}
    )
    return EmailMessage(to=to, subject=subject, text=text, html=html)


def _own_link(value: str, public_base_url: str) -> bool:
    return value.startswith(public_base_url + "/") and not any(
        c.isspace() or c in "\"'<>" for c in value
    )


class EmailSender(Protocol):
    def send(self, message: EmailMessage, sent_at: datetime) -> None: ...


class EmailDeliveryError(RuntimeError):
    """The provider refused or failed; `retryable` says whether trying later may help."""

    def __init__(self, message: str, retryable: bool, retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


class SmtpSender:
    """Any SMTP relay (STARTTLS and login when configured)."""

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        username: str = "",
        password: str = "",
        starttls: bool = True,
        timeout: float = 10.0,
    ) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password, self.starttls = username, password, starttls
        self.timeout = timeout

    def send(self, message: EmailMessage, sent_at: datetime) -> None:
        import smtplib

        mime = MimeMessage()
        mime["From"], mime["To"], mime["Subject"] = self.sender, message.to, message.subject
        mime["Date"] = sent_at.strftime("%a, %d %b %Y %H:%M:%S +0000")
        mime.set_content(message.text)
        mime.add_alternative(message.html, subtype="html")
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password)
                smtp.send_message(mime)
        except smtplib.SMTPResponseException as error:
            raise EmailDeliveryError(
                f"SMTP {error.smtp_code}", error.smtp_code >= 400 and error.smtp_code < 500
            ) from None
        except (OSError, smtplib.SMTPException) as error:
            raise EmailDeliveryError(type(error).__name__, retryable=True) from None


class CloudflareEmailSender:
    """Cloudflare Email Sending: POST /accounts/{account_id}/email/sending/send with a
    Bearer token; the answer is Cloudflare's {success, errors, messages, result}
    envelope, and `success: false` on a 200 is a failure too."""

    def __init__(self, client: httpx.Client, account_id: str, api_token: str, sender: str) -> None:
        self.client, self.account_id, self.api_token = client, account_id, api_token
        self.sender = sender

    def send(self, message: EmailMessage, sent_at: datetime) -> None:
        try:
            response = self.client.post(
                f"/accounts/{self.account_id}/email/sending/send",
                headers={"Authorization": f"Bearer {self.api_token}"},
                json={
                    "to": message.to,
                    "from": self.sender,
                    "subject": message.subject,
                    "html": message.html,
                    "text": message.text,
                },
            )
        except httpx.HTTPError as error:
            raise EmailDeliveryError(type(error).__name__, retryable=True) from None
        if response.status_code == 429 or response.status_code >= 500:
            raise EmailDeliveryError(
                f"HTTP {response.status_code}", retryable=True, retry_after=_retry_after(response)
            )
        body: dict[str, Any] = {}
        try:
            body = response.json()
        except ValueError:
            pass
        if response.status_code >= 400 or not body.get("success"):
            codes = [e.get("code") for e in body.get("errors", []) if isinstance(e, dict)]
            raise EmailDeliveryError(f"HTTP {response.status_code} {codes}", retryable=False)


def _retry_after(response: httpx.Response) -> float:
    try:
        return max(0.0, float(response.headers.get("retry-after", "0")))
    except ValueError:
        return 0.0


class DevOutbox:
    """Files in a directory: one JSON document per message."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    def send(self, message: EmailMessage, sent_at: datetime) -> None:
        message_id = uuid.uuid4().hex
        record = {"id": message_id, "sent_at": sent_at.isoformat(), **asdict(message)}
        tmp = self.directory / f".{message_id}.tmp"
        tmp.write_text(json.dumps(record))
        os.replace(tmp, self.directory / f"{sent_at.timestamp():017.6f}-{message_id}.json")

    def list(self, to: str, limit: int = 50) -> list[dict]:
        """Messages to one address, newest first."""
        found = []
        for path in sorted(self.directory.glob("*.json"), reverse=True):
            record = json.loads(path.read_text())
            if record["to"] == to:
                found.append(record)
                if len(found) >= limit:
                    break
        return found
