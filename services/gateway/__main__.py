"""python -m services.gateway: serve the gateway with uvicorn."""

from __future__ import annotations

import os

import uvicorn

from mocky.platform.logs import configure_logging
from mocky.platform.metrics import serve_metrics
from mocky.platform.settings import get_settings
from services.gateway.app import create_app
from services.gateway.http_server import MAX_CONCURRENCY, HeaderDeadlineProtocol


def main() -> None:
    settings = get_settings()
    configure_logging("gateway", settings.log_level)
    serve_metrics(settings.metrics_ports["gateway"], settings.metrics_bind_host)
    trusted = os.environ.get("MOCKY_TRUSTED_PROXIES", "")
    uvicorn.run(
        create_app(settings),
        host=settings.gateway_host,
        port=settings.gateway_port,
        log_config=None,
        access_log=False,
        http=HeaderDeadlineProtocol,
        limit_concurrency=MAX_CONCURRENCY,
        # The client address (rate limits, usage prefixes) comes from X-Forwarded-For
        # only when it was set by a proxy we trust, e.g. the ingress.
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or None,
        timeout_graceful_shutdown=20,
    )


if __name__ == "__main__":
    main()
