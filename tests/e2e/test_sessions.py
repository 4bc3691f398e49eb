"""Documents and interviews over the public HTTP API, on the whole local platform."""

from __future__ import annotations

import threading
import time
import uuid

import httpx

from mocky.platform.paddle import post, transaction_completed
from mocky.platform.settings import DEV_WEBHOOK_SECRET
from tests.documents import CV_TEXT, JD_TEXT, docx, docx_bomb, pdf
from tests.e2e.conftest import sign_in

GOOD = (
    "At my previous company our payments platform was a monolith and every deploy took "
    "two hours. I proposed splitting it into services, I designed the event flow with "
    "Kafka and I migrated the first two services to Kubernetes myself. As a result "
    "deploys went down from 2 hours to 20 minutes and incidents dropped by 40%."
)


def candidate(api: httpx.Client, stack, credits: int = 5) -> httpx.Client:  # type: ignore[no-untyped-def]
    user = sign_in(api, f"candidate-{uuid.uuid4().hex[:8]}@example.com")
    if credits:
        user_id = user.get("/api/v1/me").json()["id"]
        purchase = transaction_completed(user_id, "pri_local_5_credits", credits // 5)
        assert post(stack.gateway_url, purchase, DEV_WEBHOOK_SECRET).status_code == 200
    return user


def upload_cv_and_jd(user: httpx.Client) -> tuple[str, str]:
    lines = [line for line in CV_TEXT.splitlines() if line]
    cv = user.post(
        "/api/v1/documents",
        files={"file": ("jane-doe-cv.pdf", pdf(lines), "application/pdf")},
        data={"kind": "cv"},
    )
    jd = user.post("/api/v1/documents", json={"kind": "jd", "text": JD_TEXT})
    assert cv.status_code == 201, cv.text
    assert jd.status_code == 201, jd.text
    return cv.json()["id"], jd.json()["id"]


def test_upload_then_a_text_interview_of_five_turns_then_report_and_replay(api, stack):
    user = candidate(api, stack)
    cv_id, jd_id = upload_cv_and_jd(user)
    cv = user.get(f"/api/v1/documents/{cv_id}").json()
    assert cv["content_type"] == "application/pdf" and "Kubernetes" in cv["text"]
    assert {"Python", "Kubernetes"} <= set(cv["analysis"]["skills"])
    listed = user.get("/api/v1/documents").json()["documents"]
    assert {d["id"] for d in listed} == {cv_id, jd_id} and all(
        "text" not in d or not d["text"] for d in listed
    )

    started = user.post("/api/v1/interviews", json={"mode": "text", "cv_id": cv_id, "jd_id": jd_id})
    assert started.status_code == 201, started.text
    interview = started.json()
    assert interview["status"] == "in_progress" and interview["question"]
    assert interview["role"].startswith("Senior Backend Engineer")
    assert user.get("/api/v1/billing/balance").json()["credits"] == 4

    answers = 0
    result = {"done": False}
    while not result["done"]:
        result = user.post(
            f"/api/v1/interviews/{interview['id']}/answers", json={"text": GOOD}
        ).json()
        answers += 1
        assert result["transcript"] == GOOD and result["feedback"] is None  # text mode: no tips
        assert answers < 20
    assert answers >= 5
    report = user.get(f"/api/v1/interviews/{interview['id']}/report")
    assert report.status_code == 200
    body = report.json()
    assert 0 < body["overall_score"] <= 100 and body["summary"]
    assert [c["competency"] for c in body["competencies"]] == [
        "relevance",
        "structure",
        "evidence",
        "ownership",
        "impact",
        "communication",
    ]
    assert body["rubric_version"] == "2" and [c["id"] for c in body["rubric"]] == [
        c["competency"] for c in body["competencies"]
    ]
    for competency in body["competencies"]:
        assert competency["summary"] and competency["suggestions"]
        assert all(e["quote"].rstrip("…") in GOOD for e in competency["evidence"])
    # The same answer to every question: the repeats are seen and scored as such.
    assert sum(q["verdict"].startswith("The same as an earlier") for q in body["questions"]) >= 3
    assert body["improvements"] and body["delivery"]["filler_words"] == 0

    replay = user.get(f"/api/v1/interviews/{interview['id']}/replay").json()
    assert replay["status"] == "completed" and len(replay["turns"]) == answers
    assert all(t["question"] and t["answer"] == GOOD and t["answered_at"] for t in replay["turns"])
    finished = user.post(f"/api/v1/interviews/{interview['id']}/answers", json={"text": "more"})
    assert finished.status_code == 409
    assert finished.json()["error"]["code"] == "interview_finished"


def test_coach_mode_tips_every_answer_and_live_mode_stays_silent_until_the_end(api, stack):
    user = candidate(api, stack)
    cv_id, jd_id = upload_cv_and_jd(user)
    for mode in ("coach", "live"):
        interview = user.post(
            "/api/v1/interviews", json={"mode": mode, "cv_id": cv_id, "jd_id": jd_id}
        ).json()
        opened = user.post(
            f"/api/v1/interviews/{interview['id']}/answers", json={"text": GOOD}
        ).json()
        assert not opened["follow_up"]  # the opening is a warm-up, not probed
        thin = user.post(
            f"/api/v1/interviews/{interview['id']}/answers", json={"text": "I did some Kafka."}
        ).json()
        assert thin["follow_up"] and thin["question"]  # a thin answer is dug into
        assert (thin["feedback"] is not None) == (mode == "coach")
        early = user.get(f"/api/v1/interviews/{interview['id']}/report")
        assert early.status_code == 409
        user.post(f"/api/v1/interviews/{interview['id']}/finish")
        assert user.get(f"/api/v1/interviews/{interview['id']}/report").status_code == 200


def test_bad_uploads_get_clear_4xx_and_store_nothing(api, stack):
    user = candidate(api, stack, credits=0)

    def send(name: str, data: bytes, kind: str = "cv") -> httpx.Response:
        return user.post("/api/v1/documents", files={"file": (name, data)}, data={"kind": kind})

    cases = {
        "too big": (send("cv.txt", b"a" * (5 * 1024 * 1024 + 10)), 413, "too_large"),
        "wrong type": (send("cv.txt", b"\x89PNG\r\n\x1a\n" + bytes(200)), 415, "unsupported_type"),
        "corrupt pdf": (send("cv.pdf", b"%PDF-1.7\n\x00garbage"), 422, "corrupt_file"),
        "zip bomb docx": (send("cv.docx", docx_bomb()), 422, "decompression_bomb"),
        "empty": (send("cv.pdf", b""), 422, "empty_file"),
        "scanned pdf": (send("scan.pdf", pdf([])), 422, "no_text"),
        "bad kind": (send("cv.txt", CV_TEXT.encode(), kind="photo"), 400, "invalid_kind"),
    }
    for what, (response, status, code) in cases.items():
        assert response.status_code == status, (what, response.text)
        assert response.json()["error"]["code"] == code, what
    assert user.get("/api/v1/documents").json()["documents"] == []
    good = send("cv.docx", docx(CV_TEXT.splitlines()))
    assert good.status_code == 201 and good.json()["content_type"].endswith("document")


def test_replace_and_delete_a_document(api, stack):
    user = candidate(api, stack, credits=0)
    cv_id, _ = upload_cv_and_jd(user)
    replaced = user.put(
        f"/api/v1/documents/{cv_id}", json={"kind": "cv", "text": CV_TEXT + "\nAlso: Go, Kafka"}
    )
    assert replaced.status_code == 200 and replaced.json()["id"] != cv_id
    assert user.get(f"/api/v1/documents/{cv_id}").status_code == 404
    assert "Apache Kafka" in replaced.json()["analysis"]["skills"]
    assert user.delete(f"/api/v1/documents/{replaced.json()['id']}").status_code == 204
    assert len(user.get("/api/v1/documents").json()["documents"]) == 1


def test_another_users_interviews_and_documents_are_not_found(api, stack):
    owner = candidate(api, stack)
    cv_id, jd_id = upload_cv_and_jd(owner)
    interview = owner.post("/api/v1/interviews", json={"cv_id": cv_id, "jd_id": jd_id}).json()
    intruder = candidate(api, stack)
    base = f"/api/v1/interviews/{interview['id']}"
    assert intruder.get(base).status_code == 404
    assert intruder.get(f"{base}/report").status_code == 404
    assert intruder.get(f"{base}/replay").status_code == 404
    assert intruder.post(f"{base}/answers", json={"text": GOOD}).status_code == 404
    assert intruder.post(f"{base}/finish").status_code == 404
    assert intruder.get(f"/api/v1/documents/{cv_id}").status_code == 404
    assert intruder.delete(f"/api/v1/documents/{cv_id}").status_code == 404
    stolen = intruder.post("/api/v1/interviews", json={"cv_id": cv_id})
    assert stolen.status_code == 404
    assert owner.get(base).json()["questions_asked"] == 1  # untouched


def test_a_double_submit_is_one_answer_and_a_retried_start_one_interview(api, stack):
    user = candidate(api, stack)
    key = {"Idempotency-Key": "start-1"}
    first = user.post("/api/v1/interviews", json={"role": "Data Analyst"}, headers=key).json()
    again = user.post("/api/v1/interviews", json={"role": "Data Analyst"}, headers=key).json()
    assert first["id"] == again["id"]
    assert user.get("/api/v1/billing/balance").json()["credits"] == 4  # charged once
    answer_key = {"Idempotency-Key": "answer-1"}
    url = f"/api/v1/interviews/{first['id']}/answers"
    one = user.post(url, json={"text": GOOD}, headers=answer_key).json()
    two = user.post(url, json={"text": GOOD}, headers=answer_key).json()
    assert one == two
    assert user.get(f"/api/v1/interviews/{first['id']}").json()["questions_asked"] == 2


def test_twenty_concurrent_starts_with_three_credits_start_exactly_three(api, stack):
    user = candidate(api, stack)  # 5 credits
    for _ in range(2):
        assert user.post("/api/v1/interviews", json={"role": "Engineer"}).status_code == 201
    statuses: list[int] = []
    cookies = dict(user.cookies)

    def start() -> None:
        with httpx.Client(base_url=str(api.base_url), cookies=cookies, timeout=60) as c:
            statuses.append(c.post("/api/v1/interviews", json={"role": "Engineer"}).status_code)

    threads = [threading.Thread(target=start) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201] * 3 + [402] * 17
    assert user.get("/api/v1/billing/balance").json()["credits"] == 0
    assert len(user.get("/api/v1/interviews").json()["interviews"]) == 5


def test_a_guest_practises_once_for_free_then_must_sign_in_and_pay(api):
    guest = httpx.Client(base_url=str(api.base_url), timeout=30)
    guest.post("/api/v1/auth/anonymous")
    assert guest.post("/api/v1/interviews", json={"role": "Designer"}).status_code == 201
    second = guest.post("/api/v1/interviews", json={"role": "Designer"})
    assert second.status_code == 402
    assert second.json()["error"]["code"] == "payment_required"


def test_an_idle_interview_finishes_by_itself(api, stack):
    user = candidate(api, stack)
    answered = user.post("/api/v1/interviews", json={"role": "Engineer"}).json()
    user.post(f"/api/v1/interviews/{answered['id']}/answers", json={"text": GOOD})
    untouched = user.post("/api/v1/interviews", json={"role": "Engineer"}).json()
    api.post("/api/v1/dev/clock", json={"advance_seconds": 31 * 60})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        statuses = {
            i["id"]: i["status"] for i in user.get("/api/v1/interviews").json()["interviews"]
        }
        if statuses[answered["id"]] == "completed" and statuses[untouched["id"]] == "abandoned":
            break
        time.sleep(0.5)
    assert statuses[answered["id"]] == "completed"
    assert statuses[untouched["id"]] == "abandoned"
    assert user.get(f"/api/v1/interviews/{answered['id']}/report").status_code == 200
