import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from mocky.events.v1 import events_pb2 as _events_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PurgeOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PURGE_OUTCOME_UNSPECIFIED: _ClassVar[PurgeOutcome]
    PURGE_OUTCOME_PURGED: _ClassVar[PurgeOutcome]
    PURGE_OUTCOME_ALREADY_GONE: _ClassVar[PurgeOutcome]
    PURGE_OUTCOME_UNKNOWN_KIND: _ClassVar[PurgeOutcome]
PURGE_OUTCOME_UNSPECIFIED: PurgeOutcome
PURGE_OUTCOME_PURGED: PurgeOutcome
PURGE_OUTCOME_ALREADY_GONE: PurgeOutcome
PURGE_OUTCOME_UNKNOWN_KIND: PurgeOutcome

class ExportUserDataRequest(_message.Message):
    __slots__ = ("user_id",)
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    def __init__(self, user_id: _Optional[str] = ...) -> None: ...

class ExportedFile(_message.Message):
    __slots__ = ("name", "content_type", "data")
    NAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    name: str
    content_type: str
    data: bytes
    def __init__(self, name: _Optional[str] = ..., content_type: _Optional[str] = ..., data: _Optional[bytes] = ...) -> None: ...

class ExportUserDataResponse(_message.Message):
    __slots__ = ("files",)
    FILES_FIELD_NUMBER: _ClassVar[int]
    files: _containers.RepeatedCompositeFieldContainer[ExportedFile]
    def __init__(self, files: _Optional[_Iterable[_Union[ExportedFile, _Mapping]]] = ...) -> None: ...

class PurgeRecordsRequest(_message.Message):
    __slots__ = ("records",)
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    records: _containers.RepeatedCompositeFieldContainer[_events_pb2.RecordReference]
    def __init__(self, records: _Optional[_Iterable[_Union[_events_pb2.RecordReference, _Mapping]]] = ...) -> None: ...

class PurgeResult(_message.Message):
    __slots__ = ("record_id", "kind", "outcome", "blobs_deleted")
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    BLOBS_DELETED_FIELD_NUMBER: _ClassVar[int]
    record_id: str
    kind: str
    outcome: PurgeOutcome
    blobs_deleted: int
    def __init__(self, record_id: _Optional[str] = ..., kind: _Optional[str] = ..., outcome: _Optional[_Union[PurgeOutcome, str]] = ..., blobs_deleted: _Optional[int] = ...) -> None: ...

class PurgeRecordsResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[PurgeResult]
    def __init__(self, results: _Optional[_Iterable[_Union[PurgeResult, _Mapping]]] = ...) -> None: ...

class RestrictUserRequest(_message.Message):
    __slots__ = ("user_id", "restrict", "erase")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    RESTRICT_FIELD_NUMBER: _ClassVar[int]
    ERASE_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    restrict: bool
    erase: bool
    def __init__(self, user_id: _Optional[str] = ..., restrict: _Optional[bool] = ..., erase: _Optional[bool] = ...) -> None: ...

class RestrictUserResponse(_message.Message):
    __slots__ = ("records_restricted",)
    RECORDS_RESTRICTED_FIELD_NUMBER: _ClassVar[int]
    records_restricted: int
    def __init__(self, records_restricted: _Optional[int] = ...) -> None: ...

class ListRecordsRequest(_message.Message):
    __slots__ = ("user_id", "created_after", "created_before", "limit")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AFTER_FIELD_NUMBER: _ClassVar[int]
    CREATED_BEFORE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    created_after: _timestamp_pb2.Timestamp
    created_before: _timestamp_pb2.Timestamp
    limit: int
    def __init__(self, user_id: _Optional[str] = ..., created_after: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_before: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., limit: _Optional[int] = ...) -> None: ...

class ListRecordsResponse(_message.Message):
    __slots__ = ("records",)
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    records: _containers.RepeatedCompositeFieldContainer[_events_pb2.RecordReference]
    def __init__(self, records: _Optional[_Iterable[_Union[_events_pb2.RecordReference, _Mapping]]] = ...) -> None: ...
