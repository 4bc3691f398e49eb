"""The xAI Grok adapter against a local fake of xAI's chat-completions API (real HTTP,
server-sent events, error statuses): streaming, retries honouring Retry-After,
deadlines, validation, fallback to the offline engine, and consent."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from mocky.platform.errors import Unavailable
from mocky.platform.settings import reset_settings
from services.sessions.analysis import analyse, fit
from services.sessions.engines import interviewer_for
from services.sessions.grok import PLAN_SCHEMA, GrokClient, GrokInterviewer
from services.sessions.interviewer import AnsweredTurn, Context, OfflineInterviewer
from services.sessions.report import overall_of
from tests import infra
from tests.documents import CV_TEXT, JD_TEXT

KEY = "xai-test-key"
ANSWER = "At my last job I migrated our billing to Kafka and cut failed payments by 30%."
STORY = (
    "Last year at Fernway our nightly billing batch kept failing and customers were charged "
    "twice. I traced it to a retry loop without idempotency keys, I rewrote the consumer on "
    "Kafka with keys per invoice and I added an alert on duplicate charges. As a result "
    "duplicate charges fell from 40 a week to none, and I learned to test retries first."
)
SALAD = (
    "Kafka Kubernetes Terraform PostgreSQL microservices scalable robust agile STAR "
    "situation task action result 99.99% uptime 40% faster leadership ownership CI/CD"
)


@pytest.fixture(scope="module")
def fake_xai(tmp_path_factory):  # type: ignore[no-untyped-def]
    server = infra.start_fake("xai_api", tmp_path_factory.mktemp("xai"), KEY)
    yield server
    server.stop()


def script(server, *steps: dict) -> None:  # type: ignore[no-untyped-def]
    httpx.post(server.url + "/_script", json={"steps": list(steps)})


def requests_seen(server) -> int:  # type: ignore[no-untyped-def]
    return len(httpx.get(server.url + "/_requests").json()["requests"])


def client(server, key: str = KEY, deadline: float = 10.0) -> GrokClient:  # type: ignore[no-untyped-def]
    return GrokClient(key, server.url + "/v1", "grok-4", deadline)


def context(mode: str = "coach") -> Context:
    return Context(mode, fit(analyse(CV_TEXT, "cv"), analyse(JD_TEXT, "jd")), seed=5)


def test_a_streamed_plan_is_parsed_and_validated(fake_xai):
    plan = GrokInterviewer(client(fake_xai)).plan(context())
    sent = httpx.get(fake_xai.url + "/_requests").json()["requests"][-1]
    assert [q.kind for q in plan][0] == "opening" and plan[-1].kind == "closing"
    assert all(q.text.startswith("Grok question") for q in plan)
    assert sent["stream"] is True
    assert sent["response_format"]["json_schema"]["name"] == "interview_plan"
    assert "Terraform" in sent["messages"][-1]["content"]  # the gaps go into the prompt


def test_429_is_retried_after_the_time_the_provider_asks(fake_xai):
    script(fake_xai, {"status": 503}, {"status": 429, "retry_after": 2})
    waited: list[float] = []
    grok = client(fake_xai)
    grok.sleep = lambda seconds: (waited.append(seconds), time.sleep(seconds))[1]
    data = grok.complete_json("system", "Write exactly 4 questions", "interview_plan", PLAN_SCHEMA)
    assert len(data["questions"]) == 4
    assert 0.5 <= waited[0] < 0.7  # no Retry-After: backoff
    assert 2.0 <= waited[1] < 2.2  # Retry-After: 2 (the backoff would have been 1 s)


def test_invalid_json_and_a_broken_stream_are_retried(fake_xai):
    script(fake_xai, {"content": "{not json"}, {"stream_error": True})
    data = client(fake_xai).complete_json(
        "system", "Write exactly 4 questions", "interview_plan", PLAN_SCHEMA
    )
    assert len(data["questions"]) == 4


def test_a_refused_key_is_not_retried_and_a_slow_provider_hits_the_deadline(fake_xai):
    before = requests_seen(fake_xai)
    with pytest.raises(Unavailable) as refused:
        client(fake_xai, key="wrong").complete_json("s", "u", "interview_plan", PLAN_SCHEMA)
    assert refused.value.code == "provider_refused"
    assert requests_seen(fake_xai) == before + 1
    script(fake_xai, {"delay": 3}, {"delay": 3})
    started = time.monotonic()
    with pytest.raises(Unavailable):
        client(fake_xai, deadline=1.5).complete_json("s", "u", "interview_plan", PLAN_SCHEMA)
    assert time.monotonic() - started < 2.5


def answered(plan, answer: str) -> list[AnsweredTurn]:  # type: ignore[no-untyped-def]
    """The opening answered, then the first planned question after it."""
    return [
        AnsweredTurn(plan[0].text, plan[0].kind, ANSWER),
        AnsweredTurn(plan[1].text, plan[1].kind, answer),
    ]


def test_follow_ups_tips_and_a_validated_report(fake_xai):
    grok = GrokInterviewer(client(fake_xai))
    ctx = context("coach")
    plan = OfflineInterviewer().plan(ctx)
    thin = grok.next_step(ctx, plan, answered(plan, "Kafka, yes."))
    assert thin.follow_up and thin.question.text.startswith("Grok follow-up")
    assert thin.feedback.startswith("Grok tip")
    live = grok.next_step(context("live"), plan, answered(plan, STORY))
    assert not live.follow_up and live.question == plan[2] and live.feedback == ""
    turns = answered(plan, STORY)
    report = grok.report(ctx, turns)
    offline = OfflineInterviewer().report(ctx, turns)
    assert report.engine == "grok" and report.summary == "Grok summary of the interview."
    for mine, theirs in zip(report.competencies, offline.competencies, strict=True):
        # the fake scores 60 everywhere: kept where the rubric's reading is near it
        kept = abs(60 - theirs.score) <= 20
        assert (mine.score, mine.summary.startswith("Grok")) == (
            (60, True) if kept else (theirs.score, False)
        )
        assert all(e.quote.rstrip("…") in ANSWER + STORY for e in mine.evidence)
    assert report.questions == offline.questions  # per question: the rubric's reading


def test_a_criterion_scored_against_the_rubric_is_overruled(fake_xai):
    """A model fooled by a list of terms (90 on every criterion) is overruled; a quote
    it made up, or the same quote under two criteria, is not shown."""
    ctx = context("text")
    plan = OfflineInterviewer().plan(ctx)
    turns = [AnsweredTurn(plan[1].text, plan[1].kind, SALAD)]
    offline = OfflineInterviewer().report(ctx, turns)
    assert offline.overall_score < 30
    words = SALAD.split()
    fooled = {
        "summary": "Outstanding.",
        "competencies": [
            {
                "competency": c.competency,
                "score": 90,
                "summary": "Excellent.",
                "suggestions": ["Keep it up."],
                "evidence": [{"turn": 0, "quote": " ".join(words[i : i + 3]), "positive": True}],
            }
            for i, c in enumerate(offline.competencies)
        ],
    }
    script(fake_xai, {"content": json.dumps(fooled)})  # valid JSON: not retried
    report = GrokInterviewer(client(fake_xai)).report(ctx, turns)
    assert report.engine == "offline" and report.overall_score == offline.overall_score < 30
    honest = OfflineInterviewer().report(ctx, [AnsweredTurn(plan[1].text, plan[1].kind, STORY)])
    story = STORY.split()
    mixed = {
        "summary": "A clear story.",
        "competencies": [
            {
                "competency": c.competency,
                "score": c.score,
                "summary": f"Model on {c.competency}.",
                "suggestions": ["Model advice."],
                "evidence": [
                    {
                        "turn": 0,
                        # one made up, one a quote another criterion already used
                        "quote": "I single-handedly saved the company"
                        if i == 0
                        else " ".join(story[1:5] if i == 1 else story[i * 3 : i * 3 + 5]),
                        "positive": True,
                    }
                ],
            }
            for i, c in enumerate(honest.competencies)
        ],
    }
    mixed["competencies"][2]["evidence"][0]["quote"] = " ".join(story[1:5])
    script(fake_xai, {"content": json.dumps(mixed)})
    turns = [AnsweredTurn(plan[1].text, plan[1].kind, STORY)]
    report = GrokInterviewer(client(fake_xai)).report(ctx, turns)
    by_id = {c.competency: c for c in report.competencies}
    first, second, third = (honest.competencies[i].competency for i in range(3))
    assert report.engine == "grok"
    assert by_id[first] == honest.competencies[0]  # the made-up quote: overruled
    assert by_id[second].summary.startswith("Model")
    assert by_id[third] == honest.competencies[2]  # the quote used twice: overruled
    assert report.overall_score == overall_of({c.competency: c.score for c in report.competencies})


def test_a_follow_up_asking_for_what_was_said_is_replaced(fake_xai):
    ctx = context("text")
    plan = OfflineInterviewer().plan(ctx)
    turns = answered(plan, STORY)
    asks_again = {"follow_up": True, "question": "What was the outcome?", "feedback": ""}
    script(fake_xai, {"content": json.dumps(asks_again)})
    step = GrokInterviewer(client(fake_xai)).next_step(ctx, plan, turns)
    assert step == OfflineInterviewer().next_step(ctx, plan, turns)
    assert step.question is None or step.question.text != "What was the outcome?"


def test_a_dead_provider_falls_back_to_the_offline_engine(fake_xai):
    grok = GrokInterviewer(GrokClient(KEY, fake_xai.url + "/v1", "grok-4", 5, max_attempts=2))
    turns = [AnsweredTurn("Q", "behavioural", ANSWER)]
    script(fake_xai, {"content": '{"summary": "s", "competencies": "none"}'})
    assert grok.report(context(), turns).engine == "offline"
    script(fake_xai, {"status": 500}, {"status": 500})  # both attempts fail
    assert grok.plan(context())[0].kind == "opening"  # the offline plan


def test_nothing_goes_to_the_provider_without_consent(fake_xai, monkeypatch):
    monkeypatch.setenv("MOCKY_INTERVIEWER", "grok")
    monkeypatch.setenv("XAI_API_KEY", KEY)
    monkeypatch.setenv("XAI_BASE_URL", fake_xai.url + "/v1")
    reset_settings()
    try:
        before = requests_seen(fake_xai)
        without = interviewer_for(provider_consent=False)
        without.plan(context())
        assert without.name == "offline" and requests_seen(fake_xai) == before
        with_consent = interviewer_for(provider_consent=True)
        with_consent.plan(context())
        assert with_consent.name == "grok" and requests_seen(fake_xai) == before + 1
    finally:
        reset_settings()
