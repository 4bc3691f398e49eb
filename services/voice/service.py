"""Voice service entrypoints: spoken answers transcribed, interviewer lines spoken,
clips stored (encrypted, 30 days) for replay, and the privacy hooks."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Iterator
from typing import Any

import numpy as np
import structlog
from eventlet import tpool
from nameko.extensions import DependencyProvider

from mocky.events.v1 import events_pb2
from mocky.platform.audio import SAMPLE_RATE, pcm16_of_wav, wav_bytes, wav_pcm16
from mocky.platform.blobs import Blobs
from mocky.platform.data_map import DataOwnerHooks, PersonalData
from mocky.platform.errors import InvalidArgument, NotFound, Unauthenticated
from mocky.platform.events import OutboxRelay, event_handler, outbox_entry
from mocky.platform.grpc import LogContext, PlatformEntrypoints, rpc
from mocky.platform.links import LinkSigner
from mocky.platform.metrics import EntrypointMetrics
from mocky.platform.mongo import MongoRepository
from mocky.platform.settings import get_settings
from mocky.voice.v1 import voice_pb2, voice_pb2_grpc
from services.voice import events
from services.voice.audio import decode
from services.voice.engines import Stopped, run_native_work_with, warm_up
from services.voice.providers import speech_to_text, text_to_speech
from services.voice.repository import CLIPS, DATA_MAP, VoiceRepository
from services.voice.slots import CallerGone, TranscriptionSlots

log = structlog.get_logger(__name__)
CLIP_LINK_SECONDS = 15 * 60  # a replay's audio links
MAX_LINKS = 200  # per call: an interview has far fewer spoken answers


def clip_links() -> LinkSigner:
    return LinkSigner(get_settings().link_secret, "audio")


Stub = voice_pb2_grpc.VoiceServiceStub
MAX_LINE_CHARS = 1000


class SpeechEngines(DependencyProvider):
    """Native model work runs in OS threads (one user's transcription must not stop the
    process serving everyone else), and the models load and run once before the
    service serves."""

    def setup(self) -> None:
        started = time.perf_counter()
        warm_up()  # on this thread: the models' locks are eventlet's
        log.info("speech_engines_warm", seconds=round(time.perf_counter() - started, 2))
        run_native_work_with(tpool.execute)

    def stop(self) -> None:
        run_native_work_with(None)


class Transcriptions(DependencyProvider):
    """This process's transcription slots (see `slots`), sized by configuration."""

    def setup(self) -> None:
        settings = get_settings()
        self.slots = TranscriptionSlots(settings.stt_max_concurrent, settings.stt_max_waiting)

    def get_dependency(self, worker_ctx: Any) -> TranscriptionSlots:
        return self.slots


SLOT_WAIT_SECONDS = 20


