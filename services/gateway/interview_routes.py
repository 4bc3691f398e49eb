"""Documents and interviews: the browser's side of the sessions service."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, Literal, TypeVar

import structlog
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from mocky.platform.links import TOKEN as LINK_TOKEN
from mocky.sessions.v1 import sessions_pb2
from mocky.voice.v1 import voice_pb2
from services.gateway import schemas
from services.gateway.clients import ApiError, as_json
from services.gateway.dependencies import Clients, Ctx, User, settings_of
from services.gateway.security import MAX_AUDIO_BYTES

T = TypeVar("T")
log = structlog.get_logger(__name__)
documents = APIRouter(tags=["documents"])
interviews = APIRouter(tags=["interviews"])
# Response models made from the contracts (services/gateway/schemas.py).
DOCUMENT = schemas.response(sessions_pb2.Document)
DOCUMENTS = schemas.listing("documents", sessions_pb2.Document)
INTERVIEW = schemas.response(sessions_pb2.Interview)
INTERVIEWS = schemas.listing("interviews", sessions_pb2.Interview)
PLAN = schemas.response(sessions_pb2.InterviewPlan)
REPORT = schemas.response(sessions_pb2.Report)


class PastedDocument(BaseModel):
    kind: Literal["cv", "jd"]
    text: str = Field(min_length=1, max_length=200_000)


async def upload(request: Request, user_id: str, replaces_id: str = "") -> Any:
    """Multipart `file` + `kind`, or JSON `{kind, text}`. The body's size is limited as
    it arrives (BodyLimitMiddleware); the file's own size is checked here."""
    limit = settings_of(request).max_upload_bytes
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=4)
        kind, file = form.get("kind"), form.get("file")
        if not isinstance(kind, str) or file is None or isinstance(file, str):
            raise ApiError(400, "invalid_request", "multipart needs a `file` and a `kind`")
        data = await file.read(limit + 1)
        if not data:
            raise ApiError(422, "empty_file", "the file is empty")
        filename = file.filename or ""
        text = ""
    elif content_type.startswith("application/json"):
        try:
            body = PastedDocument.model_validate_json(await request.body())
        except ValueError:
            raise ApiError(400, "invalid_request", "JSON needs `kind` (cv|jd) and `text`") from None
        kind, data, filename, text = body.kind, b"", "", body.text
    else:
        raise ApiError(415, "unsupported_type", "send multipart/form-data or JSON")
    if len(data) > limit:
        raise ApiError(413, "too_large", f"the file is larger than {limit} bytes")
    return sessions_pb2.UploadDocumentRequest(
        user_id=user_id,
        kind=kind,
        filename=filename[:200],
        data=data,
        text=text,
        replaces_id=replaces_id,
    )


UPLOAD_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "kind"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "kind": {"type": "string", "enum": ["cv", "jd"]},
                    },
                }
            },
            "application/json": {"schema": PastedDocument.model_json_schema()},
        },
    }
}


@documents.post(
    "/documents",
    status_code=201,
    openapi_extra=UPLOAD_DOC,
    response_model=DOCUMENT,
    response_model_exclude_none=True,
)
async def upload_document(
    request: Request, user: User, services: Clients, ctx: Ctx
) -> dict[str, Any]:
    """Upload a CV or job description: a PDF, DOCX, TXT or Markdown file (type detected
    from the content) or pasted text. 413 too large, 415 unsupported type, 422 damaged
    or without readable text."""
    call = await upload(request, user.id)
    response = await services.call(services.sessions.UploadDocument, call, ctx, timeout=30)
    return as_json(response.document)


@documents.put(
    "/documents/{document_id}",
    openapi_extra=UPLOAD_DOC,
    response_model=DOCUMENT,
    response_model_exclude_none=True,
)
async def replace_document(
    document_id: str, request: Request, user: User, services: Clients, ctx: Ctx
) -> dict[str, Any]:
    """Replace one of your documents with a new upload (the old file is deleted)."""
    call = await upload(request, user.id, replaces_id=document_id)
    response = await services.call(services.sessions.UploadDocument, call, ctx, timeout=30)
    return as_json(response.document)


