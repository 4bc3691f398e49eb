"""The whole platform's processes, started the way `./task up` starts them, on their
own ports, data directory and RabbitMQ vhost."""

from __future__ import annotations

import os
import re
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from mocky.platform.devstack import ROOT, Stack
from tests import infra

XAI_FAKE_KEY = "xai-fake-realtime-key"
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "test-artifacts" / "screenshots"


@pytest.fixture(scope="module")
def playwright():  # type: ignore[no-untyped-def]
    from playwright import sync_api as playwright_api

    assert CHROMIUM.exists(), "Debian's chromium is installed by ./task test (tools:chromium)"
    with playwright_api.sync_playwright() as p:  # one per thread: the tests share it
        yield p


@pytest.fixture(scope="module")
def browser(playwright):  # type: ignore[no-untyped-def]
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )
    yield browser
    browser.close()


@contextmanager
def platform_on(data_dir: Path, **env: str) -> Iterator[Stack]:
    """A whole platform on its own vhost and `data_dir`, with `env` on top; removed after
    (the data kept with MOCKY_KEEP_E2E_DATA=1)."""
    vhost = infra.new_vhost()
    # Every test signs in from 127.0.0.1: the per-address limits (5 links a minute) are
    # tested here, the per-client-IP one (30 by default) in the integration tests.
    platform = Stack.from_env(
        infra.platform_env(
            data_dir,
            vhost,
            MOCKY_RATE_LIMIT_PER_IP_PER_MINUTE="1000",
            MOCKY_EMAIL_CHANGES_PER_IP_PER_HOUR="1000",
            **env,
        )
    )
    try:
        platform.up()
        yield platform
    finally:
        platform.down()
        infra.delete_vhost(vhost)
        if os.environ.get("MOCKY_KEEP_E2E_DATA") != "1":
            shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    data_dir = infra.temp_workdir("mocky-e2e-")
    # The xAI Voice Agent, faked: live interviews of users who consented go to it.
    xai_realtime = infra.start_fake("xai_realtime", data_dir, XAI_FAKE_KEY)
    try:
        with platform_on(
            data_dir,
            MOCKY_LIVE_ENGINE="xai",
            XAI_API_KEY=XAI_FAKE_KEY,
            XAI_REALTIME_URL=xai_realtime.url.replace("http", "ws") + "/v1/realtime",
        ) as platform:
            yield platform
    finally:
        xai_realtime.stop()


@pytest.fixture
def api(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.gateway_url, timeout=15) as client:
        yield client


def emailed_link(api: httpx.Client, email: str, after: float = 0.0) -> str:
    """The newest sign-in link in the dev outbox, as a user would open it."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        messages = api.get("/api/v1/dev/outbox", params={"to": email}).json()["messages"]
        fresh = [m for m in messages if _sent_at(m) >= after]
        if fresh:
            return re.search(r"https?://\S+", fresh[0]["text"]).group(0)
        time.sleep(0.1)
    raise AssertionError(f"no email arrived for {email}")


def confirmation_link(api: httpx.Client, email: str, request_id: str) -> str:
    """The link in the confirmation email of a privacy request (emails go out in the
    background, so wait for that one)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for message in api.get("/api/v1/dev/outbox", params={"to": email}).json()["messages"]:
            found = re.search(
                rf"https?://\S+/#/confirm-request/{request_id}/[\w-]+", message["text"]
            )
            if found:
                return found.group(0)
        time.sleep(0.2)
    raise AssertionError("no confirmation email")


def _sent_at(message: dict) -> float:
    from datetime import datetime

    return datetime.fromisoformat(message["sent_at"].replace("Z", "+00:00")).timestamp()


def sign_in(api: httpx.Client, email: str) -> httpx.Client:
    """Sign in through the public API; returns a client that carries the cookie."""
    started = time.time() - 1
    requested = api.post("/api/v1/auth/magic-link", json={"email": email})
    if requested.status_code == 429:
        # The shared officer address signs in often across the suite and may meet the
        # 5-a-minute limit (tested in test_platform_slice): wait as told, as a person would.
        time.sleep(min(int(requested.headers.get("Retry-After", "60")), 61))
        requested = api.post("/api/v1/auth/magic-link", json={"email": email})
    assert requested.status_code == 202, requested.text
    token = emailed_link(api, email, started).split("token=")[1]
    client = httpx.Client(base_url=str(api.base_url), timeout=15)
    response = client.post("/api/v1/auth/verify", json={"token": token})
    assert response.status_code == 200, response.text
    return client


def paying_user(api: httpx.Client, stack: Stack, prefix: str = "buyer") -> httpx.Client:
    """A signed-in user who bought 5 credits (a signed webhook, as Paddle sends it)."""
    from mocky.platform.paddle import post, transaction_completed
    from mocky.platform.settings import DEV_WEBHOOK_SECRET

    user = sign_in(api, f"{prefix}-{uuid.uuid4().hex[:8]}@example.com")
    user_id = user.get("/api/v1/me").json()["id"]
    post(
        stack.gateway_url,
        transaction_completed(user_id, "pri_local_5_credits", 1),
        DEV_WEBHOOK_SECRET,
    )
    return user
