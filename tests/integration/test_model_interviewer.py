"""The language-model interviewer against local servers in each dialect the README
claims (real HTTP, server-sent events, error statuses): OpenAI/xAI, Ollama's
OpenAI-compatible endpoint, llama.cpp's server. Streaming, structured output refused or
ignored, 429/5xx, deadlines, prose instead of JSON, quotes not in the answers — each
falls back to the offline engine for that step, with a metric and a log event that
carries no content; and consent follows where the model runs."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from prometheus_client import REGISTRY
from structlog.testing import capture_logs

from mocky.platform.errors import Unavailable
from mocky.platform.language_model import PRESETS, ModelEndpoint
from mocky.platform.settings import get_settings, reset_settings
from mocky.sessions.v1 import sessions_pb2, sessions_pb2_grpc
from services.billing.service import BillingService
from services.sessions import chat
from services.sessions.analysis import analyse, fit
from services.sessions.chat import ChatClient
from services.sessions.engines import Interviewers
from services.sessions.interviewer import AnsweredTurn, Context, NextStep, OfflineInterviewer
from services.sessions.model_interviewer import PLAN_SCHEMA, ModelInterviewer
from services.sessions.planning import PlannedQuestion
from services.sessions.report import overall_of
from services.sessions.service import SessionsService
from tests import infra
from tests.documents import CV_TEXT, JD_TEXT
from tests.integration.conftest import grpc_client
from tests.integration.test_sessions_service import give_credits

Stub = sessions_pb2_grpc.SessionsServiceStub

KEY = "model-test-key"
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
PLAN_PROMPT = "Write exactly 4 questions"


def _server(tmp_path_factory, dialect: str):  # type: ignore[no-untyped-def]
    return infra.start_fake("chat_api", tmp_path_factory.mktemp(dialect), KEY, dialect)


@pytest.fixture(scope="module")
def openai(tmp_path_factory):  # type: ignore[no-untyped-def]
    server = _server(tmp_path_factory, "openai")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def ollama(tmp_path_factory):  # type: ignore[no-untyped-def]
    server = _server(tmp_path_factory, "ollama")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def llamacpp(tmp_path_factory):  # type: ignore[no-untyped-def]
    server = _server(tmp_path_factory, "llamacpp")
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def forget_endpoints():  # type: ignore[no-untyped-def]
    """Each test meets the servers afresh: no dialect learnt, no failures counted."""
    chat._learnt.clear()
    chat._breakers.clear()
    yield
    chat._learnt.clear()
    chat._breakers.clear()


def script(server, *steps: dict) -> None:  # type: ignore[no-untyped-def]
    httpx.post(server.url + "/_script", json={"steps": list(steps)})


def requests_of(server) -> list[dict]:  # type: ignore[no-untyped-def]
    return httpx.get(server.url + "/_requests").json()["requests"]


def endpoint(server, preset: str = "xai", **changes) -> ModelEndpoint:  # type: ignore[no-untyped-def]
    base = PRESETS[preset]
    settings = {
        "preset": preset,
        "base_url": server.url + "/v1",
        "model": base.model,
        "api_key": KEY if base.location == "provider" else "",
        "location": base.location,
        "structured": base.structured,
        "deadline_seconds": 10.0,
        "provider": base.provider,
        "region": base.region,
        "safeguards": base.safeguards,
    }
    settings.update(changes)
    return ModelEndpoint(**settings)


def client(server, preset: str = "xai", **changes) -> ChatClient:  # type: ignore[no-untyped-def]
    return ChatClient(endpoint(server, preset, **changes))


def context(mode: str = "coach") -> Context:
    return Context(mode, fit(analyse(CV_TEXT, "cv"), analyse(JD_TEXT, "jd")), seed=5)


def fallbacks(step: str, reason: str) -> float:
    labels = {"step": step, "reason": reason}
    return REGISTRY.get_sample_value("mocky_interviewer_fallbacks_total", labels) or 0.0


@pytest.mark.parametrize(
    ("dialect", "preset", "sent_format"),
    [("openai", "xai", "json_schema"), ("ollama", "ollama", "json_schema")],
)
def test_a_streamed_plan_in_each_dialect(dialect, preset, sent_format, request):  # type: ignore[no-untyped-def]
    server = request.getfixturevalue(dialect)
    plan = ModelInterviewer(client(server, preset)).plan(context())
    sent = requests_of(server)[-1]
    assert [q.kind for q in plan][0] == "opening" and plan[-1].kind == "closing"
    assert all(q.text.startswith("Model question") for q in plan)
    assert sent["stream"] is True and sent["response_format"]["type"] == sent_format
    assert "Terraform" in sent["messages"][-1]["content"]  # the gaps go into the prompt


def test_llamacpp_refuses_json_schema_and_is_asked_in_json_mode_from_then_on(llamacpp):
    """An Ollama-style `auto` endpoint pointed at a llama.cpp server that refuses the
    json_schema format (500): asked again with json_object and the schema beside it,
    and the process remembers."""
    engine = ModelInterviewer(client(llamacpp, "ollama", structured="auto"))
    with capture_logs() as logs:
        plan = engine.plan(context())
    first, second = requests_of(llamacpp)[-2:]
    assert plan[0].text.startswith("Model question")
    assert first["response_format"]["type"] == "json_schema"
    assert second["response_format"] == {"type": "json_object", "schema": PLAN_SCHEMA}
    assert '"questions"' in second["messages"][0]["content"]  # the schema in the prompt
    assert any(e["event"] == "model_structured_output_refused" for e in logs)
    engine.plan(context())
    assert requests_of(llamacpp)[-1]["response_format"]["type"] == "json_object"


def test_the_llamacpp_preset_asks_in_json_mode_at_once(llamacpp):
    before = len(requests_of(llamacpp))
    ModelInterviewer(client(llamacpp, "llamacpp")).plan(context())
    sent = requests_of(llamacpp)[before:]
    assert len(sent) == 1 and sent[0]["response_format"]["type"] == "json_object"
    assert "Authorization" not in json.dumps(sent)  # a local server: no key configured


def test_a_fixed_dialect_the_server_refuses_falls_back_to_the_offline_plan(llamacpp):
    engine = ModelInterviewer(client(llamacpp, "vllm"))  # json_schema, not auto
    reason = fallbacks("plan", "provider_refused")
    assert engine.plan(context()) == OfflineInterviewer().plan(context())
    assert fallbacks("plan", "provider_refused") == reason + 1


def test_json_in_prose_is_found_and_prose_alone_falls_back(ollama):
    """A model ignoring the format (Ollama Cloud does not enforce it) wraps the JSON in
    a sentence and a code fence: it is found and validated. Prose alone is retried,
    then the offline step stands; the log says why, without the words."""
    script(ollama, {"prose": True})
    plan = ModelInterviewer(client(ollama, "ollama")).plan(context())
    assert plan[0].text.startswith("Model question")
    prose = "I would ask about their Kafka work and their leadership, then wrap up."
    script(ollama, *[{"content": prose}] * 4)
    with capture_logs() as logs:
        plan = ModelInterviewer(client(ollama, "ollama"), offline=None).plan(context())
    assert plan == OfflineInterviewer().plan(context())
    assert [e["event"] for e in logs].count("model_invalid_json") >= 2
    assert {"event": "interviewer_fallback", "step": "plan"}.items() <= logs[-1].items()
    assert "Kafka" not in json.dumps(logs, default=str)


def test_429_is_retried_after_the_time_the_provider_asks(openai):
    script(openai, {"status": 503}, {"status": 429, "retry_after": 2})
    waited: list[float] = []
    model = client(openai)
    model.sleep = lambda seconds: (waited.append(seconds), time.sleep(seconds))[1]
    data = model.complete_json("system", PLAN_PROMPT, "interview_plan", PLAN_SCHEMA)
    assert len(data["questions"]) == 4
    assert 0.5 <= waited[0] < 0.7  # no Retry-After: backoff
    assert 2.0 <= waited[1] < 2.2  # Retry-After: 2 (the backoff would have been 1 s)


def test_invalid_json_and_a_broken_stream_are_retried(openai):
    script(openai, {"content": "{not json"}, {"stream_error": True})
    data = client(openai).complete_json("system", PLAN_PROMPT, "interview_plan", PLAN_SCHEMA)
    assert len(data["questions"]) == 4


def test_a_refused_key_is_not_retried(openai):
    before = len(requests_of(openai))
    with pytest.raises(Unavailable) as refused:
        client(openai, api_key="wrong").complete_json("s", "u", "interview_plan", PLAN_SCHEMA)
    assert refused.value.code == "provider_refused"
    assert len(requests_of(openai)) == before + 1


@pytest.mark.parametrize("behaviour", [{"delay": 4}, {"trickle": 0.3}])
def test_a_slow_or_trickling_server_never_holds_a_step_past_the_deadline(openai, behaviour):
    """Whether it sends nothing or a few bytes at a time, the step is the offline
    engine's when the deadline (1.5 s here) is up."""
    script(openai, behaviour, behaviour)
    engine = ModelInterviewer(client(openai, deadline_seconds=1.5))
    ctx = context("text")
    plan = OfflineInterviewer().plan(ctx)
    turns = [
        AnsweredTurn(plan[0].text, "opening", ANSWER),
        AnsweredTurn(plan[1].text, plan[1].kind, "Kafka."),
    ]
    offline = OfflineInterviewer().next_step(ctx, plan, turns)  # its models loaded
    started = time.monotonic()
    step = engine.next_step(ctx, plan, turns)
    assert time.monotonic() - started < 2.0
    assert step == offline


