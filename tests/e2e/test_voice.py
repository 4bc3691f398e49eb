"""Spoken answers over HTTP on the whole platform: a recording as Chrome makes it
(WebM/Opus, of speech generated with the Piper voice), transcribed by the embedded
faster-whisper, goes into the interview like a typed answer; the interviewer's line is
spoken; the replay links to the audio for a short while."""

from __future__ import annotations

import uuid

import httpx

from tests.e2e.conftest import paying_user
from tests.speech import encode, spoken, word_error_rate

ANSWER = (
    "At my last company I led the move of our payment service to Kubernetes. I wrote the "
    "deployment pipeline myself and as a result our releases became much faster and safer."
)
# Whisper tiny.en on clean synthetic speech measured 0.00 to 0.04 on answers like this;
# 0.15 leaves room for a misheard word or two without letting a garbled transcript pass.
WER_BOUND = 0.15


def candidate(api: httpx.Client, stack) -> httpx.Client:  # type: ignore[no-untyped-def]
    return paying_user(api, stack, "speaker")


def test_a_spoken_answer_is_transcribed_into_the_interview_and_replayed(api, stack):
    user = candidate(api, stack)
    interview = user.post("/api/v1/interviews", json={"mode": "coach", "role": "Engineer"}).json()
    samples, rate = spoken(ANSWER)
    recording = encode(samples, rate, "webm")
    answered = user.post(
        f"/api/v1/interviews/{interview['id']}/answers",
        files={"audio": ("answer.webm", recording, "audio/webm")},
        timeout=60,
    )
    assert answered.status_code == 200, answered.text
    result = answered.json()
    error_rate = word_error_rate(ANSWER, result["transcript"])
    print(f"WER {error_rate:.3f}: {result['transcript']!r}")
    assert error_rate <= WER_BOUND
    assert result["question"] and result["feedback"]  # coach mode: a tip on the spoken answer

    replay = user.get(f"/api/v1/interviews/{interview['id']}/replay").json()
    first = replay["turns"][0]
    assert first["audio_seconds"] > 5 and first["audio_url"]
    clip = api.get(first["audio_url"])  # no cookie needed: the link itself is the key
    assert clip.status_code == 200 and clip.content == recording
    assert api.get(first["audio_url"].replace("token=", "token=x")).status_code == 401
    stranger = candidate(api, stack)
    assert stranger.get(f"/api/v1/interviews/{interview['id']}/replay").status_code == 404

    report = user.post(f"/api/v1/interviews/{interview['id']}/finish")
    assert report.status_code == 200
    delivery = user.get(f"/api/v1/interviews/{interview['id']}/report").json()["delivery"]
    assert delivery["spoken_answers"] == 1 and 80 < delivery["words_per_minute"] < 250


def test_the_interviewer_speaks_its_question(api, stack):
    user = candidate(api, stack)
    interview = user.post("/api/v1/interviews", json={"mode": "live", "role": "Engineer"}).json()
    audio = user.get(f"/api/v1/interviews/{interview['id']}/question/audio", timeout=60)
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/wav"
    assert audio.content[:4] == b"RIFF" and len(audio.content) > 20_000
    again = user.get(f"/api/v1/interviews/{interview['id']}/question/audio", timeout=60)
    assert again.content == audio.content  # stored once, served again


def test_bad_recordings_get_clear_4xx(api, stack):
    user = candidate(api, stack)
    interview = user.post("/api/v1/interviews", json={"role": "Engineer"}).json()
    url = f"/api/v1/interviews/{interview['id']}/answers"

    def send(data: bytes) -> httpx.Response:
        return user.post(url, files={"audio": ("a.webm", data, "audio/webm")}, timeout=60)

    silence = encode(spoken("quiet")[0] * 0, 22050, "ogg")
    cases = {
        "corrupt": (send(b"\x1aE\xdf\xa3" + b"garbage" * 100), 422, "corrupt_audio"),
        "silent": (send(silence), 422, "silent_audio"),
        "empty": (send(b""), 422, "empty_audio"),
        "too big": (send(b"\0" * (10 * 1024 * 1024 + 1)), 413, "too_large"),
    }
    for what, (response, status, code) in cases.items():
        assert response.status_code == status, (what, response.text)
        assert response.json()["error"]["code"] == code, what
    assert user.get(f"/api/v1/interviews/{interview['id']}").json()["questions_asked"] == 1


