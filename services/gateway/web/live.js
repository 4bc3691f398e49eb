// The realtime spoken interview in the browser (the protocol is in the README,
// "Realtime voice protocol"): microphone → AudioWorklet → PCM16 16 kHz binary frames on
// the WebSocket; the interviewer's PCM16 frames are scheduled back to back and dropped
// the moment the server says the user spoke over them.

export async function startLive(interviewId, ui) {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  });
  const context = new AudioContext();
  await context.audioWorklet.addModule("/pcm-worklet.js");
  const capture = new AudioWorkletNode(context, "pcm16-capture");
  context.createMediaStreamSource(stream).connect(capture);

  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/api/v1/interviews/${interviewId}/live`);
  socket.binaryType = "arraybuffer";
  capture.port.onmessage = (event) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(event.data);
  };

  let outputRate = 16000;
  let playUntil = 0;
  let playing = [];
  let idleTimer = null;
  let ended = false;
  let partial = "";  // the question so far, while a model writes it

  const stopPlayback = () => {
    for (const node of playing) {
      try { node.stop(); } catch { /* already finished */ }
    }
    playing = [];
    playUntil = 0;
  };
  const play = (buffer) => {
    const pcm = new Int16Array(buffer);
    if (!pcm.length) return;
    const audio = context.createBuffer(1, pcm.length, outputRate);
    const channel = audio.getChannelData(0);
    for (let i = 0; i < pcm.length; i++) channel[i] = pcm[i] / 32768;
    const node = context.createBufferSource();
    node.buffer = audio;
    node.connect(context.destination);
    playUntil = Math.max(playUntil, context.currentTime + 0.05);
    node.start(playUntil);
    playUntil += audio.duration;
    playing.push(node);
    node.onended = () => { playing = playing.filter((n) => n !== node); };
  };
  // "Your turn" once the last scheduled frame has been heard.
  const listenAfterPlayback = () => {
    clearTimeout(idleTimer);
    const left = Math.max(0, playUntil - context.currentTime);
    idleTimer = setTimeout(() => { if (!ended) ui.onState("listening"); }, left * 1000);
  };
  const finish = (reason) => {
    if (ended) return;
    ended = true;
    clearTimeout(idleTimer);
    stopPlayback();
    stream.getTracks().forEach((track) => track.stop());
    capture.port.onmessage = null;
    context.close();
    if (socket.readyState === WebSocket.OPEN) socket.close(1000);
    ui.onEnd(reason);
  };

  socket.onmessage = (message) => {
    if (typeof message.data !== "string") { play(message.data); return; }
    const event = JSON.parse(message.data);
    switch (event.type) {
      case "session.created": ui.onState("listening"); break;
      case "input_audio_buffer.speech_started": clearTimeout(idleTimer); stopPlayback(); ui.onState("user"); break;
      case "input_audio_buffer.speech_stopped": ui.onState("thinking"); break;
      case "conversation.item.input_audio_transcription.completed": ui.onLine("you", event.transcript); break;
      case "response.feedback": ui.onFeedback(event.text); break;
      case "response.created":
        outputRate = event.output_sample_rate || outputRate;
        clearTimeout(idleTimer);
        ui.onState("interviewer");
        break;
      case "response.audio_transcript.delta":
        // A model still writing its question: each sentence shows as it is spoken.
        partial = partial ? `${partial} ${event.delta}` : event.delta;
        ui.onPartial(partial);
        break;
      case "response.audio_transcript.done": partial = ""; ui.onLine("interviewer", event.transcript); break;
      case "response.done": listenAfterPlayback(); break;
      case "response.cancelled": stopPlayback(); break;
      case "interview.completed": finish("completed"); break;
      case "session.expired": finish("expired"); break;
      case "error": ui.onError(event.error?.message || "the live interview failed"); break;
      default: break;
    }
  };
  socket.onclose = (event) => {
    if (!ended) {
      if (event.code >= 4000) ui.onError(closeReasons[event.code] || "the live interview was refused");
      finish("closed");
    }
  };
  socket.onerror = () => ui.onError("the live connection failed");

  return {
    stop() {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "session.close" }));
      finish("stopped");
    },
  };
}

const closeReasons = {
  4401: "you are not signed in any more",
  4404: "this interview is not yours",
  4409: "this interview has finished",
};
