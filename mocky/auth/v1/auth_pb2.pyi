import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class User(_message.Message):
    __slots__ = ("id", "email", "roles", "guest", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    GUEST_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    email: str
    roles: _containers.RepeatedScalarFieldContainer[str]
    guest: bool
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., email: _Optional[str] = ..., roles: _Optional[_Iterable[str]] = ..., guest: _Optional[bool] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RequestMagicLinkRequest(_message.Message):
    __slots__ = ("email", "client_ip")
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    CLIENT_IP_FIELD_NUMBER: _ClassVar[int]
    email: str
    client_ip: str
    def __init__(self, email: _Optional[str] = ..., client_ip: _Optional[str] = ...) -> None: ...

class RequestMagicLinkResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DescribeLinkRequest(_message.Message):
    __slots__ = ("token", "purpose", "client_ip")
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    CLIENT_IP_FIELD_NUMBER: _ClassVar[int]
    token: str
    purpose: str
    client_ip: str
    def __init__(self, token: _Optional[str] = ..., purpose: _Optional[str] = ..., client_ip: _Optional[str] = ...) -> None: ...

class DescribeLinkResponse(_message.Message):
    __slots__ = ("purpose", "email", "expires_at")
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    purpose: str
    email: str
    expires_at: _timestamp_pb2.Timestamp
    def __init__(self, purpose: _Optional[str] = ..., email: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class VerifyMagicLinkRequest(_message.Message):
    __slots__ = ("token", "client_ip", "guest_session_token", "user_agent")
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    CLIENT_IP_FIELD_NUMBER: _ClassVar[int]
    GUEST_SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    USER_AGENT_FIELD_NUMBER: _ClassVar[int]
    token: str
    client_ip: str
    guest_session_token: str
    user_agent: str
    def __init__(self, token: _Optional[str] = ..., client_ip: _Optional[str] = ..., guest_session_token: _Optional[str] = ..., user_agent: _Optional[str] = ...) -> None: ...

class StartGuestSessionRequest(_message.Message):
    __slots__ = ("client_ip", "user_agent")
    CLIENT_IP_FIELD_NUMBER: _ClassVar[int]
    USER_AGENT_FIELD_NUMBER: _ClassVar[int]
    client_ip: str
    user_agent: str
    def __init__(self, client_ip: _Optional[str] = ..., user_agent: _Optional[str] = ...) -> None: ...

class StartGuestSessionResponse(_message.Message):
    __slots__ = ("session_token", "session_expires_at", "user")
    SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SESSION_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    session_token: str
    session_expires_at: _timestamp_pb2.Timestamp
    user: User
    def __init__(self, session_token: _Optional[str] = ..., session_expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., user: _Optional[_Union[User, _Mapping]] = ...) -> None: ...

class VerifyMagicLinkResponse(_message.Message):
    __slots__ = ("session_token", "session_expires_at", "user", "new_user")
    SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SESSION_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    NEW_USER_FIELD_NUMBER: _ClassVar[int]
    session_token: str
    session_expires_at: _timestamp_pb2.Timestamp
    user: User
    new_user: bool
    def __init__(self, session_token: _Optional[str] = ..., session_expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., user: _Optional[_Union[User, _Mapping]] = ..., new_user: _Optional[bool] = ...) -> None: ...

class ValidateSessionRequest(_message.Message):
    __slots__ = ("session_token",)
    SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    session_token: str
    def __init__(self, session_token: _Optional[str] = ...) -> None: ...

class ValidateSessionResponse(_message.Message):
    __slots__ = ("user", "session_id", "expires_at", "refreshed")
    USER_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    REFRESHED_FIELD_NUMBER: _ClassVar[int]
    user: User
    session_id: str
    expires_at: _timestamp_pb2.Timestamp
    refreshed: bool
    def __init__(self, user: _Optional[_Union[User, _Mapping]] = ..., session_id: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., refreshed: _Optional[bool] = ...) -> None: ...

class SignOutRequest(_message.Message):
    __slots__ = ("session_token",)
    SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    session_token: str
    def __init__(self, session_token: _Optional[str] = ...) -> None: ...

class SignOutResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SessionInfo(_message.Message):
    __slots__ = ("id", "created_at", "expires_at", "current", "revoked", "device")
    ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    CURRENT_FIELD_NUMBER: _ClassVar[int]
    REVOKED_FIELD_NUMBER: _ClassVar[int]
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    id: str
    created_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    current: bool
    revoked: bool
    device: str
    def __init__(self, id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., current: _Optional[bool] = ..., revoked: _Optional[bool] = ..., device: _Optional[str] = ...) -> None: ...

class ListSessionsRequest(_message.Message):
    __slots__ = ("session_token",)
    SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    session_token: str
    def __init__(self, session_token: _Optional[str] = ...) -> None: ...

class ListSessionsResponse(_message.Message):
    __slots__ = ("sessions",)
    SESSIONS_FIELD_NUMBER: _ClassVar[int]
    sessions: _containers.RepeatedCompositeFieldContainer[SessionInfo]
    def __init__(self, sessions: _Optional[_Iterable[_Union[SessionInfo, _Mapping]]] = ...) -> None: ...

class RevokeSessionRequest(_message.Message):
    __slots__ = ("session_token", "session_id")
    SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    session_token: str
    session_id: str
    def __init__(self, session_token: _Optional[str] = ..., session_id: _Optional[str] = ...) -> None: ...

class RevokeSessionResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetUserRequest(_message.Message):
    __slots__ = ("user_id", "email")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    email: str
    def __init__(self, user_id: _Optional[str] = ..., email: _Optional[str] = ...) -> None: ...

class GetUserResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: User
    def __init__(self, user: _Optional[_Union[User, _Mapping]] = ...) -> None: ...

class ListOutboxRequest(_message.Message):
    __slots__ = ("to", "limit")
    TO_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    to: str
    limit: int
    def __init__(self, to: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class OutboxMessage(_message.Message):
    __slots__ = ("id", "to", "subject", "text", "html", "sent_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    HTML_FIELD_NUMBER: _ClassVar[int]
    SENT_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    to: str
    subject: str
    text: str
    html: str
    sent_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., to: _Optional[str] = ..., subject: _Optional[str] = ..., text: _Optional[str] = ..., html: _Optional[str] = ..., sent_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListOutboxResponse(_message.Message):
    __slots__ = ("messages",)
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    messages: _containers.RepeatedCompositeFieldContainer[OutboxMessage]
    def __init__(self, messages: _Optional[_Iterable[_Union[OutboxMessage, _Mapping]]] = ...) -> None: ...

class RequestAccountDeletionRequest(_message.Message):
    __slots__ = ("session_token", "user_id")
    SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    session_token: str
    user_id: str
    def __init__(self, session_token: _Optional[str] = ..., user_id: _Optional[str] = ...) -> None: ...

class RequestAccountDeletionResponse(_message.Message):
    __slots__ = ("requested_at", "sessions_ended")
    REQUESTED_AT_FIELD_NUMBER: _ClassVar[int]
    SESSIONS_ENDED_FIELD_NUMBER: _ClassVar[int]
    requested_at: _timestamp_pb2.Timestamp
    sessions_ended: int
    def __init__(self, requested_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sessions_ended: _Optional[int] = ...) -> None: ...

class ChangeRoleRequest(_message.Message):
    __slots__ = ("session_token", "email", "role", "grant", "user_id")
    SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    GRANT_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    session_token: str
    email: str
    role: str
    grant: bool
    user_id: str
    def __init__(self, session_token: _Optional[str] = ..., email: _Optional[str] = ..., role: _Optional[str] = ..., grant: _Optional[bool] = ..., user_id: _Optional[str] = ...) -> None: ...

class ChangeRoleResponse(_message.Message):
    __slots__ = ("user", "changed")
    USER_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    user: User
    changed: bool
    def __init__(self, user: _Optional[_Union[User, _Mapping]] = ..., changed: _Optional[bool] = ...) -> None: ...

class ListRoleHoldersRequest(_message.Message):
    __slots__ = ("session_token", "role")
    SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    session_token: str
    role: str
    def __init__(self, session_token: _Optional[str] = ..., role: _Optional[str] = ...) -> None: ...

class ListRoleHoldersResponse(_message.Message):
    __slots__ = ("users",)
    USERS_FIELD_NUMBER: _ClassVar[int]
    users: _containers.RepeatedCompositeFieldContainer[User]
    def __init__(self, users: _Optional[_Iterable[_Union[User, _Mapping]]] = ...) -> None: ...

class RequestEmailChangeRequest(_message.Message):
    __slots__ = ("session_token", "new_email", "client_ip")
    SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    NEW_EMAIL_FIELD_NUMBER: _ClassVar[int]
    CLIENT_IP_FIELD_NUMBER: _ClassVar[int]
    session_token: str
    new_email: str
    client_ip: str
    def __init__(self, session_token: _Optional[str] = ..., new_email: _Optional[str] = ..., client_ip: _Optional[str] = ...) -> None: ...

class RequestEmailChangeResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ConfirmEmailChangeRequest(_message.Message):
    __slots__ = ("token", "session_token")
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    token: str
    session_token: str
    def __init__(self, token: _Optional[str] = ..., session_token: _Optional[str] = ...) -> None: ...

class ConfirmEmailChangeResponse(_message.Message):
    __slots__ = ("user", "sessions_ended")
    USER_FIELD_NUMBER: _ClassVar[int]
    SESSIONS_ENDED_FIELD_NUMBER: _ClassVar[int]
    user: User
    sessions_ended: int
    def __init__(self, user: _Optional[_Union[User, _Mapping]] = ..., sessions_ended: _Optional[int] = ...) -> None: ...

class CancelEmailChangeRequest(_message.Message):
    __slots__ = ("token",)
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    token: str
    def __init__(self, token: _Optional[str] = ...) -> None: ...

class CancelEmailChangeResponse(_message.Message):
    __slots__ = ("restored", "sessions_ended")
    RESTORED_FIELD_NUMBER: _ClassVar[int]
    SESSIONS_ENDED_FIELD_NUMBER: _ClassVar[int]
    restored: bool
    sessions_ended: int
    def __init__(self, restored: _Optional[bool] = ..., sessions_ended: _Optional[int] = ...) -> None: ...

class SendUserEmailRequest(_message.Message):
    __slots__ = ("user_id", "template", "values")
    class ValuesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    template: str
    values: _containers.ScalarMap[str, str]
    def __init__(self, user_id: _Optional[str] = ..., template: _Optional[str] = ..., values: _Optional[_Mapping[str, str]] = ...) -> None: ...

class SendUserEmailResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class EmailRoleHoldersRequest(_message.Message):
    __slots__ = ("role", "template", "values")
    class ValuesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ROLE_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    role: str
    template: str
    values: _containers.ScalarMap[str, str]
    def __init__(self, role: _Optional[str] = ..., template: _Optional[str] = ..., values: _Optional[_Mapping[str, str]] = ...) -> None: ...

class EmailRoleHoldersResponse(_message.Message):
    __slots__ = ("queued",)
    QUEUED_FIELD_NUMBER: _ClassVar[int]
    queued: int
    def __init__(self, queued: _Optional[int] = ...) -> None: ...
