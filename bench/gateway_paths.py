"""The browser's paths through the whole local platform (every service a process, as
`./task up` runs them), each against a baseline measured in the same run.

* Page view: `POST /api/v1/usage/page-views` with the analytics consent (the consent
  check over gRPC, then a confirmed publish of the `page_viewed` event). Baseline:
  `GET /api/v1/privacy/consents`, the consent check alone. Also the time until privacy
  has stored the view (the event's trip through RabbitMQ).
* Live turn: the realtime WebSocket agent, from the moment the server has the end of a
  spoken turn (the last frame of the silence that ends it, sent at a microphone's pace
  after the answer's speech) to the first frame of the interviewer's spoken reply:
  transcription, the answer through the sessions service, speech. Baseline: transcribing
  the same turn in-process (the floor, without services, speech or network).

* Voice service responsiveness: its gRPC health check while other users' answers are
  being transcribed back to back. Baseline: the same check with the service idle.
* Voice capacity: answer latency and refusals when 1, 4, 8 or 16 people send a spoken
  answer at once to one voice process. Baseline: one answer alone.

    python -m bench.gateway_paths
"""

from __future__ import annotations

import asyncio
import json
import shutil
import statistics
import sys
import time
from pathlib import Path

import httpx
import numpy as np
import pymongo
import websockets

from mocky.platform.audio import SAMPLE_RATE
from mocky.platform.devstack import Stack
from services.voice.engines import WhisperStt
from tests import infra
from tests.speech import pcm16, spoken

PAGE_VIEWS = 200
STORED_CHECKS = 30
ANSWERS = [
    "I led the move of our payment service to Kubernetes and wrote the pipeline myself.",
    "We measured every deploy, and the lead time went from two hours to twenty minutes.",
    "I disagreed with a colleague about retries, so we tested both designs with real load.",
    "I mentor two junior engineers and review their designs every week.",
    "The hardest bug was a race in our ledger, which I found by replaying production events.",
    "I would start with the logs, then add one metric for each step the request takes.",
]
END_OF_TURN = bytes(int(SAMPLE_RATE * 0.8) * 2)  # 800 ms of silence: the VAD ends the turn


def p95(samples: list[float]) -> float:
    return sorted(samples)[max(0, int(len(samples) * 0.95) - 1)]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def page_views(client: httpx.Client, mongo: pymongo.MongoClient) -> dict:
    user_id = client.get("/api/v1/me").json()["id"]
    client.put("/api/v1/privacy/consents", json={"analytics": True})
    for _ in range(20):  # warm both paths (connections, the publisher's channel)
        client.get("/api/v1/privacy/consents")
        client.post("/api/v1/usage/page-views", json={"page": "practice"})
    consents, views = [], []
    for _ in range(PAGE_VIEWS):
        started = time.perf_counter()
        client.get("/api/v1/privacy/consents").raise_for_status()
        consents.append(time.perf_counter() - started)
        started = time.perf_counter()
        answer = client.post("/api/v1/usage/page-views", json={"page": "report"})
        views.append(time.perf_counter() - started)
        assert answer.json() == {"recorded": True}, answer.text
    store = mongo["mocky_privacy"]["page_views"]
    deadline = time.monotonic() + 60
    while store.count_documents({"user_id": user_id}) < PAGE_VIEWS + 20:
        assert time.monotonic() < deadline, "page views did not all arrive"
        time.sleep(0.05)
    stored = []
    for _ in range(STORED_CHECKS):
        before = store.count_documents({"user_id": user_id})
        started = time.perf_counter()
        client.post("/api/v1/usage/page-views", json={"page": "billing"})
        while store.count_documents({"user_id": user_id}) == before:
            time.sleep(0.002)
        stored.append(time.perf_counter() - started)
    return {
        "consent_read_p50_ms": ms(statistics.median(consents)),
        "page_view_p50_ms": ms(statistics.median(views)),
        "page_view_p95_ms": ms(p95(views)),
        "ratio_page_view_to_consent_read_p50": round(
            statistics.median(views) / statistics.median(consents), 2
        ),
        "until_stored_p50_ms": ms(statistics.median(stored)),
        "page_views": PAGE_VIEWS,
    }


