// Reply playback: 24 kHz PCM16 from the socket -> the AudioContext's rate, through a small jitter buffer.
//
// Messages in:  {type:'audio', responseId, itemId, pcm: Int16Array}   a response.output_audio.delta
//               {type:'done', responseId}                             response.output_audio.done: play what is left
//               {type:'flush', token}                                 stop at once, drop everything
// Messages out: {type:'started', responseId, itemId, time}            first sample of a response rendered (context time)
//               {type:'progress', responseId, itemId, frames, chunks, buffered}
//               {type:'drained', responseId, itemId, frames, chunks}  a response played to its end
//               {type:'flushed', token, responseId, itemId, frames}   answer to flush, frames actually played
//               {type:'underrun', responseId}
// frames are counted at the context rate; chunks are whole deltas rendered. Every message also carries
// totalFrames and totalChunks since the node started.
import { Resampler } from './resampler.js';

const IN_RATE = 24000;
const START_MS = 50; // jitter buffer: start once this much is queued (or the response's audio is complete)
const PROGRESS_EVERY = 8; // render quanta between progress reports (~21 ms at 48 kHz)

class PlaybackProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.resampler = new Resampler(IN_RATE, sampleRate);
    this.queue = []; // {resp, data: Float32Array, off, last: bool}
    this.buffered = 0; // frames queued at the context rate
    this.responses = new Map(); // id -> {id, item, started, frames, chunks, done}
    this.playing = false;
    this.current = null; // the response being rendered
    this.quanta = 0;
    this.startFrames = Math.round(sampleRate * START_MS / 1000);
    this.totalFrames = 0; // every frame of reply audio rendered since the node started
    this.totalChunks = 0;
    this.port.onmessage = (e) => this.onMessage(e.data);
  }

  post(m) {
    m.totalFrames = this.totalFrames;
    m.totalChunks = this.totalChunks;
    this.port.postMessage(m);
  }

  response(id, item) {
    let r = this.responses.get(id);
    if (!r) {
      r = { id, item, started: false, frames: 0, chunks: 0, done: false, received: 0 };
      this.responses.set(id, r);
    }
    if (item && !r.item) r.item = item;
    return r;
  }

  onMessage(m) {
    switch (m?.type) {
      case 'audio': {
        const r = this.response(m.responseId, m.itemId);
        const pcm = m.pcm;
        const f = new Float32Array(pcm.length);
        for (let i = 0; i < pcm.length; i++) f[i] = pcm[i] / 32768;
        this.enqueue(r, this.resampler.process(f), true);
        r.received++;
        break;
      }
      case 'done': {
        const r = this.response(m.responseId, m.itemId);
        this.enqueue(r, this.resampler.flush(), false);
        this.resampler.reset();
        r.done = true;
        if (this.queue.every((c) => c.resp !== r)) this.drained(r);
        break;
      }
      case 'flush': {
        const r = this.current || (this.queue[0] && this.queue[0].resp) || null;
        this.queue = [];
        this.buffered = 0;
        this.playing = false;
        this.resampler.reset();
        this.post({ type: 'flushed', token: m.token, responseId: r?.id ?? null, itemId: r?.item ?? null,
          frames: r ? r.frames : 0 });
        this.current = null;
        this.responses.clear();
        break;
      }
    }
  }

  enqueue(r, data, countsAsChunk) {
    if (data.length === 0) {
      if (countsAsChunk) this.queue.push({ resp: r, data: new Float32Array(0), off: 0, chunk: true });
      return;
    }
    this.queue.push({ resp: r, data: new Float32Array(data), off: 0, chunk: countsAsChunk });
    this.buffered += data.length;
  }

  drained(r) {
    this.post({ type: 'drained', responseId: r.id, itemId: r.item, frames: r.frames, chunks: r.chunks });
    this.responses.delete(r.id);
    if (this.current === r) this.current = null;
  }

  process(_inputs, outputs) {
    const out = outputs[0];
    const ch0 = out[0];
    const n = ch0.length;
    if (!this.playing && this.queue.length > 0) {
      const head = this.queue[0].resp;
      if (this.buffered >= this.startFrames || head.done) this.playing = true;
    }
    let i = 0;
    if (this.playing) {
      while (i < n && this.queue.length > 0) {
        const c = this.queue[0];
        const r = c.resp;
        if (this.current !== r) {
          this.current = r;
        }
        if (!r.started && c.data.length > 0) {
          r.started = true;
          this.post({ type: 'started', responseId: r.id, itemId: r.item, time: currentTime + i / sampleRate });
        }
        const take = Math.min(n - i, c.data.length - c.off);
        ch0.set(c.data.subarray(c.off, c.off + take), i);
        c.off += take;
        i += take;
        r.frames += take;
        this.totalFrames += take;
        this.buffered -= take;
        if (c.off >= c.data.length) {
          this.queue.shift();
          if (c.chunk) { r.chunks++; this.totalChunks++; }
          if (r.done && !this.queue.some((q) => q.resp === r)) this.drained(r);
        }
      }
      if (this.queue.length === 0) {
        this.playing = false; // drained or underrun: buffer up again before resuming
        if (this.current && !this.current.done) {
          this.post({ type: 'underrun', responseId: this.current.id });
        }
      }
    }
    if (i < n) ch0.fill(0, i);
    for (let c = 1; c < out.length; c++) out[c].set(ch0);
    if (++this.quanta % PROGRESS_EVERY === 0 && this.current) {
      const r = this.current;
      this.post({ type: 'progress', responseId: r.id, itemId: r.item, frames: r.frames, chunks: r.chunks,
        buffered: this.buffered });
    }
    return true;
  }
}

registerProcessor('parley-playback', PlaybackProcessor);
