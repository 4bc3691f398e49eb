"""The API's browsable documentation at /api/docs: Swagger UI served from the
swagger-ui-bundle-v2 package (no CDN: self-hosted installs may be offline, and the CSP
allows scripts from this site only), started by the web app's `api-docs.js`."""

from __future__ import annotations

import swagger_ui_bundle
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from services.gateway.security import DOCS_ASSETS

PAGE = f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Mocky API</title>
  <link rel="stylesheet" href="{DOCS_ASSETS}swagger-ui.css">
  <link rel="icon" href="/favicon.svg" type="image/svg+xml">
  <script src="{DOCS_ASSETS}swagger-ui-bundle.js" defer></script>
  <script src="/api-docs.js" defer></script>
</head>
<body>
  <main id="swagger-ui"></main>
</body>
</html>
"""


def mount(app: FastAPI) -> None:
    app.mount(
        DOCS_ASSETS.rstrip("/"),
        StaticFiles(directory=swagger_ui_bundle.swagger_ui_path),
        name="api-docs-assets",
    )

    @app.get("/api/docs", include_in_schema=False)
    async def api_docs() -> HTMLResponse:
        return HTMLResponse(PAGE)
