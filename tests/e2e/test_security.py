"""The attacks of the security review, replayed against the whole platform: each test
does what the attacker did and checks it no longer works (issue "Security hardening")."""

from __future__ import annotations

import asyncio
import io
import socket
import stat
import threading
import time
import uuid
import zipfile
from pathlib import Path

import grpc
import httpx
import pymongo
import pytest
import websockets

from mocky.platform import service_auth
from mocky.privacy.v1 import data_owner_pb2, data_owner_pb2_grpc
from mocky.sessions.v1 import sessions_pb2, sessions_pb2_grpc
from tests.documents import CV_TEXT, docx_paragraph_bomb, pdf_operator_bomb
from tests.e2e.conftest import emailed_link, paying_user, sign_in
from tests.speech import encode, spoken

CROSS_SITE = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}


def new_address(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}@example.com"


def link_token(api: httpx.Client, email: str) -> str:
    started = time.time() - 1
    assert api.post("/api/v1/auth/magic-link", json={"email": email}).status_code == 202
    return emailed_link(api, email, started).split("token=")[1]


def guest(api: httpx.Client) -> httpx.Client:
    client = httpx.Client(base_url=str(api.base_url), timeout=30)
    assert client.post("/api/v1/auth/anonymous").status_code == 201
    return client


def mongo(stack) -> pymongo.MongoClient:  # type: ignore[no-untyped-def]
    return pymongo.MongoClient(stack.env["MONGO_URL"])


# -- 1. login CSRF -----------------------------------------------------------------------


