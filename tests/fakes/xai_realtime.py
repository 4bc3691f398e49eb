"""A local xAI Voice Agent (realtime) API: a WebSocket speaking the documented,
OpenAI-compatible event protocol — `session.update`, `input_audio_buffer.append`
(base64 PCM16), server VAD (`input_audio_buffer.speech_started/stopped`),
`conversation.item.input_audio_transcription.completed`, `response.created`,
`response.output_audio.delta` (base64 PCM16), `response.output_audio_transcript.done`,
`response.done` (status `completed` or `cancelled` on barge-in), `error`.

    python -m tests.fakes.xai_realtime PORT API_KEY
"""

from __future__ import annotations

import asyncio
import base64
import json
import math
import struct
import sys

import websockets

RATE = 16000
CHUNK = RATE // 10  # 100 ms


def tone(seconds: float) -> bytes:
    return b"".join(
        struct.pack("<h", int(7000 * math.sin(2 * math.pi * 200 * n / RATE)))
        for n in range(int(RATE * seconds))
    )


async def serve(socket) -> None:  # type: ignore[no-untyped-def]
    if socket.request.headers.get("Authorization") != f"Bearer {API_KEY}":
        await socket.send(json.dumps({"type": "error", "error": {"code": "invalid_api_key"}}))
        await socket.close(4001)
        return
    state = {"speaking": False, "quiet": 0, "heard": 0, "responding": None, "turns": 0}

    async def send(kind: str, **fields) -> None:  # type: ignore[no-untyped-def]
        await socket.send(json.dumps({"type": kind, **fields}))

    async def respond(text: str) -> None:
        await send("response.created", response={"id": f"resp_{state['turns']}"})
        await send("response.output_audio_transcript.done", transcript=text)
        audio = tone(3.0)
        try:
            for offset in range(0, len(audio), CHUNK * 2):
                await send(
                    "response.output_audio.delta",
                    delta=base64.b64encode(audio[offset : offset + CHUNK * 2]).decode(),
                )
                await asyncio.sleep(0.1)
        except asyncio.CancelledError:
            await send("response.done", response={"status": "cancelled"})
            raise
        await send("response.done", response={"status": "completed"})

    def start_response(text: str) -> None:
        state["responding"] = asyncio.create_task(respond(text))

    await send("session.created", session={"id": "sess_fake"})
    async for message in socket:
        event = json.loads(message)
        kind = event.get("type")
        if kind == "session.update":
            await send("session.updated", session=event.get("session", {}))
            start_response((event.get("session") or {}).get("instructions", "")[:60])
        elif kind == "input_audio_buffer.append":
            pcm = base64.b64decode(event["audio"])
            samples = struct.unpack(f"<{len(pcm) // 2}h", pcm[: len(pcm) // 2 * 2])
            loud = samples and math.sqrt(sum(s * s for s in samples) / len(samples)) > 500
            if loud:
                state["heard"] += len(samples)
                state["quiet"] = 0
                if not state["speaking"]:
                    state["speaking"] = True
                    await send("input_audio_buffer.speech_started")
                    task = state["responding"]
                    if task and not task.done():
                        task.cancel()  # barge-in
            elif state["speaking"]:
                state["quiet"] += len(samples)
                if state["quiet"] >= RATE * 0.6:
                    state["speaking"] = False
                    state["turns"] += 1
                    await send("input_audio_buffer.speech_stopped")
                    seconds = round(state["heard"] / RATE, 1)
                    state["heard"] = 0
                    await send(
                        "conversation.item.input_audio_transcription.completed",
                        transcript=f"fake transcript {state['turns']} of {seconds} seconds",
                    )
                    start_response(f"Fake question number {state['turns'] + 1}?")
        elif kind == "response.cancel":
            task = state["responding"]
            if task and not task.done():
                task.cancel()
        else:
            await send("error", error={"code": "unknown_event", "message": str(kind)})


async def main(port: int) -> None:
    async with websockets.serve(serve, "127.0.0.1", port):
        await asyncio.Future()


if __name__ == "__main__":
    API_KEY = sys.argv[2]
    asyncio.run(main(int(sys.argv[1])))
