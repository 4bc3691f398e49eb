import datetime

from google.protobuf import descriptor_pb2 as _descriptor_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
EVENT_FIELD_NUMBER: _ClassVar[int]
event: _descriptor.FieldDescriptor

class EventContract(_message.Message):
    __slots__ = ("producer", "event_type", "personal", "consumers", "record_kind", "category")
    PRODUCER_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    PERSONAL_FIELD_NUMBER: _ClassVar[int]
    CONSUMERS_FIELD_NUMBER: _ClassVar[int]
    RECORD_KIND_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    producer: str
    event_type: str
    personal: bool
    consumers: _containers.RepeatedScalarFieldContainer[str]
    record_kind: str
    category: str
    def __init__(self, producer: _Optional[str] = ..., event_type: _Optional[str] = ..., personal: _Optional[bool] = ..., consumers: _Optional[_Iterable[str]] = ..., record_kind: _Optional[str] = ..., category: _Optional[str] = ...) -> None: ...

class EventEnvelope(_message.Message):
    __slots__ = ("event_id", "event_type", "version", "occurred_at", "correlation_id", "producer", "subject_user_id")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    CORRELATION_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCER_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_USER_ID_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    event_type: str
    version: int
    occurred_at: _timestamp_pb2.Timestamp
    correlation_id: str
    producer: str
    subject_user_id: str
    def __init__(self, event_id: _Optional[str] = ..., event_type: _Optional[str] = ..., version: _Optional[int] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., correlation_id: _Optional[str] = ..., producer: _Optional[str] = ..., subject_user_id: _Optional[str] = ...) -> None: ...

class RecordReference(_message.Message):
    __slots__ = ("owner", "kind", "record_id", "user_id", "category", "created_at", "blob_keys")
    OWNER_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    BLOB_KEYS_FIELD_NUMBER: _ClassVar[int]
    owner: str
    kind: str
    record_id: str
    user_id: str
    category: str
    created_at: _timestamp_pb2.Timestamp
    blob_keys: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, owner: _Optional[str] = ..., kind: _Optional[str] = ..., record_id: _Optional[str] = ..., user_id: _Optional[str] = ..., category: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., blob_keys: _Optional[_Iterable[str]] = ...) -> None: ...

class UserRegistered(_message.Message):
    __slots__ = ("envelope", "record", "user_id", "guest")
    ENVELOPE_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    GUEST_FIELD_NUMBER: _ClassVar[int]
    envelope: EventEnvelope
    record: RecordReference
    user_id: str
    guest: bool
    def __init__(self, envelope: _Optional[_Union[EventEnvelope, _Mapping]] = ..., record: _Optional[_Union[RecordReference, _Mapping]] = ..., user_id: _Optional[str] = ..., guest: _Optional[bool] = ...) -> None: ...