def answered(plan, answer: str) -> list[AnsweredTurn]:  # type: ignore[no-untyped-def]
    """The opening answered, then the first planned question after it."""
    return [
        AnsweredTurn(plan[0].text, plan[0].kind, ANSWER),
        AnsweredTurn(plan[1].text, plan[1].kind, answer),
    ]


def test_a_follow_up_streams_sentence_by_sentence(openai):
    """The follow-up's first sentence is handed on while the rest is still being
    written; the step that ends the stream holds the whole question."""
    ctx = context("live")
    plan = OfflineInterviewer().plan(ctx)
    script(openai, {"trickle": 0.05})
    started = time.monotonic()
    seen: list[tuple[float, object]] = []
    for item in ModelInterviewer(client(openai)).stream_step(ctx, plan, answered(plan, "Kafka.")):
        seen.append((time.monotonic() - started, item))
    (t1, first), (t2, second), (t3, step) = seen
    assert first == "Thanks, that gives me a start."
    assert second == "Which part of that work was yours alone?"
    assert isinstance(step, NextStep) and step.follow_up
    assert step.question.text == f"{first} {second}"
    assert t1 < t2 - 0.2  # the first sentence came well before the second was written


def test_moving_on_needs_only_the_models_decision_in_live_mode(openai):
    ctx = context("live")
    plan = OfflineInterviewer().plan(ctx)
    script(openai, {"trickle": 0.05})
    started = time.monotonic()
    step = ModelInterviewer(client(openai)).next_step(ctx, plan, answered(plan, STORY))
    assert step == NextStep(plan[2], False, "")
    assert time.monotonic() - started < 1.0  # not the ~4 s the whole JSON takes to trickle


