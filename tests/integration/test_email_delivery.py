"""Email senders against local fake servers that speak the providers' documented
formats: Cloudflare's Email Sending REST API and SMTP."""

from __future__ import annotations

import json
import socketserver
import threading
from datetime import UTC, datetime
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, HTTPServer

import httpx
import pytest

from mocky.platform.clock import Clock
from services.auth.dependencies import Mailer
from services.auth.mail import (
    CloudflareEmailSender,
    EmailDeliveryError,
    SmtpSender,
    render,
)
from tests.infra import free_port

MESSAGE = render(
    "sign_in",
    "Your Mocky sign-in link",
    "jane@example.com",
    link="https://mocky.example/api/v1/auth/verify?token=T",
    minutes="10",
)


class FakeCloudflare(BaseHTTPRequestHandler):
    """POST /client/v4/accounts/{id}/email/sending/send answering from a script."""

    script: list[tuple[int, dict, dict]] = []
    received: list[dict] = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeCloudflare.received.append(
            {"path": self.path, "auth": self.headers["Authorization"], "body": body}
        )
        status, headers, answer = FakeCloudflare.script.pop(0)
        payload = json.dumps(answer).encode()
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):  # quiet
        pass


OK = (
    200,
    {},
    {"success": True, "errors": [], "messages": [], "result": {"delivered": ["jane@example.com"]}},
)


@pytest.fixture
def cloudflare():
    FakeCloudflare.script, FakeCloudflare.received = [], []
    server = HTTPServer(("127.0.0.1", free_port()), FakeCloudflare)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    client = httpx.Client(base_url=f"http://127.0.0.1:{server.server_port}/client/v4")
    yield CloudflareEmailSender(client, "acc123", "tok-secret", "Mocky <no-reply@mocky.example>")
    server.shutdown()


def test_cloudflare_request_has_the_documented_shape(cloudflare):
    FakeCloudflare.script = [OK]
    cloudflare.send(MESSAGE, datetime.now(UTC))
    request = FakeCloudflare.received[0]
    assert request["path"] == "/client/v4/accounts/acc123/email/sending/send"
    assert request["auth"] == "Bearer tok-secret"
    assert request["body"]["to"] == "jane@example.com"
    assert request["body"]["from"] == "Mocky <no-reply@mocky.example>"
    assert "token=T" in request["body"]["text"] and "token=T" in request["body"]["html"]


def test_cloudflare_rate_limit_is_retried_after_the_time_it_asks(cloudflare):
    FakeCloudflare.script = [(429, {"Retry-After": "0.2"}, {"success": False, "errors": []}), OK]
    mailer = Mailer(cloudflare, spawn=None, backoff_seconds=0.05)
    assert mailer.deliver(MESSAGE, Clock()) is True
    assert len(FakeCloudflare.received) == 2


def test_cloudflare_refusal_inside_a_200_is_a_failure_not_retried(cloudflare):
    FakeCloudflare.script = [
        (200, {}, {"success": False, "errors": [{"code": 10001, "message": "domain not verified"}]})
    ]
    with pytest.raises(EmailDeliveryError) as failed:
        cloudflare.send(MESSAGE, datetime.now(UTC))
    assert not failed.value.retryable


def test_cloudflare_bad_token_is_not_retried(cloudflare):
    FakeCloudflare.script = [(401, {}, {"success": False, "errors": [{"code": 10000}]})]
    mailer = Mailer(cloudflare, spawn=None, backoff_seconds=0.05)
    assert mailer.deliver(MESSAGE, Clock()) is False
    assert len(FakeCloudflare.received) == 1


class FakeSmtp(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) to accept one message."""

    messages: list[bytes] = []

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        self.reply("220 fake ESMTP")
        while line := self.rfile.readline():
            verb = line.strip().split(b" ")[0].upper()
            if verb in (b"EHLO", b"HELO"):
                self.reply("250-fake\r\n250 8BITMIME")
            elif verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                self.reply("250 ok")
            elif verb == b"DATA":
                self.reply("354 go on")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                FakeSmtp.messages.append(data)
                self.reply("250 queued")
            elif verb == b"QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


def test_smtp_sends_text_and_html_alternatives():
    FakeSmtp.messages = []
    server = socketserver.ThreadingTCPServer(("127.0.0.1", free_port()), FakeSmtp)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        sender = SmtpSender(
            "127.0.0.1", server.server_address[1], "no-reply@mocky.example", starttls=False
        )
        sender.send(MESSAGE, datetime.now(UTC))
    finally:
        server.shutdown()
    mime = message_from_bytes(FakeSmtp.messages[0])
    assert mime["To"] == "jane@example.com" and mime["Subject"] == "Your Mocky sign-in link"
    parts = {
        p.get_content_type(): p.get_payload(decode=True).decode()
        for p in mime.walk()
        if not p.is_multipart()
    }
    assert "token=T" in parts["text/plain"] and "token=T" in parts["text/html"]


def test_smtp_server_down_is_a_retryable_failure():
    sender = SmtpSender(
        "127.0.0.1", free_port(), "no-reply@mocky.example", starttls=False, timeout=2
    )
    with pytest.raises(EmailDeliveryError) as failed:
        sender.send(MESSAGE, datetime.now(UTC))
    assert failed.value.retryable