class AccountDeletionRequested(_message.Message):
    __slots__ = ("envelope", "user_id", "requested_at")
    ENVELOPE_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_AT_FIELD_NUMBER: _ClassVar[int]
    envelope: EventEnvelope
    user_id: str
    requested_at: _timestamp_pb2.Timestamp
    def __init__(self, envelope: _Optional[_Union[EventEnvelope, _Mapping]] = ..., user_id: _Optional[str] = ..., requested_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GuestUpgraded(_message.Message):
    __slots__ = ("envelope", "guest_user_id", "user_id", "merged")
    ENVELOPE_FIELD_NUMBER: _ClassVar[int]
    GUEST_USER_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    MERGED_FIELD_NUMBER: _ClassVar[int]
    envelope: EventEnvelope
    guest_user_id: str
    user_id: str
    merged: bool
    def __init__(self, envelope: _Optional[_Union[EventEnvelope, _Mapping]] = ..., guest_user_id: _Optional[str] = ..., user_id: _Optional[str] = ..., merged: _Optional[bool] = ...) -> None: ...

class RoleChanged(_message.Message):
    __slots__ = ("envelope", "user_id", "role", "granted", "changed_by_user_id")
    ENVELOPE_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    GRANTED_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_USER_ID_FIELD_NUMBER: _ClassVar[int]
    envelope: EventEnvelope
    user_id: str
    role: str
    granted: bool
    changed_by_user_id: str
    def __init__(self, envelope: _Optional[_Union[EventEnvelope, _Mapping]] = ..., user_id: _Optional[str] = ..., role: _Optional[str] = ..., granted: _Optional[bool] = ..., changed_by_user_id: _Optional[str] = ...) -> None: ...

class UserSignedIn(_message.Message):
    __slots__ = ("envelope", "record", "user_id", "ip_prefix", "from_guest")
    ENVELOPE_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    IP_PREFIX_FIELD_NUMBER: _ClassVar[int]
    FROM_GUEST_FIELD_NUMBER: _ClassVar[int]
    envelope: EventEnvelope
    record: RecordReference
    user_id: str
    ip_prefix: str
    from_guest: bool
    def __init__(self, envelope: _Optional[_Union[EventEnvelope, _Mapping]] = ..., record: _Optional[_Union[RecordReference, _Mapping]] = ..., user_id: _Optional[str] = ..., ip_prefix: _Optional[str] = ..., from_guest: _Optional[bool] = ...) -> None: ...

class PageViewed(_message.Message):
    __slots__ = ("envelope", "record", "user_id", "visit_id", "page", "seconds_on_previous", "ip_prefix", "browser", "os", "language")
    ENVELOPE_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    VISIT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    SECONDS_ON_PREVIOUS_FIELD_NUMBER: _ClassVar[int]
    IP_PREFIX_FIELD_NUMBER: _ClassVar[int]
    BROWSER_FIELD_NUMBER: _ClassVar[int]
    OS_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    envelope: EventEnvelope
    record: RecordReference
    user_id: str
    visit_id: str
    page: str
    seconds_on_previous: int
    ip_prefix: str
    browser: str
    os: str
    language: str
    def __init__(self, envelope: _Optional[_Union[EventEnvelope, _Mapping]] = ..., record: _Optional[_Union[RecordReference, _Mapping]] = ..., user_id: _Optional[str] = ..., visit_id: _Optional[str] = ..., page: _Optional[str] = ..., seconds_on_previous: _Optional[int] = ..., ip_prefix: _Optional[str] = ..., browser: _Optional[str] = ..., os: _Optional[str] = ..., language: _Optional[str] = ...) -> None: ...

class PaymentRecorded(_message.Message):
    __slots__ = ("envelope", "record", "user_id", "transaction_id", "credits")
    ENVELOPE_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    CREDITS_FIELD_NUMBER: _ClassVar[int]
    envelope: EventEnvelope
    record: RecordReference
    user_id: str
    transaction_id: str
    credits: int
    def __init__(self, envelope: _Optional[_Union[EventEnvelope, _Mapping]] = ..., record: _Optional[_Union[RecordReference, _Mapping]] = ..., user_id: _Optional[str] = ..., transaction_id: _Optional[str] = ..., credits: _Optional[int] = ...) -> None: ...

class DocumentUploaded(_message.Message):
    __slots__ = ("envelope", "record", "user_id", "document_id", "kind")
    ENVELOPE_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    envelope: EventEnvelope
    record: RecordReference
    user_id: str
    document_id: str
    kind: str
    def __init__(self, envelope: _Optional[_Union[EventEnvelope, _Mapping]] = ..., record: _Optional[_Union[RecordReference, _Mapping]] = ..., user_id: _Optional[str] = ..., document_id: _Optional[str] = ..., kind: _Optional[str] = ...) -> None: ...

class InterviewStarted(_message.Message):
    __slots__ = ("envelope", "record", "user_id", "interview_id", "mode")
    ENVELOPE_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    INTERVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    envelope: EventEnvelope
    record: RecordReference
    user_id: str
    interview_id: str
    mode: str
    def __init__(self, envelope: _Optional[_Union[EventEnvelope, _Mapping]] = ..., record: _Optional[_Union[RecordReference, _Mapping]] = ..., user_id: _Optional[str] = ..., interview_id: _Optional[str] = ..., mode: _Optional[str] = ...) -> None: ...

class ReportCreated(_message.Message):
    __slots__ = ("envelope", "record", "user_id", "interview_id", "overall_score")
    ENVELOPE_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    INTERVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    OVERALL_SCORE_FIELD_NUMBER: _ClassVar[int]
    envelope: EventEnvelope
    record: RecordReference
    user_id: str
    interview_id: str
    overall_score: int
    def __init__(self, envelope: _Optional[_Union[EventEnvelope, _Mapping]] = ..., record: _Optional[_Union[RecordReference, _Mapping]] = ..., user_id: _Optional[str] = ..., interview_id: _Optional[str] = ..., overall_score: _Optional[int] = ...) -> None: ...

class ConsentChanged(_message.Message):
    __slots__ = ("envelope", "user_id", "purpose", "granted", "version")
    ENVELOPE_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    GRANTED_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    envelope: EventEnvelope
    user_id: str
    purpose: str
    granted: bool
    version: int
    def __init__(self, envelope: _Optional[_Union[EventEnvelope, _Mapping]] = ..., user_id: _Optional[str] = ..., purpose: _Optional[str] = ..., granted: _Optional[bool] = ..., version: _Optional[int] = ...) -> None: ...

class AudioStored(_message.Message):
    __slots__ = ("envelope", "record", "user_id", "audio_id", "kind", "seconds")
    ENVELOPE_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    AUDIO_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    envelope: EventEnvelope
    record: RecordReference
    user_id: str
    audio_id: str
    kind: str
    seconds: float
    def __init__(self, envelope: _Optional[_Union[EventEnvelope, _Mapping]] = ..., record: _Optional[_Union[RecordReference, _Mapping]] = ..., user_id: _Optional[str] = ..., audio_id: _Optional[str] = ..., kind: _Optional[str] = ..., seconds: _Optional[float] = ...) -> None: ...
