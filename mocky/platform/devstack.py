"""The local stack: the whole platform on its embedded defaults, in the background.

    python -m mocky.platform.devstack up|down|ps|logs [component] [-f]

`up` starts RabbitMQ if it is not running (installing Debian's rabbitmq-server when
missing), nx-27017 as the MongoDB wire server on a Unix socket with its data under the
data directory, makes the services' tokens, declares the broker topology, starts every
service and the gateway, waits until the gateway reports every service ready, and
prints the URL. Blobs go to the local encrypted directory store. Everything under the
data directory is the owner's only (umask 077). Data survives `down`/`up`. The
end-to-end tests use the same code with their own data directory and ports.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mocky.platform import service_auth
from mocky.platform.embedded_mongo import socket_path, socket_url
from mocky.platform.settings import SERVICES

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


class StackError(RuntimeError):
    pass


@dataclass
class Stack:
    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    embedded_mongo: bool = True  # nx-27017 on a socket, unless MONGO_URL names a server

    @classmethod
    def from_env(cls, base: dict[str, str] | None = None) -> Stack:
        environ = dict(os.environ if base is None else base)
        data_dir = Path(environ.get("MOCKY_DATA_DIR", ROOT / ".data")).resolve()
        defaults = {
            "MOCKY_ENV": "dev",
            "MOCKY_COMPLIANCE_OFFICERS": "officer@mocky.local",
            "MONGO_URL": socket_url(socket_path(data_dir / "run")),
            "MOCKY_BLOB_DIR": str(data_dir / "blobs"),
            "MOCKY_OUTBOX_DIR": str(data_dir / "outbox"),
            "PYTHONUNBUFFERED": "1",
        }
        env = {**defaults, **environ, "MOCKY_DATA_DIR": str(data_dir)}
        env.setdefault(
            "MOCKY_PUBLIC_BASE_URL", f"http://127.0.0.1:{env.get('MOCKY_GATEWAY_PORT', '8080')}"
        )
        return cls(data_dir, env, embedded_mongo="MONGO_URL" not in environ)

    # -- paths --

    @property
    def run_dir(self) -> Path:
        return self.data_dir / "run"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    def pid_file(self, name: str) -> Path:
        return self.run_dir / f"{name}.pid"

    def log_file(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"

    @property
    def gateway_url(self) -> str:
        return self.env["MOCKY_PUBLIC_BASE_URL"]

    @property
    def mongo_socket(self) -> Path:
        return socket_path(self.run_dir)

    # -- processes --

    def components(self) -> list[str]:
        return ["mongo", *SERVICES, "gateway"]

    def pid(self, name: str) -> int | None:
        try:
            pid = int(self.pid_file(name).read_text())
        except (FileNotFoundError, ValueError):
            return None
        try:
            # Reap it if it is our own child that exited (the tests start the stack
            # in-process); otherwise a zombie would look alive.
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return None
        except ChildProcessError:
            pass
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        return pid

    def spawn(self, name: str, argv: list[str]) -> int:
        if self.pid(name):
            return self.pid(name)  # type: ignore[return-value]
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_file(name), "ab")  # noqa: SIM115 - handed to the child
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=log,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.pid_file(name).write_text(str(process.pid))
        return process.pid

    def stop(self, name: str, timeout: float = 25.0) -> bool:
        pid = self.pid(name)
        if pid is None:
            self.pid_file(name).unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.pid(name):
            time.sleep(0.1)
        if self.pid(name):
            os.kill(pid, signal.SIGKILL)
        self.pid_file(name).unlink(missing_ok=True)
        return True

    # -- steps of `up` --

    def ensure_rabbitmq(self) -> None:
        amqp = urlsplit(self.env.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/"))
        host, port = amqp.hostname or "127.0.0.1", amqp.port or 5672
        if port_open(host, port):
            return
        if host not in ("127.0.0.1", "localhost"):
            raise StackError(f"RabbitMQ at {host}:{port} does not answer")
        if shutil.which("rabbitmq-server") is None:
            print("installing Debian's rabbitmq-server ...", flush=True)
            subprocess.run(["apt-get", "update", "-qq"], check=True)
            subprocess.run(
                ["apt-get", "install", "-y", "-qq", "rabbitmq-server"],
                check=True,
                env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            )
        print("starting RabbitMQ ...", flush=True)
        subprocess.run(["rabbitmq-server", "-detached"], check=False)
        wait_for(lambda: port_open(host, port), 90, "RabbitMQ")

    def ensure_mongo(self) -> None:
        if not self.embedded_mongo:
            return
        if not self.pid("mongo"):
            self.spawn(
                "mongo",
                [
                    PYTHON,
                    "-m",
                    "mocky.platform.embedded_mongo",
                    "--data-dir",
                    str(self.data_dir / "mongo"),
                    "--socket",
                    str(self.mongo_socket),
                    "--log-file",
                    str(self.log_file("mongo-server")),
                ],
            )
        wait_for(lambda: mongo_answers(self.env["MONGO_URL"]), 30, "nx-27017")

    def make_private(self) -> None:
        """The data directory (database, blobs, outbox, logs, tokens) is the owner's."""
        os.umask(0o077)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir.chmod(0o700)
        service_auth.local_tokens(self.data_dir)  # before any service starts

    def declare_topology(self) -> None:
        subprocess.run(
            [PYTHON, "-m", "mocky.platform.topology"],
            cwd=ROOT,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start_services(self) -> None:
        for service in SERVICES:
            self.spawn(service, [PYTHON, "-m", "mocky.platform.runner", service])
        self.spawn("gateway", [PYTHON, "-m", "services.gateway"])

    def wait_ready(self, timeout: float = 90) -> None:
        def ready() -> bool:
            for name in [*SERVICES, "gateway"]:
                if not self.pid(name):
                    raise StackError(f"{name} exited; see {self.log_file(name)}")
            return http_ok(f"{self.gateway_url}/readyz")

        wait_for(ready, timeout, "the platform")

    def up(self) -> str:
        self.make_private()
        self.ensure_rabbitmq()
        self.ensure_mongo()
        self.declare_topology()
        self.start_services()
        self.wait_ready()
        return self.gateway_url

    def down(self) -> list[str]:
        # Gateway first (no new requests), then services, then the database.
        order = ["gateway", *SERVICES, "mongo"]
        return [name for name in order if self.stop(name)]

    def status(self) -> list[tuple[str, int | None]]:
        return [(name, self.pid(name)) for name in self.components()]


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def mongo_answers(url: str) -> bool:
    import pymongo

    try:
        client: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(
            url, serverSelectionTimeoutMS=500
        )
        client.admin.command("ping")
        client.close()
        return True
    except Exception:
        return False


def http_ok(url: str) -> bool:
    import httpx

    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def wait_for(check, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.25)
    raise StackError(f"{what} did not become ready within {timeout:.0f} s")


def tail(path: Path, lines: int) -> Iterable[str]:
    if not path.exists():
        return []
    return path.read_text(errors="replace").splitlines()[-lines:]


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "ps"
    stack = Stack.from_env()
    if command == "up":
        try:
            url = stack.up()
        except StackError as error:
            print(f"mocky: {error}", file=sys.stderr)
            return 1
        print(
            f"Mocky is up: open {url}  (compliance officer: "
            f"{stack.env['MOCKY_COMPLIANCE_OFFICERS']}; stop with ./task down)"
        )
        return 0
    if command == "down":
        stopped = stack.down()
        print(f"stopped: {', '.join(stopped) if stopped else 'nothing was running'}")
        return 0
    if command == "ps":
        for name, pid in stack.status():
            print(f"{name:10} {'running pid ' + str(pid) if pid else 'stopped'}")
        return 0
    if command == "logs":
        names = [a for a in argv[1:] if not a.startswith("-")] or stack.components()
        follow = "-f" in argv[1:]
        if follow:
            files = [str(stack.log_file(n)) for n in names]
            return subprocess.call(["tail", "-F", *files])
        for name in names:
            for line in tail(stack.log_file(name), 50):
                print(f"{name:10} {line}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