def test_another_site_cannot_sign_a_guest_into_the_attackers_account(api, stack):
    attacker_email = new_address("attacker")
    attacker_token = link_token(api, attacker_email)
    victim = guest(api)
    victim_id = victim.get("/api/v1/me").json()["id"]
    uploaded = victim.post("/api/v1/documents", json={"kind": "cv", "text": CV_TEXT})
    assert uploaded.status_code == 201

    # The attacker's page navigates the victim's browser to the emailed link ...
    opened = victim.get(
        f"/api/v1/auth/verify?token={attacker_token}", headers=CROSS_SITE, follow_redirects=False
    )
    assert opened.status_code == 303
    assert opened.headers["location"].startswith("/#/sign-in-link/")
    me = victim.get("/api/v1/me").json()
    assert me["id"] == victim_id and me["guest"] is True  # ... and nothing happened
    # ... or posts a form to the sign-in endpoint from its own origin.
    forged = victim.post(
        "/api/v1/auth/verify",
        json={"token": attacker_token},
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert forged.status_code == 403
    assert victim.get("/api/v1/me").json()["guest"] is True

    # The page names the account; the person signing in presses its button themselves.
    info = victim.post(
        "/api/v1/auth/link-info", json={"token": attacker_token, "purpose": "sign_in"}
    )
    assert info.status_code == 200 and info.json()["email"] == attacker_email
    attacker = httpx.Client(base_url=str(api.base_url), timeout=15)
    assert attacker.post("/api/v1/auth/verify", json={"token": attacker_token}).status_code == 200
    assert attacker.get("/api/v1/documents").json()["documents"] == []  # the CV stayed put
    assert victim.get("/api/v1/documents").json()["documents"]


# -- 2. documents that are cheap to send and costly to read ------------------------------


def test_a_small_pdf_that_costs_minutes_to_read_is_refused_and_others_are_served(api, stack):
    attacker = sign_in(api, new_address("pdf-bomb"))
    bystander = sign_in(api, new_address("bystander"))
    bomb = pdf_operator_bomb(1_900_000, pages=50)
    assert len(bomb) < 30_000
    latencies: list[float] = []
    done = threading.Event()

    def meanwhile() -> None:
        while not done.is_set():
            started = time.monotonic()
            assert bystander.get("/api/v1/documents").status_code == 200
            latencies.append(time.monotonic() - started)

    watcher = threading.Thread(target=meanwhile)
    watcher.start()
    started = time.monotonic()
    refused = attacker.post(
        "/api/v1/documents",
        files={"file": ("cv.pdf", bomb, "application/pdf")},
        data={"kind": "cv"},
    )
    took = time.monotonic() - started
    done.set()
    watcher.join()
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "too_complex"
    assert took < 10
    assert latencies and max(latencies) < 2
    assert attacker.get("/api/v1/documents").json()["documents"] == []  # nothing stored


def test_a_docx_of_hundreds_of_thousands_of_paragraphs_is_refused_and_not_stored(api, stack):
    user = sign_in(api, new_address("docx-bomb"))
    bomb = docx_paragraph_bomb(815_000)
    assert len(bomb) < 5 * 1024 * 1024
    started = time.monotonic()
    refused = user.post(
        "/api/v1/documents",
        files={"file": ("cv.docx", bomb, "application/octet-stream")},
        data={"kind": "cv"},
    )
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "too_complex"
    assert time.monotonic() - started < 10
    assert user.get("/api/v1/documents").json()["documents"] == []
    blobs = Path(stack.env["MOCKY_BLOB_DIR"]) / "sessions" / "documents"
    user_id = user.get("/api/v1/me").json()["id"]
    assert not (blobs / user_id).exists() or not any((blobs / user_id).iterdir())


def test_uploads_are_limited_per_user(api):
    user = sign_in(api, new_address("uploader"))
    statuses = [
        user.post("/api/v1/documents", json={"kind": "cv", "text": CV_TEXT}).status_code
        for _ in range(11)
    ]
    assert statuses == [201] * 10 + [429]


# -- 3. transcription before any check ---------------------------------------------------


def long_recording(seconds: float = 40) -> bytes:
    samples, rate = spoken("I led the migration of our payment service to Kubernetes. " * 3)
    import numpy as np

    repeats = int(seconds * rate / len(samples)) + 1
    return encode(np.tile(samples, repeats)[: int(seconds * rate)], rate, "webm")


def clips_of(stack, user_id: str) -> int:  # type: ignore[no-untyped-def]
    return mongo(stack)["mocky_voice"]["clips"].count_documents({"user_id": user_id})


def test_a_recording_for_an_interview_that_is_not_yours_is_refused_before_transcribing(api, stack):
    visitor = guest(api)
    visitor_id = visitor.get("/api/v1/me").json()["id"]
    recording = long_recording(20)
    started = time.monotonic()
    missing = visitor.post(
        f"/api/v1/interviews/{uuid.uuid4().hex}/answers",
        files={"audio": ("a.webm", recording, "audio/webm")},
    )
    assert missing.status_code == 404
    assert time.monotonic() - started < 2  # not 20 seconds of Whisper
    assert clips_of(stack, visitor_id) == 0

    owner = paying_user(api, stack, "owner")
    interview = owner.post("/api/v1/interviews", json={"role": "Engineer"}).json()
    someone_elses = visitor.post(
        f"/api/v1/interviews/{interview['id']}/answers",
        files={"audio": ("a.webm", recording, "audio/webm")},
    )
    assert someone_elses.status_code == 404
    owner.post(f"/api/v1/interviews/{interview['id']}/finish")
    finished = owner.post(
        f"/api/v1/interviews/{interview['id']}/answers",
        files={"audio": ("a.webm", recording, "audio/webm")},
    )
    assert finished.status_code == 409
    assert clips_of(stack, owner.get("/api/v1/me").json()["id"]) == 0


def test_one_user_transcribes_one_recording_at_a_time(api, stack):
    user = paying_user(api, stack, "hurried")
    interview = user.post("/api/v1/interviews", json={"mode": "coach", "role": "Engineer"}).json()
    url = f"/api/v1/interviews/{interview['id']}/answers"
    recording = long_recording(40)
    results: list[httpx.Response] = []

    def answer() -> None:
        with httpx.Client(base_url=str(api.base_url), cookies=user.cookies, timeout=90) as c:
            results.append(c.post(url, files={"audio": ("a.webm", recording, "audio/webm")}))

    first = threading.Thread(target=answer)
    first.start()
    time.sleep(1.5)  # the first is being transcribed
    answer()
    first.join()
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200, 429], [r.text for r in results]
    busy = next(r for r in results if r.status_code == 429)
    assert busy.json()["error"]["code"] == "busy_user" and int(busy.headers["Retry-After"]) > 0