async def live_turns(url: str, cookie: str) -> list[dict]:
    """Turns alternate between the agent guessing during the pause (as it does) and not
    (a pause as long as the silence): the same interview's baseline, turn for turn."""
    turns = []
    async with websockets.connect(url, additional_headers={"Cookie": cookie}) as socket:

        async def until(wanted: str) -> tuple[dict, float]:
            async with asyncio.timeout(120):
                while True:
                    message = await socket.recv()
                    if isinstance(message, bytes):
                        continue
                    event = json.loads(message)
                    if event["type"] == "error":
                        raise RuntimeError(event)
                    if event["type"] == wanted:
                        return event, time.perf_counter()

        await until("response.done")  # the first question, spoken in full
        for index, text in enumerate(ANSWERS):
            guessing = index % 2 == 1
            detection = {"pause_ms": 240 if guessing else 700}
            await socket.send(
                json.dumps({"type": "session.update", "session": {"turn_detection": detection}})
            )
            await until("session.updated")
            pcm = pcm16(*spoken(text))
            for offset in range(0, len(pcm), 3200):  # 100 ms frames, faster than live
                await socket.send(pcm[offset : offset + 3200])
                await asyncio.sleep(0.005)
            # The quiet after the answer comes at the pace a microphone gives it: what
            # the agent does while it lasts (the guess at 240 ms) is part of the turn.
            for offset in range(0, len(END_OF_TURN), 3200):
                await socket.send(END_OF_TURN[offset : offset + 3200])
                await asyncio.sleep(0.1)
            ended = time.perf_counter()
            heard, transcribed = await until(
                "conversation.item.input_audio_transcription.completed"
            )
            event = None
            while event is None:
                message = await socket.recv()
                if isinstance(message, bytes):
                    event = time.perf_counter()  # the first frame of the reply's audio
                elif json.loads(message)["type"] == "interview.completed":
                    return turns
            turns.append(
                {
                    "transcribed": transcribed - ended,
                    "first_audio": event - ended,
                    "guessed": guessing,
                    "text": text,
                }
            )
            async with asyncio.timeout(120):  # let the reply finish before answering
                while True:
                    message = await socket.recv()
                    if isinstance(message, str) and json.loads(message)["type"] == "response.done":
                        break
    return turns


def voice_responsiveness(target: str, data_dir: Path) -> dict:
    """Health checks every 20 ms while a thread sends 5-second answers to transcribe."""
    import threading

    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    from mocky.platform import service_auth
    from mocky.voice.v1 import voice_pb2, voice_pb2_grpc
    from tests.speech import encode

    gateway = [(service_auth.HEADER, service_auth.local_tokens(data_dir)["gateway"])]
    wav = encode(*spoken(ANSWERS[0] + " " + ANSWERS[1]), "wav")
    with grpc.insecure_channel(target) as channel:
        health = health_pb2_grpc.HealthStub(channel)
        voice = voice_pb2_grpc.VoiceServiceStub(channel)

        def check() -> float:
            started = time.perf_counter()
            health.Check(health_pb2.HealthCheckRequest(), timeout=30)
            return time.perf_counter() - started

        idle = [check() for _ in range(50)]
        busy: list[float] = []
        done = threading.Event()

        def transcribe() -> None:
            request = voice_pb2.TranscribeAnswerRequest(
                user_id="bench-user", interview_id="bench", audio=wav
            )
            for _ in range(6):
                voice.TranscribeAnswer(request, timeout=60, metadata=gateway)
            done.set()

        worker = threading.Thread(target=transcribe)
        worker.start()
        while not done.is_set():
            busy.append(check())
            time.sleep(0.02)
        worker.join()
    return {
        "health_check_idle_p50_ms": ms(statistics.median(idle)),
        "health_check_during_transcription_p50_ms": ms(statistics.median(busy)),
        "health_check_during_transcription_max_ms": ms(max(busy)),
        "ratio_busy_to_idle_p50": round(statistics.median(busy) / statistics.median(idle), 2),
    }