@documents.get("/documents", response_model=DOCUMENTS, response_model_exclude_none=True)
async def list_documents(user: User, services: Clients, ctx: Ctx) -> dict[str, Any]:
    response = await services.call(
        services.sessions.ListDocuments, sessions_pb2.ListDocumentsRequest(user_id=user.id), ctx
    )
    return {"documents": [as_json(d) for d in response.documents]}


@documents.get(
    "/documents/{document_id}", response_model=DOCUMENT, response_model_exclude_none=True
)
async def get_document(document_id: str, user: User, services: Clients, ctx: Ctx) -> dict[str, Any]:
    response = await services.call(
        services.sessions.GetDocument,
        sessions_pb2.GetDocumentRequest(user_id=user.id, id=document_id),
        ctx,
    )
    return as_json(response.document)


@documents.delete("/documents/{document_id}", status_code=204)
async def delete_document(document_id: str, user: User, services: Clients, ctx: Ctx) -> None:
    await services.call(
        services.sessions.DeleteDocument,
        sessions_pb2.DeleteDocumentRequest(user_id=user.id, id=document_id),
        ctx,
    )


class StartBody(BaseModel):
    mode: Literal["text", "coach", "live"] = "text"
    cv_id: str = Field(default="", max_length=64)
    jd_id: str = Field(default="", max_length=64)
    role: str = Field(default="", max_length=120)


@interviews.post(
    "/interviews", status_code=201, response_model=INTERVIEW, response_model_exclude_none=True
)
async def start_interview(
    body: StartBody, request: Request, user: User, services: Clients, ctx: Ctx
) -> dict[str, Any]:
    """Start an interview; the answer carries the first question. Takes one credit
    (a guest's first interview is free): 402 when none is left. Send an
    `Idempotency-Key` header to make a retried start land on the same interview."""
    key = request.headers.get("idempotency-key", "")[:128]
    provider_consent = await services.consented(user.id, "ai_provider", ctx)
    response = await services.call(
        services.sessions.StartInterview,
        sessions_pb2.StartInterviewRequest(
            user_id=user.id,
            guest=user.guest,
            mode=body.mode,
            cv_id=body.cv_id,
            jd_id=body.jd_id,
            role=body.role,
            idempotency_key=key,
            provider_consent=provider_consent,
        ),
        ctx,
        timeout=30,
    )
    return as_json(response.interview)


class PreviewBody(BaseModel):
    cv_id: str = Field(default="", max_length=64)
    jd_id: str = Field(default="", max_length=64)
    role: str = Field(default="", max_length=120)


@interviews.post("/interviews/preview", response_model=PLAN, response_model_exclude_none=True)
async def preview_interview(body: PreviewBody, user: User, services: Clients, ctx: Ctx) -> dict:
    """What an interview for these documents (and/or role) would be planned from — the
    role, occupation family and seniority read, how many questions, what would be
    probed — without starting one or taking a credit, so a misread role can be corrected
    (type it) before starting."""
    response = await services.call(
        services.sessions.PreviewInterview,
        sessions_pb2.PreviewInterviewRequest(
            user_id=user.id, cv_id=body.cv_id, jd_id=body.jd_id, role=body.role
        ),
        ctx,
    )
    return as_json(response.plan)


@interviews.get("/interviews", response_model=INTERVIEWS, response_model_exclude_none=True)
async def list_interviews(user: User, services: Clients, ctx: Ctx) -> dict[str, Any]:
    response = await services.call(
        services.sessions.ListInterviews, sessions_pb2.ListInterviewsRequest(user_id=user.id), ctx
    )
    return {"interviews": [as_json(i) for i in response.interviews]}


@interviews.get(
    "/interviews/{interview_id}", response_model=INTERVIEW, response_model_exclude_none=True
)
async def get_interview(
    interview_id: str, user: User, services: Clients, ctx: Ctx
) -> dict[str, Any]:
    response = await services.call(
        services.sessions.GetInterview,
        sessions_pb2.GetInterviewRequest(user_id=user.id, id=interview_id),
        ctx,
    )
    return as_json(response.interview)


class AnswerBody(BaseModel):
    text: str = Field(min_length=1, max_length=10_000)


ANSWER_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": AnswerBody.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["audio"],
                    "properties": {"audio": {"type": "string", "format": "binary"}},
                }
            },
        },
    }
}


