"""The foundation slice over the gateway's public HTTP API, against the real
processes: sign in by magic link, see yourself, and the compliance officer sees the
new account in the retention schedule. Tests run in file order on one platform."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from tests.e2e.conftest import emailed_link, sign_in


def wait_for(check, timeout=10.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    return check()


def test_platform_reports_ready_with_every_service(api):
    response = api.get("/readyz")
    assert response.status_code == 200
    assert set(response.json()["services"]) == {"auth", "sessions", "voice", "billing", "privacy"}
    assert api.get("/healthz").json() == {"status": "ok"}


def test_sign_in_by_magic_link_then_see_yourself(api):
    user = sign_in(api, "Ada@Example.com")
    me = user.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["email"] == "ada@example.com"
    assert me.json()["roles"] == ["candidate"]


def test_session_cookie_flags(api):
    started = time.time() - 1
    api.post("/api/v1/auth/magic-link", json={"email": "cookie@example.com"})
    token = emailed_link(api, "cookie@example.com", started).split("token=")[1]
    response = api.post("/api/v1/auth/verify", json={"token": token})
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith("mocky_session=")  # plain-http local run: no __Host- prefix
    for flag in ("httponly", "samesite=lax", "path=/", "max-age=604800"):
        assert flag in cookie
    assert "domain=" not in cookie


def test_the_emailed_link_opens_a_page_whose_button_signs_in(api, stack):
    started = time.time() - 1
    api.post("/api/v1/auth/magic-link", json={"email": "grace@example.com"})
    link = emailed_link(api, "grace@example.com", started)
    assert link.startswith(f"{stack.gateway_url}/api/v1/auth/verify?token=")
    token = link.split("token=")[1]
    with httpx.Client(base_url=stack.gateway_url, timeout=15) as browser:
        response = browser.get(link, follow_redirects=True)  # a mail scanner does this too
        assert response.status_code == 200 and str(response.url).endswith(
            f"/#/sign-in-link/{token}"
        )
        assert browser.get("/api/v1/me").status_code == 401
        info = browser.post("/api/v1/auth/link-info", json={"token": token, "purpose": "sign_in"})
        assert info.json()["email"] == "grace@example.com"
        assert browser.post("/api/v1/auth/verify", json={"token": token}).status_code == 200
        assert browser.get("/api/v1/me").json()["email"] == "grace@example.com"


def test_a_link_works_once(api):
    started = time.time() - 1
    api.post("/api/v1/auth/magic-link", json={"email": "once@example.com"})
    token = emailed_link(api, "once@example.com", started).split("token=")[1]
    assert api.post("/api/v1/auth/verify", json={"token": token}).status_code == 200
    reused = api.post("/api/v1/auth/verify", json={"token": token})
    assert reused.status_code == 401
    assert reused.json()["error"]["code"] == "invalid_link"


def test_a_link_signs_in_only_the_address_it_was_sent_to(api):
    started = time.time() - 1
    for email in ("first@example.com", "second@example.com"):
        api.post("/api/v1/auth/magic-link", json={"email": email})
    token = emailed_link(api, "first@example.com", started).split("token=")[1]
    with httpx.Client(base_url=str(api.base_url)) as browser:
        assert browser.post("/api/v1/auth/verify", json={"token": token}).status_code == 200
        assert browser.get("/api/v1/me").json()["email"] == "first@example.com"


def test_unknown_and_tampered_tokens_are_401(api):
    for token in ("x" * 43, "not-a-token", "A" * 256):
        response = api.post("/api/v1/auth/verify", json={"token": token})
        assert response.status_code == 401
        assert set(response.json()) == {"error"}


def test_known_and_unknown_addresses_get_the_same_answer(api):
    sign_in(api, "known@example.com")
    known = api.post("/api/v1/auth/magic-link", json={"email": "known@example.com"})
    unknown = api.post("/api/v1/auth/magic-link", json={"email": "nobody-yet@example.com"})
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())


def test_sixth_link_request_within_a_minute_is_a_429_with_retry_after(api):
    statuses = [
        api.post("/api/v1/auth/magic-link", json={"email": "eager@example.com"}) for _ in range(6)
    ]
    assert [r.status_code for r in statuses] == [202] * 5 + [429]
    refused = statuses[-1]
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    other = api.post("/api/v1/auth/magic-link", json={"email": "patient@example.com"})
    assert other.status_code == 202  # the limit is per address


def test_malformed_address_is_a_400(api):
    response = api.post("/api/v1/auth/magic-link", json={"email": "not an address"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_email"


def test_emailed_link_ignores_a_foreign_host_header(api, stack):
    started = time.time() - 1
    api.post(
        "/api/v1/auth/magic-link",
        json={"email": "host@example.com"},
        headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"},
    )
    link = emailed_link(api, "host@example.com", started)
    assert link.startswith(f"{stack.gateway_url}/")
    assert "evil" not in link


def test_officer_sees_new_accounts_in_the_retention_schedule(api):
    officer = sign_in(api, "officer@mocky.local")
    assert "compliance_officer" in officer.get("/api/v1/me").json()["roles"]

    def account_status():  # type: ignore[no-untyped-def]
        body = officer.get("/api/v1/compliance/retention").json()
        account = next(c for c in body["categories"] if c["category"] == "account")
        return account if account["scheduled"] >= 1 else None

    before = wait_for(account_status)
    assert before, "the officer's own account is scheduled"
    sign_in(api, "newcomer@example.com")
    after = wait_for(lambda: (s := account_status()) and s["scheduled"] > before["scheduled"] and s)
    assert after["scheduled"] == before["scheduled"] + 1
    assert after["starts_at"] == "deletion" and after["due"] == 0 and after["overdue"] == 0
    usage = next(
        c
        for c in officer.get("/api/v1/compliance/retention").json()["categories"]
        if c["category"] == "usage_log"
    )
    assert usage["scheduled"] >= 2  # every sign-in is a usage fact, kept 90 days


def test_candidates_cannot_see_the_compliance_console(api):
    candidate = sign_in(api, "curious@example.com")
    response = candidate.get("/api/v1/compliance/retention")
    assert response.status_code == 403
    assert api.get("/api/v1/compliance/retention").status_code == 401


def test_officers_grant_and_revoke_the_officer_role(api):
    officer = sign_in(api, "officer@mocky.local")
    deputy = sign_in(api, "deputy@example.com")
    deputy_id = deputy.get("/api/v1/me").json()["id"]
    assert (
        deputy.put("/api/v1/compliance/officers", json={"email": "deputy@example.com"}).status_code
        == 403
    )

    granted = officer.put("/api/v1/compliance/officers", json={"email": "deputy@example.com"})
    assert granted.status_code == 200 and granted.json()["changed"] is True
    assert deputy.get("/api/v1/compliance/retention").status_code == 200
    emails = [u["email"] for u in officer.get("/api/v1/compliance/officers").json()]
    assert "deputy@example.com" in emails

    own_id = officer.get("/api/v1/me").json()["id"]
    assert officer.delete(f"/api/v1/compliance/officers/{own_id}").status_code == 409
    revoked = officer.delete(f"/api/v1/compliance/officers/{deputy_id}")
    assert revoked.status_code == 200 and revoked.json()["changed"] is True
    assert deputy.get("/api/v1/compliance/retention").status_code == 403
    unknown = officer.put("/api/v1/compliance/officers", json={"email": "nobody@example.com"})
    assert unknown.status_code == 404


def test_moving_the_clock_expires_links(api):
    started = time.time() - 1
    api.post("/api/v1/auth/magic-link", json={"email": "late@example.com"})
    token = emailed_link(api, "late@example.com", started).split("token=")[1]
    moved = api.post("/api/v1/dev/clock", json={"advance_seconds": 601})
    assert moved.status_code == 200
    assert set(moved.json()["services"]) == {"auth", "sessions", "voice", "billing", "privacy"}
    expired = api.post("/api/v1/auth/verify", json={"token": token})
    assert expired.status_code == 401
    assert expired.json()["error"]["code"] == "link_expired"


def test_sign_out_ends_the_session_at_once(api):
    user = sign_in(api, "leaving@example.com")
    assert user.get("/api/v1/me").status_code == 200
    stolen = dict(user.cookies)  # the same cookie, kept by someone else
    assert user.post("/api/v1/auth/sign-out").status_code == 204
    assert user.get("/api/v1/me").status_code == 401  # the cookie was cleared
    with httpx.Client(base_url=str(api.base_url), cookies=stolen) as replay:
        refused = replay.get("/api/v1/me")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "session_revoked"


def test_a_user_sees_and_revokes_their_own_sessions_only(api):
    laptop = sign_in(api, "two-devices@example.com")
    phone = sign_in(api, "two-devices@example.com")
    sessions = laptop.get("/api/v1/auth/sessions").json()
    assert len(sessions) == 2 and sum(s["current"] for s in sessions) == 1
    phone_id = next(s["id"] for s in sessions if not s["current"])

    stranger = sign_in(api, "stranger@example.com")
    assert stranger.delete(f"/api/v1/auth/sessions/{phone_id}").status_code == 404
    assert phone.get("/api/v1/me").status_code == 200

    assert laptop.delete(f"/api/v1/auth/sessions/{phone_id}").status_code == 204
    assert phone.get("/api/v1/me").status_code == 401
    assert laptop.get("/api/v1/me").status_code == 200


def test_emailed_link_may_lead_to_a_page_of_this_site(api, stack):
    started = time.time() - 1
    api.post("/api/v1/auth/magic-link", json={"email": "deep@example.com"})
    link = emailed_link(api, "deep@example.com", started)
    with httpx.Client(timeout=15) as browser:
        evil = browser.get(link + "&next=https://evil.example/")
        assert evil.status_code == 400
        followed = browser.get(link + "&next=/interviews", follow_redirects=False)
        token = link.split("token=")[1]
        assert followed.status_code == 303
        assert followed.headers["location"] == f"/#/sign-in-link/{token}?next=/interviews"


def guest_signs_in(api, guest: httpx.Client, email: str) -> None:
    started = time.time() - 1
    api.post("/api/v1/auth/magic-link", json={"email": email})
    token = emailed_link(api, email, started).split("token=")[1]
    assert guest.post("/api/v1/auth/verify", json={"token": token}).status_code == 200


def test_guest_keeps_their_identity_when_signing_up(api):
    guest = httpx.Client(base_url=str(api.base_url), timeout=15)
    started = guest.post("/api/v1/auth/anonymous")
    assert started.status_code == 201 and started.json()["guest"] is True
    guest_id = guest.get("/api/v1/me").json()["id"]

    guest_signs_in(api, guest, "was-a-guest@example.com")

    me = guest.get("/api/v1/me").json()
    assert me["id"] == guest_id  # everything the guest made is still theirs
    assert me["guest"] is False and me["email"] == "was-a-guest@example.com"


def test_guest_signing_in_to_an_existing_account_lands_in_that_account(api):
    account_id = sign_in(api, "returning@example.com").get("/api/v1/me").json()["id"]
    guest = httpx.Client(base_url=str(api.base_url), timeout=15)
    guest.post("/api/v1/auth/anonymous")
    guest_cookie = dict(guest.cookies)

    guest_signs_in(api, guest, "returning@example.com")

    assert guest.get("/api/v1/me").json()["id"] == account_id
    with httpx.Client(base_url=str(api.base_url), cookies=guest_cookie) as old_guest:
        assert old_guest.get("/api/v1/me").status_code == 401  # the guest session ended


def latest_token(api, email: str, started: float) -> str:
    return emailed_link(api, email, started).split("token=")[1]


def test_changing_the_email_address_is_confirmed_by_the_new_one(api):
    user = sign_in(api, "old-address@example.com")
    user_id = user.get("/api/v1/me").json()["id"]
    started = time.time() - 1
    asked = user.post("/api/v1/me/email", json={"new_email": "new-address@example.com"})
    assert asked.status_code == 202
    notice = api.get("/api/v1/dev/outbox", params={"to": "old-address@example.com"}).json()
    assert notice["messages"][0]["subject"] == "Your Mocky email address is being changed"
    token = latest_token(api, "new-address@example.com", started)

    started = time.time() - 1  # a sign-in link cannot confirm an address change
    api.post("/api/v1/auth/magic-link", json={"email": "new-address@example.com"})
    wrong_purpose = latest_token(api, "new-address@example.com", started)
    assert api.post("/api/v1/me/email/confirm", json={"token": wrong_purpose}).status_code == 401

    confirmed = user.post("/api/v1/me/email/confirm", json={"token": token})
    assert confirmed.status_code == 200 and confirmed.json()["user"]["id"] == user_id
    assert user.get("/api/v1/me").json()["email"] == "new-address@example.com"
    assert api.post("/api/v1/me/email/confirm", json={"token": token}).status_code == 401


def test_email_change_to_an_address_in_use_is_a_409(api):
    sign_in(api, "taken@example.com")
    user = sign_in(api, "wants-taken@example.com")
    started = time.time() - 1
    assert user.post("/api/v1/me/email", json={"new_email": "taken@example.com"}).status_code == 202
    token = latest_token(api, "taken@example.com", started)
    clash = api.post("/api/v1/me/email/confirm", json={"token": token})
    assert clash.status_code == 409 and clash.json()["error"]["code"] == "email_taken"


def test_changing_the_email_needs_a_recent_sign_in(api):
    user = sign_in(api, "stale@example.com")
    api.post("/api/v1/dev/clock", json={"advance_seconds": 11 * 60})
    refused = user.post("/api/v1/me/email", json={"new_email": "fresh@example.com"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "reauthentication_required"


def test_patch_me_corrects_the_email_through_the_same_confirmation(api):
    user = sign_in(api, "patch-me@example.com")
    started = time.time() - 1
    asked = user.patch("/api/v1/me", json={"email": "patched@example.com"})
    assert asked.status_code == 202 and asked.json() == {"status": "confirmation_sent"}
    assert user.get("/api/v1/me").json()["email"] == "patch-me@example.com"  # not yet
    token = latest_token(api, "patched@example.com", started)
    assert user.post("/api/v1/me/email/confirm", json={"token": token}).status_code == 200
    assert user.get("/api/v1/me").json()["email"] == "patched@example.com"
    refused = user.patch("/api/v1/me", json={"roles": ["compliance_officer"]})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "invalid_request"
    assert "compliance_officer" not in user.get("/api/v1/me").json()["roles"]


def test_one_account_cannot_reach_another_accounts_data(api):
    alice = sign_in(api, "alice@example.com")
    bob = sign_in(api, "bob@example.com")
    alice_id = alice.get("/api/v1/me").json()["id"]
    alice_sessions = {s["id"] for s in alice.get("/api/v1/auth/sessions").json()}
    bob_sessions = {s["id"] for s in bob.get("/api/v1/auth/sessions").json()}
    assert alice_sessions.isdisjoint(bob_sessions)  # each sees only their own
    for session_id in alice_sessions:
        assert bob.delete(f"/api/v1/auth/sessions/{session_id}").status_code == 404
    assert bob.get("/api/v1/me").json()["id"] != alice_id
    assert bob.delete(f"/api/v1/compliance/officers/{alice_id}").status_code == 403
    assert alice.get("/api/v1/me").status_code == 200  # nothing of hers was touched


def test_every_service_serves_prometheus_metrics(stack):
    for service in ("auth", "privacy", "gateway"):
        port = stack.env[f"MOCKY_{service.upper()}_METRICS_PORT"]
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
        expected = (
            "mocky_http_requests_total" if service == "gateway" else "mocky_entrypoint_calls_total"
        )
        assert expected in text
    auth_port = stack.env["MOCKY_AUTH_METRICS_PORT"]
    auth_metrics = httpx.get(f"http://127.0.0.1:{auth_port}/metrics", timeout=5).text
    assert 'entrypoint="VerifyMagicLink"' in auth_metrics
    privacy_port = stack.env["MOCKY_PRIVACY_METRICS_PORT"]
    privacy_metrics = httpx.get(f"http://127.0.0.1:{privacy_port}/metrics", timeout=5).text
    assert "mocky_event_consumption_lag_seconds_count" in privacy_metrics


def test_data_and_sessions_survive_down_and_up(api, stack):
    user = sign_in(api, "durable@example.com")
    stack.down()
    stack.up()
    me = user.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["email"] == "durable@example.com"


def test_database_down_is_a_503_and_recovers(api, stack):
    user = sign_in(api, "outage@example.com")
    stack.stop("mongo")
    try:
        response = user.get("/api/v1/me")
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "unavailable"
        assert "Retry-After" in response.headers
    finally:
        stack.ensure_mongo()
    assert wait_for(lambda: user.get("/api/v1/me").status_code == 200, 20)


def test_deleted_account_is_signed_out_everywhere_and_cannot_sign_in(api):
    laptop = sign_in(api, "goodbye@example.com")
    phone = sign_in(api, "goodbye@example.com")
    started = time.time() - 1
    api.post("/api/v1/auth/magic-link", json={"email": "goodbye@example.com"})
    unused_token = emailed_link(api, "goodbye@example.com", started).split("token=")[1]

    deleted = laptop.delete("/api/v1/me")
    assert deleted.status_code == 202 and deleted.json()["sessions_ended"] == 2
    assert laptop.get("/api/v1/me").status_code == 401
    assert phone.get("/api/v1/me").status_code == 401
    late = api.post("/api/v1/auth/verify", json={"token": unused_token})
    assert late.status_code == 401 and late.json()["error"]["code"] == "account_deleted"
    again = api.post("/api/v1/auth/magic-link", json={"email": "goodbye@example.com"})
    assert again.status_code == 202  # the same answer as for anyone
    messages = api.get("/api/v1/dev/outbox", params={"to": "goodbye@example.com"}).json()
    subjects = [m["subject"] for m in messages["messages"]]
    assert subjects[0] == "Your Mocky account is being deleted"  # no new sign-in link


def test_account_retention_starts_at_the_deletion_request(api):
    def account():  # type: ignore[no-untyped-def]
        officer = sign_in(api, "officer@mocky.local")  # fresh: the clock moves below
        body = officer.get("/api/v1/compliance/retention").json()
        return next(c for c in body["categories"] if c["category"] == "account")

    before = account()
    assert before["due"] == 0  # ended accounts are due only 30 days after they ended
    api.post("/api/v1/dev/clock", json={"advance_seconds": 29 * 86400})
    assert account()["due"] == 0  # the day before
    api.post("/api/v1/dev/clock", json={"advance_seconds": 86400 + 60})
    after = account()
    # the account deleted above, and the guest merged into an existing account earlier
    assert after["due"] == 2
    assert after["scheduled"] == before["scheduled"] - 2
    assert after["overdue"] == 0


def test_no_email_address_or_token_in_any_log(stack):
    logs = "\n".join(p.read_text(errors="replace") for p in Path(stack.log_dir).glob("*.log"))
    assert "signed_in" in logs  # the services did log
    for needle in ("@example.com", "officer@mocky.local", "token="):
        assert needle not in logs