def test_a_line_streams_sentence_by_sentence_and_is_stored_once(stack):
    """The voice service's StreamLine over real gRPC: one chunk per sentence as Piper
    makes it; the finished line is stored like SpeakLine's, so either call then serves
    it from the store; a refusal is a status before any audio, not a broken stream."""
    import grpc

    from mocky.platform import service_auth
    from mocky.voice.v1 import voice_pb2, voice_pb2_grpc

    gateway = [(service_auth.HEADER, service_auth.local_tokens(stack.data_dir)["gateway"])]

    line = "Thank you. Tell me about a project you led. What was the hardest part of it?"
    user_id = f"stream-{uuid.uuid4().hex[:8]}"
    request = voice_pb2.StreamLineRequest(user_id=user_id, interview_id="iv-1", text=line)
    unary = voice_pb2.SpeakLineRequest(user_id=user_id, interview_id="iv-1", text=line)
    target = f"127.0.0.1:{stack.env['MOCKY_VOICE_GRPC_PORT']}"
    with grpc.insecure_channel(target) as channel:
        voice = voice_pb2_grpc.VoiceServiceStub(channel)
        chunks = list(voice.StreamLine(request, timeout=60, metadata=gateway))
        assert len(chunks) == 3 and not any(c.cached for c in chunks)  # three sentences
        rate = chunks[0].sample_rate
        streamed = b"".join(c.pcm16 for c in chunks)
        assert len(streamed) / 2 / rate > 3  # seconds of speech

        whole = voice.SpeakLine(unary, timeout=60, metadata=gateway)
        assert whole.cached and whole.audio_id == chunks[0].audio_id
        import io
        import wave

        with wave.open(io.BytesIO(whole.wav)) as wav:
            assert wav.getframerate() == rate and wav.readframes(wav.getnframes()) == streamed
        again = list(voice.StreamLine(request, timeout=60, metadata=gateway))
        assert len(again) == 1 and again[0].cached and again[0].pcm16 == streamed

        # Links to clips are signed by the voice service, only for the clips' owner.
        audio_id = whole.audio_id
        mine = voice.LinkClips(
            voice_pb2.LinkClipsRequest(user_id=user_id, audio_ids=[audio_id, "not-a-clip"]),
            timeout=10,
            metadata=gateway,
        )
        assert [link.audio_id for link in mine.links] == [audio_id]
        theirs = voice.LinkClips(
            voice_pb2.LinkClipsRequest(user_id="someone-else", audio_ids=[audio_id]),
            timeout=10,
            metadata=gateway,
        )
        assert not theirs.links
        token = mine.links[0].token
        linked = voice.GetLinkedClip(
            voice_pb2.GetLinkedClipRequest(audio_id=audio_id, token=token),
            timeout=10,
            metadata=gateway,
        )
        assert linked.audio == whole.wav
        try:
            voice.GetLinkedClip(
                voice_pb2.GetLinkedClipRequest(audio_id="another-clip", token=token),
                timeout=10,
                metadata=gateway,
            )
            raise AssertionError("a link opened another clip")
        except grpc.RpcError as refused:
            assert refused.code() == grpc.StatusCode.UNAUTHENTICATED

        empty = voice_pb2.StreamLineRequest(user_id=user_id, interview_id="iv-1", text="  ")
        try:
            list(voice.StreamLine(empty, timeout=10, metadata=gateway))
        except grpc.RpcError as refused:
            assert refused.code() == grpc.StatusCode.INVALID_ARGUMENT
            assert "invalid_text" in refused.details()
        else:
            raise AssertionError("an empty line was not refused")
