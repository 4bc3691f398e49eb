from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class AdvanceClockRequest(_message.Message):
    __slots__ = ("advance_seconds",)
    ADVANCE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    advance_seconds: float
    def __init__(self, advance_seconds: _Optional[float] = ...) -> None: ...

class AdvanceClockResponse(_message.Message):
    __slots__ = ("offset_seconds", "now_unix")
    OFFSET_SECONDS_FIELD_NUMBER: _ClassVar[int]
    NOW_UNIX_FIELD_NUMBER: _ClassVar[int]
    offset_seconds: float
    now_unix: float
    def __init__(self, offset_seconds: _Optional[float] = ..., now_unix: _Optional[float] = ...) -> None: ...

class GetClockRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetClockResponse(_message.Message):
    __slots__ = ("offset_seconds", "now_unix")
    OFFSET_SECONDS_FIELD_NUMBER: _ClassVar[int]
    NOW_UNIX_FIELD_NUMBER: _ClassVar[int]
    offset_seconds: float
    now_unix: float
    def __init__(self, offset_seconds: _Optional[float] = ..., now_unix: _Optional[float] = ...) -> None: ...
