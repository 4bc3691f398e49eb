"""The realtime voice interview over a real WebSocket, from a Python client: the agent
speaks the question, notices the end of the user's spoken turn, transcribes and answers
it, speaks the next question — and stops speaking when the user talks over it."""

from __future__ import annotations

import asyncio
import json
import uuid

import httpx
import pytest
import websockets
from prometheus_client.parser import text_string_to_metric_families

from mocky.platform.audio import SAMPLE_RATE
from tests.e2e.conftest import paying_user, sign_in
from tests.speech import pcm16, spoken, word_error_rate

FIRST = "I have eight years of experience building payment services in Python and Go."
SECOND = "I would design the retry logic first and measure the results with clear metrics."
SILENCE = bytes(SAMPLE_RATE * 2)  # one second of PCM16


def speech(text: str) -> bytes:
    return pcm16(*spoken(text))


class Conversation:
    def __init__(self, socket) -> None:  # type: ignore[no-untyped-def]
        self.socket = socket
        self.audio_bytes = 0

    async def until(self, wanted: str, timeout: float = 60) -> dict:
        return await self.until_any(wanted, timeout=timeout)

    async def until_any(self, *wanted: str, timeout: float = 60) -> dict:
        async with asyncio.timeout(timeout):
            while True:
                message = await self.socket.recv()
                if isinstance(message, bytes):
                    self.audio_bytes += len(message)
                    continue
                event = json.loads(message)
                assert event["type"] != "error", event
                if event["type"] in wanted:
                    return event

    async def say(self, pcm: bytes) -> None:
        for offset in range(0, len(pcm), 3200):  # 100 ms frames, a little faster than live
            await self.socket.send(pcm[offset : offset + 3200])
            await asyncio.sleep(0.02)


@pytest.fixture
def user(api, stack):  # type: ignore[no-untyped-def]
    return paying_user(api, stack, "live")


def guesses(stack, outcome: str) -> float:  # type: ignore[no-untyped-def]
    port = stack.env["MOCKY_GATEWAY_METRICS_PORT"]
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if (
                sample.name == "mocky_live_turn_guesses_total"
                and sample.labels.get("outcome") == outcome
            ):
                return sample.value
    return 0.0


def test_a_spoken_multi_turn_interview_with_barge_in(user, stack):
    kept_before = guesses(stack, "kept")
    interview = user.post("/api/v1/interviews", json={"mode": "coach", "role": "Engineer"}).json()
    url = stack.gateway_url.replace("http", "ws") + f"/api/v1/interviews/{interview['id']}/live"
    cookie = "; ".join(f"{k}={v}" for k, v in user.cookies.items())
    first, second = speech(FIRST), speech(SECOND)

    async def talk() -> dict:
        async with websockets.connect(url, additional_headers={"Cookie": cookie}) as socket:
            chat = Conversation(socket)
            created = await chat.until("session.created")
            assert created["session"]["input_sample_rate"] == SAMPLE_RATE
            started = await chat.until("response.created")
            await chat.until("response.done")  # the whole first question, paced
            full_question = chat.audio_bytes
            assert full_question > started["output_sample_rate"] * 2  # more than a second

            await chat.say(first + SILENCE)
            await chat.until("input_audio_buffer.speech_started")
            await chat.until("input_audio_buffer.speech_stopped")
            heard = await chat.until("conversation.item.input_audio_transcription.completed")
            tip = await chat.until("response.feedback")
            await chat.until("response.created")  # the next question starts ...
            chat.audio_bytes = 0
            await asyncio.sleep(0.6)
            await chat.say(second + SILENCE)  # ... and the user talks over it
            cancelled = await chat.until("response.cancelled")
            cut_short = chat.audio_bytes
            heard_again = await chat.until("conversation.item.input_audio_transcription.completed")
            await socket.send(json.dumps({"type": "session.close"}))
            return {
                "heard": heard,
                "tip": tip,
                "cancelled": cancelled,
                "cut_short": cut_short,
                "full": full_question,
                "heard_again": heard_again,
            }

    result = asyncio.run(talk())
    assert word_error_rate(FIRST, result["heard"]["transcript"]) <= 0.2
    assert word_error_rate(SECOND, result["heard_again"]["transcript"]) <= 0.2
    assert result["tip"]["text"]
    assert result["cut_short"] < result["full"] / 2  # it stopped speaking
    replay = user.get(f"/api/v1/interviews/{interview['id']}/replay").json()
    answered = [t for t in replay["turns"] if t["answer"]]
    assert len(answered) == 2 and all(t["audio_url"] for t in answered)
    # Each turn ended after a pause the agent had already started transcribing.
    assert guesses(stack, "kept") >= kept_before + 1


def test_the_live_socket_refuses_strangers_and_other_sites(user, api, stack):
    interview = user.post("/api/v1/interviews", json={"mode": "live", "role": "Engineer"}).json()
    url = stack.gateway_url.replace("http", "ws") + f"/api/v1/interviews/{interview['id']}/live"
    stranger = sign_in(api, f"stranger-{uuid.uuid4().hex[:8]}@example.com")

    async def close_code(headers: dict) -> int:
        async with websockets.connect(url, additional_headers=headers) as socket:
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await socket.recv()
            return closed.value.rcvd.code

    cookie = "; ".join(f"{k}={v}" for k, v in user.cookies.items())
    stranger_cookie = "; ".join(f"{k}={v}" for k, v in stranger.cookies.items())
    assert asyncio.run(close_code({})) == 4401
    assert asyncio.run(close_code({"Cookie": stranger_cookie})) == 4404
    with pytest.raises(websockets.InvalidStatus) as refused:
        asyncio.run(close_code({"Cookie": cookie, "Origin": "https://evil.example"}))
    assert refused.value.response.status_code == 403  # refused at the handshake
    user.post(f"/api/v1/interviews/{interview['id']}/finish")
    assert asyncio.run(close_code({"Cookie": cookie})) == 4409


def test_with_consent_the_live_interview_is_held_by_the_xai_voice_agent(user, stack):
    assert user.put("/api/v1/privacy/consents", json={"ai_provider": True}).status_code == 200
    interview = user.post("/api/v1/interviews", json={"mode": "coach", "role": "Engineer"}).json()
    url = stack.gateway_url.replace("http", "ws") + f"/api/v1/interviews/{interview['id']}/live"
    cookie = "; ".join(f"{k}={v}" for k, v in user.cookies.items())
    spoken_first = speech(FIRST)

    async def talk() -> dict:
        async with websockets.connect(url, additional_headers={"Cookie": cookie}) as socket:
            chat = Conversation(socket)
            created = await chat.until("session.created")
            await chat.until("response.created")  # the agent asks the first question
            await asyncio.sleep(0.5)
            await chat.say(spoken_first + SILENCE)  # ... and the user talks over it
            cancelled = await chat.until("response.cancelled")
            heard = await chat.until("conversation.item.input_audio_transcription.completed")
            await chat.until("response.created")  # the agent's next question
            await socket.send(json.dumps({"type": "session.close"}))
            return {"created": created, "cancelled": cancelled, "heard": heard}

    result = asyncio.run(talk())
    assert result["created"]["session"]["engine"] == "xai"
    assert result["heard"]["transcript"].startswith("fake transcript 1")
    replay = user.get(f"/api/v1/interviews/{interview['id']}/replay").json()
    assert replay["turns"][0]["answer"].startswith("fake transcript 1")  # recorded by sessions
