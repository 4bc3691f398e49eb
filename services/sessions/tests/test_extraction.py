"""Uploads are read in budgeted worker processes (real processes, under eventlet)."""

import time

import eventlet
import pytest

from mocky.platform.errors import RateLimited
from services.sessions.documents import DocumentRefused
from services.sessions.extraction import Budget, ExtractionPool
from tests.documents import CV_TEXT, docx_paragraph_bomb, pdf, pdf_operator_bomb

MB = 1024 * 1024
# Within the size caps (4 pages of 500 KB), but 1.6 s of CPU to read: empty strings shown.
SLOW = pdf_operator_bomb(42_000, pages=4, unit=b"BT () Tj ET\n")


def test_a_document_is_read_in_a_worker_process():
    extracted = ExtractionPool(1, 0).extract(pdf(CV_TEXT.splitlines()), "cv.pdf", 5 * MB)
    assert "Senior Backend Engineer" in extracted.text


@pytest.mark.parametrize(
    "data",
    [
        pdf_operator_bomb(1_900_000, pages=50),  # 17 KB: minutes of parsing before
        docx_paragraph_bomb(100_000),  # 30 s and 600 MB at 815k paragraphs before
    ],
    ids=["pdf-operators", "docx-paragraphs"],
)
def test_a_small_file_that_is_costly_to_read_is_refused_quickly(data):
    started = time.monotonic()
    with pytest.raises(DocumentRefused) as refused:
        ExtractionPool(1, 0).extract(data, "x", 5 * MB)
    assert refused.value.code == "too_complex"
    assert time.monotonic() - started < 5


def test_a_worker_over_its_cpu_budget_is_killed_and_the_upload_refused():
    slow = SLOW
    pool = ExtractionPool(1, 0, Budget(cpu_seconds=1, wall_seconds=10))
    started = time.monotonic()
    with pytest.raises(DocumentRefused) as refused:
        pool.extract(slow, "x.pdf", 5 * MB)
    assert refused.value.code == "too_complex"
    assert time.monotonic() - started < 4


def test_a_worker_past_its_wall_clock_deadline_is_killed():
    slow = SLOW
    pool = ExtractionPool(1, 0, Budget(cpu_seconds=30, wall_seconds=0.5))
    with pytest.raises(DocumentRefused) as refused:
        pool.extract(slow, "x.pdf", 5 * MB)
    assert refused.value.code == "too_complex"


def test_a_worker_over_its_memory_budget_is_refused():
    pool = ExtractionPool(1, 0, Budget(memory_bytes=32 * MB))  # too little to even start
    with pytest.raises(DocumentRefused) as refused:
        pool.extract(pdf(CV_TEXT.splitlines()), "cv.pdf", 5 * MB)
    assert refused.value.code == "too_complex"


def test_uploads_beyond_the_waiting_room_are_refused_at_once():
    pool = ExtractionPool(1, 1, Budget(cpu_seconds=30, wall_seconds=3))
    slow = SLOW
    first = eventlet.spawn(lambda: pytest.raises(DocumentRefused, pool.extract, slow, "a", MB))
    second = eventlet.spawn(lambda: pytest.raises(DocumentRefused, pool.extract, slow, "b", MB))
    eventlet.sleep(0.2)
    with pytest.raises(RateLimited) as busy:
        pool.extract(slow, "c", MB)
    assert busy.value.code == "busy"
    first.wait()
    second.wait()


def test_the_service_keeps_serving_while_a_worker_reads():
    """The worker runs beside the service's green threads, not on them."""
    slow = SLOW
    pool = ExtractionPool(1, 0, Budget(cpu_seconds=30, wall_seconds=3))
    reading = eventlet.spawn(lambda: pytest.raises(DocumentRefused, pool.extract, slow, "a", MB))
    gaps = []
    for _ in range(10):
        started = time.monotonic()
        eventlet.sleep(0.05)
        gaps.append(time.monotonic() - started)
    reading.wait()
    assert max(gaps) < 0.5
