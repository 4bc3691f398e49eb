"""The events contract, read from `mocky.events.v1`: every event message declares its
producer, routing key, whether it creates personal data and who consumes it (the
`event` option in events.proto). The topology, the privacy service's subscriptions and
every service's list of what it publishes come from here, so the platform never
imports a service to learn its events."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from mocky.events.v1 import events_pb2

RECORD_REFERENCE = "mocky.events.v1.RecordReference"


@dataclass(frozen=True)
class Binding:
    """One consumer queue: `service.method` handles `source_service`'s `event_type`."""

    source_service: str
    event_type: str
    service: str
    method: str


@dataclass(frozen=True)
class EventSpec:
    producer: str
    event_type: str
    message_type: type
    personal: bool
    consumers: tuple[tuple[str, str], ...]  # (service, method)
    record_kind: str = ""  # personal events: what they create, in which category
    category: str = ""

    @property
    def schedule_handler(self) -> str:
        """Privacy's handler for a personal event (implied by `personal`)."""
        return f"schedule_{self.producer}_{self.event_type}"

    def bindings(self) -> list[Binding]:
        consumers = list(self.consumers)
        if self.personal:
            consumers.append(("privacy", self.schedule_handler))
        return [Binding(self.producer, self.event_type, s, m) for s, m in consumers]


class ContractError(ValueError):
    pass


@cache
def events() -> tuple[EventSpec, ...]:
    found = []
    for name, descriptor in events_pb2.DESCRIPTOR.message_types_by_name.items():
        options = descriptor.GetOptions()
        if not options.HasExtension(events_pb2.event):
            continue
        declared = options.Extensions[events_pb2.event]
        consumers = []
        for consumer in declared.consumers:
            service, _, method = consumer.partition(".")
            if not service or not method:
                raise ContractError(f"{name}: consumer {consumer!r} is not service.method")
            consumers.append((service, method))
        spec = EventSpec(
            declared.producer,
            declared.event_type,
            getattr(events_pb2, name),
            declared.personal,
            tuple(consumers),
            declared.record_kind,
            declared.category,
        )
        _check(name, descriptor, spec)
        found.append(spec)
    return tuple(found)


def _check(name: str, descriptor: object, spec: EventSpec) -> None:
    fields = descriptor.fields_by_name  # type: ignore[attr-defined]
    if "envelope" not in fields:
        raise ContractError(f"{name}: an event starts with its envelope")
    if spec.personal and (
        "record" not in fields or fields["record"].message_type.full_name != RECORD_REFERENCE
    ):
        raise ContractError(f"{name}: a personal-data event carries a RecordReference `record`")
    if spec.personal != bool(spec.record_kind and spec.category):
        raise ContractError(f"{name}: a personal-data event names its record kind and category")


def published_by(service: str) -> dict[str, type]:
    """The service's events by routing key (what its dispatcher may publish)."""
    return {e.event_type: e.message_type for e in events() if e.producer == service}


def personal_events() -> list[EventSpec]:
    return [e for e in events() if e.personal]


def bindings() -> list[Binding]:
    return [b for e in events() for b in e.bindings()]


def bindings_of(service: str) -> list[Binding]:
    return [b for b in bindings() if b.service == service]


def data_owners() -> list[str]:
    """The services whose events create personal data: each serves the DataOwner hooks."""
    return sorted({e.producer for e in personal_events()})
