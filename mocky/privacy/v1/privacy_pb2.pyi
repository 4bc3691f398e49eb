import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Actor(_message.Message):
    __slots__ = ("user_id", "request_id")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    request_id: str
    def __init__(self, user_id: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class RunRetentionSweepRequest(_message.Message):
    __slots__ = ("actor",)
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    actor: Actor
    def __init__(self, actor: _Optional[_Union[Actor, _Mapping]] = ...) -> None: ...

class RunRetentionSweepResponse(_message.Message):
    __slots__ = ("claimed", "purged", "failed")
    CLAIMED_FIELD_NUMBER: _ClassVar[int]
    PURGED_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    claimed: int
    purged: int
    failed: int
    def __init__(self, claimed: _Optional[int] = ..., purged: _Optional[int] = ..., failed: _Optional[int] = ...) -> None: ...

class GetDeletionLedgerRequest(_message.Message):
    __slots__ = ("subject_user_id", "actor")
    SUBJECT_USER_ID_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    subject_user_id: str
    actor: Actor
    def __init__(self, subject_user_id: _Optional[str] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ...) -> None: ...

class DeletionProof(_message.Message):
    __slots__ = ("record", "category", "rule", "reason", "due_at", "deleted_at", "blobs_deleted", "outcome")
    RECORD_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    DELETED_AT_FIELD_NUMBER: _ClassVar[int]
    BLOBS_DELETED_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    record: str
    category: str
    rule: str
    reason: str
    due_at: _timestamp_pb2.Timestamp
    deleted_at: _timestamp_pb2.Timestamp
    blobs_deleted: int
    outcome: str
    def __init__(self, record: _Optional[str] = ..., category: _Optional[str] = ..., rule: _Optional[str] = ..., reason: _Optional[str] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., deleted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., blobs_deleted: _Optional[int] = ..., outcome: _Optional[str] = ...) -> None: ...

class GetDeletionLedgerResponse(_message.Message):
    __slots__ = ("entries",)
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[DeletionProof]
    def __init__(self, entries: _Optional[_Iterable[_Union[DeletionProof, _Mapping]]] = ...) -> None: ...

class DataSubjectRequest(_message.Message):
    __slots__ = ("id", "user_id", "type", "status", "received_at", "due_at", "extended", "extension_reason", "source", "details", "outcome", "export_ready", "completed_at", "pending_owners")
    ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_AT_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    EXTENDED_FIELD_NUMBER: _ClassVar[int]
    EXTENSION_REASON_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    EXPORT_READY_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    PENDING_OWNERS_FIELD_NUMBER: _ClassVar[int]
    id: str
    user_id: str
    type: str
    status: str
    received_at: _timestamp_pb2.Timestamp
    due_at: _timestamp_pb2.Timestamp
    extended: bool
    extension_reason: str
    source: str
    details: str
    outcome: str
    export_ready: bool
    completed_at: _timestamp_pb2.Timestamp
    pending_owners: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[str] = ..., user_id: _Optional[str] = ..., type: _Optional[str] = ..., status: _Optional[str] = ..., received_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., extended: _Optional[bool] = ..., extension_reason: _Optional[str] = ..., source: _Optional[str] = ..., details: _Optional[str] = ..., outcome: _Optional[str] = ..., export_ready: _Optional[bool] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., pending_owners: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateRequestRequest(_message.Message):
    __slots__ = ("user_id", "type", "details", "received_by_email", "actor")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_BY_EMAIL_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    type: str
    details: str
    received_by_email: bool
    actor: Actor
    def __init__(self, user_id: _Optional[str] = ..., type: _Optional[str] = ..., details: _Optional[str] = ..., received_by_email: _Optional[bool] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ...) -> None: ...

class CreateRequestResponse(_message.Message):
    __slots__ = ("request",)
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: DataSubjectRequest
    def __init__(self, request: _Optional[_Union[DataSubjectRequest, _Mapping]] = ...) -> None: ...

class ListRequestsRequest(_message.Message):
    __slots__ = ("user_id", "status")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    status: str
    def __init__(self, user_id: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...

class ListRequestsResponse(_message.Message):
    __slots__ = ("requests",)
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    requests: _containers.RepeatedCompositeFieldContainer[DataSubjectRequest]
    def __init__(self, requests: _Optional[_Iterable[_Union[DataSubjectRequest, _Mapping]]] = ...) -> None: ...

class GetRequestRequest(_message.Message):
    __slots__ = ("user_id", "id")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    id: str
    def __init__(self, user_id: _Optional[str] = ..., id: _Optional[str] = ...) -> None: ...

class GetRequestResponse(_message.Message):
    __slots__ = ("request", "download_token")
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    DOWNLOAD_TOKEN_FIELD_NUMBER: _ClassVar[int]
    request: DataSubjectRequest
    download_token: str
    def __init__(self, request: _Optional[_Union[DataSubjectRequest, _Mapping]] = ..., download_token: _Optional[str] = ...) -> None: ...

class ConfirmRequestRequest(_message.Message):
    __slots__ = ("id", "token")
    ID_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    id: str
    token: str
    def __init__(self, id: _Optional[str] = ..., token: _Optional[str] = ...) -> None: ...

class ConfirmRequestResponse(_message.Message):
    __slots__ = ("request",)
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: DataSubjectRequest
    def __init__(self, request: _Optional[_Union[DataSubjectRequest, _Mapping]] = ...) -> None: ...

class ExtendRequestRequest(_message.Message):
    __slots__ = ("id", "reason", "actor")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    actor: Actor
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ...) -> None: ...

class ExtendRequestResponse(_message.Message):
    __slots__ = ("request",)
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: DataSubjectRequest
    def __init__(self, request: _Optional[_Union[DataSubjectRequest, _Mapping]] = ...) -> None: ...

class RejectRequestRequest(_message.Message):
    __slots__ = ("id", "reason", "actor")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    actor: Actor
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ...) -> None: ...

