"""Feedback that reads what was said, through the public API and in the browser: a
nurse's interview where an answer told as "we" is asked what she did herself, a
keyword list is asked to be told as what happened, a pasted repeat is noticed, and the
report scores each answer on the rubric, quotes a different sentence under every
criterion and never advises on what was not wrong."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.conftest import SHOTS, paying_user

HERE = Path(__file__).parents[2] / "services/sessions/tests/data"
PAIR = next(
    p
    for p in json.loads((HERE / "documents.json").read_text())["pairs"]
    if p["family"] == "nursing"
)
ANSWERS = next(
    e for e in json.loads((HERE / "answers.json").read_text()) if e["family"] == "nursing"
)["answers"]
OPENING = (
    "I have been a staff nurse on an acute medical ward for four years, and I now look "
    "after a bay of six patients on days and nights and mentor our student nurses."
)


def test_a_nurse_gets_follow_ups_and_a_report_about_what_she_said(api, stack, browser):
    user = paying_user(api, stack, "nurse-feedback")
    ids = {
        kind: user.post("/api/v1/documents", json={"kind": kind, "text": PAIR[kind]}).json()["id"]
        for kind in ("cv", "jd")
    }
    started = user.post(
        "/api/v1/interviews", json={"mode": "coach", "cv_id": ids["cv"], "jd_id": ids["jd"]}
    ).json()
    interview = started["id"]

    def answer(text: str) -> dict:
        result = user.post(f"/api/v1/interviews/{interview}/answers", json={"text": text})
        assert result.status_code == 200, result.text
        return result.json()

    assert not answer(OPENING)["follow_up"]  # the opening is not probed
    told_by_team = answer(ANSWERS["we_only"])
    assert told_by_team["follow_up"]
    assert "What did you do yourself" in told_by_team["question"]
    assert told_by_team["question"].split('"')[1].rstrip("…") in ANSWERS["we_only"]
    assert "you told it as" in told_by_team["feedback"]  # coach mode: the tip says why
    own = answer(ANSWERS["strong"])
    assert not own["follow_up"]  # a full answer is not asked for more
    salad = answer(ANSWERS["stuffed"])
    assert salad["follow_up"] and "list of terms" in salad["question"]
    told = answer(ANSWERS["adequate"])
    pasted = answer(ANSWERS["adequate"])  # the same answer again, to a new question
    assert "different example" in pasted["feedback"] or not pasted["done"]
    result = told
    for text in (ANSWERS["vague"], ANSWERS["result_already"], OPENING, OPENING):
        if result["done"]:
            break
        result = answer(text)
    if not result["done"]:
        user.post(f"/api/v1/interviews/{interview}/finish")

    report = user.get(f"/api/v1/interviews/{interview}/report").json()
    assert report["rubric_version"] == "2" and len(report["rubric"]) == 6
    assert all(len(c["anchors"]) == 5 for c in report["rubric"])
    assert [c["competency"] for c in report["competencies"]] == [c["id"] for c in report["rubric"]]
    quotes = [e["quote"] for c in report["competencies"] for e in c["evidence"]]
    assert quotes and len(quotes) == len(set(quotes))
    advice = " ".join(s for c in report["competencies"] for s in c["suggestions"]).lower()
    assert "filler" not in advice  # none were used
    by_answer = {q["question"]: q for q in report["questions"]}
    assert len(report["questions"]) >= 7
    scores = [q["score"] for q in report["questions"]]
    stuffed = next(q for q in report["questions"] if q["verdict"].startswith("A list of terms"))
    assert stuffed["score"] < 30 and max(scores) >= 75
    assert any(q["verdict"].startswith("The same as an earlier") for q in by_answer.values())
    assert all(q["strong_answer"] for q in report["questions"])

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": c.name, "value": c.value, "url": stack.gateway_url} for c in user.cookies.jar]
    )
    page = context.new_page()
    for width, name in ((1280, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{stack.gateway_url}/#/report/{interview}")
        page.wait_for_selector("#questions")
        assert page.locator("svg.chart rect").count() == 6
        assert "Your own actions" in page.get_attribute("svg.chart", "aria-label")
        page.locator("details summary").first.click()  # "How this is scored"
        first = page.locator("details").first
        assert first.locator("li.reached").count() == 1  # the level reached, marked
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"04c-nurse-report-{name}.png"), full_page=True)
    context.close()
