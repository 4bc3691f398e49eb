"""Voice service entrypoints: spoken answers transcribed, interviewer lines spoken,
clips stored (encrypted, 30 days) for replay, and the privacy hooks."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import numpy as np
import structlog

from mocky.events.v1 import events_pb2
from mocky.platform.audio import SAMPLE_RATE, pcm16_of_wav, wav_bytes, wav_pcm16
from mocky.platform.blobs import Blobs
from mocky.platform.data_map import DataOwnerHooks, PersonalData
from mocky.platform.errors import InvalidArgument, NotFound, RateLimited, Unauthenticated
from mocky.platform.events import OutboxRelay, event_handler, outbox_entry
from mocky.platform.grpc import LogContext, PlatformEntrypoints, rpc
from mocky.platform.links import LinkSigner
from mocky.platform.metrics import EntrypointMetrics
from mocky.platform.mongo import MongoRepository
from mocky.platform.settings import get_settings
from mocky.voice.v1 import voice_pb2, voice_pb2_grpc
from services.voice import events
from services.voice.audio import decode
from services.voice.dependencies import Engines, Slots
from services.voice.domain import Clip, ClipKind, line_of, recording_type
from services.voice.engines import Stopped, Transcript
from services.voice.messages import heard_answer, spoken_line
from services.voice.repository import CLIPS, DATA_MAP, VoiceRepository
from services.voice.slots import CallerGone

log = structlog.get_logger(__name__)
CLIP_LINK_SECONDS = 15 * 60  # a replay's audio links
MAX_LINKS = 200  # per call: an interview has far fewer spoken answers


def clip_links() -> LinkSigner:
    return LinkSigner(get_settings().link_secret, "audio")


Stub = voice_pb2_grpc.VoiceServiceStub


SLOT_WAIT_SECONDS = 20
SYNTHESIS_RETRY_SECONDS = 2
MAX_TRANSCRIPT_CHARS = 10_000  # an answer's limit in the sessions service


class VoiceService(PlatformEntrypoints, DataOwnerHooks):
    name = "voice"
    reflected_services = ("mocky.voice.v1.VoiceService", "mocky.privacy.v1.DataOwnerService")

    repo = MongoRepository(VoiceRepository)
    personal_data = PersonalData(DATA_MAP)
    blobs = Blobs()
    outbox = OutboxRelay([CLIPS])
    entrypoint_metrics = EntrypointMetrics()
    log_context = LogContext()
    engines = Engines()
    transcriptions = Slots("transcription")
    syntheses = Slots("synthesis")

    @rpc(Stub)
    def TranscribeAnswer(
        self, request: voice_pb2.TranscribeAnswerRequest, context: Any
    ) -> voice_pb2.TranscribeAnswerResponse:
        if request.transcript:  # heard already (HearTurn, while the user paused)
            if len(request.transcript) > MAX_TRANSCRIPT_CHARS:
                raise InvalidArgument("the transcript is too long", code="answer_too_long")
            decoded = decode(request.audio)  # still checked: it is stored and replayed
            ear = self.engines.speech_to_text(request.provider_consent, request.live)
            transcript = Transcript(request.transcript.strip(), ear.name)
        else:
            decoded, transcript = self._hear(request, context, request.live, request.user_id)
        if not transcript.text:
            raise InvalidArgument("no words were heard in the recording", code="silent_audio")
        clip = Clip.new(
            uuid.uuid4().hex,
            request.user_id,
            request.interview_id,
            ClipKind.ANSWER,
            recording_type(decoded.container),
            decoded.seconds,
            self.clock.now(),
        )
        self._store(clip, request.audio)
        log.info("answer_transcribed", seconds=round(decoded.seconds, 2), engine=transcript.engine)
        return heard_answer(clip, transcript)

    @rpc(Stub)
    def HearTurn(
        self, request: voice_pb2.HearTurnRequest, context: Any
    ) -> voice_pb2.HearTurnResponse:
        # A slot of its own per user: a guess being given up must not hold up the answer.
        _, transcript = self._hear(request, context, True, f"{request.user_id}:guess")
        return voice_pb2.HearTurnResponse(transcript=transcript.text, engine=transcript.engine)

    def _hear(
        self, request: Any, context: Any, live: bool, slot_key: str
    ) -> tuple[Any, Transcript]:
        """A recording decoded and transcribed within this process's slots."""

        def gone() -> bool:  # the caller cancelled, or its deadline passed
            return bool(context.response_stream.closed)

        with self.transcriptions.slot(slot_key, gone, SLOT_WAIT_SECONDS):
            decoded = decode(request.audio)
            ear = self.engines.speech_to_text(
                request.provider_consent, live, list(request.vocabulary)
            )
            try:
                return decoded, ear.transcribe(decoded.samples, gone)
            except Stopped:
                log.info("transcription_abandoned", seconds=round(decoded.seconds, 2))
                raise CallerGone("the caller stopped waiting") from None

    @rpc(Stub)
    def SpeakLine(
        self, request: voice_pb2.SpeakLineRequest, context: Any
    ) -> voice_pb2.SpeakLineResponse:
        text, digest = line_of(request.text, request.user_id)
        cached = self._stored_line(request.user_id, digest)
        if cached is not None:
            wav, existing = cached
            return spoken_line(existing, wav, cached=True)
        with self.syntheses.slot(request.user_id, wait_seconds=SLOT_WAIT_SECONDS):
            speech = self.engines.text_to_speech(request.provider_consent).speak(text)
        clip = self._store_line(request, digest, speech.wav, speech.seconds, speech.engine)
        return spoken_line(clip, speech.wav, cached=False)

    @rpc(Stub)
    def StreamLine(
        self, request: voice_pb2.StreamLineRequest, context: Any
    ) -> Iterator[voice_pb2.StreamLineResponse]:
        # Checked before the generator starts: a refusal is a status, not a broken stream.
        text, digest = line_of(request.text, request.user_id)
        cached = self._stored_line(request.user_id, digest)
        if cached is not None:
            wav, existing = cached
            rate, pcm = pcm16_of_wav(wav)
            chunk = voice_pb2.StreamLineResponse(
                pcm16=pcm, sample_rate=rate, audio_id=digest, engine=existing.engine, cached=True
            )
            return iter([chunk])
        if self.syntheses.full:  # refused before the stream starts: a status, not a break
            raise RateLimited(SYNTHESIS_RETRY_SECONDS, "synthesis is busy; try again", code="busy")
        return self._stream_new_line(request, text, digest)

    def _stream_new_line(self, request: Any, text: str, digest: str) -> Iterator[Any]:
        engine = self.engines.text_to_speech(request.provider_consent)
        parts, rate = [], SAMPLE_RATE
        with self.syntheses.slot(request.user_id, wait_seconds=SLOT_WAIT_SECONDS):
            for samples, rate in engine.sentences(text):
                pcm = wav_pcm16(samples)
                parts.append(pcm)
                yield voice_pb2.StreamLineResponse(
                    pcm16=pcm, sample_rate=rate, audio_id=digest, engine=engine.name
                )
        whole = b"".join(parts)
        wav = wav_bytes(np.frombuffer(whole, dtype=np.int16), rate)
        self._store_line(request, digest, wav, len(whole) / 2 / rate, engine.name)

    def _stored_line(self, user_id: str, digest: str) -> tuple[bytes, Clip] | None:
        """One clip per user and line: the same question again comes from the store."""
        existing = self.repo.clip(user_id, digest)
        if existing is None:
            return None
        try:
            return self.blobs.get(existing.blob_key), existing
        except KeyError:
            self.repo.delete_clip(digest)  # the file went (retention): make it again
            return None

    def _store_line(
        self, request: Any, digest: str, wav: bytes, seconds: float, engine: str
    ) -> Clip:
        clip = Clip.new(
            digest,
            request.user_id,
            request.interview_id,
            ClipKind.LINE,
            "audio/wav",
            seconds,
            self.clock.now(),
            engine,
        )
        self._store(clip, wav)
        return clip

    def _store(self, clip: Clip, data: bytes) -> None:
        self.blobs.put(clip.blob_key, data, clip.content_type)
        event = events.audio_stored(
            clip.id,
            clip.user_id,
            clip.kind.value,
            clip.blob_key,
            clip.seconds,
            clip.created_at,
            self.clock,
        )
        if self.repo.add_clip(clip, outbox_entry(event)):
            self.outbox.flush_or_defer(CLIPS, clip.id)

    @rpc(Stub)
    def GetClip(self, request: voice_pb2.GetClipRequest, context: Any) -> voice_pb2.GetClipResponse:
        data, content_type = self._clip(request.user_id, request.audio_id)
        return voice_pb2.GetClipResponse(audio=data, content_type=content_type)

    def _clip(self, user_id: str, audio_id: str) -> tuple[bytes, str]:
        clip = self.repo.clip(user_id, audio_id)
        if clip is None:
            raise NotFound("no such audio (it is kept 30 days)")
        try:
            return self.blobs.get(clip.blob_key), clip.content_type
        except KeyError:
            raise NotFound("no such audio (it is kept 30 days)") from None

    @rpc(Stub)
    def LinkClips(
        self, request: voice_pb2.LinkClipsRequest, context: Any
    ) -> voice_pb2.LinkClipsResponse:
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
    def GetLinkedClip(
        self, request: voice_pb2.GetLinkedClipRequest, context: Any
    ) -> voice_pb2.GetLinkedClipResponse:
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
