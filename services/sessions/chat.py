"""A client for any OpenAI-compatible Chat Completions endpoint (xAI, OpenAI, Mistral,
vLLM, LM Studio, Ollama's /v1, llama.cpp's server), as the interviewer uses it: one JSON
object per request, streamed.

- Streaming: server-sent events (`data: {chunk}` lines, the text in
  `choices[0].delta.content`, `data: [DONE]` at the end; a stream that just ends, as some
  servers' do, is complete too). The text is handed on piece by piece as it arrives.
- Structured output in three dialects (`language_model.STRUCTURED`): `json_schema`;
  `json_object` with the schema beside it (llama.cpp's server makes a grammar of it,
  Ollama and others ignore it) and in the prompt; `prompt` (the schema only in the
  prompt). A server that refuses a format is asked again one dialect lower, and the
  process remembers it. Whatever the dialect, the answer is parsed leniently (an object
  in a code fence or after a sentence of prose) and validated by the caller.
- One deadline per request across retries, enforced by the caller's clock, not the
  socket's: a server that trickles or stalls is abandoned when the time is up. 429 and
  5xx are retried with backoff, honouring `Retry-After`. When a stream breaks after
  some of its text was handed on, the caller is told (RESTART) before the next attempt,
  and may stop there if it already used that text.

Nothing here logs what was sent or received: only statuses, dialects and reasons."""

from __future__ import annotations

import json
import queue
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx
import structlog
from circuitbreaker import CircuitBreaker
from prometheus_client import Counter, Histogram

from mocky.platform.errors import Unavailable
from mocky.platform.language_model import ModelEndpoint

log = structlog.get_logger(__name__)
DIALECTS = ("json_schema", "json_object", "prompt")
RESTART = object()  # in a stream: forget the pieces so far, another attempt follows
# What a process has learnt about a server's structured output, by (base URL, model).
_learnt: dict[tuple[str, str], str] = {}
_learnt_lock = threading.Lock()
# After this many failed requests in a row an endpoint is skipped (the offline engine
# answers at once) for this long, then tried again: a dead server costs an interview
# at most a few deadlines, not one per turn.
BREAK_AFTER_FAILURES = 3
BREAK_SECONDS = 30
_breakers: dict[tuple[str, str], CircuitBreaker] = {}
REQUESTS = Counter(
    "mocky_model_requests_total",
    "Requests to the interviewer's language model, by outcome",
    ["outcome"],
)
LATENCY = Histogram(
    "mocky_model_request_seconds",
    "A language-model request, first attempt to parsed JSON",
    buckets=(0.25, 0.5, 1, 2, 4, 8, 15, 25),
)


class Refused(Unavailable):
    code = "provider_refused"


class Unreachable(Unavailable):
    """Nothing listens there: no retry would help within a turn."""

    code = "provider_unreachable"


class Skipped(Unavailable):
    code = "provider_circuit_open"


class Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class FormatRefused(Exception):
    """The server does not take this dialect of structured output."""


@dataclass
class ChatClient:
    endpoint: ModelEndpoint
    max_attempts: int = 4
    sleep: Callable[[float], None] = time.sleep
    temperature: float = 0.4
    _key: tuple[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self._key = (self.endpoint.base_url, self.endpoint.model)

    @property
    def dialect(self) -> str:
        with _learnt_lock:
            learnt = _learnt.get(self._key)
        if learnt:
            return learnt
        wanted = self.endpoint.structured
        return "json_schema" if wanted == "auto" else wanted

    def _step_down(self, dialect: str) -> bool:
        if self.endpoint.structured != "auto" or dialect == DIALECTS[-1]:
            return False
        lower = DIALECTS[DIALECTS.index(dialect) + 1]
        with _learnt_lock:
            _learnt[self._key] = lower
        log.warning("model_structured_output_refused", dialect=dialect, now=lower)
        return True

    def complete_json(self, system: str, user: str, schema_name: str, schema: dict) -> dict:
        for item in self.stream_json(system, user, schema_name, schema):
            if isinstance(item, dict):
                return item
        raise Unavailable("the model's stream ended without an answer", code="provider_failed")

    def stream_json(
        self, system: str, user: str, schema_name: str, schema: dict
    ) -> Iterator[str | dict | object]:
        """The answer's text pieces as they stream (str), then the parsed object (dict).
        RESTART between them means the attempt failed and another begins."""
        with _learnt_lock:
            breaker = _breakers.setdefault(
                self._key,
                CircuitBreaker(BREAK_AFTER_FAILURES, BREAK_SECONDS, expected_exception=Unavailable),
            )
        if breaker.opened:
            REQUESTS.labels("skipped").inc()
            raise Skipped(f"the model failed {BREAK_AFTER_FAILURES} times in a row")
        with breaker:
            yield from self._attempts(system, user, schema_name, schema)

    def _attempts(
        self, system: str, user: str, schema_name: str, schema: dict
    ) -> Iterator[str | dict | object]:
        started = time.monotonic()
        deadline = started + self.endpoint.deadline_seconds
        problem = "no time left"
        for attempt in range(self.max_attempts):
            if deadline - time.monotonic() <= 0:
                problem = "deadline"
                break
            dialect = self.dialect
            stream = _Attempt(self, self._body(system, user, schema_name, schema, dialect))
            shown = False
            wait = None
            try:
                for piece in stream.pieces(deadline):
                    shown = True
                    yield piece
                parsed = parse_object(stream.text)
                REQUESTS.labels("ok").inc()
                LATENCY.observe(time.monotonic() - started)
                yield parsed
                return
            except FormatRefused:
                if self._step_down(dialect):
                    continue
                problem = "structured output refused"
                REQUESTS.labels("refused").inc()
                raise Refused("the model refused structured output") from None
            except (Refused, Unreachable) as error:
                REQUESTS.labels(error.code.removeprefix("provider_")).inc()
                log.warning("model_request_failed", reason=error.code)
                raise
            except Retryable as retryable:
                problem, wait = retryable.reason, retryable.retry_after
            except ValueError:  # not JSON, or a malformed chunk
                problem = "not JSON"
                log.warning("model_invalid_json", attempt=attempt, dialect=dialect)
            finally:
                stream.cancel()
            if shown:
                yield RESTART  # the caller drops what it read, or stops if it used it
            delay = wait if wait is not None else min(8.0, 0.5 * 2**attempt)
            delay += random.uniform(0, 0.1)  # noqa: S311 - jitter, not security
            if time.monotonic() + delay >= deadline:
                break
            self.sleep(delay)
        REQUESTS.labels("failed").inc()
        log.warning("model_request_failed", reason=problem)
        raise Unavailable(f"the interviewer's model failed: {problem}", code="provider_unavailable")

    def _body(self, system: str, user: str, schema_name: str, schema: dict, dialect: str) -> dict:
        body: dict = {
            "model": self.endpoint.model,
            "stream": True,
            "temperature": self.temperature,
        }
        if dialect == "json_schema":
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": schema_name, "schema": schema, "strict": True},
            }
        else:
            system = (
                f"{system}\n\nAnswer with one JSON object and nothing else, matching this "
                f"JSON Schema:\n{json.dumps(schema)}"
            )
            if dialect == "json_object":
                body["response_format"] = {"type": "json_object", "schema": schema}
        body["messages"] = [
            {"role": "system", "content": system},
            {"role": "user", "content": user},
        ]
        return body


