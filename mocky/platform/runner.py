"""Run one nameko service with its configuration taken from the environment.

    python -m mocky.platform.runner auth

SIGTERM stops the service gracefully: entrypoints stop taking new work, running
workers finish (unacknowledged messages go back to their queues), then it exits.
"""

from __future__ import annotations

import eventlet  # noqa: E402

import mocky.platform  # noqa: F401  (silences eventlet's import-time notice)

eventlet.monkey_patch()

import errno  # noqa: E402
import importlib  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402

import structlog  # noqa: E402
from nameko import config  # noqa: E402
from nameko.runners import ServiceRunner  # noqa: E402

from mocky.platform.logs import configure_logging  # noqa: E402
from mocky.platform.metrics import serve_metrics  # noqa: E402
from mocky.platform.settings import SERVICES, check_secrets, get_settings  # noqa: E402


def service_class(service: str) -> type:
    """The service's nameko class, by name (the launcher is the one place that knows
    the services' modules)."""
    module = importlib.import_module(f"services.{service}.service")
    return getattr(module, f"{service.capitalize()}Service")


def nameko_config(service: str) -> dict:
    settings = get_settings()
    return {
        "AMQP_URI": settings.amqp_uri,
        "GRPC_BIND_HOST": settings.grpc_bind_host,
        "GRPC_BIND_PORT": settings.grpc_ports[service],
        "max_workers": 20,
        "HEARTBEAT": 30,
    }


def run_service(cls: type) -> None:
    """nameko's `run`, for one class: SIGTERM stops it gracefully."""
    runner = ServiceRunner()
    runner.add_service(cls)

    def shutdown(signum: int, frame: object) -> None:
        # signal handlers run in the main loop and cannot block on eventlet
        eventlet.spawn_n(runner.stop)

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    runner.start()
    waiter = eventlet.spawn(runner.wait)
    while True:
        try:
            waiter.wait()
            return
        except OSError as exc:  # EINTR from the signal, while eventlet waited on a socket
            if exc.errno != errno.EINTR:
                raise


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in SERVICES:
        print(f"usage: python -m mocky.platform.runner {{{','.join(SERVICES)}}}", file=sys.stderr)
        return 2
    service = argv[0]
    settings = get_settings()
    check_secrets(settings, service)
    configure_logging(service, settings.log_level)
    config.setup(nameko_config(service))
    cls = service_class(service)
    serve_metrics(settings.metrics_ports[service], settings.metrics_bind_host)
    structlog.get_logger().info(
        "service_starting",
        env=settings.env,
        grpc_port=settings.grpc_ports[service],
        metrics_port=settings.metrics_ports[service],
    )
    run_service(cls)
    structlog.get_logger().info("service_stopped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
