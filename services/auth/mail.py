"""Email delivery behind one interface. The embedded default writes each message
as a JSON file into the dev outbox directory (listed by `GET /api/v1/dev/outbox`)."""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from string import Template
from typing import Protocol

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


class EmailSender(Protocol):
    def send(self, message: EmailMessage, sent_at: datetime) -> None: ...


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
