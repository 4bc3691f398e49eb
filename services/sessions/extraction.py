"""Document extraction in a worker process with a budget.

Reading a PDF or DOCX can cost far more than its size suggests (a 10 KB PDF cost 51 s
of CPU), so it never runs in the service's own process: each upload is read by a fresh
`python -m services.sessions.extraction` that limits its own CPU time and address space
before it reads a byte, and that the service kills when it runs past a wall-clock
deadline. Over budget, the upload is refused (422 `too_complex`) and nothing is stored.
At most `concurrent` extractions run per service process, `waiting` more may wait; the
rest are refused at once (503 `busy`, Retry-After).

The parent side uses eventlet's green subprocess, so waiting for the worker does not
block the service's other requests.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from dataclasses import dataclass

from prometheus_client import Histogram

from mocky.platform.errors import RateLimited
from services.sessions.documents import DocumentRefused, Extracted, extract

CPU_SECONDS = 5
MEMORY_BYTES = 768 * 1024 * 1024
WALL_SECONDS = 15.0

EXTRACTION_SECONDS = Histogram(
    "mocky_document_extraction_seconds",
    "Wall time of a document's extraction worker",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 15),
)


@dataclass(frozen=True)
class Budget:
    cpu_seconds: int = CPU_SECONDS
    memory_bytes: int = MEMORY_BYTES
    wall_seconds: float = WALL_SECONDS


class TooComplex(DocumentRefused):
    code = "too_complex"


class ExtractionPool:
    """Runs `extract` in budgeted worker processes, a few at a time."""

    def __init__(self, concurrent: int, waiting: int, budget: Budget | None = None) -> None:
        from eventlet.semaphore import Semaphore

        self.running = Semaphore(concurrent)
        self.capacity = concurrent + waiting
        self.admitted = 0
        self.budget = budget or Budget()

    def extract(self, data: bytes, filename: str, max_bytes: int) -> Extracted:
        if self.admitted >= self.capacity:
            raise RateLimited(5, "document reading is busy; try again", code="busy")
        self.admitted += 1
        try:
            with self.running:
                return self._run(data, filename, max_bytes)
        finally:
            self.admitted -= 1

    def _run(self, data: bytes, filename: str, max_bytes: int) -> Extracted:
        import eventlet
        from eventlet.green import subprocess

        header = json.dumps(
            {
                "filename": filename,
                "max_bytes": max_bytes,
                "cpu_seconds": self.budget.cpu_seconds,
                "memory_bytes": self.budget.memory_bytes,
            }
        ).encode()
        worker = subprocess.Popen(
            [sys.executable, "-m", "services.sessions.extraction"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        started = time.monotonic()
        # eventlet's Timeout, not communicate(timeout=): the green module's copy of
        # subprocess raises a TimeoutExpired class of its own.
        deadline = eventlet.Timeout(self.budget.wall_seconds)
        try:
            out, _ = worker.communicate(header + b"\n" + data)
        except eventlet.Timeout as fired:
            if fired is not deadline:
                raise
            worker.kill()
            worker.wait()
            raise TooComplex("the document took too long to read; paste its text instead") from None
        finally:
            deadline.cancel()
            if worker.poll() is None:
                worker.kill()
        EXTRACTION_SECONDS.observe(time.monotonic() - started)
        return _answer(worker.returncode, out)


def _answer(returncode: int, out: bytes) -> Extracted:
    try:
        answer = json.loads(out)
    except ValueError:
        answer = None
    if returncode != 0 or not isinstance(answer, dict):
        # Killed for CPU time (SIGXCPU, SIGKILL) or out of memory: over budget.
        raise TooComplex("the document is too complex to read; paste its text instead")
    if "refused" in answer:
        raise DocumentRefused(answer["message"], code=answer["refused"])
    return Extracted(answer["content_type"], answer["text"])


def _worker_main() -> int:
    """The child: limits itself first, then reads the header line and the file."""
    header = json.loads(sys.stdin.buffer.readline())
    cpu = int(header["cpu_seconds"])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))  # SIGXCPU, then SIGKILL
    memory = int(header["memory_bytes"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    data = sys.stdin.buffer.read()
    try:
        extracted = extract(data, header["filename"], int(header["max_bytes"]))
    except DocumentRefused as refusal:
        answer: dict = {"refused": refusal.code, "message": refusal.message}
    except MemoryError:
        return 3
    else:
        answer = {"content_type": extracted.content_type, "text": extracted.text}
    sys.stdout.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(_worker_main())
