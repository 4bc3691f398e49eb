"""Paddle webhooks and credits through the public API, signed like Paddle signs."""

from __future__ import annotations

import json
import threading
import time

import httpx

from mocky.platform.paddle import adjustment, post, sign, transaction_completed
from mocky.platform.settings import DEV_WEBHOOK_SECRET
from tests.e2e.conftest import sign_in


def balance(user: httpx.Client) -> int:
    return user.get("/api/v1/billing/balance").json()["credits"]


def signed_post(api: httpx.Client, raw: bytes, header: str) -> httpx.Response:
    return api.post(
        "/api/v1/webhooks/paddle",
        content=raw,
        headers={"Paddle-Signature": header, "Content-Type": "application/json"},
    )


def test_a_completed_transaction_grants_credits_once_however_often_it_arrives(api, stack):
    user = sign_in(api, "buyer@example.com")
    user_id = user.get("/api/v1/me").json()["id"]
    assert balance(user) == 0
    notification = transaction_completed(user_id, "pri_local_5_credits", 1)
    answers = [post(stack.gateway_url, notification, DEV_WEBHOOK_SECRET) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a.json()["status"] for a in answers] == ["accepted", "duplicate", "duplicate"]
    assert balance(user) == 5

    concurrent = transaction_completed(user_id, "pri_local_5_credits", 1)
    results = []
    threads = [
        threading.Thread(
            target=lambda: results.append(
                post(stack.gateway_url, concurrent, DEV_WEBHOOK_SECRET).status_code
            )
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [200, 200]
    assert balance(user) == 10
    history = user.get("/api/v1/billing/payments").json()["payments"]
    assert [p["credits"] for p in history] == [5, 5]
    assert history[0]["currency"] == "EUR" and history[0]["price_ids"] == ["pri_local_5_credits"]
    stranger = sign_in(api, "stranger-buyer@example.com")
    assert stranger.get("/api/v1/billing/payments").json()["payments"] == []


def test_forged_stale_future_tampered_and_unsigned_webhooks_are_refused(api):
    user = sign_in(api, "victim@example.com")
    user_id = user.get("/api/v1/me").json()["id"]
    raw = json.dumps(transaction_completed(user_id, "pri_local_5_credits", 1)).encode()
    now = int(time.time())
    attempts = {
        "wrong secret": signed_post(api, raw, sign(raw, "not-our-secret", now)),
        "stale": signed_post(api, raw, sign(raw, DEV_WEBHOOK_SECRET, now - 3600)),
        "future": signed_post(api, raw, sign(raw, DEV_WEBHOOK_SECRET, now + 3600)),
        "tampered": signed_post(
            api, raw.replace(b'"quantity": 1', b'"quantity": 9'), sign(raw, DEV_WEBHOOK_SECRET, now)
        ),
        "malformed header": signed_post(api, raw, "ts=yesterday;h1=zz"),
        "unsigned": api.post("/api/v1/webhooks/paddle", content=raw),
    }
    for what, response in attempts.items():
        assert 400 <= response.status_code < 500, what
        assert response.json()["error"]["code"] == "invalid_signature", what
    assert balance(user) == 0  # nothing was recorded
    # the genuine notification still goes through afterwards: the forgeries stored nothing
    assert signed_post(api, raw, sign(raw, DEV_WEBHOOK_SECRET, now)).status_code == 200
    assert balance(user) == 5


def test_signed_but_malformed_body_is_a_400(api):
    raw = b'{"event_type": "transaction.completed"}'
    response = signed_post(api, raw, sign(raw, DEV_WEBHOOK_SECRET, int(time.time())))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_webhook"


def test_unknown_price_is_acknowledged_and_grants_nothing(api, stack):
    user = sign_in(api, "odd-price@example.com")
    user_id = user.get("/api/v1/me").json()["id"]
    response = post(
        stack.gateway_url, transaction_completed(user_id, "pri_unknown", 1), DEV_WEBHOOK_SECRET
    )
    assert response.status_code == 200  # Paddle would retry a refusal for days
    assert balance(user) == 0


def test_products_list_the_local_catalogue(api):
    products = api.get("/api/v1/billing/products").json()["products"]
    assert products[0]["price_id"] == "pri_local_5_credits"
    assert products[0]["credits"] == 5


def test_payments_are_scheduled_for_seven_years(api):
    officer = sign_in(api, "officer@mocky.local")
    categories = officer.get("/api/v1/compliance/retention").json()["categories"]
    payments = next(c for c in categories if c["category"] == "payment_record")
    assert payments["scheduled"] >= 2  # the purchases above
    assert payments["period_seconds"] == 2557 * 86400


def test_a_refund_through_the_public_webhook_takes_the_credits_back(api, stack):
    user = sign_in(api, "refunded@example.com")
    user_id = user.get("/api/v1/me").json()["id"]
    purchase = transaction_completed(user_id, "pri_local_5_credits", 1)
    post(stack.gateway_url, purchase, DEV_WEBHOOK_SECRET)
    refund = adjustment("adjustment.updated", purchase["data"]["id"], "refund", "approved", 900)
    assert post(stack.gateway_url, refund, DEV_WEBHOOK_SECRET).status_code == 200
    shown = user.get("/api/v1/billing/balance").json()
    assert shown["credits"] == 0 and not shown["can_start_interview"]
    assert user.get("/api/v1/billing/payments").json()["payments"][0]["credits_taken_back"] == 5


def test_checkout_locally_points_at_the_simulator_and_guests_must_sign_in(api):
    user = sign_in(api, "checkout@example.com")
    user_id = user.get("/api/v1/me").json()["id"]
    local = user.post("/api/v1/billing/checkout", json={"price_id": "pri_local_5_credits"})
    assert local.status_code == 200 and local.json()["environment"] == "local"
    assert f"--user {user_id}" in local.json()["simulator_command"]
    unknown = user.post("/api/v1/billing/checkout", json={"price_id": "pri_nope"})
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "unknown_price"
    guest = httpx.Client(base_url=str(api.base_url))
    guest.post("/api/v1/auth/anonymous")
    assert guest.get("/api/v1/billing/balance").json()["free_interview_available"]
    refused = guest.post("/api/v1/billing/checkout", json={"price_id": "pri_local_5_credits"})
    assert refused.status_code == 403
