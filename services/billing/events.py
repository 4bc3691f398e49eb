"""Events the billing service publishes (exchange `billing.events`)."""

from __future__ import annotations

from datetime import datetime

from mocky.events.v1 import events_pb2
from mocky.platform.clock import Clock
from mocky.platform.events import new_envelope, record_reference

SERVICE = "billing"


def payment_recorded(
    record_id: str, user_id: str, transaction_id: str, credits: int, at: datetime, clock: Clock
) -> events_pb2.PaymentRecorded:
    return events_pb2.PaymentRecorded(
        envelope=new_envelope("payment_recorded", SERVICE, clock, user_id),
        record=record_reference(SERVICE, "payment", record_id, user_id, "payment_record", at),
        user_id=user_id,
        transaction_id=transaction_id,
        credits=credits,
    )
