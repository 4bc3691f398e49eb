"""Paddle's API through Paddle's own SDK: creating the transaction a checkout opens."""

from __future__ import annotations

from dataclasses import dataclass

import requests
from paddle_billing import Client, Environment, Options
from paddle_billing.Exceptions.ApiError import ApiError

from mocky.platform.errors import InvalidArgument, Unavailable


@dataclass(frozen=True)
class Endpoint:
    """Duck-types the SDK's Environment (it only reads `base_url`), so the same client
    can talk to a local fake Paddle in tests."""

    base_url: str


@dataclass(frozen=True)
class Checkout:
    transaction_id: str
    checkout_url: str


class PaddleApi:
    def __init__(
        self, api_key: str, environment: str, base_url: str = "", timeout: float = 10.0
    ) -> None:
        target = Endpoint(base_url) if base_url else Environment(environment)
        # The SDK logs nothing unless given a logger; its retries (429/5xx, backoff)
        # apply to https only, which is what Paddle serves.
        self.client = Client(api_key, options=Options(target), timeout=timeout)  # type: ignore[arg-type]

    def create_transaction(self, price_id: str, user_id: str) -> Checkout:
        payload = {
            "items": [{"price_id": price_id, "quantity": 1}],
            "custom_data": {"user_id": user_id},
            "collection_mode": "automatic",
        }
        try:
            response = self.client.post_raw("/transactions", payload)  # type: ignore[arg-type]
            data = response.json()["data"]
        except ApiError as error:
            if error.response is not None and error.response.status_code < 500:
                raise InvalidArgument(
                    f"Paddle refused the checkout: {error.error_code}", code="checkout_refused"
                ) from None
            raise Unavailable("Paddle is unavailable") from None
        except (requests.RequestException, ValueError, KeyError):
            raise Unavailable("Paddle is unavailable") from None
        return Checkout(str(data["id"]), str((data.get("checkout") or {}).get("url") or ""))
