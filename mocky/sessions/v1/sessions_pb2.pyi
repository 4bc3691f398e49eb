import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DocumentAnalysis(_message.Message):
    __slots__ = ("role", "seniority", "skills", "requirements", "years_of_experience", "family", "family_name", "nice_to_have", "language")
    ROLE_FIELD_NUMBER: _ClassVar[int]
    SENIORITY_FIELD_NUMBER: _ClassVar[int]
    SKILLS_FIELD_NUMBER: _ClassVar[int]
    REQUIREMENTS_FIELD_NUMBER: _ClassVar[int]
    YEARS_OF_EXPERIENCE_FIELD_NUMBER: _ClassVar[int]
    FAMILY_FIELD_NUMBER: _ClassVar[int]
    FAMILY_NAME_FIELD_NUMBER: _ClassVar[int]
    NICE_TO_HAVE_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    role: str
    seniority: str
    skills: _containers.RepeatedScalarFieldContainer[str]
    requirements: _containers.RepeatedScalarFieldContainer[str]
    years_of_experience: int
    family: str
    family_name: str
    nice_to_have: _containers.RepeatedScalarFieldContainer[str]
    language: str
    def __init__(self, role: _Optional[str] = ..., seniority: _Optional[str] = ..., skills: _Optional[_Iterable[str]] = ..., requirements: _Optional[_Iterable[str]] = ..., years_of_experience: _Optional[int] = ..., family: _Optional[str] = ..., family_name: _Optional[str] = ..., nice_to_have: _Optional[_Iterable[str]] = ..., language: _Optional[str] = ...) -> None: ...

class Document(_message.Message):
    __slots__ = ("id", "kind", "filename", "content_type", "size_bytes", "created_at", "text", "analysis")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    ANALYSIS_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: str
    filename: str
    content_type: str
    size_bytes: int
    created_at: _timestamp_pb2.Timestamp
    text: str
    analysis: DocumentAnalysis
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[str] = ..., filename: _Optional[str] = ..., content_type: _Optional[str] = ..., size_bytes: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., text: _Optional[str] = ..., analysis: _Optional[_Union[DocumentAnalysis, _Mapping]] = ...) -> None: ...

class UploadDocumentRequest(_message.Message):
    __slots__ = ("user_id", "kind", "filename", "data", "text", "replaces_id")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    REPLACES_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    kind: str
    filename: str
    data: bytes
    text: str
    replaces_id: str
    def __init__(self, user_id: _Optional[str] = ..., kind: _Optional[str] = ..., filename: _Optional[str] = ..., data: _Optional[bytes] = ..., text: _Optional[str] = ..., replaces_id: _Optional[str] = ...) -> None: ...

class UploadDocumentResponse(_message.Message):
    __slots__ = ("document",)
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    document: Document
    def __init__(self, document: _Optional[_Union[Document, _Mapping]] = ...) -> None: ...

class ListDocumentsRequest(_message.Message):
    __slots__ = ("user_id",)
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    def __init__(self, user_id: _Optional[str] = ...) -> None: ...

class ListDocumentsResponse(_message.Message):
    __slots__ = ("documents",)
    DOCUMENTS_FIELD_NUMBER: _ClassVar[int]
    documents: _containers.RepeatedCompositeFieldContainer[Document]
    def __init__(self, documents: _Optional[_Iterable[_Union[Document, _Mapping]]] = ...) -> None: ...

class GetDocumentRequest(_message.Message):
    __slots__ = ("user_id", "id")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    id: str
    def __init__(self, user_id: _Optional[str] = ..., id: _Optional[str] = ...) -> None: ...

class GetDocumentResponse(_message.Message):
    __slots__ = ("document",)
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    document: Document
    def __init__(self, document: _Optional[_Union[Document, _Mapping]] = ...) -> None: ...

class DeleteDocumentRequest(_message.Message):
    __slots__ = ("user_id", "id")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    id: str
    def __init__(self, user_id: _Optional[str] = ..., id: _Optional[str] = ...) -> None: ...

class DeleteDocumentResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class InterviewPlan(_message.Message):
    __slots__ = ("role", "family", "family_name", "seniority", "questions_planned", "requirements_to_probe", "skills_to_probe", "achievements_to_probe", "missing_skills", "notes")
    ROLE_FIELD_NUMBER: _ClassVar[int]
    FAMILY_FIELD_NUMBER: _ClassVar[int]
    FAMILY_NAME_FIELD_NUMBER: _ClassVar[int]
    SENIORITY_FIELD_NUMBER: _ClassVar[int]
    QUESTIONS_PLANNED_FIELD_NUMBER: _ClassVar[int]
    REQUIREMENTS_TO_PROBE_FIELD_NUMBER: _ClassVar[int]
    SKILLS_TO_PROBE_FIELD_NUMBER: _ClassVar[int]
    ACHIEVEMENTS_TO_PROBE_FIELD_NUMBER: _ClassVar[int]
    MISSING_SKILLS_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    role: str
    family: str
    family_name: str
    seniority: str
    questions_planned: int
    requirements_to_probe: _containers.RepeatedScalarFieldContainer[str]
    skills_to_probe: _containers.RepeatedScalarFieldContainer[str]
    achievements_to_probe: _containers.RepeatedScalarFieldContainer[str]
    missing_skills: _containers.RepeatedScalarFieldContainer[str]
    notes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, role: _Optional[str] = ..., family: _Optional[str] = ..., family_name: _Optional[str] = ..., seniority: _Optional[str] = ..., questions_planned: _Optional[int] = ..., requirements_to_probe: _Optional[_Iterable[str]] = ..., skills_to_probe: _Optional[_Iterable[str]] = ..., achievements_to_probe: _Optional[_Iterable[str]] = ..., missing_skills: _Optional[_Iterable[str]] = ..., notes: _Optional[_Iterable[str]] = ...) -> None: ...

class PreviewInterviewRequest(_message.Message):
    __slots__ = ("user_id", "cv_id", "jd_id", "role")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    CV_ID_FIELD_NUMBER: _ClassVar[int]
    JD_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    cv_id: str
    jd_id: str
    role: str
    def __init__(self, user_id: _Optional[str] = ..., cv_id: _Optional[str] = ..., jd_id: _Optional[str] = ..., role: _Optional[str] = ...) -> None: ...

class PreviewInterviewResponse(_message.Message):
    __slots__ = ("plan",)
    PLAN_FIELD_NUMBER: _ClassVar[int]
    plan: InterviewPlan
    def __init__(self, plan: _Optional[_Union[InterviewPlan, _Mapping]] = ...) -> None: ...

class StartInterviewRequest(_message.Message):
    __slots__ = ("user_id", "guest", "mode", "cv_id", "jd_id", "role", "idempotency_key", "provider_consent")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    GUEST_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    CV_ID_FIELD_NUMBER: _ClassVar[int]
    JD_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_CONSENT_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    guest: bool
    mode: str
    cv_id: str
    jd_id: str
    role: str
    idempotency_key: str
    provider_consent: bool
    def __init__(self, user_id: _Optional[str] = ..., guest: _Optional[bool] = ..., mode: _Optional[str] = ..., cv_id: _Optional[str] = ..., jd_id: _Optional[str] = ..., role: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., provider_consent: _Optional[bool] = ...) -> None: ...

class Turn(_message.Message):
    __slots__ = ("index", "question", "question_kind", "answer", "feedback", "asked_at", "answered_at", "audio_seconds", "audio_id")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    QUESTION_KIND_FIELD_NUMBER: _ClassVar[int]
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    ASKED_AT_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_AT_FIELD_NUMBER: _ClassVar[int]
    AUDIO_SECONDS_FIELD_NUMBER: _ClassVar[int]
    AUDIO_ID_FIELD_NUMBER: _ClassVar[int]
    index: int
    question: str
    question_kind: str
    answer: str
    feedback: str
    asked_at: _timestamp_pb2.Timestamp
    answered_at: _timestamp_pb2.Timestamp
    audio_seconds: float
    audio_id: str
    def __init__(self, index: _Optional[int] = ..., question: _Optional[str] = ..., question_kind: _Optional[str] = ..., answer: _Optional[str] = ..., feedback: _Optional[str] = ..., asked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., answered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., audio_seconds: _Optional[float] = ..., audio_id: _Optional[str] = ...) -> None: ...