def test_follow_ups_tips_and_a_validated_report(openai):
    engine = ModelInterviewer(client(openai))
    ctx = context("coach")
    plan = OfflineInterviewer().plan(ctx)
    thin = engine.next_step(ctx, plan, answered(plan, "Kafka, yes."))
    assert thin.follow_up and thin.question.text.endswith("yours alone?")
    assert thin.feedback.startswith("Model tip")
    turns = answered(plan, STORY)
    report = engine.report(ctx, turns)
    offline = OfflineInterviewer().report(ctx, turns)
    assert report.engine == "model" and report.summary == "Model summary of the interview."
    for mine, theirs in zip(report.competencies, offline.competencies, strict=True):
        # the fake scores 60 everywhere: kept where the rubric's reading is near it
        kept = abs(60 - theirs.score) <= 20
        assert (mine.score, mine.summary.startswith("Model")) == (
            (60, True) if kept else (theirs.score, False)
        )
        assert all(e.quote.rstrip("…") in ANSWER + STORY for e in mine.evidence)
    assert report.questions == offline.questions  # per question: the rubric's reading


def test_a_criterion_scored_against_the_rubric_is_overruled(openai):
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
    script(openai, {"step": fooled})  # valid JSON: not retried
    report = ModelInterviewer(client(openai)).report(ctx, turns)
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
    script(openai, {"step": mixed})
    turns = [AnsweredTurn(plan[1].text, plan[1].kind, STORY)]
    report = ModelInterviewer(client(openai)).report(ctx, turns)
    by_id = {c.competency: c for c in report.competencies}
    first, second, third = (honest.competencies[i].competency for i in range(3))
    assert report.engine == "model"
    assert by_id[first] == honest.competencies[0]  # the made-up quote: overruled
    assert by_id[second].summary.startswith("Model")
    assert by_id[third] == honest.competencies[2]  # the quote used twice: overruled
    assert report.overall_score == overall_of({c.competency: c.score for c in report.competencies})


def test_a_follow_up_asking_for_what_was_said_is_never_spoken(openai):
    """Checked sentence by sentence as it streams: the offline step replaces it, and
    nothing of it was handed on."""
    ctx = context("text")
    plan = OfflineInterviewer().plan(ctx)
    turns = answered(plan, STORY)
    asks_again = {
        "follow_up": True,
        "question": "What was the outcome? Tell me more.",
        "feedback": "",
    }
    script(openai, {"step": asks_again})
    reason = fallbacks("next_step", "provider_invalid_output")
    items = list(ModelInterviewer(client(openai)).stream_step(ctx, plan, turns))
    assert items == [OfflineInterviewer().next_step(ctx, plan, turns)]
    assert fallbacks("next_step", "provider_invalid_output") == reason + 1


