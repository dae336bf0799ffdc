// One spoken turn through OpenAI's own Realtime client library (the `openai` npm package, GA `OpenAIRealtimeWS`),
// against a Parley server. Uses only the library's public API: an OpenAI client with a baseURL and an API key,
// OpenAIRealtimeWS with a model, send(), and the library's events.
//
//   node compat.mjs URL CLIP.wav
//
// URL is the server's realtime address, wss://HOST:PORT/v1/realtime or ws://HOST:PORT/v1/realtime. The library
// takes a baseURL (https://HOST:PORT/v1) and always connects with wss:, its own URL builder forcing the scheme
// (openai/realtime/internal-base.mjs, buildRealtimeURL: `url.protocol = 'wss'`, and a custom buildRealtimeURL
// must return wss:). So:
//   wss://…  the library as documented; a self-signed server certificate is trusted through NODE_EXTRA_CA_CERTS.
//   ws://…   the library's wss: URL with its socket carried over plain TCP: `options.createConnection` (a ws
//            ClientOptions field the library passes through to `new WebSocket`) opens a net socket instead of a
//            TLS one, so the upgrade request GET /v1/realtime?model=… reaches a plain ws:// server unchanged.
//
// Streams the clip (PCM WAV, any rate and channel count, converted to 24 kHz mono PCM16) as
// input_audio_buffer.append events of 20 ms at real-time pace, then silence as a microphone would, until
// response.done. Prints one JSON line: what the library delivered. Exit 0 when a response.done arrived and no error
// did; 1 on an error event, a closed socket or a bad clip; 2 on bad arguments; 3 on timeout.
//
// Environment: COMPAT_FORMAT (pcm: PCM16 at 24 kHz both ways; pcmu: G.711 μ-law at 8 kHz, one byte a sample, the
// format phone gateways use), COMPAT_TIMEOUT_MS (60000), COMPAT_MODEL (gpt-realtime), COMPAT_API_KEY (any string, or the server's
// --auth-token), COMPAT_EVENTS_FILE (every server event written there as a JSON line, audio deltas cut short),
// NODE_EXTRA_CA_CERTS (the server's certificate, for wss: with a self-signed one).

import fs from 'node:fs';
import net from 'node:net';
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import { VERSION } from 'openai/version';

const FORMAT = process.env.COMPAT_FORMAT ?? 'pcm';
const RATE = FORMAT === 'pcmu' ? 8_000 : 24_000;
const BYTES_PER_SAMPLE = FORMAT === 'pcmu' ? 1 : 2;
const WIRE_FORMAT = FORMAT === 'pcmu' ? { type: 'audio/pcmu' } : { type: 'audio/pcm', rate: RATE };
const CHUNK_MS = 20;
const TIMEOUT_MS = Number(process.env.COMPAT_TIMEOUT_MS ?? 60_000);
const MODEL = process.env.COMPAT_MODEL ?? 'gpt-realtime';
const API_KEY = process.env.COMPAT_API_KEY ?? 'sk-parley-compat-test';

const [target, clipPath] = process.argv.slice(2);
if (!target || !clipPath) {
  console.error('usage: node compat.mjs ws[s]://HOST:PORT/v1/realtime CLIP.wav');
  process.exit(2);
}

const started = Date.now();
const report = {
  library: `openai@${VERSION}`,
  format: FORMAT,
  node: process.version,
  requested_url: target,
  url: null,
  transport: null,
  events: [],
  session_model: null,
  input_transcript: null,
  reply_transcript: null,
  audio_deltas: 0,
  audio_bytes: 0,
  response_status: null,
  errors: [],
  elapsed_ms: 0,
};

function finish(code) {
  report.elapsed_ms = Date.now() - started;
  fs.writeSync(1, JSON.stringify(report) + '\n');
  process.exit(code);
}

function fail(message, code = 1) {
  report.errors.push(message);
  finish(code);
}

// ---------------------------------------------------------------- the clip

/** PCM WAV (8/16/24/32-bit integer or 32-bit float, any channels) → Float32Array mono, and its rate. */
function readWav(path) {
  const b = fs.readFileSync(path);
  if (b.length < 12 || b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`${path} is not a WAV file`);
  }
  let fmt = null;
  let data = null;
  for (let p = 12; p + 8 <= b.length; ) {
    const id = b.toString('ascii', p, p + 4);
    const size = b.readUInt32LE(p + 4);
    const body = b.subarray(p + 8, Math.min(b.length, p + 8 + size));
    if (id === 'fmt ') {
      let format = body.readUInt16LE(0);
      if (format === 0xfffe && body.length >= 26) format = body.readUInt16LE(24);
      fmt = { format, channels: body.readUInt16LE(2), rate: body.readUInt32LE(4), bits: body.readUInt16LE(14) };
    } else if (id === 'data') {
      data = body;
    }
    p += 8 + size + (size & 1);
  }
  if (!fmt || !data) throw new Error(`${path}: no fmt or data chunk`);
  const { format, channels, rate, bits } = fmt;
  const bytes = bits / 8;
  const read = format === 3 && bits === 32 ? (o) => data.readFloatLE(o)
      : format !== 1 ? null
      : bits === 8 ? (o) => (data.readUInt8(o) - 128) / 128
      : bits === 16 ? (o) => data.readInt16LE(o) / 32768
      : bits === 24 ? (o) => data.readIntLE(o, 3) / 8388608
      : bits === 32 ? (o) => data.readInt32LE(o) / 2147483648
      : null;
  if (!read) throw new Error(`${path}: unsupported WAV format ${format}, ${bits} bit`);
  const frames = Math.floor(data.length / (bytes * channels));
  const mono = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += read((i * channels + c) * bytes);
    mono[i] = sum / channels;
  }
  return { samples: mono, rate };
}