class Interview(_message.Message):
    __slots__ = ("id", "mode", "status", "role", "cv_id", "jd_id", "question", "questions_planned", "questions_asked", "created_at", "finished_at", "engine", "turns", "plan")
    ID_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    CV_ID_FIELD_NUMBER: _ClassVar[int]
    JD_ID_FIELD_NUMBER: _ClassVar[int]
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    QUESTIONS_PLANNED_FIELD_NUMBER: _ClassVar[int]
    QUESTIONS_ASKED_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_FIELD_NUMBER: _ClassVar[int]
    ENGINE_FIELD_NUMBER: _ClassVar[int]
    TURNS_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    id: str
    mode: str
    status: str
    role: str
    cv_id: str
    jd_id: str
    question: str
    questions_planned: int
    questions_asked: int
    created_at: _timestamp_pb2.Timestamp
    finished_at: _timestamp_pb2.Timestamp
    engine: str
    turns: _containers.RepeatedCompositeFieldContainer[Turn]
    plan: InterviewPlan
    def __init__(self, id: _Optional[str] = ..., mode: _Optional[str] = ..., status: _Optional[str] = ..., role: _Optional[str] = ..., cv_id: _Optional[str] = ..., jd_id: _Optional[str] = ..., question: _Optional[str] = ..., questions_planned: _Optional[int] = ..., questions_asked: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finished_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., engine: _Optional[str] = ..., turns: _Optional[_Iterable[_Union[Turn, _Mapping]]] = ..., plan: _Optional[_Union[InterviewPlan, _Mapping]] = ...) -> None: ...

class StartInterviewResponse(_message.Message):
    __slots__ = ("interview",)
    INTERVIEW_FIELD_NUMBER: _ClassVar[int]
    interview: Interview
    def __init__(self, interview: _Optional[_Union[Interview, _Mapping]] = ...) -> None: ...

class ListInterviewsRequest(_message.Message):
    __slots__ = ("user_id",)
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    def __init__(self, user_id: _Optional[str] = ...) -> None: ...

class ListInterviewsResponse(_message.Message):
    __slots__ = ("interviews",)
    INTERVIEWS_FIELD_NUMBER: _ClassVar[int]
    interviews: _containers.RepeatedCompositeFieldContainer[Interview]
    def __init__(self, interviews: _Optional[_Iterable[_Union[Interview, _Mapping]]] = ...) -> None: ...

class GetInterviewRequest(_message.Message):
    __slots__ = ("user_id", "id")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    id: str
    def __init__(self, user_id: _Optional[str] = ..., id: _Optional[str] = ...) -> None: ...

class GetInterviewResponse(_message.Message):
    __slots__ = ("interview",)
    INTERVIEW_FIELD_NUMBER: _ClassVar[int]
    interview: Interview
    def __init__(self, interview: _Optional[_Union[Interview, _Mapping]] = ...) -> None: ...

class FinishInterviewRequest(_message.Message):
    __slots__ = ("user_id", "id", "provider_consent")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_CONSENT_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    id: str
    provider_consent: bool
    def __init__(self, user_id: _Optional[str] = ..., id: _Optional[str] = ..., provider_consent: _Optional[bool] = ...) -> None: ...

class FinishInterviewResponse(_message.Message):
    __slots__ = ("interview",)
    INTERVIEW_FIELD_NUMBER: _ClassVar[int]
    interview: Interview
    def __init__(self, interview: _Optional[_Union[Interview, _Mapping]] = ...) -> None: ...

class GetReportRequest(_message.Message):
    __slots__ = ("user_id", "id")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    id: str
    def __init__(self, user_id: _Optional[str] = ..., id: _Optional[str] = ...) -> None: ...

