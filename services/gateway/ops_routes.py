"""Health and readiness, outside /api/v1."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from mocky.platform.settings import SERVICES
from services.gateway.dependencies import (
    Clients,
)

ops = APIRouter(tags=["ops"])


@ops.get("/healthz")
async def healthz() -> dict:
    """Liveness: the gateway process answers."""
    return {"status": "ok"}


@ops.get("/readyz")
async def readyz(services: Clients) -> JSONResponse:
    """Readiness: every service answers its gRPC health check with SERVING."""
    results = await asyncio.gather(*(services.service_health(name) for name in SERVICES))
    status = dict(zip(SERVICES, results, strict=True))
    ready = all(results)
    return JSONResponse(
        {"status": "ready" if ready else "not_ready", "services": status},
        status_code=200 if ready else 503,
    )
