"""The privacy policy's promises over the public API, on the whole local platform:
retention on both sides of each boundary, erasure across every service and the object
store, data-subject requests (export, requests by email), consents, the breach
procedure, the audit log and the records of processing.

The tests move the platform's dev clock forward by months; they run after the other
end-to-end modules that depend on the clock (file order) and create their own users."""

from __future__ import annotations

import io
import json
import sys
import time
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pymongo

from mocky.platform.paddle import post, transaction_completed
from mocky.platform.settings import DEV_WEBHOOK_SECRET
from tests import infra
from tests.documents import CV_TEXT, JD_TEXT
from tests.e2e.conftest import confirmation_link, emailed_link, sign_in
from tests.speech import encode, spoken

DAY = 24 * 3600
OFFICER = "officer@mocky.local"
ANSWER = (
    "At my previous company I migrated our payments to Kafka and Kubernetes; as a result "
    "deploys went from 2 hours to 20 minutes and incidents dropped by 40%."
)


def mongo(stack) -> pymongo.MongoClient:  # type: ignore[no-untyped-def]
    return pymongo.MongoClient(stack.env["MONGO_URL"])


def advance(api: httpx.Client, seconds: float) -> None:
    assert api.post("/api/v1/dev/clock", json={"advance_seconds": seconds}).status_code == 200


def sweep(api: httpx.Client) -> dict:
    officer = sign_in(api, OFFICER)  # fresh: sessions last 7 days of (moved) clock
    response = officer.post("/api/v1/compliance/retention/run")
    assert response.status_code == 200, response.text
    return response.json()


def active_user(api: httpx.Client, stack, email: str) -> tuple[httpx.Client, str]:  # type: ignore[no-untyped-def]
    """A user with documents, a finished interview with its report, a payment,
    sign-ins and (with their analytics consent) a page view: usage logs."""
    user = sign_in(api, email)
    user_id = user.get("/api/v1/me").json()["id"]
    assert user.put("/api/v1/privacy/consents", json={"analytics": True}).status_code == 200
    viewed = user.post("/api/v1/usage/page-views", json={"page": "practice"})
    assert viewed.status_code == 202 and viewed.json() == {"recorded": True}
    infra.wait_until(lambda: page_views(stack, user_id) == 1, 15, "the page view stored")
    assert (
        post(
            stack.gateway_url,
            transaction_completed(user_id, "pri_local_5_credits", 1),
            DEV_WEBHOOK_SECRET,
        ).status_code
        == 200
    )
    cv = user.post(
        "/api/v1/documents", files={"file": ("cv.md", CV_TEXT.encode())}, data={"kind": "cv"}
    ).json()
    jd = user.post("/api/v1/documents", json={"kind": "jd", "text": JD_TEXT}).json()
    interview = user.post("/api/v1/interviews", json={"cv_id": cv["id"], "jd_id": jd["id"]}).json()
    user.post(f"/api/v1/interviews/{interview['id']}/answers", json={"text": ANSWER})
    samples, rate = spoken(ANSWER)
    spoken_answer = user.post(
        f"/api/v1/interviews/{interview['id']}/answers",
        files={"audio": ("answer.webm", encode(samples, rate, "webm"), "audio/webm")},
        timeout=60,
    )
    assert spoken_answer.status_code == 200, spoken_answer.text
    user.post(f"/api/v1/interviews/{interview['id']}/finish")
    assert user.get(f"/api/v1/interviews/{interview['id']}/report").status_code == 200
    return user, user_id


def page_views(stack, user_id: str) -> int:  # type: ignore[no-untyped-def]
    return mongo(stack)["mocky_privacy"]["page_views"].count_documents({"user_id": user_id})


def blob_root(stack) -> Path:  # type: ignore[no-untyped-def]
    return Path(stack.data_dir) / "blobs" / "objects"