class GetReportResponse(_message.Message):
    __slots__ = ("report",)
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: Report
    def __init__(self, report: _Optional[_Union[Report, _Mapping]] = ...) -> None: ...

class GetReplayRequest(_message.Message):
    __slots__ = ("user_id", "id")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    id: str
    def __init__(self, user_id: _Optional[str] = ..., id: _Optional[str] = ...) -> None: ...

class GetReplayResponse(_message.Message):
    __slots__ = ("interview",)
    INTERVIEW_FIELD_NUMBER: _ClassVar[int]
    interview: Interview
    def __init__(self, interview: _Optional[_Union[Interview, _Mapping]] = ...) -> None: ...

class SubmitAnswerRequest(_message.Message):
    __slots__ = ("user_id", "interview_id", "text", "idempotency_key", "audio_seconds", "audio_id", "provider_consent")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    INTERVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    AUDIO_SECONDS_FIELD_NUMBER: _ClassVar[int]
    AUDIO_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_CONSENT_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    interview_id: str
    text: str
    idempotency_key: str
    audio_seconds: float
    audio_id: str
    provider_consent: bool
    def __init__(self, user_id: _Optional[str] = ..., interview_id: _Optional[str] = ..., text: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., audio_seconds: _Optional[float] = ..., audio_id: _Optional[str] = ..., provider_consent: _Optional[bool] = ...) -> None: ...

class StreamAnswerRequest(_message.Message):
    __slots__ = ("answer",)
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    answer: SubmitAnswerRequest
    def __init__(self, answer: _Optional[_Union[SubmitAnswerRequest, _Mapping]] = ...) -> None: ...

class StreamAnswerResponse(_message.Message):
    __slots__ = ("sentence", "result")
    SENTENCE_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    sentence: str
    result: SubmitAnswerResponse
    def __init__(self, sentence: _Optional[str] = ..., result: _Optional[_Union[SubmitAnswerResponse, _Mapping]] = ...) -> None: ...

class SubmitAnswerResponse(_message.Message):
    __slots__ = ("transcript", "question", "follow_up", "feedback", "done", "status")
    TRANSCRIPT_FIELD_NUMBER: _ClassVar[int]
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_FIELD_NUMBER: _ClassVar[int]
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    DONE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    transcript: str
    question: str
    follow_up: bool
    feedback: str
    done: bool
    status: str
    def __init__(self, transcript: _Optional[str] = ..., question: _Optional[str] = ..., follow_up: _Optional[bool] = ..., feedback: _Optional[str] = ..., done: _Optional[bool] = ..., status: _Optional[str] = ...) -> None: ...

class Evidence(_message.Message):
    __slots__ = ("turn", "quote", "positive")
    TURN_FIELD_NUMBER: _ClassVar[int]
    QUOTE_FIELD_NUMBER: _ClassVar[int]
    POSITIVE_FIELD_NUMBER: _ClassVar[int]
    turn: int
    quote: str
    positive: bool
    def __init__(self, turn: _Optional[int] = ..., quote: _Optional[str] = ..., positive: _Optional[bool] = ...) -> None: ...

class CompetencyScore(_message.Message):
    __slots__ = ("competency", "score", "summary", "evidence", "suggestions")
    COMPETENCY_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    SUGGESTIONS_FIELD_NUMBER: _ClassVar[int]
    competency: str
    score: int
    summary: str
    evidence: _containers.RepeatedCompositeFieldContainer[Evidence]
    suggestions: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, competency: _Optional[str] = ..., score: _Optional[int] = ..., summary: _Optional[str] = ..., evidence: _Optional[_Iterable[_Union[Evidence, _Mapping]]] = ..., suggestions: _Optional[_Iterable[str]] = ...) -> None: ...