@interviews.post("/interviews/{interview_id}/answers", openapi_extra=ANSWER_DOC)
async def answer(
    interview_id: str, request: Request, user: User, services: Clients, ctx: Ctx
) -> dict[str, Any]:
    """Answer the open question with JSON `{text}` or a recording (multipart `audio`:
    WebM/Opus, OGG or WAV, as MediaRecorder gives it; transcribed, kept 30 days):
    `{transcript, question, follow_up, feedback, done}`. 409 once the interview has
    finished; 415 for any other body type; 429/503 with Retry-After while you (or
    everyone) already have as many recordings being transcribed as the platform takes.
    The same `Idempotency-Key` twice returns the first result."""
    content_type = request.headers.get("content-type", "")
    audio_seconds, audio_id = 0.0, ""
    if content_type.startswith("multipart/form-data"):
        text, audio_seconds, audio_id = await _spoken_answer(
            interview_id, request, user, services, ctx
        )
    elif content_type.startswith("application/json"):
        try:
            text = AnswerBody.model_validate_json(await request.body()).text
        except ValueError:
            raise ApiError(
                400, "invalid_request", "JSON needs `text` (1 to 10,000 characters)"
            ) from None
    else:
        raise ApiError(415, "unsupported_type", "send JSON {text} or multipart `audio`")
    response = await services.call(
        services.sessions.SubmitAnswer,
        sessions_pb2.SubmitAnswerRequest(
            user_id=user.id,
            interview_id=interview_id,
            text=text,
            idempotency_key=request.headers.get("idempotency-key", "")[:128],
            audio_seconds=audio_seconds,
            audio_id=audio_id,
            provider_consent=await services.consented(user.id, "ai_provider", ctx),
        ),
        ctx,
        timeout=30,
    )
    result = as_json(response)
    result["question"] = result["question"] or None
    result["feedback"] = result["feedback"] or None
    return result


async def _spoken_answer(
    interview_id: str, request: Request, user: Any, services: Any, ctx: Any
) -> tuple[str, float, str]:
    """The recording, transcribed, once it is known to be worth it: the interview is the
    user's and still open (checked before the body is even parsed). Transcription stops
    when the browser goes away."""
    found = await services.call(
        services.sessions.GetInterview,
        sessions_pb2.GetInterviewRequest(user_id=user.id, id=interview_id),
        ctx,
    )
    if found.interview.status != "in_progress":
        raise ApiError(409, "interview_finished", "the interview has finished")
    form = await request.form(max_files=1, max_fields=2)
    audio = form.get("audio")
    if audio is None or isinstance(audio, str):
        raise ApiError(400, "invalid_request", "multipart needs an `audio` file")
    data = await audio.read(MAX_AUDIO_BYTES + 1)
    if len(data) > MAX_AUDIO_BYTES:
        raise ApiError(413, "too_large", "the recording is too large")
    if not data:
        raise ApiError(422, "empty_audio", "the recording is empty")
    transcription = services.call(
        services.voice.TranscribeAnswer,
        voice_pb2.TranscribeAnswerRequest(
            user_id=user.id,
            interview_id=interview_id,
            audio=data,
            provider_consent=await services.consented(user.id, "ai_provider", ctx),
            vocabulary=vocabulary_of(found.interview),
        ),
        ctx,
        timeout=60,
    )
    heard = await unless_client_leaves(request, transcription)
    return heard.transcript, heard.seconds, heard.audio_id


def vocabulary_of(interview: Any) -> list[str]:
    """The terms an answer in this interview may use: its role and the skills and
    requirements it probes (the voice service tells its ear to expect them)."""
    plan = interview.plan
    terms = [interview.role, *plan.skills_to_probe, *plan.requirements_to_probe]
    return [t for t in [*terms, *plan.missing_skills] if t][:30]