class _Attempt:
    """One request, read in a thread of its own so that the caller's deadline holds
    however the server behaves; what it reads comes back through a queue."""

    def __init__(self, client: ChatClient, body: dict) -> None:
        self.client = client
        self.body = body
        self.parts: list[str] = []
        self.items: queue.Queue = queue.Queue()
        self.cancelled = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def cancel(self) -> None:
        self.cancelled.set()

    def pieces(self, deadline: float) -> Iterator[str]:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Retryable("deadline")
            try:
                kind, value = self.items.get(timeout=remaining)
            except queue.Empty:
                raise Retryable("deadline") from None
            if kind == "piece":
                self.parts.append(value)
                yield value
            elif kind == "done":
                return
            else:
                raise value

    def _run(self) -> None:
        try:
            self._read()
            self.items.put(("done", None))
        except Exception as error:  # noqa: BLE001 - handed to the caller's thread
            self.items.put(("error", error))

    def _read(self) -> None:
        endpoint = self.client.endpoint
        headers = {"Accept": "text/event-stream"}
        if endpoint.api_key:
            headers["Authorization"] = f"Bearer {endpoint.api_key}"
        timeout = httpx.Timeout(
            endpoint.deadline_seconds, connect=min(5.0, endpoint.deadline_seconds)
        )
        try:
            with httpx.stream(
                "POST",
                f"{endpoint.base_url}/chat/completions",
                json=self.body,
                headers=headers,
                timeout=timeout,
            ) as response:
                status = response.status_code
                if status >= 400:
                    detail = response.read()[:2000].decode("utf-8", "replace").lower()
                    if status in (400, 422, 500) and _about_format(detail):
                        raise FormatRefused()
                    if status == 429 or status >= 500:
                        raise Retryable(f"status {status}", _retry_after(response))
                    log.error("model_refused", status=status)
                    raise Refused("the interviewer's model refused the request")
                for piece in deltas(response.iter_lines()):
                    if self.cancelled.is_set():
                        return
                    self.items.put(("piece", piece))
        except httpx.ConnectError:
            raise Unreachable("nothing answers at the model's address") from None
        except (httpx.TimeoutException, httpx.TransportError) as error:
            raise Retryable(type(error).__name__) from None


def _about_format(detail: str) -> bool:
    return "response_format" in detail or "json_schema" in detail or "schema" in detail


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds from a numeric Retry-After (capped), or None without one."""
    try:
        return min(max(float(response.headers["retry-after"]), 0.0), 30.0)
    except (KeyError, ValueError):
        return None


def deltas(lines: Iterator[str]) -> Iterator[str]:
    for line in lines:
        if not line.startswith("data:"):
            continue  # comments, event names, keep-alives
        data = line[5:].strip()
        if data == "[DONE]":
            return
        chunk = json.loads(data)
        if "error" in chunk:
            raise Retryable("stream error")  # retried like a dropped stream
        for choice in chunk.get("choices") or []:
            content = (choice.get("delta") or {}).get("content")
            if content:
                yield content


def parse_object(text: str) -> dict:
    """The JSON object the text holds: the whole text, or the first object found in it
    (models without structured output wrap it in a code fence or a sentence)."""
    try:
        value = json.loads(text)
    except ValueError:
        value = None
        decoder = json.JSONDecoder()
        start = text.find("{")
        while start != -1 and value is None:
            try:
                value, _ = decoder.raw_decode(text, start)
            except ValueError:
                start = text.find("{", start + 1)
    if not isinstance(value, dict):
        raise ValueError("no JSON object in the answer")
    return value
