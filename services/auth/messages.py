"""Auth's domain objects as the messages of `mocky.auth.v1`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp

from mocky.auth.v1 import auth_pb2
from services.auth import domain


def timestamp(value: datetime) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(value)
    return ts


def user_message(user: domain.User) -> Any:
    assert user.created_at is not None
    return auth_pb2.User(
        id=user.id,
        email=user.email,
        roles=user.roles,
        guest=user.guest,
        created_at=timestamp(user.created_at),
    )


def session_message(session: domain.LoginSession, current_id: str) -> Any:
    return auth_pb2.SessionInfo(
        id=session.public_id,
        created_at=timestamp(session.created_at),
        expires_at=timestamp(session.expires_at),
        current=session.public_id == current_id,
        revoked=session.revoked_at is not None,
        device=session.device,
    )
