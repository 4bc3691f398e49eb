"""The events contract (the `event` option in events.proto) against the code: every
service handles exactly the events the contract says it consumes, the privacy service
schedules every personal one, and nothing publishes an event the contract lacks."""

import importlib
import inspect

import pytest

from mocky.events.v1 import events_pb2
from mocky.platform import contract
from mocky.platform.clock import Clock
from mocky.platform.events import ReliableEventHandler, new_envelope
from mocky.platform.settings import SERVICES


def service_class(service: str) -> type:
    module = importlib.import_module(f"services.{service}.service")
    return getattr(module, f"{service.capitalize()}Service")


def handlers_of(cls: type) -> set[contract.Binding]:
    found = set()
    for method, member in inspect.getmembers(cls):
        for entrypoint in getattr(member, "nameko_entrypoints", ()):
            if isinstance(entrypoint, ReliableEventHandler):
                found.add(
                    contract.Binding(
                        entrypoint.source_service,
                        entrypoint.event_type,
                        cls.name,  # type: ignore[attr-defined]
                        method,
                    )
                )
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_handles_exactly_the_events_the_contract_binds_to_it(service):
    """A handler the contract does not list has no queue (the topology is declared from
    the contract), and a listed consumer without a handler leaves a queue filling."""
    assert handlers_of(service_class(service)) == set(contract.bindings_of(service))


def test_privacy_schedules_every_personal_event():
    personal = contract.personal_events()
    assert {(e.producer, e.event_type) for e in personal} >= {
        ("auth", "user_registered"),
        ("sessions", "interview_started"),
        ("voice", "audio_stored"),
        ("billing", "payment_recorded"),
    }
    privacy = {(b.source_service, b.event_type) for b in handlers_of(service_class("privacy"))}
    assert {(e.producer, e.event_type) for e in personal} <= privacy


def test_every_event_message_is_in_the_contract():
    """A payload message without the option would be published by nobody's contract."""
    declared = {e.message_type.DESCRIPTOR.name for e in contract.events()}
    payloads = {
        name
        for name, d in events_pb2.DESCRIPTOR.message_types_by_name.items()
        if "envelope" in d.fields_by_name
    }
    assert payloads == declared


def test_personal_data_events_carry_a_record_reference():
    for spec in contract.personal_events():
        fields = spec.message_type.DESCRIPTOR.fields_by_name
        assert fields["record"].message_type.full_name == contract.RECORD_REFERENCE, spec


def test_an_event_outside_the_contract_cannot_be_published():
    with pytest.raises(contract.ContractError):
        new_envelope("interview_started", "voice", Clock())
    assert new_envelope("audio_stored", "voice", Clock()).producer == "voice"


def test_the_data_owners_are_the_producers_of_personal_data():
    assert contract.data_owners() == ["auth", "billing", "sessions", "voice"]
