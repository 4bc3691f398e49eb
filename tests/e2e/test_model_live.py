"""The whole platform with the interviewer on a language model on the operator's own
server (a local Ollama-style Chat Completions server, `tests/fakes/chat_api.py`): a live
interview over the real WebSocket hears a follow-up the model is still writing — its
first sentence is spoken before the model has finished — and the text interview uses the
same engine; the model's own servers need no consent."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator

import httpx
import pytest
import websockets

from mocky.platform.devstack import Stack
from tests import infra
from tests.e2e.conftest import paying_user, platform_on
from tests.e2e.test_live import SILENCE, Conversation, speech

LONG = "I have eight years of experience building payment services in Python and Go."
SHORT = "I used Kafka."


@pytest.fixture(scope="module")
def model_server() -> Iterator[infra.Server]:
    workdir = infra.temp_workdir("mocky-e2e-model-")
    server = infra.start_fake("chat_api", workdir, "unused", "ollama")
    yield server
    server.stop()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def model_stack(model_server) -> Iterator[Stack]:  # type: ignore[no-untyped-def]
    with platform_on(
        infra.temp_workdir("mocky-e2e-model-stack-"),
        MOCKY_INTERVIEWER="model",
        MOCKY_MODEL_PRESET="ollama",
        MOCKY_MODEL_BASE_URL=model_server.url + "/v1",
        MOCKY_MODEL_DEADLINE_SECONDS="10",
    ) as platform:
        yield platform


def script(server: infra.Server, *steps: dict) -> None:
    httpx.post(server.url + "/_script", json={"steps": list(steps)})


def test_a_live_follow_up_is_spoken_while_the_model_still_writes_it(model_stack, model_server):
    with httpx.Client(base_url=model_stack.gateway_url, timeout=30) as api:
        user = paying_user(api, model_stack, "model-live")
        interview = user.post("/api/v1/interviews", json={"mode": "live", "role": "Engineer"})
        interview = interview.json()
        assert interview["question"] == "Model question 1 (opening)?"  # no consent needed
        url = model_stack.gateway_url.replace("http", "ws")
        url += f"/api/v1/interviews/{interview['id']}/live"
        cookie = "; ".join(f"{k}={v}" for k, v in user.cookies.items())

        async def talk() -> list[str]:
            async with websockets.connect(url, additional_headers={"Cookie": cookie}) as socket:
                chat = Conversation(socket)
                await chat.until("response.done")  # the opening question, spoken
                await chat.say(speech(LONG) + SILENCE)
                nxt = await chat.until("response.audio_transcript.done")
                assert nxt["transcript"] == "Model question 2 (behavioural)?"
                await chat.until("response.done")
                # The model writes 12 characters every 0.4 s: its step takes ~6 s, the
                # question after the first sentence ~2 s (room for a busy machine's TTS).
                script(model_server, {"trickle": 0.4})
                await chat.say(speech(SHORT) + SILENCE)
                await chat.until("conversation.item.input_audio_transcription.completed")
                order = []
                while "response.audio_transcript.done" not in order:
                    event = await chat.until_any(
                        "response.audio_transcript.delta",
                        "response.created",
                        "response.audio_transcript.done",
                    )
                    order.append(event["type"])
                    if event["type"] != "response.created":
                        order.append(event.get("delta") or event.get("transcript"))
                await socket.send('{"type": "session.close"}')
                return order

        order = asyncio.run(talk())
        first = "Thanks, that gives me a start."
        whole = f"{first} Which part of that work was yours alone?"
        assert order[:2] == ["response.audio_transcript.delta", first]
        assert order.index("response.created") < order.index("response.audio_transcript.done")
        assert order[-1] == whole
        replay = user.get(f"/api/v1/interviews/{interview['id']}/replay").json()
        assert replay["turns"][2]["question"] == whole

        # The text interview: the same engine, through SubmitAnswer.
        text = user.post("/api/v1/interviews", json={"mode": "text", "role": "Engineer"}).json()
        answered = user.post(f"/api/v1/interviews/{text['id']}/answers", json={"text": LONG})
        assert answered.json()["question"] == "Model question 2 (behavioural)?"


def test_in_the_browser_the_question_fills_in_as_it_is_spoken(
    model_stack, model_server, playwright, tmp_path
):  # type: ignore[no-untyped-def]
    """Chromium with a fake microphone that keeps saying a thin answer: the opening is
    answered, then the follow-up the model writes slowly shows sentence by sentence
    while it is spoken (screenshots on a desktop and a 390 px phone)."""
    import numpy as np

    from tests.e2e.test_web import fake_microphone_browser, until
    from tests.speech import encode, spoken

    samples, rate = spoken(SHORT)
    pause = np.zeros(int(rate * 2.5), dtype=samples.dtype)
    wav = tmp_path / "microphone.wav"
    wav.write_bytes(encode(np.concatenate([samples, pause]), rate, "wav"))
    first = "Thanks, that gives me a start."
    # Every follow-up written 12 characters every 0.6 s (~2 s between its sentences).
    httpx.post(model_server.url + "/_script", json={"follow_up_trickle": 0.6})
    browser = fake_microphone_browser(playwright, wav)
    try:
        for name, viewport in VIEWPORTS.items():
            context = browser.new_context(permissions=["microphone"], viewport=viewport)
            live_follow_up(context.new_page(), model_stack, name, first, until)
            context.close()
    finally:
        httpx.post(model_server.url + "/_script", json={"follow_up_trickle": 0})
        browser.close()


VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def live_follow_up(page, stack, name: str, first: str, until) -> None:  # type: ignore[no-untyped-def]
    from tests.e2e.conftest import SHOTS
    from tests.e2e.test_web import start_live_as_guest

    start_live_as_guest(page, stack.gateway_url)
    until(lambda: page.locator("#live-log li.you").count() >= 2, timeout=90)
    # The follow-up's first sentence shows while the rest is still being written.
    until(lambda: first in page.inner_text("main"), timeout=30)
    assert "yours alone" not in page.inner_text("main")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"13-live-model-streaming-{name}.png"), full_page=True)
    until(lambda: "yours alone?" in page.inner_text("main"), timeout=30)
    page.click("#live-start")
