"""python -m services.gateway: serve the gateway with uvicorn."""

from __future__ import annotations

import uvicorn

from mocky.platform.logs import configure_logging
from mocky.platform.metrics import serve_metrics
from mocky.platform.settings import get_settings
from services.gateway.app import create_app


def main() -> None:
    settings = get_settings()
    configure_logging("gateway", settings.log_level)
    serve_metrics(settings.metrics_ports["gateway"])
    uvicorn.run(
        create_app(settings),
        host=settings.gateway_host,
        port=settings.gateway_port,
        log_config=None,
        access_log=False,
        proxy_headers=False,
        timeout_graceful_shutdown=20,
    )


if __name__ == "__main__":
    main()
