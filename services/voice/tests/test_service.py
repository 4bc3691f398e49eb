"""VoiceService entrypoints with nameko's worker_factory, the in-memory store, an
in-memory blob store and scripted engines: what is heard is stored once and owned,
lines are synthesised once per user and text, links open only their own clip."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from nameko.testing.services import worker_factory

from mocky.events.v1 import events_pb2
from mocky.platform.audio import wav_bytes
from mocky.platform.clock import Clock
from mocky.platform.errors import InvalidArgument, NotFound, RateLimited, Unauthenticated
from mocky.platform.events import from_wire
from mocky.voice.v1 import voice_pb2
from services.voice.service import CLIP_LINK_SECONDS, VoiceService
from services.voice.slots import WorkSlots
from services.voice.tests.fakes import FakeEngines, InMemoryVoiceStore, ScriptedStt, ToneTts
from tests.fakes.blobs import MemoryBlobStore

CALLER = SimpleNamespace(response_stream=SimpleNamespace(closed=False))


def recording(seconds: float = 1.0) -> bytes:
    rng = np.random.default_rng(7)
    return wav_bytes(rng.uniform(-0.3, 0.3, int(16000 * seconds)).astype(np.float32), 16000)


@pytest.fixture
def voice():  # type: ignore[no-untyped-def]
    return worker_factory(
        VoiceService,
        repo=InMemoryVoiceStore(),
        blobs=MemoryBlobStore(),
        clock=Clock(),
        engines=FakeEngines(ScriptedStt("I led the migration to Kafka."), ToneTts()),
        transcriptions=WorkSlots("transcription", 2, 4, one_per_user=True),
        syntheses=WorkSlots("synthesis", 1, 1),
    )


def transcribe(voice, user_id: str = "u-1", consent: bool = False):  # type: ignore[no-untyped-def]
    request = voice_pb2.TranscribeAnswerRequest(
        user_id=user_id, interview_id="iv-1", audio=recording(), provider_consent=consent
    )
    return voice.TranscribeAnswer(request, CALLER)


def test_a_recorded_answer_is_transcribed_stored_and_announced(voice):
    answer = transcribe(voice)
    assert answer.transcript == "I led the migration to Kafka."
    assert abs(answer.seconds - 1.0) < 0.05
    clip = voice.repo.clip("u-1", answer.audio_id)
    assert (clip.kind.value, clip.content_type) == ("answer", "audio/wav")
    assert voice.blobs.get(clip.blob_key) == recording()
    [event] = voice.repo.events
    stored = from_wire(events_pb2.AudioStored, event["payload"])
    assert stored.record.category == "audio" and list(stored.record.blob_keys) == [clip.blob_key]


def test_the_provider_is_asked_for_only_with_consent(voice):
    transcribe(voice, consent=False)
    transcribe(voice, consent=True)
    assert voice.engines.consents == [False, True]


def test_a_recording_in_which_nothing_was_heard_is_refused_and_not_kept(voice):
    voice.engines.stt.heard = ""
    with pytest.raises(InvalidArgument, match="no words"):
        transcribe(voice)
    assert voice.repo.clips == {} and voice.blobs.objects == {}


def test_a_recording_that_is_not_audio_is_refused_before_transcription(voice):
    request = voice_pb2.TranscribeAnswerRequest(user_id="u-1", audio=b"RIFF not really")
    with pytest.raises(InvalidArgument):
        voice.TranscribeAnswer(request, CALLER)
    assert voice.engines.stt.calls == 0


def test_a_line_is_synthesised_once_per_user_and_text(voice):
    line = voice_pb2.SpeakLineRequest(user_id="u-1", interview_id="iv-1", text="Hello. Welcome.")
    first = voice.SpeakLine(line, None)
    again = voice.SpeakLine(line, None)
    assert not first.cached and again.cached and again.audio_id == first.audio_id
    assert again.wav == first.wav and abs(first.seconds - 0.5) < 0.01
    assert voice.engines.tts.spoken == ["Hello. Welcome."]
    other = voice.SpeakLine(voice_pb2.SpeakLineRequest(user_id="u-2", text="Hello. Welcome."), None)
    assert other.audio_id != first.audio_id  # clips are per user


def test_a_streamed_line_comes_sentence_by_sentence_and_is_kept_whole(voice):
    request = voice_pb2.StreamLineRequest(user_id="u-1", text="One. Two. Three.")
    chunks = list(voice.StreamLine(request, None))
    assert len(chunks) == 3 and all(c.sample_rate == 16000 for c in chunks)
    clip = voice.repo.clip("u-1", chunks[0].audio_id)
    assert abs(clip.seconds - 0.75) < 0.01
    [cached] = list(voice.StreamLine(request, None))
    assert cached.cached and len(cached.pcm16) == sum(len(c.pcm16) for c in chunks)


def test_a_line_whose_audio_went_is_made_again(voice):
    line = voice_pb2.SpeakLineRequest(user_id="u-1", text="Tell me about yourself.")
    first = voice.SpeakLine(line, None)
    voice.blobs.delete_many(voice.blobs.list_keys())
    assert not voice.SpeakLine(line, None).cached
    assert voice.SpeakLine(line, None).audio_id == first.audio_id


@pytest.mark.parametrize("text", ["", "   ", "x" * 1001])
def test_an_empty_or_overlong_line_is_refused(voice, text):
    with pytest.raises(InvalidArgument):
        voice.SpeakLine(voice_pb2.SpeakLineRequest(user_id="u-1", text=text), None)
    assert voice.engines.tts.spoken == []


def test_a_clip_is_only_its_owners(voice):
    answer = transcribe(voice, "u-1")
    mine = voice.GetClip(voice_pb2.GetClipRequest(user_id="u-1", audio_id=answer.audio_id), None)
    assert mine.audio == recording() and mine.content_type == "audio/wav"
    with pytest.raises(NotFound):
        voice.GetClip(voice_pb2.GetClipRequest(user_id="u-2", audio_id=answer.audio_id), None)


def test_links_are_made_only_for_own_clips_and_expire(voice):
    answer = transcribe(voice, "u-1")
    links = voice.LinkClips(
        voice_pb2.LinkClipsRequest(user_id="u-1", audio_ids=[answer.audio_id, "someone-elses"]),
        None,
    ).links
    assert [link.audio_id for link in links] == [answer.audio_id]
    opened = voice_pb2.GetLinkedClipRequest(audio_id=answer.audio_id, token=links[0].token)
    assert voice.GetLinkedClip(opened, None).audio == recording()
    voice.clock.advance(CLIP_LINK_SECONDS + 1)
    with pytest.raises(Unauthenticated):
        voice.GetLinkedClip(opened, None)


def test_a_merged_guests_audio_moves_to_the_account(voice):
    event = events_pb2.GuestUpgraded(guest_user_id="g-1", user_id="u-1", merged=True)
    voice.adopt_guest_audio(event)
    voice.personal_data.move.assert_called_once_with("g-1", "u-1")
    voice.personal_data.move.reset_mock()
    voice.adopt_guest_audio(events_pb2.GuestUpgraded(guest_user_id="u-1", user_id="u-1"))
    voice.personal_data.move.assert_not_called()


def test_a_live_turn_asks_for_the_fast_ear_and_a_recording_for_the_careful_one(voice):
    transcribe(voice)
    live = voice_pb2.TranscribeAnswerRequest(
        user_id="u-1", interview_id="iv-1", audio=recording(), live=True
    )
    voice.TranscribeAnswer(live, CALLER)
    assert voice.engines.live == [False, True]


def test_the_interviews_terms_reach_the_ear(voice):
    request = voice_pb2.TranscribeAnswerRequest(
        user_id="u-1", interview_id="iv-1", audio=recording(), vocabulary=["NEWS2", "triage"]
    )
    voice.TranscribeAnswer(request, CALLER)
    assert voice.engines.vocabularies == [["NEWS2", "triage"]]


def test_a_full_synthesis_queue_refuses_new_lines_with_retry_after_but_serves_stored_ones(voice):
    stored = voice_pb2.SpeakLineRequest(user_id="u-1", text="Welcome back.")
    voice.SpeakLine(stored, None)
    voice.syntheses.admitted = voice.syntheses.capacity  # every slot taken
    with pytest.raises(RateLimited) as refused:
        voice.SpeakLine(voice_pb2.SpeakLineRequest(user_id="u-1", text="A new line."), None)
    assert refused.value.code == "busy" and refused.value.retry_after_seconds > 0
    with pytest.raises(RateLimited):
        voice.StreamLine(voice_pb2.StreamLineRequest(user_id="u-1", text="Another."), None)
    assert voice.SpeakLine(stored, None).cached  # what is stored needs no synthesis


def test_hearing_a_turn_stores_nothing_and_its_transcript_is_kept_without_hearing_again(voice):
    guess = voice.HearTurn(
        voice_pb2.HearTurnRequest(user_id="u-1", audio=recording(), vocabulary=["Kafka"]), CALLER
    )
    assert guess.transcript == "I led the migration to Kafka."
    assert voice.repo.clips == {} and voice.blobs.objects == {} and voice.repo.events == []
    assert voice.engines.live == [True] and voice.engines.vocabularies == [["Kafka"]]
    kept = voice_pb2.TranscribeAnswerRequest(
        user_id="u-1",
        interview_id="iv-1",
        audio=recording(),
        live=True,
        transcript=guess.transcript,
    )
    answer = voice.TranscribeAnswer(kept, CALLER)
    assert answer.transcript == guess.transcript and voice.engines.stt.calls == 1
    assert voice.repo.clip("u-1", answer.audio_id) is not None


def test_a_transcript_given_with_audio_that_is_not_audio_is_refused(voice):
    request = voice_pb2.TranscribeAnswerRequest(
        user_id="u-1", interview_id="iv-1", audio=b"not audio", transcript="Anything."
    )
    with pytest.raises(InvalidArgument):
        voice.TranscribeAnswer(request, CALLER)
    too_long = voice_pb2.TranscribeAnswerRequest(
        user_id="u-1", interview_id="iv-1", audio=recording(), transcript="x" * 10_001
    )
    with pytest.raises(InvalidArgument):
        voice.TranscribeAnswer(too_long, CALLER)
    assert voice.repo.clips == {}
