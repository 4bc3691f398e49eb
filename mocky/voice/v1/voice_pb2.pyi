from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TranscribeAnswerRequest(_message.Message):
    __slots__ = ("user_id", "interview_id", "audio", "provider_consent", "live", "vocabulary", "transcript")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    INTERVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_CONSENT_FIELD_NUMBER: _ClassVar[int]
    LIVE_FIELD_NUMBER: _ClassVar[int]
    VOCABULARY_FIELD_NUMBER: _ClassVar[int]
    TRANSCRIPT_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    interview_id: str
    audio: bytes
    provider_consent: bool
    live: bool
    vocabulary: _containers.RepeatedScalarFieldContainer[str]
    transcript: str
    def __init__(self, user_id: _Optional[str] = ..., interview_id: _Optional[str] = ..., audio: _Optional[bytes] = ..., provider_consent: _Optional[bool] = ..., live: _Optional[bool] = ..., vocabulary: _Optional[_Iterable[str]] = ..., transcript: _Optional[str] = ...) -> None: ...

class HearTurnRequest(_message.Message):
    __slots__ = ("user_id", "audio", "provider_consent", "vocabulary")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_CONSENT_FIELD_NUMBER: _ClassVar[int]
    VOCABULARY_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    audio: bytes
    provider_consent: bool
    vocabulary: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_id: _Optional[str] = ..., audio: _Optional[bytes] = ..., provider_consent: _Optional[bool] = ..., vocabulary: _Optional[_Iterable[str]] = ...) -> None: ...

class HearTurnResponse(_message.Message):
    __slots__ = ("transcript", "engine")
    TRANSCRIPT_FIELD_NUMBER: _ClassVar[int]
    ENGINE_FIELD_NUMBER: _ClassVar[int]
    transcript: str
    engine: str
    def __init__(self, transcript: _Optional[str] = ..., engine: _Optional[str] = ...) -> None: ...

class TranscribeAnswerResponse(_message.Message):
    __slots__ = ("audio_id", "transcript", "seconds", "engine")
    AUDIO_ID_FIELD_NUMBER: _ClassVar[int]
    TRANSCRIPT_FIELD_NUMBER: _ClassVar[int]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    ENGINE_FIELD_NUMBER: _ClassVar[int]
    audio_id: str
    transcript: str
    seconds: float
    engine: str
    def __init__(self, audio_id: _Optional[str] = ..., transcript: _Optional[str] = ..., seconds: _Optional[float] = ..., engine: _Optional[str] = ...) -> None: ...

class SpeakLineRequest(_message.Message):
    __slots__ = ("user_id", "interview_id", "text", "provider_consent")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    INTERVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_CONSENT_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    interview_id: str
    text: str
    provider_consent: bool
    def __init__(self, user_id: _Optional[str] = ..., interview_id: _Optional[str] = ..., text: _Optional[str] = ..., provider_consent: _Optional[bool] = ...) -> None: ...

class StreamLineRequest(_message.Message):
    __slots__ = ("user_id", "interview_id", "text", "provider_consent")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    INTERVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_CONSENT_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    interview_id: str
    text: str
    provider_consent: bool
    def __init__(self, user_id: _Optional[str] = ..., interview_id: _Optional[str] = ..., text: _Optional[str] = ..., provider_consent: _Optional[bool] = ...) -> None: ...

class StreamLineResponse(_message.Message):
    __slots__ = ("pcm16", "sample_rate", "audio_id", "engine", "cached")
    PCM16_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_RATE_FIELD_NUMBER: _ClassVar[int]
    AUDIO_ID_FIELD_NUMBER: _ClassVar[int]
    ENGINE_FIELD_NUMBER: _ClassVar[int]
    CACHED_FIELD_NUMBER: _ClassVar[int]
    pcm16: bytes
    sample_rate: int
    audio_id: str
    engine: str
    cached: bool
    def __init__(self, pcm16: _Optional[bytes] = ..., sample_rate: _Optional[int] = ..., audio_id: _Optional[str] = ..., engine: _Optional[str] = ..., cached: _Optional[bool] = ...) -> None: ...

class SpeakLineResponse(_message.Message):
    __slots__ = ("audio_id", "wav", "seconds", "engine", "cached")
    AUDIO_ID_FIELD_NUMBER: _ClassVar[int]
    WAV_FIELD_NUMBER: _ClassVar[int]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    ENGINE_FIELD_NUMBER: _ClassVar[int]
    CACHED_FIELD_NUMBER: _ClassVar[int]
    audio_id: str
    wav: bytes
    seconds: float
    engine: str
    cached: bool
    def __init__(self, audio_id: _Optional[str] = ..., wav: _Optional[bytes] = ..., seconds: _Optional[float] = ..., engine: _Optional[str] = ..., cached: _Optional[bool] = ...) -> None: ...

class GetClipRequest(_message.Message):
    __slots__ = ("user_id", "audio_id")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    AUDIO_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    audio_id: str
    def __init__(self, user_id: _Optional[str] = ..., audio_id: _Optional[str] = ...) -> None: ...

class GetClipResponse(_message.Message):
    __slots__ = ("audio", "content_type")
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    audio: bytes
    content_type: str
    def __init__(self, audio: _Optional[bytes] = ..., content_type: _Optional[str] = ...) -> None: ...

class LinkClipsRequest(_message.Message):
    __slots__ = ("user_id", "audio_ids")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    AUDIO_IDS_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    audio_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_id: _Optional[str] = ..., audio_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class ClipLink(_message.Message):
    __slots__ = ("audio_id", "token")
    AUDIO_ID_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    audio_id: str
    token: str
    def __init__(self, audio_id: _Optional[str] = ..., token: _Optional[str] = ...) -> None: ...

class LinkClipsResponse(_message.Message):
    __slots__ = ("links",)
    LINKS_FIELD_NUMBER: _ClassVar[int]
    links: _containers.RepeatedCompositeFieldContainer[ClipLink]
    def __init__(self, links: _Optional[_Iterable[_Union[ClipLink, _Mapping]]] = ...) -> None: ...

class GetLinkedClipRequest(_message.Message):
    __slots__ = ("audio_id", "token")
    AUDIO_ID_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    audio_id: str
    token: str
    def __init__(self, audio_id: _Optional[str] = ..., token: _Optional[str] = ...) -> None: ...

class GetLinkedClipResponse(_message.Message):
    __slots__ = ("audio", "content_type")
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    audio: bytes
    content_type: str
    def __init__(self, audio: _Optional[bytes] = ..., content_type: _Optional[str] = ...) -> None: ...