class VoiceService(PlatformEntrypoints, DataOwnerHooks):
    name = "voice"
    reflected_services = ("mocky.voice.v1.VoiceService", "mocky.privacy.v1.DataOwnerService")

    repo = MongoRepository(VoiceRepository)
    personal_data = PersonalData(DATA_MAP)
    blobs = Blobs()
    outbox = OutboxRelay([CLIPS])
    entrypoint_metrics = EntrypointMetrics()
    log_context = LogContext()
    engines = SpeechEngines()
    transcriptions = Transcriptions()

    @rpc(Stub)
    def TranscribeAnswer(self, request: Any, context: Any) -> Any:
        def gone() -> bool:  # the caller cancelled, or its deadline passed
            return bool(context.response_stream.closed)

        with self.transcriptions.slot(request.user_id, gone, SLOT_WAIT_SECONDS):
            decoded = decode(request.audio)
            try:
                transcript = speech_to_text(request.provider_consent).transcribe(
                    decoded.samples, gone
                )
            except Stopped:
                log.info("transcription_abandoned", seconds=round(decoded.seconds, 2))
                raise CallerGone("the caller stopped waiting") from None
        if not transcript.text:
            raise InvalidArgument("no words were heard in the recording", code="silent_audio")
        audio_id = uuid.uuid4().hex
        self._store(
            request.user_id,
            request.interview_id,
            audio_id,
            "answer",
            request.audio,
            "audio/webm"
            if "webm" in decoded.container
            else "audio/ogg"
            if "ogg" in decoded.container
            else "audio/wav",
            decoded.seconds,
        )
        log.info("answer_transcribed", seconds=round(decoded.seconds, 2), engine=transcript.engine)
        return voice_pb2.TranscribeAnswerResponse(
            audio_id=audio_id,
            transcript=transcript.text,
            seconds=decoded.seconds,
            engine=transcript.engine,
        )

    @rpc(Stub)
    def SpeakLine(self, request: Any, context: Any) -> Any:
        text, digest = line_of(request)
        cached = self._stored_line(request.user_id, digest)
        if cached is not None:
            wav, existing = cached
            return voice_pb2.SpeakLineResponse(
                audio_id=digest,
                wav=wav,
                seconds=existing["seconds"],
                engine=existing.get("engine", ""),
                cached=True,
            )
        speech = text_to_speech(request.provider_consent).speak(text)
        self._store_line(request, digest, speech.wav, speech.seconds, speech.engine)
        return voice_pb2.SpeakLineResponse(
            audio_id=digest, wav=speech.wav, seconds=speech.seconds, engine=speech.engine
        )

    @rpc(Stub)
    def StreamLine(self, request: Any, context: Any) -> Any:
        # Checked before the generator starts: a refusal is a status, not a broken stream.
        text, digest = line_of(request)
        cached = self._stored_line(request.user_id, digest)
        if cached is not None:
            wav, existing = cached
            rate, pcm = pcm16_of_wav(wav)
            chunk = voice_pb2.StreamLineResponse(
                pcm16=pcm,
                sample_rate=rate,
                audio_id=digest,
                engine=existing.get("engine", ""),
                cached=True,
            )
            return iter([chunk])
        return self._stream_new_line(request, text, digest)

    def _stream_new_line(self, request: Any, text: str, digest: str) -> Iterator[Any]:
        engine = text_to_speech(request.provider_consent)
        parts, rate = [], SAMPLE_RATE
        for samples, rate in engine.sentences(text):
            pcm = wav_pcm16(samples)
            parts.append(pcm)
            yield voice_pb2.StreamLineResponse(
                pcm16=pcm, sample_rate=rate, audio_id=digest, engine=engine.name
            )
        whole = b"".join(parts)
        wav = wav_bytes(np.frombuffer(whole, dtype=np.int16), rate)
        self._store_line(request, digest, wav, len(whole) / 2 / rate, engine.name)

    def _stored_line(self, user_id: str, digest: str) -> tuple[bytes, dict] | None:
        """One clip per user and line: the same question again comes from the store."""
        existing = self.repo.clip(user_id, digest)
        if existing is None:
            return None
        try:
            return self.blobs.get(existing["blob_key"]), existing
        except KeyError:
            self.repo.delete_clip(digest)  # the file went (retention): make it again
            return None

    def _store_line(
        self, request: Any, digest: str, wav: bytes, seconds: float, engine: str
    ) -> None:
        self._store(
            request.user_id, request.interview_id, digest, "line", wav, "audio/wav", seconds, engine
        )

    def _store(
        self,
        user_id: str,
        interview_id: str,
        audio_id: str,
        kind: str,
        data: bytes,
        content_type: str,
        seconds: float,
        engine: str = "",
    ) -> None:
        blob_key = f"voice/{kind}s/{user_id}/{audio_id}"
        self.blobs.put(blob_key, data, content_type)
        now = self.clock.now()
        event = events.audio_stored(audio_id, user_id, kind, blob_key, seconds, now, self.clock)
        if self.repo.add_clip(
            {
                "_id": audio_id,
                "user_id": user_id,
                "interview_id": interview_id,
                "kind": kind,
                "blob_key": blob_key,
                "content_type": content_type,
                "seconds": seconds,
                "engine": engine,
                "created_at": now,
            },
            outbox_entry(event),
        ):
            self.outbox.flush_or_defer(CLIPS, audio_id)

    @rpc(Stub)
    def GetClip(self, request: Any, context: Any) -> Any:
        data, content_type = self._clip(request.user_id, request.audio_id)
        return voice_pb2.GetClipResponse(audio=data, content_type=content_type)

    def _clip(self, user_id: str, audio_id: str) -> tuple[bytes, str]:
        clip = self.repo.clip(user_id, audio_id)
        if clip is None:
            raise NotFound("no such audio (it is kept 30 days)")
        try:
            return self.blobs.get(clip["blob_key"]), clip["content_type"]
        except KeyError:
            raise NotFound("no such audio (it is kept 30 days)") from None

    @rpc(Stub)
    def LinkClips(self, request: Any, context: Any) -> Any:
        expires = self.clock.time() + CLIP_LINK_SECONDS
        wanted = list(dict.fromkeys(request.audio_ids))[:MAX_LINKS]
        return voice_pb2.LinkClipsResponse(
            links=[
                voice_pb2.ClipLink(
                    audio_id=audio_id, token=clip_links().token(request.user_id, audio_id, expires)
                )
                for audio_id in wanted
                if self.repo.clip(request.user_id, audio_id) is not None
            ]
        )

    @rpc(Stub)
    def GetLinkedClip(self, request: Any, context: Any) -> Any:
        user_id = clip_links().subject(request.audio_id, request.token, self.clock.time())
        if user_id is None:
            raise Unauthenticated("the audio link is invalid or has expired", code="link_expired")
        data, content_type = self._clip(user_id, request.audio_id)
        return voice_pb2.GetLinkedClipResponse(audio=data, content_type=content_type)

    # -- account events ----------------------------------------------------------------

    @event_handler("auth", "guest_upgraded", events_pb2.GuestUpgraded)
    def adopt_guest_audio(self, event: Any) -> None:
        """A guest who signed in to an existing account keeps their recordings: replay,
        export and erasure find them under the account."""
        if event.merged:
            moved = self.personal_data.move(event.guest_user_id, event.user_id)
            log.info("guest_audio_adopted", clips=moved)


def line_of(request: Any) -> tuple[str, str]:
    """The line's text and its clip id (per user and text)."""
    text = request.text.strip()
    if not text or len(text) > MAX_LINE_CHARS:
        raise InvalidArgument("a line is 1 to 1000 characters", code="invalid_text")
    return text, hashlib.sha256(f"{request.user_id}\x00{text}".encode()).hexdigest()[:32]
