"""A local Paddle API that speaks Paddle's documented wire format for creating a
transaction (POST /transactions): Bearer API key, `Paddle-Version`, the `{data, meta}`
envelope, and its error shape `{error: {type, code, detail, documentation_url}}`.

    python -m tests.fakes.paddle_api PORT API_KEY

GET /_requests lists what it received (for the tests); POST /_fail {status, times}
makes the next calls fail with that status (429 carries Retry-After)."""

from __future__ import annotations

import json
import secrets
import sys
from http.server import ThreadingHTTPServer

from tests.fakes.http import JsonHandler

KNOWN_PRICES = {"pri_local_5_credits"}
received: list[dict] = []
failures: list[int] = []


def paddle_error(status: int, code: str, detail: str) -> tuple[int, dict]:
    return status, {
        "error": {
            "type": "request_error" if status < 500 else "api_error",
            "code": code,
            "detail": detail,
            "documentation_url": f"https://developer.paddle.com/v1/errors/shared/{code}",
        },
        "meta": {"request_id": secrets.token_hex(8)},
    }


def create_transaction(headers: dict, body: dict) -> tuple[int, dict]:
    if headers.get("authorization") != f"Bearer {API_KEY}":
        return paddle_error(403, "forbidden", "You aren't permitted to perform this request.")
    if headers.get("paddle-version") != "1":
        return paddle_error(400, "invalid_field", "Paddle-Version must be 1")
    items = body.get("items") or []
    if not items or any(item.get("price_id") not in KNOWN_PRICES for item in items):
        return paddle_error(404, "entity_not_found", "Price not found")
    transaction_id = "txn_" + secrets.token_hex(13)
    return 201, {
        "data": {
            "id": transaction_id,
            "status": "ready",
            "custom_data": body.get("custom_data"),
            "collection_mode": body.get("collection_mode", "automatic"),
            "items": [
                {"price": {"id": item["price_id"]}, "quantity": item.get("quantity", 1)}
                for item in items
            ],
            "checkout": {"url": f"https://pay.example.test/checkout?_ptxn={transaction_id}"},
        },
        "meta": {"request_id": secrets.token_hex(8)},
    }


class Handler(JsonHandler):
    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/_requests":
            self.send_json(200, {"requests": received})
        else:
            self.send_json(*paddle_error(404, "not_found", "no such path"))

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        if self.path == "/_fail":
            failures.extend([int(body["status"])] * int(body.get("times", 1)))
            self.send_json(200, {})
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        received.append({"path": self.path, "body": body})
        if failures:
            status = failures.pop(0)
            extra = {"Retry-After": "1"} if status == 429 else {}
            self.send_json(*paddle_error(status, "too_many_requests", "slow down"), extra)
        elif self.path == "/transactions":
            self.send_json(*create_transaction(headers, body))
        else:
            self.send_json(*paddle_error(404, "not_found", "no such path"))


if __name__ == "__main__":
    API_KEY = sys.argv[2]
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
