"""Interviews for every occupation through the public API: a nurse, a teacher, a sales
executive, a support agent and an accountant upload their documents, see what the
interview will be planned from, and are asked their own field's questions."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.e2e.conftest import paying_user

DATA = json.loads(
    (Path(__file__).parents[2] / "services/sessions/tests/data/documents.json").read_text()
)
PAIRS = {p["family"]: p for p in DATA["pairs"]}
SOFTWARE = re.compile(r"\b(code|deploy|API|software|pull request|testing a change)\b", re.I)
ANSWER = (
    "In my last role I noticed the problem early, talked to the people involved, decided "
    "what to do first and followed it through; the result was better for everyone and I "
    "learned to plan ahead."
)


@pytest.mark.parametrize("family", ["nursing", "teaching", "sales", "customer_support", "finance"])
def test_each_field_is_interviewed_with_its_own_questions(api, stack, family):
    pair = PAIRS[family]
    user = paying_user(api, stack, family.replace("_", "-"))
    ids = {}
    for kind in ("cv", "jd"):
        uploaded = user.post("/api/v1/documents", json={"kind": kind, "text": pair[kind]})
        assert uploaded.status_code == 201, uploaded.text
        ids[kind] = uploaded.json()["id"]
        if kind == "jd":  # (a CV may come from another field: a career changer)
            assert uploaded.json()["analysis"]["family"] == family
    preview = user.post("/api/v1/interviews/preview", json={"cv_id": ids["cv"], "jd_id": ids["jd"]})
    assert preview.status_code == 200
    plan = preview.json()
    assert plan["family"] == family and plan["questions_planned"] == 7
    assert user.get("/api/v1/billing/balance").json()["credits"] == 5  # a preview is free

    started = user.post(
        "/api/v1/interviews", json={"mode": "text", "cv_id": ids["cv"], "jd_id": ids["jd"]}
    ).json()
    assert started["plan"]["family"] == family and started["questions_planned"] == 7
    accepted = [pair["role"].lower(), *pair["role_accept"]]
    assert any(a in started["question"].lower() for a in accepted), started["question"]
    asked = [started["question"]]
    for _ in range(12):  # seven questions, and a follow-up or two
        result = user.post(f"/api/v1/interviews/{started['id']}/answers", json={"text": ANSWER})
        assert result.status_code == 200, result.text
        if result.json()["done"]:
            break
        asked.append(result.json()["question"])
    else:
        raise AssertionError("the interview did not finish")
    text = " ".join(asked)
    assert not SOFTWARE.search(text), asked
    assert "  " not in text and ".." not in text


def test_a_misread_role_can_be_corrected_before_starting(api, stack):
    user = paying_user(api, stack, "correcting")
    cv = user.post("/api/v1/documents", json={"kind": "cv", "text": PAIRS["nursing"]["cv"]}).json()
    read = user.post("/api/v1/interviews/preview", json={"cv_id": cv["id"]}).json()
    assert read["family"] == "nursing"
    typed = user.post(
        "/api/v1/interviews/preview",
        json={"cv_id": cv["id"], "role": "Enterprise Account Executive"},
    ).json()
    assert typed["family"] == "sales" and typed["role"] == "enterprise account executive"
    nonsense = user.post("/api/v1/interviews/preview", json={"role": "asdf qwerty zzz"}).json()
    assert nonsense["family"] == "general" and nonsense["notes"]
    nothing = user.post("/api/v1/interviews/preview", json={})
    assert nothing.status_code == 400
    other = paying_user(api, stack, "other")
    assert other.post("/api/v1/interviews/preview", json={"cv_id": cv["id"]}).status_code == 404


def test_a_job_description_in_another_language_gives_a_general_plan(api, stack):
    user = paying_user(api, stack, "spanish")
    jd = user.post(
        "/api/v1/documents", json={"kind": "jd", "text": DATA["bad_inputs"]["spanish_jd"]}
    ).json()
    assert jd["analysis"]["language"] == "es"
    plan = user.post("/api/v1/interviews/preview", json={"jd_id": jd["id"]}).json()
    assert plan["family"] == "general" and "another language" in plan["notes"][0]