def test_a_transcription_stops_when_the_browser_goes_away(api, stack):
    user = paying_user(api, stack, "impatient")
    interview = user.post("/api/v1/interviews", json={"mode": "coach", "role": "Engineer"}).json()
    recording = long_recording(120)
    log = Path(stack.log_file("voice"))
    before = log.read_text().count("transcription_abandoned")
    with pytest.raises(httpx.ReadTimeout):
        user.post(
            f"/api/v1/interviews/{interview['id']}/answers",
            files={"audio": ("a.webm", recording, "audio/webm")},
            timeout=httpx.Timeout(30, read=2),
        )
    deadline = time.monotonic() + 30
    while (
        time.monotonic() < deadline and log.read_text().count("transcription_abandoned") == before
    ):
        time.sleep(0.5)
    assert log.read_text().count("transcription_abandoned") > before
    replay = user.get(f"/api/v1/interviews/{interview['id']}/replay").json()
    assert not any(t["answer"] for t in replay["turns"])  # nothing half-done went in


# -- 4. and 7. email change --------------------------------------------------------------


def confirmation_token(api: httpx.Client, email: str, started: float) -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for message in api.get("/api/v1/dev/outbox", params={"to": email}).json()["messages"]:
            if (
                "confirm" in message["subject"].lower()
                and "/me/email/confirm?token=" in message["text"]
            ):
                return message["text"].split("token=")[1].split()[0]
        time.sleep(0.1)
    raise AssertionError("no confirmation email")


