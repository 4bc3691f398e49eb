"""The xAI Voice Agent behind Mocky's realtime protocol: for users who consented to the
AI providers, when `MOCKY_LIVE_ENGINE=xai`, the live interview is held by xAI's realtime
speech-to-speech agent (its server VAD, barge-in and voice), bridged event by event to
the same protocol the browser speaks with the embedded agent. Every transcribed answer
still goes to the sessions service, so the interview, its report and replay stay ours."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
from typing import Any

import structlog
import websockets
from fastapi import WebSocket

from mocky.platform.audio import SAMPLE_RATE
from mocky.sessions.v1 import sessions_pb2
from services.gateway.clients import ApiError, CallContext

log = structlog.get_logger(__name__)

INSTRUCTIONS = (
    "You are a professional interviewer running a practice job interview for the role of "
    "{role}. Start by asking exactly this question: {question} Then, after each answer, ask "
    "one follow-up or the next question, one at a time, short. {coaching}"
)
COACHING = {
    "coach": "After each answer, first give one short, concrete coaching tip.",
    "live": "Give no feedback during the interview; it comes in a report at the end.",
    "text": "Give no feedback during the interview.",
}


class XaiLiveBridge:
    def __init__(
        self,
        socket: WebSocket,
        services: Any,
        user_id: str,
        interview: Any,
        ctx: CallContext,
        url: str,
        api_key: str,
    ) -> None:
        self.socket = socket
        self.services = services
        self.user_id = user_id
        self.interview = interview
        self.ctx = ctx
        self.url = url
        self.api_key = api_key
        self.done = False

    async def send(self, event: str, **fields: Any) -> None:
        await self.socket.send_text(json.dumps({"type": event, **fields}))

    async def run(self) -> None:
        try:
            upstream = await websockets.connect(
                self.url,
                additional_headers={"Authorization": f"Bearer {self.api_key}"},
                open_timeout=10,
                max_size=2**22,
            )
        except (OSError, websockets.InvalidHandshake, TimeoutError):
            await self.send(
                "error",
                error={
                    "code": "provider_unavailable",
                    "message": "the voice provider is unavailable",
                },
            )
            return
        async with upstream:
            await upstream.send(
                json.dumps(
                    {
                        "type": "session.update",
                        "session": {
                            "instructions": INSTRUCTIONS.format(
                                role=self.interview.role or "this role",
                                question=self.interview.question,
                                coaching=COACHING.get(self.interview.mode, ""),
                            ),
                            "voice": "eve",
                            "turn_detection": {"type": "server_vad", "silence_duration_ms": 700},
                            "audio": {
                                "input": {"format": {"type": "audio/pcm", "rate": SAMPLE_RATE}},
                                "output": {"format": {"type": "audio/pcm", "rate": SAMPLE_RATE}},
                            },
                        },
                    }
                )
            )
            await self.send(
                "session.created",
                session={
                    "interview_id": self.interview.id,
                    "mode": self.interview.mode,
                    "input_audio_format": "pcm16",
                    "input_sample_rate": SAMPLE_RATE,
                    "turn_detection": {"type": "server_vad"},
                    "engine": "xai",
                },
            )
            downstream = asyncio.create_task(self.from_provider(upstream))
            try:
                await self.from_browser(upstream)
            finally:
                downstream.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await downstream

    async def from_browser(self, upstream: Any) -> None:
        while not self.done:
            message = await self.socket.receive()
            if message["type"] == "websocket.disconnect":
                return
            if message.get("bytes") is not None:
                audio = base64.b64encode(message["bytes"]).decode()
                await upstream.send(
                    json.dumps({"type": "input_audio_buffer.append", "audio": audio})
                )
                continue
            try:
                kind = json.loads(message.get("text") or "")["type"]
            except (ValueError, KeyError, TypeError):
                continue
            if kind in ("input_audio_buffer.commit", "response.cancel"):
                await upstream.send(json.dumps({"type": kind}))
            elif kind == "input_audio_buffer.append":
                await upstream.send(message["text"])
            elif kind == "session.close":
                return

    async def from_provider(self, upstream: Any) -> None:
        async for message in upstream:
            event = json.loads(message)
            kind = event.get("type", "")
            if kind in ("response.output_audio.delta", "response.audio.delta"):
                await self.socket.send_bytes(base64.b64decode(event["delta"]))
            elif kind == "response.created":
                await self.send(
                    "response.created", output_audio_format="pcm16", output_sample_rate=SAMPLE_RATE
                )
            elif kind in (
                "response.output_audio_transcript.done",
                "response.audio_transcript.done",
            ):
                await self.send(
                    "response.audio_transcript.done", transcript=event.get("transcript", "")
                )
            elif kind == "response.done":
                status = (event.get("response") or {}).get("status")
                if status == "cancelled":
                    await self.send("response.cancelled")
                else:
                    await self.send("response.audio.done")
                    await self.send("response.done")
            elif kind in ("input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped"):
                await self.send(kind)
            elif kind == "conversation.item.input_audio_transcription.completed":
                await self.record(event.get("transcript", ""))
            elif kind == "error":
                await self.send(
                    "error",
                    error={
                        "code": "provider_error",
                        "message": "the voice provider reported an error",
                    },
                )
                log.warning("xai_realtime_error", error=str(event.get("error"))[:200])

    async def record(self, transcript: str) -> None:
        """The provider heard an answer: it goes into the interview like a typed one."""
        await self.send(
            "conversation.item.input_audio_transcription.completed", transcript=transcript
        )
        if not transcript.strip():
            return
        try:
            result = await self.services.call(
                self.services.sessions.SubmitAnswer,
                sessions_pb2.SubmitAnswerRequest(
                    user_id=self.user_id,
                    interview_id=self.interview.id,
                    text=transcript,
                    provider_consent=True,  # this bridge runs only with the consent
                ),
                self.ctx,
                timeout=30,
            )
        except ApiError as error:
            await self.send("error", error={"code": error.code, "message": error.message})
            return
        if result.done:
            await self.send("interview.completed", interview_id=self.interview.id)
            self.done = True
