"""The xAI Grok adapter against a local fake of xAI's chat-completions API (real HTTP,
server-sent events, error statuses): streaming, retries honouring Retry-After,
deadlines, validation, fallback to the offline engine, and consent."""

from __future__ import annotations

import time

import httpx
import pytest

from mocky.platform.errors import Unavailable
from mocky.platform.settings import reset_settings
from services.sessions.analysis import analyse, fit
from services.sessions.engines import interviewer_for
from services.sessions.grok import PLAN_SCHEMA, GrokClient, GrokInterviewer
from services.sessions.interviewer import AnsweredTurn, Context, OfflineInterviewer
from tests import infra
from tests.documents import CV_TEXT, JD_TEXT

KEY = "xai-test-key"
ANSWER = "At my last job I migrated our billing to Kafka and cut failed payments by 30%."


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


def test_follow_ups_tips_and_a_validated_report(fake_xai):
    grok = GrokInterviewer(client(fake_xai))
    ctx = context("coach")
    plan = OfflineInterviewer().plan(ctx)
    thin = grok.next_step(ctx, plan, [AnsweredTurn(plan[0].text, "opening", "Kafka, yes.")])
    assert thin.follow_up and thin.question.text.startswith("Grok follow-up")
    assert thin.feedback.startswith("Grok tip")
    live = grok.next_step(context("live"), plan, [AnsweredTurn(plan[0].text, "opening", ANSWER)])
    assert not live.follow_up and live.question == plan[1] and live.feedback == ""
    report = grok.report(ctx, [AnsweredTurn(plan[0].text, "opening", ANSWER)])
    assert report.engine == "grok" and report.overall_score == 71
    assert report.competencies[0].evidence[0].quote in ANSWER


def test_a_made_up_quote_or_a_dead_provider_falls_back_to_the_offline_engine(fake_xai):
    grok = GrokInterviewer(client(fake_xai, deadline=2))
    turns = [AnsweredTurn("Q", "opening", ANSWER)]
    made_up = (
        '{"overall_score": 90, "summary": "s", "strengths": [], "improvements": [], '
        '"competencies": []}'
    )
    script(fake_xai, *[{"content": made_up}] * 4)
    assert grok.report(context(), turns).engine == "offline"
    script(fake_xai, *[{"status": 500}] * 4)
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
