"""Gateway behaviour that needs no service: error mapping, CSRF, headers, cookies."""

import json

import grpc
import pytest
from fastapi.testclient import TestClient

from mocky.platform.settings import Settings
from services.gateway.app import create_app
from services.gateway.clients import api_error_from_rpc
from services.gateway.security import cookie_name


class FakeRpcError(grpc.aio.AioRpcError):
    def __init__(self, code, details):
        super().__init__(code, grpc.aio.Metadata(), grpc.aio.Metadata(), details)


@pytest.mark.parametrize(
    "code,detail,status,api_code",
    [
        (
            grpc.StatusCode.UNAUTHENTICATED,
            {"code": "link_expired", "message": "m"},
            401,
            "link_expired",
        ),
        (grpc.StatusCode.NOT_FOUND, {"code": "not_found", "message": "m"}, 404, "not_found"),
        (
            grpc.StatusCode.FAILED_PRECONDITION,
            {"code": "payment_required", "message": "m"},
            402,
            "payment_required",
        ),
        (
            grpc.StatusCode.FAILED_PRECONDITION,
            {"code": "finished", "message": "m"},
            409,
            "finished",
        ),
        (
            grpc.StatusCode.RESOURCE_EXHAUSTED,
            {"code": "rate_limited", "message": "m", "retry_after": 30},
            429,
            "rate_limited",
        ),
        (grpc.StatusCode.UNAVAILABLE, None, 503, "unavailable"),
        (
            grpc.StatusCode.INTERNAL,
            {"code": "internal", "message": "Traceback ..."},
            500,
            "internal",
        ),
    ],
)
def test_grpc_statuses_become_http_errors(code, detail, status, api_code):
    error = api_error_from_rpc(FakeRpcError(code, json.dumps(detail) if detail else "boom"))
    assert (error.status, error.code) == (status, api_code)
    assert "Traceback" not in error.message


@pytest.fixture
def client():
    settings = Settings(env="test", public_base_url="http://127.0.0.1:8080")
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8080") as test_client:
        yield test_client


