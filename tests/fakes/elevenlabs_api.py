"""A local ElevenLabs API speaking its documented wire format: `xi-api-key` header;
POST /v1/text-to-speech/{voice_id}/stream?output_format=pcm_16000 answers raw PCM16 in
chunks (chunked transfer); POST /v1/speech-to-text (multipart `file`, `model_id`)
answers `{"language_code", "text", "words": [...]}`; errors as
`{"detail": {"status", "message"}}` with 401/422/429.

    python -m tests.fakes.elevenlabs_api PORT API_KEY

POST /_script queues statuses for the next calls ({"steps": [{"status": 429}]});
GET /_requests lists what was received."""

from __future__ import annotations

import json
import math
import struct
import sys
from http.server import ThreadingHTTPServer

from tests.fakes.http import JsonHandler

received: list[dict] = []
script: list[dict] = []
TRANSCRIPT = "I led the migration of our payment service."


class Handler(JsonHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.send_json(200, {"requests": received} if self.path == "/_requests" else {})

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == "/_script":
            script.extend(json.loads(body)["steps"])
            self.send_json(200, {})
            return
        received.append({"path": self.path, "bytes": len(body)})
        if self.headers.get("xi-api-key") != API_KEY:
            self.send_json(
                401, {"detail": {"status": "invalid_api_key", "message": "Invalid API key"}}
            )
            return
        step = script.pop(0) if script else {}
        if step.get("status", 200) != 200:
            self.send_json(step["status"], {"detail": {"status": "system_busy", "message": "busy"}})
            return
        if self.path.startswith("/v1/text-to-speech/") and "/stream" in self.path:
            if "output_format=pcm_16000" not in self.path:
                self.send_json(
                    422, {"detail": {"status": "invalid_format", "message": "pcm_16000 only"}}
                )
                return
            text = json.loads(body)["text"]
            self.stream_pcm(seconds=max(1.0, len(text.split()) * 0.35))
        elif self.path == "/v1/speech-to-text":
            if b'name="file"' not in body or b"scribe_v1" not in body:
                self.send_json(
                    422, {"detail": {"status": "invalid_request", "message": "file and model_id"}}
                )
                return
            words = [{"text": w, "type": "word"} for w in TRANSCRIPT.split()]
            self.send_json(
                200,
                {
                    "language_code": "en",
                    "language_probability": 0.99,
                    "text": TRANSCRIPT,
                    "words": words,
                },
            )
        else:
            self.send_json(404, {"detail": {"status": "not_found", "message": "no such path"}})

    def stream_pcm(self, seconds: float) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "audio/pcm")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        samples = int(16000 * seconds)
        pcm = b"".join(
            struct.pack("<h", int(8000 * math.sin(2 * math.pi * 200 * n / 16000)))
            for n in range(samples)
        )
        for offset in range(0, len(pcm), 4001):  # odd sizes: samples cut across chunks
            piece = pcm[offset : offset + 4001]
            self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")


if __name__ == "__main__":
    API_KEY = sys.argv[2]
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
