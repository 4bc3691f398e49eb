"""Billing's outside client, behind a DependencyProvider so that worker_factory can
swap it: Paddle's API (None when no API key is configured: local checkouts then)."""

from __future__ import annotations

from typing import Any

from nameko.extensions import DependencyProvider

from mocky.platform.settings import get_settings
from services.billing.paddle_api import PaddleApi


class Paddle(DependencyProvider):
    def setup(self) -> None:
        settings = get_settings()
        self.api: PaddleApi | None = (
            PaddleApi(
                settings.paddle_api_key, settings.paddle_environment, settings.paddle_api_base_url
            )
            if settings.paddle_api_key
            else None
        )

    def get_dependency(self, worker_ctx: Any) -> PaddleApi | None:
        return self.api
