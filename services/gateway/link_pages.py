"""Links we email are opened by a browser, outside the app. When one cannot be used
(expired, already used, too many tries, a service down), the browser gets a short page
saying so and what to do next, with the status code an API client gets as JSON."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import HTMLResponse

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])
_MARK = "_mocky_opened_from_email"

TITLES = {400: "This link is not complete", 429: "Too many tries"}
NEXT_STEPS = {
    400: "Open the whole link from the email, or ask for a new one.",
    401: "Email links work once and expire within 10 minutes. Ask for a new one.",
    409: "Sign in and try again from the privacy centre.",
    429: "Wait a minute, then ask for a new link.",
}


def opened_from_email(endpoint: Endpoint) -> Endpoint:
    """Marks a GET route as the target of an emailed link."""
    setattr(endpoint, _MARK, True)
    return endpoint


def wants_link_page(request: Request) -> bool:
    return (
        request.method == "GET"
        and getattr(request.scope.get("endpoint"), _MARK, False)
        and "text/html" in request.headers.get("accept", "")
    )


def sentence(message: str) -> str:
    message = message.strip().rstrip(".")
    return f"{message[:1].upper()}{message[1:]}."


def link_page(status: int, message: str, headers: dict[str, str] | None = None) -> HTMLResponse:
    if status >= 500:
        title, next_step = "Mocky is briefly unavailable", "Open the link again in a minute."
    else:
        title = TITLES.get(status, "This link cannot be used")
        next_step = NEXT_STEPS.get(status, "Ask for a new link.")
    body = f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{escape(title)} — Mocky</title>
  <link rel="stylesheet" href="/style.css">
  <link rel="icon" href="/favicon.svg" type="image/svg+xml">
</head>
<body>
  <header><a class="brand" href="/">Mocky</a></header>
  <main id="view">
    <h1>{escape(title)}</h1>
    <p class="error" id="link-problem">{escape(sentence(message))}</p>
    <p>{escape(next_step)}</p>
    <p><a href="/#/sign-in">Sign in with a new link</a></p>
  </main>
</body>
</html>
"""
    return HTMLResponse(
        body, status_code=status, headers={**(headers or {}), "Cache-Control": "no-store"}
    )
