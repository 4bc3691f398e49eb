// Microphone capture for the live interview: the audio thread turns the context's
// float samples (usually 48 kHz) into PCM16 mono at 16 kHz, the rate the live protocol
// takes, and hands 40 ms frames to the page. Linear interpolation, with the position
// carried from block to block so no sample is dropped or repeated at the seams.
const TARGET_RATE = 16000;
const FRAME = 640; // 40 ms at 16 kHz

class Pcm16Capture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.step = sampleRate / TARGET_RATE;
    this.position = 0; // where the next output sample falls, in input samples
    this.previous = 0; // the last input sample of the block before
    this.frame = new Int16Array(FRAME);
    this.filled = 0;
  }

  process(inputs) {
    const input = inputs[0] && inputs[0][0];
    if (!input) return true;
    while (this.position < input.length) {
      const index = Math.floor(this.position);
      const fraction = this.position - index;
      const before = index === 0 ? this.previous : input[index - 1];
      const value = before + (input[index] - before) * fraction;
      const clipped = Math.max(-1, Math.min(1, value));
      this.frame[this.filled++] = clipped < 0 ? clipped * 0x8000 : clipped * 0x7fff;
      if (this.filled === FRAME) {
        this.port.postMessage(this.frame.buffer, [this.frame.buffer]);
        this.frame = new Int16Array(FRAME);
        this.filled = 0;
      }
      this.position += this.step;
    }
    this.position -= input.length;
    this.previous = input[input.length - 1];
    return true;
  }
}

registerProcessor("pcm16-capture", Pcm16Capture);