def holdings(stack, user_id: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    client = mongo(stack)
    sessions, auth, billing = (
        client["mocky_sessions"],
        client["mocky_auth"],
        client["mocky_billing"],
    )
    return {
        "documents": sessions["documents"].count_documents({"user_id": user_id}),
        "interviews": sessions["interviews"].count_documents({"user_id": user_id}),
        "reports": sessions["reports"].count_documents({"user_id": user_id}),
        "sign_ins": auth["sign_ins"].count_documents({"user_id": user_id}),
        "account": auth["users"].count_documents({"_id": user_id}),
        "payments": billing["payment_records"].count_documents({}),
        "files": len(list(blob_root(stack).glob(f"sessions/documents/{user_id}/*"))),
        "clips": client["mocky_voice"]["clips"].count_documents({"user_id": user_id}),
        "audio_files": len(list(blob_root(stack).glob(f"voice/answers/{user_id}/*"))),
        "page_views": page_views(stack, user_id),
    }


def wait_for_request(api: httpx.Client, request_id: str, status: str, timeout: float = 40) -> dict:
    officer = sign_in(api, OFFICER)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = {r["id"]: r for r in officer.get("/api/v1/compliance/requests").json()["requests"]}
        if found.get(request_id, {}).get("status") == status:
            return found[request_id]
        time.sleep(0.5)
    raise AssertionError(f"request {request_id} did not become {status}: {found.get(request_id)}")


def test_retention_keeps_each_category_until_its_rule_and_not_a_day_longer(api, stack):
    _, user_id = active_user(api, stack, f"timeline-{uuid.uuid4().hex[:6]}@example.com")
    payments_before = holdings(stack, user_id)["payments"]
    start = holdings(stack, user_id)
    assert start["documents"] == 2 and start["interviews"] == 1 and start["reports"] == 1
    assert start["sign_ins"] >= 1 and start["files"] == 2  # the CV file and the pasted JD

    assert start["clips"] == 1 and start["audio_files"] == 1 and start["page_views"] == 1

    advance(api, 29 * DAY)  # the day before the 30-day rule for audio
    sweep(api)
    assert holdings(stack, user_id) == start
    advance(api, 2 * DAY)  # day 31: the audio is gone from Mongo and the object store
    sweep(api)
    assert holdings(stack, user_id) == start | {"clips": 0, "audio_files": 0}

    advance(api, 58 * DAY)  # day 89: the day before the 90-day rules
    sweep(api)
    kept = holdings(stack, user_id)
    assert kept["documents"] == 2 and kept["interviews"] == 1 and kept["reports"] == 1
    assert kept["sign_ins"] >= start["sign_ins"] and kept["files"] == 2
    assert kept["page_views"] == 1

    advance(api, 2 * DAY)  # day 91: interviews, documents, transcripts, usage logs go
    sweep(api)
    gone = holdings(stack, user_id)
    assert (gone["documents"], gone["interviews"], gone["reports"], gone["files"]) == (0, 0, 0, 0)
    assert gone["clips"] == 0
    # the officer's own sign-ins of the last days are younger; this user's are gone
    assert gone["sign_ins"] == 0
    assert gone["page_views"] == 0
    assert gone["account"] == 1  # an active account stays
    assert gone["payments"] >= payments_before  # payment records: 7 years

    officer = sign_in(api, OFFICER)
    ledger = officer.get("/api/v1/compliance/deletions", params={"subject": user_id}).json()
    categories = {e["category"] for e in ledger["entries"]}
    assert categories == {"interview_session", "usage_log", "audio"}
    assert all(e["rule"] and e["deleted_at"] for e in ledger["entries"])
    payment = mongo(stack)["mocky_billing"]["payment_records"].find_one({"user_id": user_id})
    assert payment is not None

    advance(api, (2556 - 91) * DAY)  # day 2556: the day before 7 years (2557 days)
    sweep(api)
    assert mongo(stack)["mocky_billing"]["payment_records"].find_one({"user_id": user_id})
    advance(api, 2 * DAY)
    sweep(api)
    assert mongo(stack)["mocky_billing"]["payment_records"].find_one({"user_id": user_id}) is None


def test_erasure_leaves_nothing_but_the_restricted_payment_record(api, stack):
    email = f"erase-me-{uuid.uuid4().hex[:6]}@example.com"
    user, user_id = active_user(api, stack, email)
    filed = user.post("/api/v1/privacy/requests", json={"type": "erasure"})
    assert filed.status_code == 201 and filed.json()["status"] == "confirmed"
    assert user.get("/api/v1/me").status_code == 401  # signed out everywhere
    done = wait_for_request(api, filed.json()["id"], "completed")
    assert "Payment records are kept" in done["outcome"] and done["pending_owners"] == []

    advance(api, 29 * DAY)
    sweep(api)
    assert holdings(stack, user_id)["account"] == 1  # the account: 30 days after deletion
    advance(api, 2 * DAY)
    sweep(api)

    client = mongo(stack)
    traces = []
    assert page_views(stack, user_id) == 0  # privacy's analytics store too
    for name in ("mocky_auth", "mocky_sessions", "mocky_billing", "mocky_voice"):
        for collection in client[name].list_collection_names():
            for doc in client[name][collection].find():
                text = json.dumps(doc, default=str)
                if user_id in text or email in text:
                    traces.append(f"{name}.{collection}")
    assert traces == []
    assert not [p for p in blob_root(stack).rglob("*") if user_id in str(p)]
    kept = [
        p
        for p in client["mocky_billing"]["payment_records"].find({"restricted": True})
        if p["user_id"].startswith("psn_")
    ]
    assert kept  # the payment record stays, restricted, under a pseudonym
    officer = sign_in(api, OFFICER)
    ledger = officer.get("/api/v1/compliance/deletions", params={"subject": user_id}).json()[
        "entries"
    ]
    assert {e["category"] for e in ledger} >= {"interview_session", "usage_log", "audio", "account"}
    assert {e["reason"] for e in ledger if e["category"] != "account"} == {"erasure"}


def test_an_export_arrives_as_a_zip_behind_a_short_lived_link(api, stack):
    email = f"export-{uuid.uuid4().hex[:6]}@example.com"
    user, _ = active_user(api, stack, email)
    asked = time.time()  # the "export ready" email comes after this (not the sign-in one)
    filed = user.post("/api/v1/privacy/requests", json={"type": "export"}).json()
    due = datetime.fromisoformat(filed["due_at"].replace("Z", "+00:00"))
    received = datetime.fromisoformat(filed["received_at"].replace("Z", "+00:00"))
    assert timedelta(days=28) <= due - received <= timedelta(days=31)
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        state = user.get(f"/api/v1/privacy/requests/{filed['id']}").json()
        if state["status"] == "completed":
            break
        time.sleep(0.5)
    assert state["export_ready"] and state["download_url"]
    archive = api.get(state["download_url"])
    assert archive.status_code == 200 and archive.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert any(n.startswith("voice/answers/") for n in names)  # the recorded answer
    assert {
        "README.md",
        "auth/account.json",
        "sessions/documents.json",
        "sessions/interviews.json",
        "sessions/reports.json",
        "billing/payments.json",
        "billing/credit_ledger.json",
    } <= set(names)
    assert any(n.startswith("sessions/files/") for n in names)
    readme = zipfile.ZipFile(io.BytesIO(archive.content)).read("README.md").decode()
    assert "90 days from creation" in readme and "Paddle" in readme
    # Sent once the request is completed, in the background: waited for.
    infra.wait_until(
        lambda: "/download?token=" in emailed_link(api, email, after=asked), 15, "the email"
    )
    link = emailed_link(api, email, after=asked)
    assert "/download?token=" in link
    tampered = state["download_url"][:-4] + "0000"
    assert api.get(tampered).status_code == 401
    advance(api, 2 * 3600)  # the privacy centre's link lives an hour
    assert api.get(state["download_url"]).status_code == 401


def test_a_request_by_email_is_confirmed_by_its_link_and_a_few_wrong_tries_burn_it(api, stack):
    officer = sign_in(api, OFFICER)
    email = f"by-mail-{uuid.uuid4().hex[:6]}@example.com"
    sign_in(api, email)
    recorded = officer.post("/api/v1/compliance/requests", json={"email": email, "type": "access"})
    assert recorded.status_code == 201 and recorded.json()["status"] == "received"
    request_id = recorded.json()["id"]
    token = confirmation_link(api, email, request_id).rsplit("/", 1)[1]
    wrong = [
        api.post(f"/api/v1/privacy/requests/{request_id}/confirm", params={"token": "x" * 20})
        for _ in range(3)
    ]
    assert [w.status_code for w in wrong] == [401, 401, 401]
    assert wrong[-1].json()["error"]["code"] == "link_burnt"
    burnt = api.post(f"/api/v1/privacy/requests/{request_id}/confirm", params={"token": token})
    assert burnt.status_code == 401  # even the right token, once burnt

    second = officer.post(
        "/api/v1/compliance/requests",
        json={"email": email, "type": "rectification", "details": "name"},
    ).json()
    token = confirmation_link(api, email, second["id"]).rsplit("/", 1)[1]
    confirm = f"/api/v1/privacy/requests/{second['id']}/confirm"
    # Only the button on the linked page confirms: a GET (a mail scanner) changes nothing,
    # so the POST after it is still the first to confirm.
    assert api.get(confirm, params={"token": token}).status_code == 404
    confirmed = api.post(confirm, params={"token": token})
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "confirmed" and confirmed.json()["type"] == "rectification"
    assert confirmed.json()["due_at"] == second["due_at"]
    again = api.post(confirm, params={"token": token})
    assert again.status_code == 409
    extended = officer.post(
        f"/api/v1/compliance/requests/{second['id']}/extend", json={"reason": "needs documents"}
    )
    assert extended.status_code == 200 and extended.json()["extended"]
    twice = officer.post(
        f"/api/v1/compliance/requests/{second['id']}/extend", json={"reason": "more"}
    )
    assert twice.status_code == 409
    completed = officer.post(
        f"/api/v1/compliance/requests/{second['id']}/complete", json={"outcome": "name corrected"}
    )
    assert completed.json()["status"] == "completed"


def test_officers_are_emailed_when_a_request_nears_its_deadline(api, stack):
    email = f"slow-{uuid.uuid4().hex[:6]}@example.com"
    user = sign_in(api, email)
    filed = user.post("/api/v1/privacy/requests", json={"type": "rectification"}).json()
    sign_in(api, OFFICER)  # the officer has an account (and the role) before the alert
    advance(api, 24 * DAY)  # due one calendar month after receipt: a week or less is left

    def outbox() -> list[dict]:
        messages = api.get("/api/v1/dev/outbox", params={"to": OFFICER}).json()["messages"]
        return [m for m in messages if filed["id"] in m["text"]]

    infra.wait_until(outbox, 30, "a deadline alert to the officer")
    alert = outbox()[0]
    assert alert["subject"].startswith("A privacy request is due in")
    assert email not in alert["text"] and "/#/compliance" in alert["text"]
    time.sleep(6)  # another pass of the timer: one alert per deadline

    assert len(outbox()) == 1
    officer = sign_in(api, OFFICER)
    extended = officer.post(
        f"/api/v1/compliance/requests/{filed['id']}/extend",
        json={"reason": "the records to correct are with a supplier"},
    )
    assert extended.status_code == 200, extended.text
    advance(api, 63 * DAY)  # day 87: the extended deadline (three months) is days away
    infra.wait_until(lambda: len(outbox()) == 2, 30, "a second deadline alert")


def test_consents_are_versioned_and_withdrawn_at_once(api):
    user = sign_in(api, f"consent-{uuid.uuid4().hex[:6]}@example.com")
    initial = {c["purpose"]: c for c in user.get("/api/v1/privacy/consents").json()["consents"]}
    assert set(initial) == {"analytics", "ai_provider"} and not any(
        c["granted"] for c in initial.values()
    )
    granted = user.put("/api/v1/privacy/consents", json={"analytics": True}).json()["consents"]
    assert {c["purpose"]: c["granted"] for c in granted} == {
        "analytics": True,
        "ai_provider": False,
    }
    withdrawn = user.put("/api/v1/privacy/consents", json={"analytics": False}).json()["consents"]
    assert not any(c["granted"] for c in withdrawn)
    assert user.put("/api/v1/privacy/consents", json={"marketing": True}).status_code == 400


def test_usage_is_logged_only_while_analytics_consent_stands(api, stack):
    user = sign_in(api, f"usage-{uuid.uuid4().hex[:6]}@example.com")
    user_id = user.get("/api/v1/me").json()["id"]
    browser = {
        "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36",
        "accept-language": "de-DE,de;q=0.9,en;q=0.8",
    }
    # Without consent: nothing recorded, no analytics cookie.
    before = user.post("/api/v1/usage/page-views", json={"page": "practice"}, headers=browser)
    assert before.json() == {"recorded": False} and "mocky_analytics" not in user.cookies
    assert user.post("/api/v1/usage/page-views", json={"page": "../admin"}).status_code == 400

    user.put("/api/v1/privacy/consents", json={"analytics": True})
    for page, seconds in (("practice", 0), ("report", 42)):
        answer = user.post(
            "/api/v1/usage/page-views",
            json={"page": page, "seconds_on_previous": seconds},
            headers=browser,
        )
        assert answer.status_code == 202 and answer.json() == {"recorded": True}
    visit = user.cookies.get("mocky_analytics")
    assert visit
    infra.wait_until(lambda: page_views(stack, user_id) == 2, 15, "the page views stored")
    views = list(mongo(stack)["mocky_privacy"]["page_views"].find({"user_id": user_id}))
    assert {v["page"] for v in views} == {"practice", "report"}
    assert {(v["ip_prefix"], v["browser"], v["os"], v["language"]) for v in views} == {
        ("127.0.0.0/24", "Chrome", "Linux", "de")
    }
    assert {v["visit_id"] for v in views} == {visit}
    assert sorted(v["seconds_on_previous"] for v in views) == [0, 42]
    assert "Mozilla" not in json.dumps(views, default=str)  # families only

    officer = sign_in(api, OFFICER)
    summary = officer.get("/api/v1/compliance/usage", params={"days": 30}).json()
    pages = {p["page"]: p for p in summary["pages"]}
    assert pages["practice"]["views"] >= 1 and pages["report"]["views"] >= 1
    assert summary["people"] >= 1 and summary["visits"] >= 1
    assert user.get("/api/v1/compliance/usage").status_code == 403
    assert officer.get("/api/v1/compliance/usage", params={"days": 365}).status_code == 400

    # Withdrawal: the cookie goes at once, new views are refused, the old ones are
    # deleted by the next sweep with a ledger line each.
    user.put("/api/v1/privacy/consents", json={"analytics": False})
    assert "mocky_analytics" not in user.cookies
    after = user.post("/api/v1/usage/page-views", json={"page": "billing"}, headers=browser)
    assert after.json() == {"recorded": False}
    infra.wait_until(lambda: page_views(stack, user_id) == 0, 15, "the page views deleted")
    officer = sign_in(api, OFFICER)
    ledger = officer.get("/api/v1/compliance/deletions", params={"subject": user_id}).json()
    withdrawn = [e for e in ledger["entries"] if e["reason"] == "consent_withdrawn"]
    assert len(withdrawn) == 2 and {e["category"] for e in withdrawn} == {"usage_log"}
    assert page_views(stack, user_id) == 0


def test_a_breach_is_scoped_notified_and_its_72_hour_clock_tracked(api, stack):
    _, user_id = active_user(api, stack, f"breached-{uuid.uuid4().hex[:6]}@example.com")
    officer = sign_in(api, OFFICER)
    now = datetime.now(UTC)
    opened = officer.post(
        "/api/v1/compliance/incidents",
        json={
            "title": "Leaked CV bucket",
            "description": "a misconfigured bucket",
            "categories": ["interview_session"],
            "window_start": (now - timedelta(days=10 * 365)).isoformat(),
            "window_end": (now + timedelta(days=10 * 365)).isoformat(),
        },
    )
    assert opened.status_code == 201, opened.text
    incident = opened.json()
    aware = datetime.fromisoformat(incident["aware_at"].replace("Z", "+00:00"))
    deadline = datetime.fromisoformat(incident["authority_deadline"].replace("Z", "+00:00"))
    assert deadline - aware == timedelta(hours=72)
    detail = officer.get(f"/api/v1/compliance/incidents/{incident['id']}").json()
    assert user_id in detail["affected_user_ids"]
    notified = officer.post(
        f"/api/v1/compliance/incidents/{incident['id']}/notify",
        json={"subject": "About your data", "text": "Incident: {incident} ({categories})."},
    ).json()
    assert notified["notified"] >= 1
    advance(api, 73 * 3600)
    officer = sign_in(api, OFFICER)
    late = officer.get(f"/api/v1/compliance/incidents/{incident['id']}").json()
    assert late["report_overdue"]
    reported = officer.post(
        f"/api/v1/compliance/incidents/{incident['id']}/authority-report",
        json={"reference": "DPA-123"},
    ).json()
    assert reported["status"] == "reported" and not reported["report_overdue"]


def test_the_officer_console_audit_log_and_records_of_processing(api):
    officer = sign_in(api, OFFICER)
    stranger = sign_in(api, f"curious-{uuid.uuid4().hex[:6]}@example.com")
    for path in ("requests", "retention", "audit-log", "ropa", "subprocessors", "incidents"):
        assert stranger.get(f"/api/v1/compliance/{path}").status_code == 403
    assert stranger.post("/api/v1/compliance/retention/run").status_code == 403
    ropa = officer.get("/api/v1/compliance/ropa").json()["records_of_processing"]
    assert {r["category"] for r in ropa} == {
        "account",
        "interview_session",
        "audio",
        "payment_record",
        "usage_log",
    }
    assert all(r["purpose"] and r["legal_basis"] and r["retention"] for r in ropa)
    csv_text = officer.get("/api/v1/compliance/ropa", params={"format": "csv"}).text
    assert csv_text.splitlines()[0].startswith("category,") and "90 days from creation" in csv_text
    names = {
        s["name"] for s in officer.get("/api/v1/compliance/subprocessors").json()["subprocessors"]
    }
    assert names == {"Paddle", "MongoDB Atlas", "Cloudflare", "xAI", "ElevenLabs"}
    officer.post("/api/v1/compliance/retention/run")
    log = officer.get("/api/v1/compliance/audit-log").json()
    assert log["chain_valid"]
    assert "retention_sweep_run" in {e["action"] for e in log["entries"]}


def test_a_page_view_while_the_broker_is_down_is_refused_clearly(api, stack):
    """A gateway whose broker is unreachable answers 503 and does not pretend it
    recorded anything (the rest of the API still works through gRPC)."""
    port = infra.free_port()
    env = stack.env | {
        "MOCKY_GATEWAY_PORT": str(port),
        "MOCKY_GATEWAY_METRICS_PORT": str(infra.free_port()),
        "AMQP_URI": "amqp://guest:guest@127.0.0.1:1/",
    }
    log = Path(stack.data_dir) / "gateway-no-broker.log"
    url = f"http://127.0.0.1:{port}"
    gateway = infra.Server([sys.executable, "-m", "services.gateway"], url, log, env)
    try:
        infra.wait_until(lambda: httpx.get(f"{url}/healthz").status_code == 200, 30, "gateway")
        user = sign_in(api, f"no-broker-{uuid.uuid4().hex[:6]}@example.com")
        user.put("/api/v1/privacy/consents", json={"analytics": True})
        with httpx.Client(base_url=url, cookies=user.cookies, timeout=15) as other:
            answer = other.post("/api/v1/usage/page-views", json={"page": "practice"})
            assert answer.status_code == 503, answer.text
            assert answer.json()["error"]["code"] == "unavailable"
            assert other.get("/api/v1/privacy/consents").status_code == 200
    finally:
        gateway.stop()
