import io
import json
import logging

import structlog

from mocky.platform.logs import configure_logging, strip_personal_data


def test_known_personal_keys_are_dropped_whatever_their_value():
    event = strip_personal_data(
        None,
        "info",
        {
            "event": "x",
            "email": "a@b.co",
            "token": "t",
            "transcript": "I led a team",
            "user_id": "u1",
        },
    )
    assert event["email"] == event["token"] == event["transcript"] == "[redacted]"
    assert event["user_id"] == "u1"


def test_addresses_and_long_tokens_inside_free_text_are_masked():
    token = "A" * 43
    event = strip_personal_data(
        None,
        "info",
        {
            "event": f"failed for jane.doe@example.com with {token}",
            "id": "0f8fad5b-d9cb-469f-a165-70867728950e",
        },
    )
    assert "jane.doe" not in event["event"] and token not in event["event"]
    assert event["id"] == "0f8fad5b-d9cb-469f-a165-70867728950e"  # ids stay readable


def test_log_lines_are_json_with_the_service_and_bound_ids():
    stream = io.StringIO()
    configure_logging("auth", stream=stream)
    structlog.contextvars.bind_contextvars(request_id="r1", correlation_id="c1")
    structlog.get_logger().info("signed_in", user_id="u1", email="a@b.co")
    logging.getLogger("some.library").warning("library says %s", "hi@example.org")
    structlog.contextvars.clear_contextvars()
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines[0]["service"] == "auth" and lines[0]["request_id"] == "r1"
    assert lines[0]["correlation_id"] == "c1" and lines[0]["email"] == "[redacted]"
    assert "hi@example.org" not in lines[1]["event"] and lines[1]["service"] == "auth"
