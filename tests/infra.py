"""Real servers for the tests: nx-27017 (MongoDB wire protocol) and moto's S3 server,
each on a free port with its own data, started once per test session."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
RABBIT_API = os.environ.get("MOCKY_TEST_RABBIT_API", "http://127.0.0.1:15672")


def service_metadata(caller: str) -> list[tuple[str, str]]:
    """The metadata a call from the `caller` service carries (its token)."""
    from mocky.platform import service_auth
    from mocky.platform.settings import get_settings

    return [(service_auth.HEADER, get_settings().service_tokens[caller])]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: S110 - not up yet
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{what} not ready after {timeout} s")


class Server:
    def __init__(self, argv: list[str], url: str, log: Path, env: dict | None = None) -> None:
        self.url = url
        self.log = log
        self.process = subprocess.Popen(
            argv,
            env=env,
            stdout=open(log, "ab"),
            stderr=subprocess.STDOUT,  # noqa: SIM115
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_mongo(workdir: Path) -> Server:
    import pymongo

    port = free_port()
    data = workdir / "mongo"
    data.mkdir(parents=True, exist_ok=True)
    server = Server(
        [
            str(BIN / "nx-27017"),
            "--data-dir",
            str(data),
            "-p",
            str(port),
            "--pid-file",
            str(workdir / "nx.pid"),
            "--log-file",
            str(workdir / "nx.log"),
        ],
        f"mongodb://127.0.0.1:{port}/",
        workdir / "nx.out",
    )
    wait_until(
        lambda: pymongo.MongoClient(server.url, serverSelectionTimeoutMS=300).admin.command("ping"),
        30,
        "nx-27017",
    )
    return server


def start_s3(workdir: Path) -> Server:
    port = free_port()
    server = Server(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        f"http://127.0.0.1:{port}",
        workdir / "moto.out",
    )
    wait_until(lambda: httpx.get(server.url, timeout=1).status_code < 500, 30, "moto S3")
    return server


def start_fake(module: str, workdir: Path, *args: str) -> Server:
    """A fake provider from tests/fakes (a real HTTP server in its own process)."""
    port = free_port()
    server = Server(
        [sys.executable, "-m", f"tests.fakes.{module}", str(port), *args],
        f"http://127.0.0.1:{port}",
        workdir / f"{module}.out",
    )
    wait_until(lambda: httpx.get(server.url + "/", timeout=1).status_code, 30, module)
    return server


def new_vhost() -> str:
    """An isolated RabbitMQ vhost (management API), so runs never see each other's queues."""
    name = f"mocky-test-{uuid.uuid4().hex[:10]}"
    auth = ("guest", "guest")
    httpx.put(f"{RABBIT_API}/api/vhosts/{name}", auth=auth, timeout=10).raise_for_status()
    httpx.put(
        f"{RABBIT_API}/api/permissions/{name}/guest",
        auth=auth,
        timeout=10,
        json={"configure": ".*", "write": ".*", "read": ".*"},
    ).raise_for_status()
    return name


def delete_vhost(name: str) -> None:
    httpx.delete(f"{RABBIT_API}/api/vhosts/{name}", auth=("guest", "guest"), timeout=10)


def temp_workdir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))


def platform_env(data_dir: Path, vhost: str, **extra: str) -> dict[str, str]:
    """The environment of a whole local platform on its own ports, data directory and
    vhost (what the end-to-end tests and the platform benchmarks start)."""
    from mocky.platform.settings import SERVICES

    env = {key: value for key, value in os.environ.items() if not key.startswith("MOCKY_")}
    env.update(
        {
            "MOCKY_DATA_DIR": str(data_dir),
            "MOCKY_ENV": "test",
            "AMQP_URI": f"amqp://guest:guest@127.0.0.1:5672/{vhost}",
            "MOCKY_GATEWAY_PORT": str(free_port()),
            "MOCKY_GATEWAY_METRICS_PORT": str(free_port()),
            "MOCKY_COMPLIANCE_OFFICERS": "officer@mocky.local",
            **extra,
        }
    )
    env.pop("MONGO_URL", None)
    for service in SERVICES:
        env[f"MOCKY_{service.upper()}_GRPC_PORT"] = str(free_port())
        env[f"MOCKY_{service.upper()}_METRICS_PORT"] = str(free_port())
    return env
