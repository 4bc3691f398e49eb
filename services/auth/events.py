"""Events the auth service publishes (exchange `auth.events`)."""

from __future__ import annotations

from datetime import datetime

from mocky.events.v1 import events_pb2
from mocky.platform.clock import Clock
from mocky.platform.events import new_envelope, record_reference
from services.auth.domain import User

SERVICE = "auth"


def user_registered(
    user: User, clock: Clock, correlation_id: str = ""
) -> events_pb2.UserRegistered:
    assert user.created_at is not None
    return events_pb2.UserRegistered(
        envelope=new_envelope("user_registered", SERVICE, clock, user.id, correlation_id),
        record=record_reference(SERVICE, "user", user.id, user.id, "account", user.created_at),
        user_id=user.id,
        guest=user.guest,
    )


def account_deletion_requested(
    user_id: str, requested_at: datetime, clock: Clock, correlation_id: str = ""
) -> events_pb2.AccountDeletionRequested:
    event = events_pb2.AccountDeletionRequested(
        envelope=new_envelope(
            "account_deletion_requested", SERVICE, clock, user_id, correlation_id
        ),
        user_id=user_id,
    )
    event.requested_at.FromDatetime(requested_at)
    return event


def guest_upgraded(
    guest_user_id: str, user_id: str, clock: Clock, correlation_id: str = ""
) -> events_pb2.GuestUpgraded:
    return events_pb2.GuestUpgraded(
        envelope=new_envelope("guest_upgraded", SERVICE, clock, user_id, correlation_id),
        guest_user_id=guest_user_id,
        user_id=user_id,
        merged=guest_user_id != user_id,
    )


def role_changed(
    user_id: str, role: str, granted: bool, by_user_id: str, clock: Clock, correlation_id: str = ""
) -> events_pb2.RoleChanged:
    return events_pb2.RoleChanged(
        envelope=new_envelope("role_changed", SERVICE, clock, user_id, correlation_id),
        user_id=user_id,
        role=role,
        granted=granted,
        changed_by_user_id=by_user_id,
    )


def user_signed_in(
    sign_in_id: str,
    user_id: str,
    at: datetime,
    ip_prefix: str,
    from_guest: bool,
    clock: Clock,
    correlation_id: str = "",
) -> events_pb2.UserSignedIn:
    return events_pb2.UserSignedIn(
        envelope=new_envelope("user_signed_in", SERVICE, clock, user_id, correlation_id),
        record=record_reference(SERVICE, "sign_in", sign_in_id, user_id, "usage_log", at),
        user_id=user_id,
        ip_prefix=ip_prefix,
        from_guest=from_guest,
    )