def test_a_mail_scanner_cannot_confirm_an_address_change_for_its_owner(api):
    """Pre-account takeover: the attacker points their account at the victim's address;
    a scanner opening the emailed link used to move it."""
    attacker = sign_in(api, new_address("pre-takeover"))
    victim_email = new_address("victim")
    started = time.time() - 1
    assert attacker.patch("/api/v1/me", json={"email": victim_email}).status_code == 202
    token = confirmation_token(api, victim_email, started)
    with httpx.Client(base_url=str(api.base_url), timeout=15) as scanner:
        opened = scanner.get(f"/api/v1/me/email/confirm?token={token}", follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == f"/#/confirm-email/{token}"
    assert attacker.get("/api/v1/me").json()["email"] != victim_email  # nothing moved

    # If the victim does press the button, whoever asked for the change is signed out.
    with httpx.Client(base_url=str(api.base_url), timeout=15) as victim:
        confirmed = victim.post("/api/v1/me/email/confirm", json={"token": token})
    assert confirmed.status_code == 200 and confirmed.json()["sessions_ended"] >= 1
    assert attacker.get("/api/v1/me").status_code == 401


def test_the_old_address_can_cancel_a_change_it_did_not_ask_for(api):
    owner_email = new_address("owner")
    owner = sign_in(api, owner_email)
    hijacker_email = new_address("hijacker")
    started = time.time() - 1
    assert owner.post("/api/v1/me/email", json={"new_email": hijacker_email}).status_code == 202
    with httpx.Client(base_url=str(api.base_url), timeout=15) as hijacker:
        token = confirmation_token(api, hijacker_email, started)
        assert hijacker.post("/api/v1/me/email/confirm", json={"token": token}).status_code == 200
    notice = api.get("/api/v1/dev/outbox", params={"to": owner_email}).json()["messages"][0]
    assert notice["subject"] == "Your Mocky email address is being changed"
    cancel = notice["text"].split("/me/email/cancel?token=")[1].split()[0]
    with httpx.Client(base_url=str(api.base_url), timeout=15) as mailbox:
        page = mailbox.get(f"/api/v1/me/email/cancel?token={cancel}", follow_redirects=False)
        assert page.headers["location"] == f"/#/cancel-email-change/{cancel}"
        info = mailbox.post(
            "/api/v1/auth/link-info", json={"token": cancel, "purpose": "email_change_cancel"}
        )
        assert info.json()["email"] == owner_email
        cancelled = mailbox.post("/api/v1/me/email/cancel", json={"token": cancel})
    assert cancelled.status_code == 200 and cancelled.json()["restored"] is True
    back = sign_in(api, owner_email)
    assert back.get("/api/v1/me").json()["email"] == owner_email


def test_address_changes_are_not_a_mail_relay(api):
    user = sign_in(api, new_address("relay"))
    statuses = [
        user.post("/api/v1/me/email", json={"new_email": new_address("target")}).status_code
        for _ in range(6)
    ]
    assert statuses == [202] * 5 + [429]
    visitor = guest(api)
    refused = visitor.post("/api/v1/me/email", json={"new_email": new_address("target")})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "guest_account"


# -- 5. bodies ---------------------------------------------------------------------------


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_a_huge_chunked_webhook_is_refused_without_buffering_it(api, stack):
    gateway = stack.pid("gateway")
    before = rss_kb(gateway)

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(150):
            yield b"x" * (1024 * 1024)

    try:
        refused = api.post("/api/v1/webhooks/paddle", content=chunks(), timeout=60)
        assert refused.status_code == 413
    except httpx.RemoteProtocolError:
        pass  # the gateway answered 413 and closed while the client was still sending
    assert rss_kb(gateway) - before < 50 * 1024  # not the 290 MB it took before


def test_a_pasted_document_without_content_length_is_still_limited(api):
    user = sign_in(api, new_address("paster"))

    def body():  # type: ignore[no-untyped-def]
        yield b'{"kind": "cv", "text": "'
        for _ in range(7):
            yield b"a" * (1024 * 1024)
        yield b'"}'

    try:
        refused = user.post(
            "/api/v1/documents", content=body(), headers={"Content-Type": "application/json"}
        )
        assert refused.status_code == 413
    except httpx.RemoteProtocolError:
        pass
    assert user.get("/api/v1/documents").json()["documents"] == []


# -- 6. the services and the database from the same host ---------------------------------


def test_the_services_refuse_calls_from_the_host_without_a_token(api, stack):
    user = sign_in(api, new_address("cv-owner"))
    user_id = user.get("/api/v1/me").json()["id"]
    doc = user.post("/api/v1/documents", json={"kind": "cv", "text": CV_TEXT}).json()
    sessions_target = f"127.0.0.1:{stack.env['MOCKY_SESSIONS_GRPC_PORT']}"
    tokens = service_auth.local_tokens(stack.data_dir)
    with grpc.insecure_channel(sessions_target) as channel:
        sessions = sessions_pb2_grpc.SessionsServiceStub(channel)
        owner = data_owner_pb2_grpc.DataOwnerServiceStub(channel)
        request = sessions_pb2.GetDocumentRequest(user_id=user_id, id=doc["id"])
        with pytest.raises(grpc.RpcError) as anonymous:
            sessions.GetDocument(request, timeout=5)
        with pytest.raises(grpc.RpcError) as forged:
            sessions.GetDocument(
                request, timeout=5, metadata=[(service_auth.HEADER, "gateway.guessed")]
            )
        export = data_owner_pb2.ExportUserDataRequest(user_id=user_id)
        as_gateway = [(service_auth.HEADER, tokens["gateway"])]
        with pytest.raises(grpc.RpcError) as not_privacy:
            owner.ExportUserData(export, timeout=5, metadata=as_gateway)
        allowed = sessions.GetDocument(request, timeout=5, metadata=as_gateway)
    assert anonymous.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert forged.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert not_privacy.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert allowed.document.id == doc["id"]


def test_the_local_database_and_data_files_are_the_owners_only(stack):
    data = stack.data_dir
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    sock = stack.mongo_socket
    assert stat.S_ISSOCK(sock.stat().st_mode) and stat.S_IMODE(sock.stat().st_mode) == 0o600
    for path in [*(data / "mongo").glob("*.db"), data / "secrets" / "service-tokens"]:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
    assert "mongodb://%2F" in stack.env["MONGO_URL"]  # a socket, no TCP port to reach


# -- 8, 9, 11, 16, 17: smaller ones -------------------------------------------------------


def test_odd_digits_in_a_link_token_are_a_401_with_the_security_headers(api):
    for path in (
        "/api/v1/audio/x?token=u.%C2%B2%C2%B3.x",
        "/api/v1/privacy/requests/x/download?token=%C2%B2.x",
    ):
        response = api.get(path)
        assert 400 <= response.status_code < 500, path
        assert response.headers["content-security-policy"] and response.headers["x-frame-options"]


def test_an_uploaded_file_name_never_becomes_a_path(api):
    user = sign_in(api, new_address("traversal"))
    uploaded = user.post(
        "/api/v1/documents",
        files={"file": ("../../../../tmp/x.txt", CV_TEXT.encode(), "text/plain")},
        data={"kind": "cv"},
    )
    assert uploaded.status_code == 201 and uploaded.json()["filename"] == "x.txt"
    made = user.post("/api/v1/privacy/requests", json={"type": "export"}).json()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        request = user.get(f"/api/v1/privacy/requests/{made['id']}").json()
        if request.get("download_url"):
            break
        time.sleep(0.3)
    archive = zipfile.ZipFile(io.BytesIO(user.get(request["download_url"]).content))
    assert not any(".." in name.split("/") or name.startswith("/") for name in archive.namelist())


def test_answers_accept_json_or_a_recording_and_nothing_else(api, stack):
    user = paying_user(api, stack, "plain-text")
    interview = user.post("/api/v1/interviews", json={"role": "Engineer"}).json()
    url = f"/api/v1/interviews/{interview['id']}/answers"
    as_text = user.post(url, content=b'{"text": "hello"}', headers={"Content-Type": "text/plain"})
    as_form = user.post(url, data={"text": "hello"})
    assert as_text.status_code == 415 and as_form.status_code == 415
    assert user.get(f"/api/v1/interviews/{interview['id']}").json()["questions_asked"] == 1


def test_spoken_questions_are_not_kept_in_caches(api, stack):
    user = paying_user(api, stack, "cache")
    interview = user.post("/api/v1/interviews", json={"mode": "coach", "role": "Engineer"}).json()
    audio = user.get(f"/api/v1/interviews/{interview['id']}/question/audio", timeout=60)
    assert audio.status_code == 200 and audio.headers["cache-control"] == "no-store"


def test_the_dev_checkout_follows_the_real_checkouts_rules(api):
    visitor = guest(api)
    refused = visitor.post(
        "/api/v1/dev/checkout/complete", json={"price_id": "pri_local_5_credits"}
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "sign_in_required"
    assert visitor.get("/api/v1/billing/balance").json()["credits"] == 0


# -- 10. a guest's recordings follow them -------------------------------------------------


def test_a_guests_recording_follows_them_into_an_existing_account(api, stack):
    email = new_address("returning-speaker")
    account = sign_in(api, email)
    account_id = account.get("/api/v1/me").json()["id"]
    visitor = guest(api)
    visitor_id = visitor.get("/api/v1/me").json()["id"]
    interview = visitor.post(
        "/api/v1/interviews", json={"mode": "coach", "role": "Engineer"}
    ).json()
    samples, rate = spoken("I led the migration of our payment service to Kubernetes myself.")
    spoken_answer = visitor.post(
        f"/api/v1/interviews/{interview['id']}/answers",
        files={"audio": ("a.webm", encode(samples, rate, "webm"), "audio/webm")},
        timeout=60,
    )
    assert spoken_answer.status_code == 200
    token = link_token(api, email)
    assert visitor.post("/api/v1/auth/verify", json={"token": token}).status_code == 200
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and clips_of(stack, visitor_id):
        time.sleep(0.2)
    assert clips_of(stack, visitor_id) == 0 and clips_of(stack, account_id) >= 1
    replay = visitor.get(f"/api/v1/interviews/{interview['id']}/replay").json()
    url = next(t["audio_url"] for t in replay["turns"] if t["audio_url"])
    assert api.get(url).status_code == 200


# -- 12, 13: connections and what is logged about them -----------------------------------


def test_half_sent_requests_are_closed(stack):
    port = int(stack.env["MOCKY_GATEWAY_PORT"])
    sockets = [socket.create_connection(("127.0.0.1", port)) for _ in range(50)]
    for s in sockets:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # and never the end of the headers
    time.sleep(12)
    closed = 0
    for s in sockets:
        s.settimeout(1)
        try:
            closed += s.recv(1) == b""
        except (TimeoutError, OSError):
            pass
        s.close()
    assert closed == 50
    assert httpx.get(f"{stack.gateway_url}/healthz").status_code == 200


def test_one_user_cannot_hold_dozens_of_live_sockets_and_their_addresses_are_not_logged(api, stack):
    user = paying_user(api, stack, "sockets")
    interview = user.post("/api/v1/interviews", json={"mode": "live", "role": "Engineer"}).json()
    url = stack.gateway_url.replace("http", "ws") + f"/api/v1/interviews/{interview['id']}/live"
    cookie = "; ".join(f"{k}={v}" for k, v in user.cookies.items())

    async def open_many(count: int) -> list[int | None]:
        opened, codes = [], []
        for _ in range(count):
            connection = await websockets.connect(url, additional_headers={"Cookie": cookie})
            opened.append(connection)
        for connection in opened:
            try:
                async with asyncio.timeout(3):
                    while True:
                        message = await connection.recv()
                        if isinstance(message, str) and "session.created" in message:
                            codes.append(None)
                            break
            except websockets.ConnectionClosed as closed:
                codes.append(closed.rcvd.code if closed.rcvd else -1)
            except TimeoutError:
                codes.append(0)
        for connection in opened:
            await connection.close()
        return codes

    codes = asyncio.run(open_many(6))
    assert codes.count(None) == 2 and codes.count(4429) == 4  # two per interview
    time.sleep(1)
    log = Path(stack.log_file("gateway")).read_text()
    assert "WebSocket" in log  # uvicorn's lines are there ...
    assert "127.0.0.1:" not in log  # ... with the network, not the address and port


# -- 14. metrics --------------------------------------------------------------------------


def listening_address(port: int) -> str:
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if int(hex_port, 16) == port and state == "0A":  # LISTEN
            return socket.inet_ntoa(bytes.fromhex(address)[::-1])
    raise AssertionError(f"nothing listens on {port}")


def test_metrics_listen_on_loopback_only(stack):
    for name in ("gateway", "auth", "sessions", "voice", "billing", "privacy"):
        port = int(stack.env[f"MOCKY_{name.upper()}_METRICS_PORT"])
        assert listening_address(port) == "127.0.0.1", name


# -- 15. officers ---------------------------------------------------------------------------


def test_two_officers_removing_each_other_at_once_leave_one_and_the_audit_names_them(api):
    first = sign_in(api, "officer@mocky.local")
    first_id = first.get("/api/v1/me").json()["id"]
    deputy_email = new_address("deputy")
    deputy = sign_in(api, deputy_email)
    deputy_id = deputy.get("/api/v1/me").json()["id"]
    assert first.put("/api/v1/compliance/officers", json={"email": deputy_email}).status_code == 200
    for other in first.get("/api/v1/compliance/officers").json():  # just the two of them
        if other["id"] not in (first_id, deputy_id):
            first.delete(f"/api/v1/compliance/officers/{other['id']}")
    results: dict[str, int] = {}

    def remove(actor: httpx.Client, target: str) -> None:
        results[target] = actor.delete(f"/api/v1/compliance/officers/{target}").status_code

    threads = [
        threading.Thread(target=remove, args=(first, deputy_id)),
        threading.Thread(target=remove, args=(deputy, first_id)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    roles = {
        who: "compliance_officer" in client.get("/api/v1/me").json()["roles"]
        for who, client in (("first", first), ("deputy", deputy))
    }
    assert any(roles.values()), results  # never no officer at all
    survivor = first if roles["first"] else deputy
    assert (
        survivor.delete(
            f"/api/v1/compliance/officers/{survivor.get('/api/v1/me').json()['id']}"
        ).status_code
        == 409
    )
    if not roles["first"]:  # later tests sign in as the bootstrap officer
        deputy.put("/api/v1/compliance/officers", json={"email": "officer@mocky.local"})
    entries = survivor.get("/api/v1/compliance/audit-log").json()["entries"]
    revoked = [e for e in entries if e["action"] == "role_revoked"]
    assert revoked and all(e["actor_user_id"] in (first_id, deputy_id) for e in revoked[-1:])
