"""Voice-activity and end-of-turn detection on 16 kHz PCM16 audio (WebRTC's VAD): the
user started speaking (after a few voiced frames, so a click is not speech), and the
user's turn ended (after a stretch of silence following speech). Pure: feed bytes, get
events."""

from __future__ import annotations

from dataclasses import dataclass, field

import webrtcvad

from mocky.platform.audio import SAMPLE_RATE

FRAME_MS = 30
FRAME_BYTES = SAMPLE_RATE * FRAME_MS // 1000 * 2  # 16-bit mono


@dataclass
class TurnDetector:
    silence_ms: int = 700  # this much quiet after speech ends the turn
    start_ms: int = (
        180  # this much voice starts it (the VAD keeps "voiced" a few frames after a click)
    )
    aggressiveness: int = 2  # 0 (lenient) .. 3 (strict about what counts as speech)
    # After this much quiet the turn may be over: "pause" lets the listener start
    # transcribing what it has; "resume" says the user went on (the guess was wrong).
    pause_ms: int = 240
    _vad: webrtcvad.Vad = field(init=False)
    _pending: bytearray = field(default_factory=bytearray)
    _turn: bytearray = field(default_factory=bytearray)
    _voiced_run: int = 0
    _quiet_run: int = 0
    _paused: bool = False
    speaking: bool = False

    def __post_init__(self) -> None:
        self._vad = webrtcvad.Vad(self.aggressiveness)

    def feed(self, pcm: bytes) -> list[str]:
        """Events in order: "speech_started", "pause" (quiet for `pause_ms`: the turn so
        far is `peek_turn()`), "resume" (voice again after a pause), "speech_stopped" (the
        turn is complete: take it with `take_turn`)."""
        self._pending.extend(pcm)
        events = []
        while len(self._pending) >= FRAME_BYTES:
            frame = bytes(self._pending[:FRAME_BYTES])
            del self._pending[:FRAME_BYTES]
            voiced = self._vad.is_speech(frame, SAMPLE_RATE)
            if self.speaking or voiced:
                self._turn.extend(frame)
            if voiced:
                self._voiced_run += 1
                self._quiet_run = 0
                if self._paused:
                    self._paused = False
                    events.append("resume")
                if not self.speaking and self._voiced_run * FRAME_MS >= self.start_ms:
                    self.speaking = True
                    events.append("speech_started")
            else:
                self._voiced_run = 0
                if self.speaking:
                    self._quiet_run += 1
                    quiet_ms = self._quiet_run * FRAME_MS
                    if quiet_ms >= self.silence_ms:
                        self.speaking = False
                        self._paused = False
                        self._quiet_run = 0
                        events.append("speech_stopped")
                    elif not self._paused and quiet_ms >= self.pause_ms < self.silence_ms:
                        self._paused = True
                        events.append("pause")
                elif not self._turn[FRAME_BYTES * 10 :]:
                    self._turn.clear()  # keep no silence from before the speech
        return events

    def take_turn(self) -> bytes:
        turn, self._turn = bytes(self._turn), bytearray()
        self._paused = False
        return turn

    def peek_turn(self) -> bytes:
        return bytes(self._turn)

    def buffered_seconds(self) -> float:
        return len(self._turn) / (SAMPLE_RATE * 2)