def test_a_stream_that_breaks_after_a_spoken_sentence_is_not_asked_again(openai):
    """What was spoken stands: a whole question as the follow-up; the stream is not
    retried (a second version of it could not be unsaid)."""
    ctx = context("text")
    plan = OfflineInterviewer().plan(ctx)
    question = "Which part of that work was yours alone? And what did it change for the team?"
    step = json.dumps({"follow_up": True, "question": question, "feedback": ""})
    script(openai, {"content": step, "stream_error": step.index("And what") + 4})
    before = len(requests_of(openai))
    items = list(ModelInterviewer(client(openai)).stream_step(ctx, plan, answered(plan, "Kafka.")))
    assert items[0] == "Which part of that work was yours alone?"
    assert items[1:] == [NextStep(PlannedQuestion("follow_up", items[0]), True, "")]
    assert len(requests_of(openai)) == before + 1


def test_a_dead_endpoint_falls_back_to_the_offline_engine(openai):
    engine = ModelInterviewer(ChatClient(endpoint(openai), max_attempts=2))
    turns = [AnsweredTurn("Q", "behavioural", ANSWER)]
    script(openai, {"content": '{"summary": "s", "competencies": "none"}'})
    assert engine.report(context(), turns).engine == "offline"
    script(openai, {"status": 500}, {"status": 500})  # both attempts fail
    assert engine.plan(context()) == OfflineInterviewer().plan(context())
    down = ModelInterviewer(client(openai, base_url="http://127.0.0.1:9/v1"))
    started = time.monotonic()
    assert down.plan(context()) == OfflineInterviewer().plan(context())
    assert time.monotonic() - started < 1.0  # nothing listens: not retried


def test_an_endpoint_failing_again_and_again_is_skipped_for_a_while(openai, monkeypatch):
    monkeypatch.setattr(chat, "BREAK_SECONDS", 2)
    engine = ModelInterviewer(ChatClient(endpoint(openai), max_attempts=1))
    script(openai, *[{"status": 503}] * 3)
    for _ in range(3):
        assert engine.plan(context()) == OfflineInterviewer().plan(context())
    before = len(requests_of(openai))
    skipped = fallbacks("plan", "provider_circuit_open")
    started = time.monotonic()
    offline = OfflineInterviewer().plan(context())
    offline_took = time.monotonic() - started
    started = time.monotonic()
    assert engine.plan(context()) == offline
    assert time.monotonic() - started < offline_took + 0.3  # not a request's worth
    assert len(requests_of(openai)) == before
    assert fallbacks("plan", "provider_circuit_open") == skipped + 1
    time.sleep(2.1)  # then it is tried again, and a success closes it
    assert engine.plan(context())[0].text.startswith("Model question")
    assert engine.plan(context())[0].text.startswith("Model question")


@pytest.fixture
def configured(monkeypatch):  # type: ignore[no-untyped-def]
    def configure(**env: str) -> None:
        monkeypatch.setenv("MOCKY_INTERVIEWER", "model")
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        reset_settings()

    yield configure
    reset_settings()


def test_a_provider_gets_nothing_without_consent(openai, configured):
    configured(
        MOCKY_MODEL_PRESET="openai",
        MOCKY_MODEL_BASE_URL=openai.url + "/v1",
        MOCKY_MODEL_API_KEY=KEY,
    )
    before = len(requests_of(openai))
    without = Interviewers(get_settings().model).for_new(provider_consent=False)
    without.plan(context())
    assert without.name == "offline" and len(requests_of(openai)) == before
    with_consent = Interviewers(get_settings().model).for_new(provider_consent=True)
    with_consent.plan(context())
    assert with_consent.name == "model" and len(requests_of(openai)) == before + 1


def test_a_model_on_the_operators_own_servers_needs_no_consent(ollama, configured):
    configured(MOCKY_MODEL_PRESET="ollama", MOCKY_MODEL_BASE_URL=ollama.url + "/v1")
    before = len(requests_of(ollama))
    engine = Interviewers(get_settings().model).for_new(provider_consent=False)
    engine.plan(context())
    assert engine.name == "model" and len(requests_of(ollama)) == before + 1


# -- through the sessions service ----------------------------------------------------


