"""A local Chat Completions server in the dialect of one of the servers the README
claims (POST /v1/chat/completions, `stream: true` answered with server-sent events:
`data: {chunk}` lines, the text in `choices[0].delta.content`, then `data: [DONE]`).

    python -m tests.fakes.chat_api PORT API_KEY DIALECT [FIRST_MS PIECE_MS]

FIRST_MS and PIECE_MS (default 0) make it answer like a model at a fixed pace: that long
before the first piece of text, that long before every next one (the benchmark's).

DIALECT is what the real servers differ in:
- `openai` (OpenAI, xAI, vLLM): a Bearer key is required; `response_format` json_schema
  and json_object are honoured; errors as `{"error": {"message", "type", "code"}}`.
- `ollama` (its OpenAI-compatible /v1): no key checked; json_schema honoured (Ollama
  0.5 and later); chunks carry `system_fingerprint: fp_ollama` and a last chunk with
  `finish_reason: stop`.
- `llamacpp` (llama.cpp's server, releases before json_schema support): a json_schema
  response_format is refused with a 500 saying only text or json_object are allowed;
  json_object with a `schema` is honoured.

Answers are well-formed JSON for the schema the request is about (an interview plan, a
step, a report), built from the request. POST /_script queues behaviours for the next
calls: {"status": 429, "retry_after": 1}, {"status": 500}, {"content": "not json"},
{"delay": 3}, {"stream_error": true} (midway; a number: after that many characters),
{"prose": true} (the JSON in a code fence after a
sentence, as a model ignoring the format writes), {"trickle": 0.2} (a pause before
every piece), {"step": {...}} (this JSON as the answer); {"follow_up_trickle": 0.4}
beside the steps makes every follow-up it writes come that slowly. GET /_requests lists
what it received."""

from __future__ import annotations

import json
import re
import sys
import time
from http.server import ThreadingHTTPServer

from tests.fakes.http import JsonHandler

received: list[dict] = []
script: list[dict] = []
follow_up_trickle = 0.0  # when set: every follow-up the fake writes comes this slowly
API_KEY = ""
DIALECT = "openai"
PACE = (0.0, 0.0)  # seconds before the first piece, and before every next one


def kind_of(request: dict) -> str:
    """What the request asks for, by its schema's name or, without one, its prompt."""
    fmt = request.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return fmt["json_schema"]["name"]
    system = request["messages"][0]["content"]
    for name, marker in (
        ("interview_plan", '"questions"'),
        ("interview_step", '"follow_up"'),
        ("interview_report", '"competencies"'),
    ):
        if marker in system:
            return name
    return "unknown"


def answer_for(request: dict) -> dict:
    kind = kind_of(request)
    prompt = request["messages"][-1]["content"]
    if kind == "interview_plan":
        count = int(re.search(r"exactly (\d+) questions", prompt).group(1))
        kinds = ["opening"] + ["behavioural"] * (count - 2) + ["closing"]
        return {
            "questions": [
                {"kind": k, "text": f"Model question {i + 1} ({k})?"} for i, k in enumerate(kinds)
            ]
        }
    if kind == "interview_step":
        answer = prompt.split("Candidate's answer:", 1)[1].split("\n\n")[0].strip()
        thin = len(answer.split()) < 12
        return {
            "follow_up": thin,
            "question": (
                "Thanks, that gives me a start. Which part of that work was yours alone?"
                if thin
                else ""
            ),
            "feedback": "Model tip: end with a measurable result.",
        }
    # A report: every criterion of the rubric, each quoting different words of the
    # first answer, all scored 60 (what a real model scores is for the guard to check).
    names = re.findall(r"^- (\w+) \(", prompt, re.M)
    answers = re.findall(r"\[turn (\d+)\] A: (.+)", prompt)
    turn, words = int(answers[0][0]), answers[0][1].split()
    return {
        "summary": "Model summary of the interview.",
        "competencies": [
            {
                "competency": name,
                "score": 60,
                "summary": f"Model on {name}.",
                "suggestions": [f"Model suggestion for {name}."],
                "evidence": [{"turn": turn, "quote": " ".join(words[i : i + 4]), "positive": True}],
            }
            for i, name in enumerate(names)
        ],
    }


class Handler(JsonHandler):
    def error(self, status: int, message: str, headers: dict | None = None) -> None:
        kind = "server_error" if status >= 500 else "invalid_request_error"
        self.send_json(
            status, {"error": {"code": status, "message": message, "type": kind}}, headers
        )

    def do_GET(self) -> None:  # noqa: N802
        self.send_json(200, {"requests": received} if self.path == "/_requests" else {})

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        if self.path == "/_script":
            global follow_up_trickle
            script.extend(body.get("steps", []))
            follow_up_trickle = float(body.get("follow_up_trickle", follow_up_trickle))
            self.send_json(200, {})
            return
        if self.path != "/v1/chat/completions":
            self.error(404, "no such path")
            return
        received.append(body)
        if DIALECT == "openai" and self.headers.get("Authorization") != f"Bearer {API_KEY}":
            self.error(401, "Incorrect API key provided")
            return
        fmt = body.get("response_format") or {}
        if DIALECT == "llamacpp" and fmt.get("type") not in (None, "text", "json_object"):
            self.error(
                500,
                'response_format type must be one of "text" or "json_object", but got: '
                + str(fmt.get("type")),
            )
            return
        step = script.pop(0) if script else {}
        if step.get("delay"):
            time.sleep(step["delay"])
        status = step.get("status", 200)
        if status != 200:
            headers = {"Retry-After": str(step["retry_after"])} if "retry_after" in step else {}
            self.error(status, f"simulated {status}", headers)
            return
        answer = step.get("step") or answer_for(body)
        content = step.get("content") or json.dumps(answer)
        if follow_up_trickle and isinstance(answer, dict) and answer.get("follow_up"):
            step = {**step, "trickle": follow_up_trickle}
        if step.get("prose"):
            content = f"Here is the JSON you asked for:\n```json\n{content}\n```\nGood luck!"
        broken = step.get("stream_error")
        cut = len(content) // 2 if broken is True else broken
        self.stream(content, cut, float(step.get("trickle") or 0))

    def stream(self, content: str, cut: int | None, trickle: float) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def event(data: str) -> None:
            payload = f"data: {data}\n\n".encode()
            self.wfile.write(f"{len(payload):x}\r\n".encode() + payload + b"\r\n")
            self.wfile.flush()

        def chunk(delta: dict, finish: str | None = None) -> str:
            body = {
                "id": "chatcmpl-fake",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": "fake",
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            if DIALECT == "ollama":
                body["system_fingerprint"] = "fp_ollama"
            return json.dumps(body)

        event(chunk({"role": "assistant", "content": ""}))
        for start in range(0, len(content), 12):
            if trickle or PACE[1]:
                time.sleep(trickle or PACE[1])
            if start == 0 and PACE[0]:
                time.sleep(PACE[0])
            if cut is not None and start >= cut:
                event(json.dumps({"error": {"message": "stream interrupted"}}))
                break
            event(chunk({"content": content[start : start + 12]}))
        event(chunk({}, "stop"))
        event("[DONE]")
        self.wfile.write(b"0\r\n\r\n")


if __name__ == "__main__":
    API_KEY, DIALECT = sys.argv[2], sys.argv[3]
    if len(sys.argv) > 5:
        PACE = (int(sys.argv[4]) / 1000, int(sys.argv[5]) / 1000)
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
