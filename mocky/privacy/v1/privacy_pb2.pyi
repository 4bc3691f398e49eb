import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetRetentionStatusRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CategoryRetentionStatus(_message.Message):
    __slots__ = ("category", "retention", "period_seconds", "starts_at", "scheduled", "due", "overdue", "purged", "failed", "oldest_overdue_due_at")
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    RETENTION_FIELD_NUMBER: _ClassVar[int]
    PERIOD_SECONDS_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_FIELD_NUMBER: _ClassVar[int]
    DUE_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    PURGED_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    OLDEST_OVERDUE_DUE_AT_FIELD_NUMBER: _ClassVar[int]
    category: str
    retention: str
    period_seconds: int
    starts_at: str
    scheduled: int
    due: int
    overdue: int
    purged: int
    failed: int
    oldest_overdue_due_at: _timestamp_pb2.Timestamp
    def __init__(self, category: _Optional[str] = ..., retention: _Optional[str] = ..., period_seconds: _Optional[int] = ..., starts_at: _Optional[str] = ..., scheduled: _Optional[int] = ..., due: _Optional[int] = ..., overdue: _Optional[int] = ..., purged: _Optional[int] = ..., failed: _Optional[int] = ..., oldest_overdue_due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetRetentionStatusResponse(_message.Message):
    __slots__ = ("categories", "as_of")
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    categories: _containers.RepeatedCompositeFieldContainer[CategoryRetentionStatus]
    as_of: _timestamp_pb2.Timestamp
    def __init__(self, categories: _Optional[_Iterable[_Union[CategoryRetentionStatus, _Mapping]]] = ..., as_of: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
