"""One user action reads as one id in every service's logs: the gateway's request id
(given by the client here, answered in X-Request-ID) goes with the gRPC call to sessions
and, with the event sessions publishes, to privacy, which schedules the new record's
deletion under the same id."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

from tests.documents import CV_TEXT
from tests.e2e.conftest import sign_in


def lines_with(stack, service: str, correlation_id: str) -> list[dict]:  # type: ignore[no-untyped-def]
    found = []
    for line in Path(stack.log_file(service)).read_text().splitlines():
        if correlation_id not in line:
            continue
        try:
            found.append(json.loads(line))
        except ValueError:
            continue
    return found


def test_an_upload_is_followed_by_one_id_through_gateway_sessions_and_privacy(api, stack):
    user = sign_in(api, f"traced-{uuid.uuid4().hex[:8]}@example.com")
    trace = "trace" + uuid.uuid4().hex[:20]
    uploaded = user.post(
        "/api/v1/documents", json={"kind": "cv", "text": CV_TEXT}, headers={"X-Request-ID": trace}
    )
    assert uploaded.status_code == 201 and uploaded.headers["X-Request-ID"] == trace
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not any(
        e["event"] == "retention_scheduled" for e in lines_with(stack, "privacy", trace)
    ):
        time.sleep(0.3)
    scheduled = [
        e for e in lines_with(stack, "privacy", trace) if e["event"] == "retention_scheduled"
    ]
    assert scheduled and scheduled[0]["correlation_id"] == trace
    uploaded_log = [
        e for e in lines_with(stack, "sessions", trace) if e["event"] == "document_uploaded"
    ]
    assert uploaded_log and uploaded_log[0]["correlation_id"] == trace
