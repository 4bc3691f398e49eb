"""A local xAI API speaking the documented chat-completions wire format:
POST /v1/chat/completions with a Bearer key; `stream: true` answers with server-sent
events (`data: {chunk}` lines, the text in `choices[0].delta.content`, then
`data: [DONE]`); errors as `{"code": ..., "error": ...}` with 400/401/429 (with
Retry-After)/5xx.

    python -m tests.fakes.xai_api PORT API_KEY

Its answers are well-formed JSON for the schema the request names (interview_plan,
interview_step, interview_report), built from the request itself. POST /_script
queues behaviours for the next calls: {"status": 429, "retry_after": 1},
{"status": 500}, {"status": 401}, {"content": "not json"}, {"delay": 3},
{"stream_error": true}. GET /_requests lists what it received. POST /v1/tts answers
text to speech as raw PCM16 (`output_format: {codec: "pcm", sample_rate}`)."""

from __future__ import annotations

import json
import math
import re
import struct
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

received: list[dict] = []
script: list[dict] = []


def answer_for(request: dict) -> dict:
    schema = request["response_format"]["json_schema"]["name"]
    prompt = request["messages"][-1]["content"]
    if schema == "interview_plan":
        count = int(re.search(r"exactly (\d+) questions", prompt).group(1))
        kinds = ["opening"] + ["behavioural"] * (count - 2) + ["closing"]
        return {
            "questions": [
                {"kind": k, "text": f"Grok question {i + 1} ({k})?"} for i, k in enumerate(kinds)
            ]
        }
    if schema == "interview_step":
        answer = prompt.split("Candidate's answer:", 1)[1].split("\n\n")[0].strip()
        thin = len(answer.split()) < 12
        return {
            "follow_up": thin,
            "question": "Grok follow-up: what exactly did you do?" if thin else "",
            "feedback": "Grok tip: end with a measurable result.",
        }
    # A report: every criterion the schema names, each quoting different words of the
    # first answer, all scored 60 (what a real model scores is for the guard to check).
    criteria = request["response_format"]["json_schema"]["schema"]["properties"]
    names = criteria["competencies"]["items"]["properties"]["competency"]["enum"]
    answers = re.findall(r"\[turn (\d+)\] A: (.+)", prompt)
    turn, words = int(answers[0][0]), answers[0][1].split()
    return {
        "summary": "Grok summary of the interview.",
        "competencies": [
            {
                "competency": name,
                "score": 60,
                "summary": f"Grok on {name}.",
                "suggestions": [f"Grok suggestion for {name}."],
                "evidence": [{"turn": turn, "quote": " ".join(words[i : i + 4]), "positive": True}],
            }
            for i, name in enumerate(names)
        ],
    }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def send_json(self, status: int, body: dict, headers: dict | None = None) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self) -> None:  # noqa: N802
        self.send_json(200, {"requests": received} if self.path == "/_requests" else {})

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        if self.path == "/_script":
            script.extend(body["steps"])
            self.send_json(200, {})
            return
        if self.path == "/v1/tts":
            received.append(body)
            if self.headers.get("Authorization") != f"Bearer {API_KEY}":
                self.send_json(401, {"code": "invalid_api_key", "error": "Incorrect API key"})
                return
            self.stream_pcm(body)
            return
        if self.path != "/v1/chat/completions":
            self.send_json(404, {"code": "not_found", "error": "no such path"})
            return
        received.append(body)
        if self.headers.get("Authorization") != f"Bearer {API_KEY}":
            self.send_json(401, {"code": "invalid_api_key", "error": "Incorrect API key provided"})
            return
        step = script.pop(0) if script else {}
        if step.get("delay"):
            time.sleep(step["delay"])
        status = step.get("status", 200)
        if status != 200:
            headers = {"Retry-After": str(step["retry_after"])} if "retry_after" in step else {}
            self.send_json(status, {"code": "error", "error": f"simulated {status}"}, headers)
            return
        content = step.get("content") or json.dumps(answer_for(body))
        self.stream(content, bool(step.get("stream_error")))

    def stream_pcm(self, body: dict) -> None:
        """xAI text to speech: the audio in the requested codec, here raw PCM16."""
        if (body.get("output_format") or {}).get("codec") != "pcm" or not body.get("text"):
            self.send_json(400, {"code": "invalid_request", "error": "text and pcm codec"})
            return
        rate = int(body["output_format"].get("sample_rate", 24000))
        pcm = b"".join(
            struct.pack("<h", int(6000 * math.sin(2 * math.pi * 180 * n / rate)))
            for n in range(rate * 2)
        )
        self.send_response(200)
        self.send_header("Content-Type", "audio/pcm")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for offset in range(0, len(pcm), 3333):
            piece = pcm[offset : offset + 3333]
            self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")

    def stream(self, content: str, error: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def event(data: str) -> None:
            payload = f"data: {data}\n\n".encode()
            self.wfile.write(f"{len(payload):x}\r\n".encode() + payload + b"\r\n")

        pieces = [content[i : i + 40] for i in range(0, len(content), 40)]
        for n, piece in enumerate(pieces):
            if error and n == len(pieces) // 2:
                event(json.dumps({"error": {"message": "stream interrupted"}}))
                break
            chunk = {
                "id": "chatcmpl-fake",
                "object": "chat.completion.chunk",
                "model": "grok-4",
                "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}],
            }
            event(json.dumps(chunk))
        event("[DONE]")
        self.wfile.write(b"0\r\n\r\n")


if __name__ == "__main__":
    API_KEY = sys.argv[2]
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