class RejectRequestResponse(_message.Message):
    __slots__ = ("request",)
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: DataSubjectRequest
    def __init__(self, request: _Optional[_Union[DataSubjectRequest, _Mapping]] = ...) -> None: ...

class CompleteRequestRequest(_message.Message):
    __slots__ = ("id", "outcome", "actor")
    ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    id: str
    outcome: str
    actor: Actor
    def __init__(self, id: _Optional[str] = ..., outcome: _Optional[str] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ...) -> None: ...

class CompleteRequestResponse(_message.Message):
    __slots__ = ("request",)
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: DataSubjectRequest
    def __init__(self, request: _Optional[_Union[DataSubjectRequest, _Mapping]] = ...) -> None: ...

class GetExportRequest(_message.Message):
    __slots__ = ("id", "token")
    ID_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    id: str
    token: str
    def __init__(self, id: _Optional[str] = ..., token: _Optional[str] = ...) -> None: ...

class GetExportResponse(_message.Message):
    __slots__ = ("archive", "filename")
    ARCHIVE_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    archive: bytes
    filename: str
    def __init__(self, archive: _Optional[bytes] = ..., filename: _Optional[str] = ...) -> None: ...

class Consent(_message.Message):
    __slots__ = ("purpose", "granted", "version", "changed_at")
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    GRANTED_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    purpose: str
    granted: bool
    version: int
    changed_at: _timestamp_pb2.Timestamp
    def __init__(self, purpose: _Optional[str] = ..., granted: _Optional[bool] = ..., version: _Optional[int] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetConsentsRequest(_message.Message):
    __slots__ = ("user_id",)
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    def __init__(self, user_id: _Optional[str] = ...) -> None: ...

class GetConsentsResponse(_message.Message):
    __slots__ = ("consents",)
    CONSENTS_FIELD_NUMBER: _ClassVar[int]
    consents: _containers.RepeatedCompositeFieldContainer[Consent]
    def __init__(self, consents: _Optional[_Iterable[_Union[Consent, _Mapping]]] = ...) -> None: ...

class SetConsentsRequest(_message.Message):
    __slots__ = ("user_id", "granted")
    class GrantedEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: bool
        def __init__(self, key: _Optional[str] = ..., value: _Optional[bool] = ...) -> None: ...
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    GRANTED_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    granted: _containers.ScalarMap[str, bool]
    def __init__(self, user_id: _Optional[str] = ..., granted: _Optional[_Mapping[str, bool]] = ...) -> None: ...

class SetConsentsResponse(_message.Message):
    __slots__ = ("consents",)
    CONSENTS_FIELD_NUMBER: _ClassVar[int]
    consents: _containers.RepeatedCompositeFieldContainer[Consent]
    def __init__(self, consents: _Optional[_Iterable[_Union[Consent, _Mapping]]] = ...) -> None: ...

class Incident(_message.Message):
    __slots__ = ("id", "title", "description", "categories", "window_start", "window_end", "aware_at", "authority_deadline", "reported_at", "report_reference", "affected_users", "notified_users", "status", "report_overdue")
    ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    WINDOW_START_FIELD_NUMBER: _ClassVar[int]
    WINDOW_END_FIELD_NUMBER: _ClassVar[int]
    AWARE_AT_FIELD_NUMBER: _ClassVar[int]
    AUTHORITY_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    REPORTED_AT_FIELD_NUMBER: _ClassVar[int]
    REPORT_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    AFFECTED_USERS_FIELD_NUMBER: _ClassVar[int]
    NOTIFIED_USERS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REPORT_OVERDUE_FIELD_NUMBER: _ClassVar[int]
    id: str
    title: str
    description: str
    categories: _containers.RepeatedScalarFieldContainer[str]
    window_start: _timestamp_pb2.Timestamp
    window_end: _timestamp_pb2.Timestamp
    aware_at: _timestamp_pb2.Timestamp
    authority_deadline: _timestamp_pb2.Timestamp
    reported_at: _timestamp_pb2.Timestamp
    report_reference: str
    affected_users: int
    notified_users: int
    status: str
    report_overdue: bool
    def __init__(self, id: _Optional[str] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., categories: _Optional[_Iterable[str]] = ..., window_start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., window_end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., aware_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., authority_deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reported_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., report_reference: _Optional[str] = ..., affected_users: _Optional[int] = ..., notified_users: _Optional[int] = ..., status: _Optional[str] = ..., report_overdue: _Optional[bool] = ...) -> None: ...

class CreateIncidentRequest(_message.Message):
    __slots__ = ("title", "description", "categories", "window_start", "window_end", "actor")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    WINDOW_START_FIELD_NUMBER: _ClassVar[int]
    WINDOW_END_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    title: str
    description: str
    categories: _containers.RepeatedScalarFieldContainer[str]
    window_start: _timestamp_pb2.Timestamp
    window_end: _timestamp_pb2.Timestamp
    actor: Actor
    def __init__(self, title: _Optional[str] = ..., description: _Optional[str] = ..., categories: _Optional[_Iterable[str]] = ..., window_start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., window_end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ...) -> None: ...

class CreateIncidentResponse(_message.Message):
    __slots__ = ("incident",)
    INCIDENT_FIELD_NUMBER: _ClassVar[int]
    incident: Incident
    def __init__(self, incident: _Optional[_Union[Incident, _Mapping]] = ...) -> None: ...

class ListIncidentsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListIncidentsResponse(_message.Message):
    __slots__ = ("incidents",)
    INCIDENTS_FIELD_NUMBER: _ClassVar[int]
    incidents: _containers.RepeatedCompositeFieldContainer[Incident]
    def __init__(self, incidents: _Optional[_Iterable[_Union[Incident, _Mapping]]] = ...) -> None: ...

class GetIncidentRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetIncidentResponse(_message.Message):
    __slots__ = ("incident", "affected_user_ids")
    INCIDENT_FIELD_NUMBER: _ClassVar[int]
    AFFECTED_USER_IDS_FIELD_NUMBER: _ClassVar[int]
    incident: Incident
    affected_user_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, incident: _Optional[_Union[Incident, _Mapping]] = ..., affected_user_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class NotifyIncidentRequest(_message.Message):
    __slots__ = ("id", "subject", "text", "actor")
    ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    id: str
    subject: str
    text: str
    actor: Actor
    def __init__(self, id: _Optional[str] = ..., subject: _Optional[str] = ..., text: _Optional[str] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ...) -> None: ...

class NotifyIncidentResponse(_message.Message):
    __slots__ = ("notified", "failed")
    NOTIFIED_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    notified: int
    failed: int
    def __init__(self, notified: _Optional[int] = ..., failed: _Optional[int] = ...) -> None: ...

class ReportIncidentRequest(_message.Message):
    __slots__ = ("id", "reference", "actor")
    ID_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    id: str
    reference: str
    actor: Actor
    def __init__(self, id: _Optional[str] = ..., reference: _Optional[str] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ...) -> None: ...

class ReportIncidentResponse(_message.Message):
    __slots__ = ("incident",)
    INCIDENT_FIELD_NUMBER: _ClassVar[int]
    incident: Incident
    def __init__(self, incident: _Optional[_Union[Incident, _Mapping]] = ...) -> None: ...

class AuditEntry(_message.Message):
    __slots__ = ("seq", "at", "actor_user_id", "action", "target", "details", "hash")
    SEQ_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    ACTOR_USER_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    HASH_FIELD_NUMBER: _ClassVar[int]
    seq: int
    at: _timestamp_pb2.Timestamp
    actor_user_id: str
    action: str
    target: str
    details: str
    hash: str
    def __init__(self, seq: _Optional[int] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., actor_user_id: _Optional[str] = ..., action: _Optional[str] = ..., target: _Optional[str] = ..., details: _Optional[str] = ..., hash: _Optional[str] = ...) -> None: ...

class GetAuditLogRequest(_message.Message):
    __slots__ = ("limit", "actor")
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    limit: int
    actor: Actor
    def __init__(self, limit: _Optional[int] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ...) -> None: ...

class GetUsageSummaryRequest(_message.Message):
    __slots__ = ("days", "actor")
    DAYS_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    days: int
    actor: Actor
    def __init__(self, days: _Optional[int] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ...) -> None: ...

class PageUsage(_message.Message):
    __slots__ = ("page", "views", "median_seconds")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    VIEWS_FIELD_NUMBER: _ClassVar[int]
    MEDIAN_SECONDS_FIELD_NUMBER: _ClassVar[int]
    page: str
    views: int
    median_seconds: float
    def __init__(self, page: _Optional[str] = ..., views: _Optional[int] = ..., median_seconds: _Optional[float] = ...) -> None: ...

class UsageShare(_message.Message):
    __slots__ = ("name", "views")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VIEWS_FIELD_NUMBER: _ClassVar[int]
    name: str
    views: int
    def __init__(self, name: _Optional[str] = ..., views: _Optional[int] = ...) -> None: ...

class GetUsageSummaryResponse(_message.Message):
    __slots__ = ("days", "views", "visits", "people", "pages", "browsers", "systems")
    DAYS_FIELD_NUMBER: _ClassVar[int]
    VIEWS_FIELD_NUMBER: _ClassVar[int]
    VISITS_FIELD_NUMBER: _ClassVar[int]
    PEOPLE_FIELD_NUMBER: _ClassVar[int]
    PAGES_FIELD_NUMBER: _ClassVar[int]
    BROWSERS_FIELD_NUMBER: _ClassVar[int]
    SYSTEMS_FIELD_NUMBER: _ClassVar[int]
    days: int
    views: int
    visits: int
    people: int
    pages: _containers.RepeatedCompositeFieldContainer[PageUsage]
    browsers: _containers.RepeatedCompositeFieldContainer[UsageShare]
    systems: _containers.RepeatedCompositeFieldContainer[UsageShare]
    def __init__(self, days: _Optional[int] = ..., views: _Optional[int] = ..., visits: _Optional[int] = ..., people: _Optional[int] = ..., pages: _Optional[_Iterable[_Union[PageUsage, _Mapping]]] = ..., browsers: _Optional[_Iterable[_Union[UsageShare, _Mapping]]] = ..., systems: _Optional[_Iterable[_Union[UsageShare, _Mapping]]] = ...) -> None: ...

class GetAuditLogResponse(_message.Message):
    __slots__ = ("entries", "chain_valid")
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    CHAIN_VALID_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[AuditEntry]
    chain_valid: bool
    def __init__(self, entries: _Optional[_Iterable[_Union[AuditEntry, _Mapping]]] = ..., chain_valid: _Optional[bool] = ...) -> None: ...

class GetProcessingRecordsRequest(_message.Message):
    __slots__ = ("actor",)
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    actor: Actor
    def __init__(self, actor: _Optional[_Union[Actor, _Mapping]] = ...) -> None: ...

class ProcessingRecord(_message.Message):
    __slots__ = ("category", "examples", "purpose", "legal_basis", "recipients", "retention", "erasure", "owner")
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    EXAMPLES_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    RECIPIENTS_FIELD_NUMBER: _ClassVar[int]
    RETENTION_FIELD_NUMBER: _ClassVar[int]
    ERASURE_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    category: str
    examples: str
    purpose: str
    legal_basis: str
    recipients: str
    retention: str
    erasure: str
    owner: str
    def __init__(self, category: _Optional[str] = ..., examples: _Optional[str] = ..., purpose: _Optional[str] = ..., legal_basis: _Optional[str] = ..., recipients: _Optional[str] = ..., retention: _Optional[str] = ..., erasure: _Optional[str] = ..., owner: _Optional[str] = ...) -> None: ...

class Subprocessor(_message.Message):
    __slots__ = ("name", "service", "data", "location", "safeguards")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    SAFEGUARDS_FIELD_NUMBER: _ClassVar[int]
    name: str
    service: str
    data: str
    location: str
    safeguards: str
    def __init__(self, name: _Optional[str] = ..., service: _Optional[str] = ..., data: _Optional[str] = ..., location: _Optional[str] = ..., safeguards: _Optional[str] = ...) -> None: ...

class GetProcessingRecordsResponse(_message.Message):
    __slots__ = ("records", "subprocessors")
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    SUBPROCESSORS_FIELD_NUMBER: _ClassVar[int]
    records: _containers.RepeatedCompositeFieldContainer[ProcessingRecord]
    subprocessors: _containers.RepeatedCompositeFieldContainer[Subprocessor]
    def __init__(self, records: _Optional[_Iterable[_Union[ProcessingRecord, _Mapping]]] = ..., subprocessors: _Optional[_Iterable[_Union[Subprocessor, _Mapping]]] = ...) -> None: ...

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