def test_cross_site_post_is_refused_before_reaching_a_service(client):
    response = client.post(
        "/api/v1/auth/magic-link",
        json={"email": "a@example.com"},
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_rejected"


def test_malformed_body_is_a_400_with_the_error_shape(client):
    response = client.post("/api/v1/auth/verify", json={"nope": 1})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"


def test_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_pages_carry_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_the_web_app_is_revalidated_and_the_api_never_cached(client):
    script = client.get("/app.js")
    assert script.status_code == 200 and script.headers["cache-control"] == "no-cache"
    again = client.get("/app.js", headers={"If-None-Match": script.headers["etag"]})
    assert again.status_code == 304
    assert client.get("/api/v1/me").headers["cache-control"] == "no-store"


def test_me_without_a_cookie_is_401(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401


def test_dev_routes_do_not_exist_in_production():
    settings = Settings(env="production", cookie_secure=True, blob_backend="s3")
    with TestClient(create_app(settings)) as test_client:
        assert test_client.get("/api/v1/dev/outbox", params={"to": "a@b.co"}).status_code == 404
        assert test_client.post("/api/v1/dev/clock", json={"advance_seconds": 1}).status_code == 404


def test_secure_cookie_uses_the_host_prefix():
    assert cookie_name(Settings(cookie_secure=True)) == "__Host-mocky_session"
    assert cookie_name(Settings(cookie_secure=False)) == "mocky_session"


def test_openapi_document_lists_the_public_paths(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/v1/auth/magic-link",
        "/api/v1/auth/verify",
        "/api/v1/me",
        "/api/v1/compliance/retention",
        "/api/v1/documents",
        "/api/v1/interviews",
        "/api/v1/interviews/{interview_id}/answers",
        "/api/v1/interviews/{interview_id}/report",
        "/api/v1/interviews/{interview_id}/replay",
        "/api/v1/billing/checkout",
        "/api/v1/privacy/consents",
        "/api/v1/privacy/requests",
        "/api/v1/compliance/deletions",
        "/api/v1/compliance/incidents",
        "/api/v1/compliance/ropa",
        "/api/v1/compliance/audit-log",
        "/healthz",
        "/readyz",
    ):
        assert path in paths


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/ok\r\nSet-Cookie: x=1",
    ],
)
def test_open_redirect_after_sign_in_is_refused_before_the_link_is_used(client, target):
    response = client.get(
        "/api/v1/auth/verify", params={"token": "x" * 43, "next": target}, follow_redirects=False
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_redirect"


def test_a_browser_opening_a_broken_emailed_link_gets_a_page_with_the_same_status(client):
    link = {"token": "x" * 43, "next": "//evil.example"}
    page = client.get(
        "/api/v1/auth/verify", params=link, headers={"Accept": "text/html"}, follow_redirects=False
    )
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert "Redirects go to a path of this site only." in page.text
    assert 'href="/#/sign-in"' in page.text and "<script" not in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    cut_short = client.get("/api/v1/me/email/confirm", headers={"Accept": "text/html"})
    assert cut_short.status_code == 400 and "missing fields: token" in cut_short.text
    # An API client asking the same gets the JSON error body.
    assert client.get("/api/v1/me/email/confirm").json()["error"]["code"] == "invalid_request"


def test_only_emailed_links_answer_browsers_with_a_page(client):
    other = client.get("/api/v1/compliance/usage", headers={"Accept": "text/html"})
    assert other.status_code == 401 and other.json()["error"]["code"]


def test_an_emailed_sign_in_link_opens_a_page_and_signs_nobody_in(client):
    """Login CSRF: another site sending a guest's browser to a sign-in link signed it in
    as the attacker. Opening the link now only opens the app's page for it."""
    token = "A1b2-C3d4_" * 4
    opened = client.get(
        "/api/v1/auth/verify", params={"token": token, "next": "/#/billing"}, follow_redirects=False
    )
    assert opened.status_code == 303
    assert opened.headers["location"] == f"/#/sign-in-link/{token}?next=/%23/billing"
    assert "set-cookie" not in opened.headers
    confirm = client.get(
        "/api/v1/me/email/confirm", params={"token": token}, follow_redirects=False
    )
    assert confirm.headers["location"] == f"/#/confirm-email/{token}"
    cancel = client.get("/api/v1/me/email/cancel", params={"token": token}, follow_redirects=False)
    assert cancel.headers["location"] == f"/#/cancel-email-change/{token}"
    odd = client.get("/api/v1/auth/verify", params={"token": "a/../b"}, follow_redirects=False)
    assert odd.status_code == 400


def test_the_sign_in_button_posts_from_this_site_only(client):
    refused = client.post(
        "/api/v1/auth/verify",
        json={"token": "x" * 43},
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_rejected"


def test_a_body_over_its_route_limit_is_refused_before_it_is_read(client):
    big = b"x" * (1024 * 1024 + 1)
    declared = client.post("/api/v1/webhooks/paddle", content=big)
    assert declared.status_code == 413 and declared.json()["error"]["code"] == "too_large"
    assert "script-src 'self'" in declared.headers["content-security-policy"]

    def chunks():  # no Content-Length: counted as it streams
        for _ in range(40):
            yield b"x" * (64 * 1024)

    chunked = client.post("/api/v1/webhooks/paddle", content=chunks())
    assert chunked.status_code == 413
    small_route = client.post(
        "/api/v1/auth/magic-link",
        content=b'{"email": "' + b"a" * 70_000 + b'@example.com"}',
        headers={"Content-Type": "application/json"},
    )
    assert small_route.status_code == 413  # 64 KB for everything else


def test_unexpected_errors_are_json_500s_with_the_security_headers(client):
    def broken():  # type: ignore[no-untyped-def]
        raise RuntimeError("internal detail")

    from services.gateway import dependencies

    client.app.dependency_overrides[dependencies.clients] = broken
    try:
        response = client.get("/api/v1/billing/products")
    finally:
        client.app.dependency_overrides.clear()
    assert response.status_code == 500
    assert response.json() == {"error": {"code": "internal", "message": "internal error"}}
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "internal detail" not in response.text


@pytest.mark.parametrize("token", ["u.%C2%B2%C2%B3.x", "%C2%B2.1.x", "a.1." + "é" * 64])
def test_link_tokens_with_unicode_digits_are_refused_not_a_500(client, token):
    response = client.get(f"/api/v1/audio/x?token={token}")
    assert response.status_code == 401
    assert response.headers["x-frame-options"] == "DENY"
