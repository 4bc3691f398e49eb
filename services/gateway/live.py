"""The realtime voice interview: `WS /api/v1/interviews/{id}/live`.

A documented protocol in the spirit of the OpenAI/xAI realtime APIs: JSON control events
in text frames, audio in binary frames (PCM16 mono; 16 kHz from the browser, the rate
of `response.created` back). The user just talks: voice-activity detection notices the
start and the end of their turn; the turn is transcribed and answered like a typed one;
the interviewer's next line is spoken, paced in real time, and stops the moment the user
speaks over it (barge-in). Coach mode adds a tip after each answer. See README, "Realtime
voice protocol"."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import time
from dataclasses import dataclass
from typing import Any

import structlog
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from prometheus_client import Counter, Histogram

from mocky.auth.v1 import auth_pb2
from mocky.platform.audio import SAMPLE_RATE, wav_bytes
from mocky.platform.vad import TurnDetector
from mocky.sessions.v1 import sessions_pb2
from mocky.voice.v1 import voice_pb2
from services.gateway.clients import ApiError, CallContext
from services.gateway.interview_routes import vocabulary_of
from services.gateway.live_xai import XaiLiveBridge
from services.gateway.security import cookie_name, origin_of

log = structlog.get_logger(__name__)
live = APIRouter()
SESSION_SECONDS = 30 * 60  # a live interview lasts at most this long
CHUNK_SECONDS = 0.1  # audio goes out in 100 ms frames ...
LEAD_SECONDS = 0.3  # ... at most this far ahead of real time, so barge-in cuts it short
MAX_TURN_SECONDS = 180
DRAIN_SECONDS = 30  # on leaving, how long a turn being answered may still take
# Open live sockets, counted in this gateway process (a replica's share of the load), so
# one user cannot hold dozens: per interview, one plus a reconnect while the previous
# socket's last turn is still being answered; per user, one more (a second tab).
MAX_SOCKETS_PER_INTERVIEW = 2
MAX_SOCKETS_PER_USER = 3
GUESSES = Counter(
    "mocky_live_turn_guesses_total",
    "Turns transcribed while the user paused: kept (the turn ended there) or discarded",
    ["outcome"],
)
TURN_LATENCY = Histogram(
    "mocky_live_turn_latency_seconds",
    "End of the user's speech to the first byte of the reply's audio",
    buckets=(0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10),
)


@dataclass
class Guess:
    audio: bytes  # the turn as it stood when the user paused
    task: asyncio.Task

    async def transcript(self) -> str:
        """What was heard ("" if the guess failed: the turn is then transcribed anew)."""
        try:
            answer = await self.task
        except (ApiError, asyncio.CancelledError):
            GUESSES.labels("discarded").inc()
            return ""
        GUESSES.labels("kept").inc()
        return str(answer.transcript)


class LiveAgent:
    def __init__(
        self, socket: WebSocket, services: Any, user_id: str, interview: Any, ctx: CallContext
    ) -> None:
        self.socket = socket
        self.services = services
        self.user_id = user_id
        self.interview = interview
        self.ctx = ctx
        self.detector = TurnDetector()
        self.speaking: asyncio.Task | None = None
        self.turns: asyncio.Queue[tuple[bytes, Guess | None]] = asyncio.Queue(maxsize=4)
        self.guess: Guess | None = None  # the turn so far, being transcribed during a pause
        self.done = False
        self.left = False  # the client closed the socket
        self.idle = asyncio.Event()  # no turn is being answered
        self.idle.set()
        self.provider_consent = False  # read at the start of the session

    async def send(self, event: str, **fields: Any) -> None:
        if self.left:
            return  # the turn still gets recorded; nobody is listening for events
        try:
            await self.socket.send_text(json.dumps({"type": event, **fields}))
        except Exception:  # noqa: BLE001 - whatever the server's flavour, the client is gone
            self.left = True

    async def run(self) -> None:
        self.provider_consent = await self.services.consented(self.user_id, "ai_provider", self.ctx)
        await self.send(
            "session.created",
            session={
                "interview_id": self.interview.id,
                "mode": self.interview.mode,
                "input_audio_format": "pcm16",
                "input_sample_rate": SAMPLE_RATE,
                "turn_detection": {"type": "server_vad", "silence_ms": self.detector.silence_ms},
                "max_seconds": SESSION_SECONDS,
            },
        )
        await self.ask(self.interview.question)
        worker = asyncio.create_task(self.answer_turns())
        try:
            await asyncio.wait_for(self.receive(), SESSION_SECONDS)
        except TimeoutError:
            await self.send("session.expired", message="the live session's time is up")
        finally:
            self.left = True
            # A turn the user finished before leaving is still answered into the
            # interview (its transcript was shown to them).
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.idle.wait(), DRAIN_SECONDS)
            worker.cancel()
            if self.speaking:
                self.speaking.cancel()

    async def receive(self) -> None:
        while not self.done:
            message = await self.socket.receive()
            if message["type"] == "websocket.disconnect":
                return
            if message.get("bytes") is not None:
                await self.hear(message["bytes"])
                continue
            try:
                event = json.loads(message.get("text") or "")
                kind = event["type"]
            except (ValueError, KeyError, TypeError):
                await self.error("invalid_event", "events are JSON objects with a `type`")
                continue
            if kind == "input_audio_buffer.append":
                try:
                    await self.hear(base64.b64decode(event["audio"], validate=True))
                except (KeyError, ValueError):
                    await self.error("invalid_audio", "`audio` must be base64 PCM16")
            elif kind == "input_audio_buffer.commit":
                await self.end_turn()
            elif kind == "response.cancel":
                await self.cancel_speech()
            elif kind == "session.update":
                detection = (event.get("session") or {}).get("turn_detection", {})
                silence, pause = detection.get("silence_ms"), detection.get("pause_ms")
                if isinstance(silence, int) and 200 <= silence <= 3000:
                    self.detector.silence_ms = silence
                if isinstance(pause, int) and 100 <= pause <= 3000:
                    self.detector.pause_ms = pause  # as long as the silence: no guessing
                await self.send(
                    "session.updated",
                    session={
                        "silence_ms": self.detector.silence_ms,
                        "pause_ms": self.detector.pause_ms,
                    },
                )
            elif kind == "session.close":
                return
            else:
                await self.error("unknown_event", f"unknown event type {kind!r}")

    async def hear(self, pcm: bytes) -> None:
        for event in self.detector.feed(pcm):
            if event == "speech_started":
                await self.send("input_audio_buffer.speech_started")
                await self.cancel_speech()  # barge-in: the interviewer stops talking
            elif event == "pause":
                self.start_guess(self.detector.peek_turn())
            elif event == "resume":
                self.drop_guess()
            else:
                await self.send("input_audio_buffer.speech_stopped")
                await self.end_turn()
        if self.detector.buffered_seconds() > MAX_TURN_SECONDS:
            self.detector.take_turn()
            await self.error("turn_too_long", f"a turn is at most {MAX_TURN_SECONDS} seconds")

    def start_guess(self, audio: bytes) -> None:
        """The user paused: transcribe what they said so far now, so that if the pause
        becomes the end of the turn the transcript is (nearly) ready. Always with the
        embedded ear: a guess never sends audio to a provider."""
        self.drop_guess()
        if len(audio) < SAMPLE_RATE:
            return
        request = voice_pb2.HearTurnRequest(
            user_id=self.user_id,
            audio=wav_bytes_pcm16(audio),
            vocabulary=vocabulary_of(self.interview),
        )
        call = self.services.call(self.services.voice.HearTurn, request, self.ctx, timeout=60)
        self.guess = Guess(audio, asyncio.create_task(call))

    def drop_guess(self) -> None:
        """The user went on: the guess is stale (cancelling it stops the transcription)."""
        if self.guess is not None:
            self.guess.task.cancel()
            GUESSES.labels("discarded").inc()
            self.guess = None

    async def end_turn(self) -> None:
        turn = self.detector.take_turn()
        guess, self.guess = self.guess, None
        if guess is not None and not turn.startswith(guess.audio):
            self.guess = guess
            self.drop_guess()
            guess = None
        if len(turn) < SAMPLE_RATE:  # under half a second of audio: nothing to answer
            if guess is not None:
                guess.task.cancel()
            return
        try:
            self.turns.put_nowait((turn, guess))
        except asyncio.QueueFull:  # backpressure: the user is far ahead of the agent
            if guess is not None:
                guess.task.cancel()
            await self.error("busy", "still answering the previous turns")

    async def answer_turns(self) -> None:
        while True:
            turn, guess = await self.turns.get()
            self.idle.clear()
            try:
                await self.answer(turn, guess)
            finally:
                self.idle.set()
            if self.done:
                return

    async def answer(self, turn: bytes, guess: Guess | None = None) -> None:
        """Transcribe the turn (or take what was heard while the user paused), put it
        into the interview, speak the next question."""
        ended = time.perf_counter()
        # Asked per turn: a consent withdrawn in another tab applies to the next answer
        # (and with privacy unreachable, none is assumed).
        try:
            self.provider_consent = await self.services.consented(
                self.user_id, "ai_provider", self.ctx
            )
        except ApiError:
            self.provider_consent = False
        transcript = await guess.transcript() if guess is not None else ""
        try:
            heard = await self.services.call(
                self.services.voice.TranscribeAnswer,
                voice_pb2.TranscribeAnswerRequest(
                    user_id=self.user_id,
                    interview_id=self.interview.id,
                    audio=wav_bytes_pcm16(turn),
                    provider_consent=self.provider_consent,
                    live=True,
                    vocabulary=vocabulary_of(self.interview),
                    transcript=transcript,
                ),
                self.ctx,
                timeout=60,
            )
        except ApiError as error:
            await self.error(error.code, error.message)
            return
        await self.send(
            "conversation.item.input_audio_transcription.completed",
            transcript=heard.transcript,
            audio_id=heard.audio_id,
            seconds=heard.seconds,
        )
        lines: asyncio.Queue[str | None] = asyncio.Queue()
        spoken: list[str] = []
        result = None
        answer = sessions_pb2.SubmitAnswerRequest(
            user_id=self.user_id,
            interview_id=self.interview.id,
            text=heard.transcript,
            idempotency_key=heard.audio_id,
            audio_seconds=heard.seconds,
            audio_id=heard.audio_id,
            provider_consent=self.provider_consent,
        )
        request = sessions_pb2.StreamAnswerRequest(answer=answer)
        parts = self.services.stream(self.services.sessions.StreamAnswer, request, self.ctx, 30)
        try:
            async for part in parts:
                if part.WhichOneof("part") == "result":
                    result = part.result
                    continue
                # A sentence of a question the model is still writing: spoken now.
                if not spoken:
                    await self.cancel_speech()
                    self.speaking = asyncio.create_task(self.speak(lines, ended))
                spoken.append(part.sentence)
                await lines.put(part.sentence)
                await self.send("response.audio_transcript.delta", delta=part.sentence)
        except ApiError as error:
            await self.error(error.code, error.message)
            return
        finally:
            await parts.aclose()  # type: ignore[attr-defined]
            if result is None:
                lines.put_nowait(None)
        if result is None:
            return
        if spoken and result.question:
            # The sentences spoken began the question: the rest of it follows them.
            said = " ".join(spoken)
            rest = result.question[len(said) :].strip()
            if rest and result.question.startswith(said):
                lines.put_nowait(rest)
            await self.send("response.audio_transcript.done", transcript=result.question)
        lines.put_nowait(None)
        if result.feedback:
            await self.send("response.feedback", text=result.feedback)
        if result.done:
            await self.send("interview.completed", interview_id=self.interview.id)
            self.done = True
            with contextlib.suppress(Exception):
                await self.socket.close(1000)
            return
        if self.left or spoken:
            return
        await self.ask(result.question, ended)

    async def ask(self, text: str, turn_ended: float | None = None) -> None:
        """The interviewer's next line: its text at once (the question stands even if the
        user talks over its audio before the first sentence arrives), then the audio."""
        await self.cancel_speech()
        if not text:
            return
        await self.send("response.audio_transcript.done", transcript=text)
        lines: asyncio.Queue[str | None] = asyncio.Queue()
        lines.put_nowait(text)
        lines.put_nowait(None)
        self.speaking = asyncio.create_task(self.speak(lines, turn_ended))

    async def speak(self, lines: asyncio.Queue[str | None], turn_ended: float | None) -> None:
        """The lines as audio, as they come (None ends them), each streamed sentence by
        sentence as the voice service makes it, paced at real time (a little ahead), cut
        short by `cancel_speech` when the user talks over it."""
        started: float | None = None
        sent = 0.0
        try:
            while (text := await lines.get()) is not None:
                request = voice_pb2.StreamLineRequest(
                    user_id=self.user_id,
                    interview_id=self.interview.id,
                    text=text,
                    provider_consent=self.provider_consent,
                )
                chunks = self.services.stream(self.services.voice.StreamLine, request, self.ctx, 60)
                try:
                    async for chunk in chunks:
                        rate = chunk.sample_rate
                        if started is None:
                            await self.send(
                                "response.created",
                                output_audio_format="pcm16",
                                output_sample_rate=rate,
                            )
                            started = time.perf_counter()
                            if turn_ended is not None:
                                TURN_LATENCY.observe(started - turn_ended)
                        frame = int(rate * CHUNK_SECONDS) * 2
                        for offset in range(0, len(chunk.pcm16), frame):
                            piece = chunk.pcm16[offset : offset + frame]
                            await self.socket.send_bytes(piece)
                            sent += len(piece) / 2 / rate
                            ahead = sent - (time.perf_counter() - started)
                            if ahead > LEAD_SECONDS:
                                await asyncio.sleep(ahead - LEAD_SECONDS)
                finally:
                    await chunks.aclose()  # type: ignore[attr-defined]
        except ApiError as error:
            await self.error(error.code, error.message)
            return
        except asyncio.CancelledError:
            played = time.perf_counter() - started if started is not None else 0.0
            with contextlib.suppress(Exception):
                await self.send("response.cancelled", played_seconds=round(played, 2))
            raise
        if started is None:
            return
        await self.send("response.audio.done")
        await self.send("response.done")

    async def cancel_speech(self) -> None:
        if self.speaking and not self.speaking.done():
            self.speaking.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.speaking

    async def error(self, code: str, message: str) -> None:
        with contextlib.suppress(Exception):
            await self.send("error", error={"code": code, "message": message})


def wav_bytes_pcm16(pcm: bytes) -> bytes:
    import numpy as np

    return wav_bytes(np.frombuffer(pcm, dtype=np.int16), SAMPLE_RATE)


@live.websocket("/interviews/{interview_id}/live")
async def live_interview(socket: WebSocket, interview_id: str) -> None:
    settings = socket.app.state.settings
    services = socket.app.state.clients
    origin = socket.headers.get("origin")
    if origin is not None and origin != origin_of(settings.public_base_url):
        await socket.close(code=1008)  # before the handshake: HTTP 403 to another site
        return
    request_id = socket.headers.get("x-request-id") or f"live-{interview_id[:8]}"
    ctx = CallContext(request_id=request_id, correlation_id=request_id)
    token = socket.cookies.get(cookie_name(settings))
    try:
        if not token:
            raise ApiError(401, "unauthenticated", "not signed in")
        validated = await services.call(
            services.auth.ValidateSession, auth_pb2.ValidateSessionRequest(session_token=token), ctx
        )
        found = await services.call(
            services.sessions.GetInterview,
            sessions_pb2.GetInterviewRequest(user_id=validated.user.id, id=interview_id),
            ctx,
        )
    except ApiError as error:
        # Accepted, then closed with the HTTP-like code, so a browser can say why.
        await socket.accept()
        await socket.close(code=4000 + error.status, reason=error.code)
        return
    await socket.accept()
    if found.interview.status != "in_progress":
        await socket.close(code=4409, reason="interview_finished")
        return
    user_id = validated.user.id
    if not OPEN_SOCKETS.claim(user_id, interview_id):
        await socket.close(code=4429, reason="too_many_live_sessions")
        return
    try:
        await _converse(socket, services, settings, found.interview, user_id, ctx)
    finally:
        OPEN_SOCKETS.release(user_id, interview_id)
    log.info("live_session_ended", interview_id=interview_id)


class OpenSockets:
    def __init__(self) -> None:
        self.by_user: dict[str, int] = {}
        self.by_interview: dict[str, int] = {}

    def claim(self, user_id: str, interview_id: str) -> bool:
        if (
            self.by_user.get(user_id, 0) >= MAX_SOCKETS_PER_USER
            or self.by_interview.get(interview_id, 0) >= MAX_SOCKETS_PER_INTERVIEW
        ):
            return False
        self.by_user[user_id] = self.by_user.get(user_id, 0) + 1
        self.by_interview[interview_id] = self.by_interview.get(interview_id, 0) + 1
        return True

    def release(self, user_id: str, interview_id: str) -> None:
        for counts, key in ((self.by_user, user_id), (self.by_interview, interview_id)):
            counts[key] -= 1
            if not counts[key]:
                del counts[key]


OPEN_SOCKETS = OpenSockets()


async def _converse(
    socket: WebSocket, services: Any, settings: Any, interview: Any, user_id: str, ctx: CallContext
) -> None:
    if settings.live_engine == "xai" and await services.consented(user_id, "ai_provider", ctx):
        bridge = XaiLiveBridge(
            socket,
            services,
            user_id,
            interview,
            ctx,
            settings.xai_realtime_url,
            settings.xai_api_key,
        )
        with contextlib.suppress(WebSocketDisconnect):
            await asyncio.wait_for(bridge.run(), SESSION_SECONDS)
        return
    with contextlib.suppress(WebSocketDisconnect):
        await LiveAgent(socket, services, user_id, interview, ctx).run()