/** G.711 μ-law of one 16-bit sample (the standard's segment encoding). */
function ulaw(sample) {
  let s = sample;
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  s = Math.min(s, 32635) + 0x84;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** Linear interpolation to the wire's rate, as PCM16 little-endian or μ-law bytes. */
function toWire({ samples, rate }) {
  const n = Math.floor((samples.length * RATE) / rate);
  const out = Buffer.alloc(n * BYTES_PER_SAMPLE);
  for (let i = 0; i < n; i++) {
    const x = (i * rate) / RATE;
    const j = Math.floor(x);
    const f = x - j;
    const a = samples[j];
    const c = j + 1 < samples.length ? samples[j + 1] : a;
    const v = Math.max(-1, Math.min(1, a + (c - a) * f));
    if (BYTES_PER_SAMPLE === 1) out[i] = ulaw(Math.round(v * 32767));
    else out.writeInt16LE(Math.round(v * 32767), i * 2);
  }
  return out;
}

let speech;
try {
  speech = toWire(readWav(clipPath));
} catch (e) {
  fail(String(e.message ?? e));
}

// ---------------------------------------------------------------- the connection

const url = new URL(target);
if (url.protocol !== 'ws:' && url.protocol !== 'wss:') fail(`not a ws: or wss: URL: ${target}`, 2);
const path = url.pathname.replace(/\/realtime\/?$/, '');
const baseURL = `${url.protocol === 'wss:' ? 'https' : 'http'}://${url.host}${path}`;
report.transport = url.protocol === 'wss:' ? 'tls' : 'plain tcp (ws createConnection)';

const client = new OpenAI({ apiKey: API_KEY, baseURL });
const options = url.protocol === 'wss:' ? {} : {
  createConnection: (o) => net.connect({ host: o.host, port: Number(o.port) }),
};
const rt = new OpenAIRealtimeWS({ model: MODEL, options }, client);
report.url = rt.url.toString();

const timer = setTimeout(() => fail(`timeout: no response.done within ${TIMEOUT_MS} ms`, 3), TIMEOUT_MS);
let done = false;
let streaming = false;

rt.on('error', (err) => {
  const detail = err.error ? ` (${JSON.stringify(err.error)})` : err.cause ? ` (${err.cause.message ?? err.cause})` : '';
  clearTimeout(timer);
  fail(`library error: ${err.message}${detail}`);
});
rt.socket.on('close', (code, reason) => {
  if (!done) {
    clearTimeout(timer);
    fail(`socket closed before response.done: ${code} ${reason}`);
  }
});
rt.socket.on('unexpected-response', (_req, res) => {
  clearTimeout(timer);
  fail(`handshake refused: HTTP ${res.statusCode}`);
});

// every server event, in order, as the library delivered it (whole, audio cut short, to COMPAT_EVENTS_FILE if set)
const dump = process.env.COMPAT_EVENTS_FILE ? fs.openSync(process.env.COMPAT_EVENTS_FILE, 'w') : null;
rt.on('event', (event) => {
  report.events.push(event.type);
  if (dump !== null) {
    const shown = event.type === 'response.output_audio.delta' ? { ...event, delta: `${event.delta.slice(0, 16)}…` } : event;
    fs.writeSync(dump, JSON.stringify(shown) + '\n');
  }
});

rt.on('session.created', (event) => {
  report.session_model = event.session?.model ?? null;
  rt.send({
    type: 'session.update',
    session: {
      type: 'realtime',
      output_modalities: ['audio'],
      audio: {
        input: {
          format: WIRE_FORMAT,
          transcription: { model: 'gpt-4o-transcribe' },
          turn_detection: { type: 'server_vad', silence_duration_ms: 400, create_response: true, interrupt_response: true },
        },
        output: { format: WIRE_FORMAT, voice: 'marin' },
      },
    },
  });
});

rt.on('session.updated', () => {
  if (!streaming) {
    streaming = true;
    stream().catch((e) => fail(`streaming failed: ${e.message ?? e}`));
  }
});

rt.on('conversation.item.input_audio_transcription.completed', (event) => {
  report.input_transcript = event.transcript;
});
rt.on('response.output_audio_transcript.done', (event) => {
  report.reply_transcript = event.transcript;
});
rt.on('response.output_audio.delta', (event) => {
  report.audio_deltas++;
  report.audio_bytes += Buffer.from(event.delta, 'base64').length;
});
rt.on('response.done', (event) => {
  done = true;
  clearTimeout(timer);
  report.response_status = event.response?.status ?? null;
  rt.close();
  finish(0);
});

/** The clip in 20 ms appends at real-time pace, then silence, until the reply is done. */
async function stream() {
  const bytesPerChunk = (RATE * CHUNK_MS / 1000) * BYTES_PER_SAMPLE;
  const silence = Buffer.alloc(bytesPerChunk, BYTES_PER_SAMPLE === 1 ? 0xff : 0); // μ-law's zero is 0xff
  const t0 = performance.now();
  for (let i = 0; !done; i++) {
    const offset = i * bytesPerChunk;
    const chunk = offset < speech.length ? speech.subarray(offset, offset + bytesPerChunk) : silence;
    rt.send({ type: 'input_audio_buffer.append', audio: chunk.toString('base64') });
    const wait = t0 + (i + 1) * CHUNK_MS - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}
