"""The response models made from the contracts describe exactly what `as_json` renders:
every field it writes, and no field it would not."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from mocky.sessions.v1 import sessions_pb2
from services.gateway.clients import as_json
from services.gateway.schemas import listing, response


def interview() -> sessions_pb2.Interview:
    message = sessions_pb2.Interview(id="iv-1", mode="text", status="in_progress", question="Hi?")
    message.created_at.FromJsonString("2026-12-01T09:30:00Z")
    turn = message.turns.add(index=0, question="Hi?", question_kind="opening")
    turn.asked_at.FromJsonString("2026-12-01T09:30:00Z")
    message.plan.skills_to_probe.append("triage")
    return message


def test_a_rendered_message_validates_and_round_trips_unchanged():
    rendered = as_json(interview())
    model = response(sessions_pb2.Interview)
    assert model.model_validate(rendered).model_dump(exclude_none=True) == rendered


def test_unset_message_fields_are_optional_and_scalars_required():
    schema = response(sessions_pb2.Interview).model_json_schema()
    assert "finished_at" not in schema["required"]  # a timestamp is written only when set
    assert {"id", "status", "turns", "questions_planned"} <= set(schema["required"])
    rendered = as_json(sessions_pb2.Interview(id="iv-2"))
    assert "finished_at" not in rendered
    response(sessions_pb2.Interview).model_validate(rendered)


def test_a_field_the_contract_does_not_have_is_refused():
    rendered = {**as_json(interview()), "secret_field": "x"}
    with pytest.raises(ValidationError):
        response(sessions_pb2.Interview).model_validate(rendered)


def test_maps_and_listings():
    report = sessions_pb2.Report(interview_id="iv-1")
    report.delivery.fillers["um"] = 3
    rendered = as_json(report)
    assert response(sessions_pb2.Report).model_validate(rendered).delivery.fillers == {"um": 3}
    documents = {"documents": [as_json(sessions_pb2.Document(id="d1", kind="cv"))]}
    listing("documents", sessions_pb2.Document).model_validate(documents)