def voice_capacity(target: str, data_dir: Path) -> dict:
    """One voice process's answer latency against concurrency: N people send a spoken
    answer (about 6 s) at the same moment, for N in 1, 4, 8, 16. Past its slots (2
    running + 4 waiting by default) a process refuses with 503 busy at once; the table is
    what sizing replicas needs. Baseline: one answer alone."""
    import threading

    import grpc

    from mocky.platform import service_auth
    from mocky.voice.v1 import voice_pb2, voice_pb2_grpc
    from tests.speech import encode

    gateway = [(service_auth.HEADER, service_auth.local_tokens(data_dir)["gateway"])]
    wav = encode(*spoken(ANSWERS[0] + " " + ANSWERS[1]), "wav")
    table = {}
    with grpc.insecure_channel(target) as channel:
        voice = voice_pb2_grpc.VoiceServiceStub(channel)
        for concurrent in (1, 4, 8, 16):
            latencies: list[float] = []
            refused = [0]
            start = threading.Barrier(concurrent)

            def answer(
                user: str, start: threading.Barrier, latencies: list[float], refused: list[int]
            ) -> None:
                request = voice_pb2.TranscribeAnswerRequest(
                    user_id=user, interview_id="bench", audio=wav
                )
                start.wait()
                began = time.perf_counter()
                try:
                    voice.TranscribeAnswer(request, timeout=120, metadata=gateway)
                    latencies.append(time.perf_counter() - began)
                except grpc.RpcError as error:
                    if error.code() != grpc.StatusCode.RESOURCE_EXHAUSTED:
                        raise
                    refused[0] += 1

            threads = [
                threading.Thread(
                    target=answer, args=(f"bench-{concurrent}-{i}", start, latencies, refused)
                )
                for i in range(concurrent)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            table[str(concurrent)] = {
                "answered": len(latencies),
                "refused_busy": refused[0],
                "p50_s": round(statistics.median(latencies), 2) if latencies else None,
                "max_s": round(max(latencies), 2) if latencies else None,
            }
    alone = table["1"]["p50_s"] or 1.0
    for row in table.values():
        row["p50_vs_alone"] = round((row["p50_s"] or 0) / alone, 2)
    return table


def transcription_floor() -> float:
    stt = WhisperStt()
    samples = [spoken(text) for text in ANSWERS]
    stt.transcribe(np.zeros(SAMPLE_RATE, dtype=np.float32))  # load the model
    times = []
    for audio, rate in samples:
        pcm = np.frombuffer(pcm16(audio, rate), dtype=np.int16).astype(np.float32) / 32768
        started = time.perf_counter()
        stt.transcribe(pcm)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    vhost = infra.new_vhost()
    data_dir = infra.temp_workdir("mocky-bench-gateway-")
    platform = Stack.from_env(infra.platform_env(data_dir, vhost))
    try:
        platform.up()
        base = platform.gateway_url
        with httpx.Client(base_url=base, timeout=30) as client:
            client.post("/api/v1/auth/anonymous").raise_for_status()
            result = {
                "page_view": page_views(client, pymongo.MongoClient(platform.env["MONGO_URL"]))
            }
            interview = client.post(
                "/api/v1/interviews", json={"mode": "live", "role": "Backend engineer"}
            ).json()
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            url = base.replace("http", "ws") + f"/api/v1/interviews/{interview['id']}/live"
            every = asyncio.run(live_turns(url, cookie))
            turns = [t for t in every if t["guessed"]]
            unguessed = [t for t in every if not t["guessed"]]
        voice_target = f"127.0.0.1:{platform.env['MOCKY_VOICE_GRPC_PORT']}"
        result["voice_responsiveness"] = voice_responsiveness(voice_target, platform.data_dir)
        result["voice_capacity"] = voice_capacity(voice_target, platform.data_dir)
        floor = transcription_floor()
        first_audio = statistics.median(t["first_audio"] for t in turns)
        without_guess = statistics.median(t["first_audio"] for t in unguessed)
        result["live_turn"] = {
            "turns": len(turns),
            "end_of_turn_to_transcript_p50_s": round(
                statistics.median(t["transcribed"] for t in turns), 3
            ),
            "end_of_turn_to_first_reply_audio_p50_s": round(first_audio, 3),
            "end_of_turn_to_first_reply_audio_max_s": round(
                max(t["first_audio"] for t in turns), 3
            ),
            "baseline_in_process_transcription_p50_s": round(floor, 3),
            "ratio_turn_to_transcription_floor": round(first_audio / floor, 2),
            "without_the_pause_guess_first_reply_audio_p50_s": round(without_guess, 3),
            "ratio_with_guess_to_without": round(first_audio / without_guess, 2),
        }
    finally:
        platform.down()
        infra.delete_vhost(vhost)
        shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
