"""Run a test suite with what it needs started first.

    python -m mocky.platform.testrun unit|integration|e2e|ensure-broker [pytest args]

Unit tests (and the deploy checks: manifests rendered offline) need nothing.
Integration and end-to-end tests need RabbitMQ with its management API (nameko's
fixtures make a vhost per test through it); the tests themselves start nx-27017,
moto's S3 server and, for end-to-end, the platform.
Nameko-based suites run under `nameko test` (eventlet monkey-patching); the gateway
and end-to-end suites are asyncio/plain clients and run under plain pytest.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from mocky.platform.devstack import ROOT, Stack, StackError, wait_for

BIN = Path(sys.executable).parent
PYTEST_FLAGS = ["-p", "no:cacheprovider", "-q"]


def ensure_broker() -> None:
    stack = Stack.from_env()
    stack.ensure_rabbitmq()
    if not http_ok_auth("http://127.0.0.1:15672/api/overview"):
        plugins = shutil.which("rabbitmq-plugins") or "/usr/sbin/rabbitmq-plugins"
        subprocess.run(
            [plugins, "enable", "rabbitmq_management"], check=True, stdout=subprocess.DEVNULL
        )
        wait_for(
            lambda: http_ok_auth("http://127.0.0.1:15672/api/overview"),
            60,
            "RabbitMQ management API",
        )


def http_ok_auth(url: str) -> bool:
    import httpx

    try:
        return httpx.get(url, auth=("guest", "guest"), timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def run(argv: list[str]) -> int:
    print("$", " ".join(argv), flush=True)
    return subprocess.call(argv, cwd=ROOT)


def nameko_test(paths: list[str], extra: list[str]) -> int:
    return run([str(BIN / "nameko"), "test", *paths, *PYTEST_FLAGS, *extra])


def plain_pytest(paths: list[str], extra: list[str]) -> int:
    return run(
        [
            str(BIN / "pytest"),
            *paths,
            *PYTEST_FLAGS,
            "--suppress-nameko-eventlet-notification",
            *extra,
        ]
    )


def main(argv: list[str]) -> int:
    suite, extra = (argv[0] if argv else "unit"), argv[1:]
    try:
        if suite in ("integration", "e2e", "ensure-broker"):
            ensure_broker()
    except StackError as error:
        print(f"testrun: {error}", file=sys.stderr)
        return 1
    if suite == "ensure-broker":
        return 0
    if suite == "unit":
        first = nameko_test(
            ["services", "mocky/platform/tests", "--ignore=services/gateway"], extra
        )
        second = plain_pytest(["services/gateway/tests", "tests/deploy"], extra)
        return first or second
    if suite == "integration":
        return nameko_test(["tests/integration"], extra)
    if suite == "e2e":
        return plain_pytest(["tests/e2e"], extra)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