class Delivery(_message.Message):
    __slots__ = ("words_per_minute", "filler_words", "fillers", "spoken_answers")
    class FillersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    WORDS_PER_MINUTE_FIELD_NUMBER: _ClassVar[int]
    FILLER_WORDS_FIELD_NUMBER: _ClassVar[int]
    FILLERS_FIELD_NUMBER: _ClassVar[int]
    SPOKEN_ANSWERS_FIELD_NUMBER: _ClassVar[int]
    words_per_minute: float
    filler_words: int
    fillers: _containers.ScalarMap[str, int]
    spoken_answers: int
    def __init__(self, words_per_minute: _Optional[float] = ..., filler_words: _Optional[int] = ..., fillers: _Optional[_Mapping[str, int]] = ..., spoken_answers: _Optional[int] = ...) -> None: ...

class RubricCriterion(_message.Message):
    __slots__ = ("id", "name", "weight", "anchors")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    ANCHORS_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    weight: float
    anchors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., weight: _Optional[float] = ..., anchors: _Optional[_Iterable[str]] = ...) -> None: ...

class QuestionFeedback(_message.Message):
    __slots__ = ("turn", "question", "score", "verdict", "had", "lacked", "strong_answer", "follow_up")
    TURN_FIELD_NUMBER: _ClassVar[int]
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    VERDICT_FIELD_NUMBER: _ClassVar[int]
    HAD_FIELD_NUMBER: _ClassVar[int]
    LACKED_FIELD_NUMBER: _ClassVar[int]
    STRONG_ANSWER_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_FIELD_NUMBER: _ClassVar[int]
    turn: int
    question: str
    score: int
    verdict: str
    had: _containers.RepeatedScalarFieldContainer[str]
    lacked: _containers.RepeatedScalarFieldContainer[str]
    strong_answer: _containers.RepeatedScalarFieldContainer[str]
    follow_up: bool
    def __init__(self, turn: _Optional[int] = ..., question: _Optional[str] = ..., score: _Optional[int] = ..., verdict: _Optional[str] = ..., had: _Optional[_Iterable[str]] = ..., lacked: _Optional[_Iterable[str]] = ..., strong_answer: _Optional[_Iterable[str]] = ..., follow_up: _Optional[bool] = ...) -> None: ...

class Report(_message.Message):
    __slots__ = ("interview_id", "overall_score", "summary", "competencies", "delivery", "strengths", "improvements", "created_at", "engine", "rubric_version", "rubric", "questions")
    INTERVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    OVERALL_SCORE_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    COMPETENCIES_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_FIELD_NUMBER: _ClassVar[int]
    STRENGTHS_FIELD_NUMBER: _ClassVar[int]
    IMPROVEMENTS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ENGINE_FIELD_NUMBER: _ClassVar[int]
    RUBRIC_VERSION_FIELD_NUMBER: _ClassVar[int]
    RUBRIC_FIELD_NUMBER: _ClassVar[int]
    QUESTIONS_FIELD_NUMBER: _ClassVar[int]
    interview_id: str
    overall_score: int
    summary: str
    competencies: _containers.RepeatedCompositeFieldContainer[CompetencyScore]
    delivery: Delivery
    strengths: _containers.RepeatedScalarFieldContainer[str]
    improvements: _containers.RepeatedScalarFieldContainer[str]
    created_at: _timestamp_pb2.Timestamp
    engine: str
    rubric_version: str
    rubric: _containers.RepeatedCompositeFieldContainer[RubricCriterion]
    questions: _containers.RepeatedCompositeFieldContainer[QuestionFeedback]
    def __init__(self, interview_id: _Optional[str] = ..., overall_score: _Optional[int] = ..., summary: _Optional[str] = ..., competencies: _Optional[_Iterable[_Union[CompetencyScore, _Mapping]]] = ..., delivery: _Optional[_Union[Delivery, _Mapping]] = ..., strengths: _Optional[_Iterable[str]] = ..., improvements: _Optional[_Iterable[str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., engine: _Optional[str] = ..., rubric_version: _Optional[str] = ..., rubric: _Optional[_Iterable[_Union[RubricCriterion, _Mapping]]] = ..., questions: _Optional[_Iterable[_Union[QuestionFeedback, _Mapping]]] = ...) -> None: ...