@pytest.fixture
def sessions_on_model(start_service, settings, monkeypatch, ollama):  # type: ignore[no-untyped-def]
    """The sessions and billing services on this test's broker and database, the
    interviewer on the local Ollama-style server (no consent needed)."""
    billing_port = infra.free_port()
    monkeypatch.setenv("MOCKY_BILLING_GRPC_TARGET", f"127.0.0.1:{billing_port}")
    monkeypatch.setenv("MOCKY_INTERVIEWER", "model")
    monkeypatch.setenv("MOCKY_MODEL_PRESET", "ollama")
    monkeypatch.setenv("MOCKY_MODEL_BASE_URL", ollama.url + "/v1")
    monkeypatch.setenv("MOCKY_MODEL_DEADLINE_SECONDS", "3")
    reset_settings()
    start_service(BillingService, port=billing_port)
    _, port = start_service(SessionsService)
    give_credits(billing_port, "u-model")
    return port


def answer(user: str, interview: str, text: str, key: str):  # type: ignore[no-untyped-def]
    return sessions_pb2.SubmitAnswerRequest(
        user_id=user, interview_id=interview, text=text, idempotency_key=key
    )


def start_live(sessions):  # type: ignore[no-untyped-def]
    request = sessions_pb2.StartInterviewRequest(
        user_id="u-model", mode="live", role="Engineer", idempotency_key="k"
    )
    return sessions.StartInterview(request).interview


def streamed(*args: str):  # type: ignore[no-untyped-def]
    return sessions_pb2.StreamAnswerRequest(answer=answer(*args))


def test_the_next_question_streams_to_the_voice_agent_and_an_answer_is_never_lost(
    sessions_on_model, ollama
):
    with grpc_client(sessions_on_model, Stub) as sessions:
        interview = start_live(sessions)
        assert interview.question == "Model question 1 (opening)?"  # the model's plan
        parts = list(sessions.StreamAnswer(streamed("u-model", interview.id, ANSWER, "a1")))
        assert [p.WhichOneof("part") for p in parts] == ["result"]  # a planned question
        assert parts[0].result.question == "Model question 2 (behavioural)?"
        script(ollama, {"trickle": 0.05})
        parts = list(sessions.StreamAnswer(streamed("u-model", interview.id, "Kafka.", "a2")))
        sentences = [p.sentence for p in parts if p.WhichOneof("part") == "sentence"]
        assert sentences == [
            "Thanks, that gives me a start.",
            "Which part of that work was yours alone?",
        ]
        assert parts[-1].result.follow_up and parts[-1].result.question == " ".join(sentences)
        again = sessions.SubmitAnswer(answer("u-model", interview.id, "Kafka.", "a2"))
        assert again.question == parts[-1].result.question  # a resubmit: the same result
        # The endpoint goes down: the step is the offline engine's, within the deadline.
        script(ollama, *[{"status": 500}] * 6)
        started = time.monotonic()
        down = sessions.SubmitAnswer(answer("u-model", interview.id, STORY, "a3"))
        assert down.question and time.monotonic() - started < 3.5
        turns = sessions.GetInterview(
            sessions_pb2.GetInterviewRequest(user_id="u-model", id=interview.id)
        ).interview.turns
    assert [t.answer for t in turns[:3]] == [ANSWER, "Kafka.", STORY]
    assert turns[2].question_kind == "follow_up" and turns[3].question == down.question
    raw = json.dumps(requests_of(ollama))
    assert "u-model" not in raw and interview.id not in raw  # no ids go to the model


def test_a_caller_that_stops_listening_leaves_the_answer_and_its_step_saved(
    sessions_on_model, ollama
):
    with grpc_client(sessions_on_model, Stub) as sessions:
        interview = start_live(sessions)
        sessions.SubmitAnswer(answer("u-model", interview.id, ANSWER, "a1"))
        script(ollama, {"trickle": 0.1})
        stream = sessions.StreamAnswer(streamed("u-model", interview.id, "Kafka.", "a2"))
        first = next(iter(stream))
        assert first.sentence == "Thanks, that gives me a start."
    # The client is gone mid-question; the service finishes the step.
    with grpc_client(sessions_on_model, Stub) as sessions:
        request = sessions_pb2.GetInterviewRequest(user_id="u-model", id=interview.id)
        infra.wait_until(
            lambda: len(sessions.GetInterview(request).interview.turns) == 3, 10, "the step"
        )
        turns = sessions.GetInterview(request).interview.turns
    assert turns[1].answer == "Kafka."
    assert (
        turns[2].question
        == "Thanks, that gives me a start. Which part of that work was yours alone?"
    )
