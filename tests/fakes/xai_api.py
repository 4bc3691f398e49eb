"""A local xAI text-to-speech API: POST /v1/tts with a Bearer key answers the text as
raw PCM16 (`output_format: {codec: "pcm", sample_rate}`), streamed in chunks; errors as
`{"code": ..., "error": ...}`. GET /_requests lists what it received. (xAI's chat
completions are one dialect of tests/fakes/chat_api.py.)

    python -m tests.fakes.xai_api PORT API_KEY"""

from __future__ import annotations

import json
import math
import struct
import sys
from http.server import ThreadingHTTPServer

from tests.fakes.http import JsonHandler

received: list[dict] = []


class Handler(JsonHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.send_json(200, {"requests": received} if self.path == "/_requests" else {})

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        if self.path == "/v1/tts":
            received.append(body)
            if self.headers.get("Authorization") != f"Bearer {API_KEY}":
                self.send_json(401, {"code": "invalid_api_key", "error": "Incorrect API key"})
                return
            self.stream_pcm(body)
            return
        self.send_json(404, {"code": "not_found", "error": "no such path"})

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


if __name__ == "__main__":
    API_KEY = sys.argv[2]
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