async def unless_client_leaves(request: Request, call: Awaitable[T]) -> T:
    """Awaits `call`, cancelling it (the gRPC call, and so the service's work) when the
    client disconnects first. The body has been read, so the next ASGI message can only
    be the disconnect (Starlette's `is_disconnected()` cannot see it through
    BaseHTTPMiddleware, so it is awaited here)."""

    async def disconnected() -> None:
        while (await request.receive())["type"] != "http.disconnect":
            pass

    task = asyncio.ensure_future(call)
    watcher = asyncio.ensure_future(disconnected())
    try:
        await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
        if not task.done():
            log.info("client_gone", path="answers")
            raise ApiError(408, "client_gone", "the client went away")
        return task.result()
    finally:
        task.cancel()
        watcher.cancel()


@interviews.post(
    "/interviews/{interview_id}/finish",
    response_model=INTERVIEW,
    response_model_exclude_none=True,
)
async def finish_interview(
    interview_id: str, user: User, services: Clients, ctx: Ctx
) -> dict[str, Any]:
    response = await services.call(
        services.sessions.FinishInterview,
        sessions_pb2.FinishInterviewRequest(
            user_id=user.id,
            id=interview_id,
            provider_consent=await services.consented(user.id, "ai_provider", ctx),
        ),
        ctx,
        timeout=30,
    )
    return as_json(response.interview)


@interviews.get(
    "/interviews/{interview_id}/report", response_model=REPORT, response_model_exclude_none=True
)
async def report(interview_id: str, user: User, services: Clients, ctx: Ctx) -> dict[str, Any]:
    """Scores with evidence; 409 while the interview is still running."""
    response = await services.call(
        services.sessions.GetReport,
        sessions_pb2.GetReportRequest(user_id=user.id, id=interview_id),
        ctx,
    )
    return as_json(response.report)


@interviews.get("/interviews/{interview_id}/replay")
async def replay(
    interview_id: str, request: Request, user: User, services: Clients, ctx: Ctx
) -> dict[str, Any]:
    """Every turn: the question, the answer (or transcript), timings, feedback, and for
    a spoken answer a link to its audio that works for 15 minutes."""
    response = await services.call(
        services.sessions.GetReplay,
        sessions_pb2.GetReplayRequest(user_id=user.id, id=interview_id),
        ctx,
    )
    data = as_json(response.interview)
    spoken = [turn["audio_id"] for turn in data["turns"] if turn["audio_id"]]
    tokens = {}
    if spoken:
        linked = await services.call(
            services.voice.LinkClips,
            voice_pb2.LinkClipsRequest(user_id=user.id, audio_ids=spoken),
            ctx,
        )
        tokens = {link.audio_id: link.token for link in linked.links}
    for turn in data["turns"]:
        token = tokens.get(turn["audio_id"])
        turn["audio_url"] = f"/api/v1/audio/{turn['audio_id']}?token={token}" if token else None
    return data


@interviews.get("/interviews/{interview_id}/question/audio", response_class=Response)
async def question_audio(interview_id: str, user: User, services: Clients, ctx: Ctx) -> Response:
    """The open question, spoken (WAV)."""
    interview = await services.call(
        services.sessions.GetInterview,
        sessions_pb2.GetInterviewRequest(user_id=user.id, id=interview_id),
        ctx,
    )
    if not interview.interview.question:
        raise ApiError(409, "no_open_question", "the interview has no open question")
    spoken = await services.call(
        services.voice.SpeakLine,
        voice_pb2.SpeakLineRequest(
            user_id=user.id,
            interview_id=interview_id,
            text=interview.interview.question,
            provider_consent=await services.consented(user.id, "ai_provider", ctx),
        ),
        ctx,
        timeout=60,
    )
    return Response(spoken.wav, media_type="audio/wav", headers={"Cache-Control": "no-store"})


@interviews.get("/audio/{audio_id}", response_class=Response)
async def audio(
    audio_id: str, services: Clients, ctx: Ctx, token: str = Query(max_length=300)
) -> Response:
    """A clip behind a replay's short-lived link (no cookie needed, like a presigned URL;
    the voice service, which keeps the clips, signs and checks the links)."""
    if not LINK_TOKEN.fullmatch(token):  # malformed: refused before any call
        raise ApiError(401, "link_expired", "the audio link is invalid or has expired")
    clip = await services.call(
        services.voice.GetLinkedClip,
        voice_pb2.GetLinkedClipRequest(audio_id=audio_id, token=token),
        ctx,
    )
    return Response(clip.audio, media_type=clip.content_type, headers={"Cache-Control": "no-store"})
