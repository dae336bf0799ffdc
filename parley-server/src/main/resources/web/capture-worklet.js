// Microphone capture: the AudioContext's rate -> 24 kHz PCM16, posted to the page every 20 ms of audio.
import { Resampler } from './resampler.js';

const OUT_RATE = 24000;
const CHUNK = OUT_RATE / 50; // 20 ms = 480 samples

class CaptureProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.resampler = new Resampler(sampleRate, OUT_RATE);
    this.chunk = new Int16Array(CHUNK);
    this.fill = 0;
    this.sumSquares = 0;
    this.peak = 0;
    this.enabled = true;
    this.mono = new Float32Array(128);
    this.port.onmessage = (e) => {
      if (e.data?.type === 'enable') this.enabled = !!e.data.enabled;
    };
  }

  process(inputs) {
    const input = inputs[0];
    if (!input || input.length === 0 || !this.enabled) return true;
    let frame = input[0];
    if (input.length > 1) { // down-mix
      if (this.mono.length !== frame.length) this.mono = new Float32Array(frame.length);
      for (let i = 0; i < frame.length; i++) {
        let s = 0;
        for (let c = 0; c < input.length; c++) s += input[c][i];
        this.mono[i] = s / input.length;
      }
      frame = this.mono;
    }
    const out = this.resampler.process(frame);
    for (let i = 0; i < out.length; i++) {
      let s = out[i];
      if (s > 1) s = 1; else if (s < -1) s = -1;
      this.sumSquares += s * s;
      const a = s < 0 ? -s : s;
      if (a > this.peak) this.peak = a;
      this.chunk[this.fill++] = s < 0 ? Math.round(s * 32768) : Math.round(s * 32767);
      if (this.fill === CHUNK) {
        const pcm = this.chunk;
        this.port.postMessage({ type: 'chunk', pcm, rms: Math.sqrt(this.sumSquares / CHUNK), peak: this.peak },
          [pcm.buffer]);
        this.chunk = new Int16Array(CHUNK);
        this.fill = 0;
        this.sumSquares = 0;
        this.peak = 0;
      }
    }
    return true;
  }
}

registerProcessor('parley-capture', CaptureProcessor);
