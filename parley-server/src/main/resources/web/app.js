// Parley's browser client: microphone -> /v1/realtime (OpenAI Realtime GA events) -> speaker, with the latency
// waterfall of every turn. See docs/realtime-protocol.md. No framework, no build step.

const RATE = 24000; // the protocol's PCM16 rate, both directions
// The microphone goes up as Opus where the browser's WebCodecs can encode it (Parley's audio/opus: ~27 kbit/s on the
// wire instead of ~520 for PCM16 in base64), else as PCM16; ?codec=pcm forces PCM.
const CODEC = new URLSearchParams(location.search).get('codec') === 'pcm' ? 'pcm' : 'auto';
const OPUS = { codec: 'opus', sampleRate: RATE, numberOfChannels: 1, bitrate: 24000 };
const OPUS_PACKETS_PER_APPEND = 5; // 20 ms packets: 100 ms a message
const SEGMENTS = ['endpoint', 'stt', 'dialog', 'tts', 'network', 'playout'];
const FLUSH_TIMEOUT_MS = 150;

const $ = (id) => document.getElementById(id);
const ui = {
  start: $('start'), status: $('status'), activity: $('activity'), level: $('level'), token: $('token'),
  errors: $('errors'), partial: $('partial'), reply: $('reply'), waterfalls: $('waterfalls'), p50: $('p50'),
  p95: $('p95'), turnCount: $('turn-count'), log: $('log'),
};

/** Counters and last values, for people poking at the console and for tests. */
const parley = {
  connected: false,
  state: 'idle',
  sampleRate: null,
  chunksSent: 0,
  audioChunksReceived: 0,
  samplesReceived: 0, // reply audio received, in 24 kHz samples
  audioChunksPlayed: 0,
  samplesPlayed: 0, // reply audio actually rendered, in 24 kHz samples
  msPlayed: 0,
  underruns: 0,
  turns: 0, // response.done events
  cancelled: 0, // of which cancelled
  playbackStartedSent: 0,
  bargeIns: 0,
  truncatesSent: 0,
  truncated: 0, // conversation.item.truncated received
  lastTruncate: null,
  lastPlayback: null, // the last parley.playback.started sent, with timings for diagnosis
  lastLatency: null, // the last parley.latency waterfall
  latencies: [], // total_ms of every turn with a waterfall
  p50: null,
  p95: null,
  transcripts: [], // final user transcripts
  replies: [], // final reply transcripts
  errors: [], // {code, message, type}
  wakes: [], // wake phrases heard (parley.wake), with ?wake=PHRASE[,PHRASE] in the page's address
  inputCodec: null, // 'opus' or 'pcm', once connected
  inputBytesSent: 0, // input_audio_buffer.append events on the wire (JSON text, base64 inside)
  inputMsSent: 0, // microphone audio those events carried
  events: {}, // server event type -> count
  closes: [], // {code, reason, wasClean}
};
window.parley = parley;
/** The wake phrases of the page's address (?wake=computer,jarvis); none: every utterance is answered. */
const WAKE_WORDS = (new URLSearchParams(location.search).get('wake') || '').split(',').map((w) => w.trim()).filter(Boolean);
/** Sends a client event on the live connection (for the console and tests); false when not connected. */
Object.defineProperty(parley, 'send', { value: (event) => send({ ...event }), enumerable: false });

// ---------------------------------------------------------------- state

let session = null; // the live connection and audio graph, or null
const items = new Map(); // conversation item id -> {id, role, el, textEl, text}
const responses = new Map(); // response id -> response state (see responseState)
const turnRows = []; // latency rows, in order
let currentUserItem = null;
let eventSeq = 0;

function responseState(id) {
  let r = responses.get(id);
  if (!r) {
    if (responses.size >= 64) { // forget old finished responses (their waterfall rows keep what they need)
      for (const [k, old] of responses) {
        if (old.done && old.drained) responses.delete(k);
        if (responses.size < 48) break;
      }
    }
    r = {
      id, itemId: null, status: 'in_progress', text: '', audioDone: false, firstAudioCtx: null, chunks: 0,
      samplesReceived: 0, started: false, frames: 0, drained: false, cancelled: false, truncated: false,
      metadata: null, latency: null, row: null, userItemId: currentUserItem, done: false,
    };
    responses.set(id, r);
  }
  return r;
}

// ---------------------------------------------------------------- UI helpers

function setStatus(state, text) {
  ui.status.dataset.state = state;
  ui.status.textContent = text;
}

function setActivity(state, text) {
  parley.state = state;
  ui.activity.dataset.state = state;
  ui.activity.textContent = text;
}

/** Shows an error; a sticky one (of a kind: 'mic', 'connection') stays until dismissed or resolved. */
function showError(message, detail = '', sticky = false) {
  const div = document.createElement('div');
  div.className = 'error';
  if (sticky) div.dataset.kind = typeof sticky === 'string' ? sticky : 'other';
  div.setAttribute('role', 'alert');
  const b = document.createElement('b');
  b.textContent = message;
  div.append(b);
  if (detail) {
    const s = document.createElement('span');
    s.textContent = ' ' + detail;
    div.append(s);
  }
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'dismiss';
  close.setAttribute('aria-label', 'dismiss');
  close.textContent = '×';
  close.onclick = () => div.remove();
  div.append(close);
  ui.errors.prepend(div);
  while (ui.errors.children.length > 4) ui.errors.lastElementChild.remove();
  if (!sticky) setTimeout(() => div.remove(), 15000);
}

function clearErrors(...kinds) {
  for (const el of [...ui.errors.children]) if (kinds.includes(el.dataset.kind)) el.remove();
}

function setText(el, text, final) {
  el.textContent = text;
  el.classList.toggle('empty', !text);
  el.dataset.final = String(!!final);
}

function setButton(running) {
  ui.start.textContent = running ? 'Stop' : 'Start';
  ui.start.classList.toggle('running', running);
  ui.start.setAttribute('aria-pressed', String(running));
}

function logItem(id, role) {
  let it = items.get(id);
  if (it) return it;
  const li = document.createElement('li');
  li.className = `turn ${role}`;
  li.dataset.itemId = id;
  const who = document.createElement('span');
  who.className = 'who';
  who.textContent = role === 'user' ? 'You' : role === 'assistant' ? 'Parley' : role;
  const text = document.createElement('span');
  text.className = 'text pending';
  const meta = document.createElement('span');
  meta.className = 'meta';
  li.append(who, text, meta);
  ui.log.append(li);
  li.scrollIntoView?.({ block: 'nearest' });
  it = { id, role, el: li, textEl: text, metaEl: meta, text: '' };
  items.set(id, it);
  return it;
}

function setItemText(it, text, final = true) {
  it.text = text;
  it.textEl.textContent = text || (final ? '(nothing heard)' : '…');
  it.textEl.classList.toggle('pending', !final);
}

// ---------------------------------------------------------------- base64 / PCM

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function base64FromBytes(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function base64FromPcm(pcm) {
  if (LITTLE_ENDIAN) return base64FromBytes(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
  const bytes = new Uint8Array(pcm.length * 2);
  const dv = new DataView(bytes.buffer);
  pcm.forEach((v, k) => dv.setInt16(k * 2, v, true));
  return base64FromBytes(bytes);
}

function pcmFromBase64(b64) {
  const s = atob(b64);
  const n = s.length >> 1;
  const pcm = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const v = s.charCodeAt(2 * i) | (s.charCodeAt(2 * i + 1) << 8);
    pcm[i] = v > 32767 ? v - 65536 : v;
  }
  return pcm;
}

// ---------------------------------------------------------------- connection

function send(event) {
  const ws = session?.ws;
  if (!ws || ws.readyState !== WebSocket.OPEN) return false;
  event.event_id = event.event_id ?? `evt_client_${++eventSeq}`;
  ws.send(JSON.stringify(event));
  return true;
}

function micErrorMessage(e) {
  switch (e?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return ['Microphone access was denied.', 'Allow the microphone for this site and press Start again.'];
    case 'NotFoundError':
    case 'OverconstrainedError':
      return ['No microphone found.', 'Connect one and press Start again.'];
    case 'NotReadableError':
      return ['The microphone is busy or unavailable.', 'Close other apps using it and press Start again.'];
    default:
      return ['Could not open the microphone.', String(e?.message || e)];
  }
}

async function start() {
  if (session) return;
  ui.start.disabled = true;
  const s = { ws: null, ctx: null, stream: null, capture: null, playback: null, userClosed: false, flushes: new Map(),
    base: { samples: parley.samplesPlayed, ms: parley.msPlayed, chunks: parley.audioChunksPlayed } };
  session = s;
  try {
    if (!navigator.mediaDevices?.getUserMedia) {
      throw Object.assign(new Error('The microphone needs a secure page: open Parley over https or on localhost.'),
        { name: 'InsecureContext' });
    }
    setStatus('connecting', 'opening microphone…');
    s.ctx = new AudioContext({ latencyHint: 'interactive' });
    parley.sampleRate = s.ctx.sampleRate;
    const modules = Promise.all([
      s.ctx.audioWorklet.addModule('capture-worklet.js'),
      s.ctx.audioWorklet.addModule('playback-worklet.js'),
    ]);
    modules.catch(() => {}); // awaited below; a microphone error may come first
    try {
      s.stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      });
    } catch (e) {
      const [msg, detail] = e.name === 'InsecureContext' ? [e.message, ''] : micErrorMessage(e);
      throw Object.assign(new Error(msg), { detail, name: 'MicError' });
    }
    await modules;
    if (session !== s) return; // stopped meanwhile
    await s.ctx.resume();

    s.playback = new AudioWorkletNode(s.ctx, 'parley-playback', { numberOfInputs: 0, outputChannelCount: [1] });
    s.playback.port.onmessage = (e) => onPlayback(s, e.data);
    s.playback.connect(s.ctx.destination);

    const source = s.ctx.createMediaStreamSource(s.stream);
    s.capture = new AudioWorkletNode(s.ctx, 'parley-capture', { numberOfOutputs: 1, outputChannelCount: [1] });
    s.capture.port.onmessage = (e) => onCapture(s, e.data);
    const mute = s.ctx.createGain();
    mute.gain.value = 0;
    source.connect(s.capture).connect(mute).connect(s.ctx.destination); // keeps the capture node pulled
    s.stream.getAudioTracks()[0]?.addEventListener('ended', () => {
      if (session === s) {
        showError('The microphone stopped.', 'Press Start to open it again.');
        stop();
      }
    });

    s.opus = await opusEncoder(s);
    parley.inputCodec = s.opus ? 'opus' : 'pcm';
    connect(s);
  } catch (e) {
    if (e.name === 'MicError' || e.name === 'InsecureContext') {
      setStatus('error', 'microphone unavailable');
      showError(e.message, e.detail || '', 'mic');
    } else {
      setStatus('error', 'could not start');
      showError('Could not start audio.', String(e?.message || e), 'mic');
    }
    teardown(s);
  } finally {
    ui.start.disabled = false;
  }
}

function connect(s) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${scheme}//${location.host}/v1/realtime`;
  const token = ui.token.value.trim();
  const protocols = token ? ['realtime', `openai-insecure-api-key.${token}`] : ['realtime'];
  setStatus('connecting', 'connecting…');
  let ws;
  try {
    ws = new WebSocket(url, protocols);
  } catch (e) {
    setStatus('error', 'could not connect');
    showError('Could not open the connection.', String(e?.message || e), 'connection');
    teardown(s);
    return;
  }
  s.ws = ws;
  s.opened = false;
  setButton(true);
  ws.onopen = () => {
    if (session !== s) return;
    s.opened = true;
    parley.connected = true;
    clearErrors('connection', 'mic');
    setStatus('connected', 'connected');
    setActivity('listening', 'listening');
    send({
      type: 'session.update',
      session: {
        type: 'realtime',
        audio: {
          input: { format: s.opus ? { type: 'audio/opus', rate: RATE } : { type: 'audio/pcm', rate: RATE }, turn_detection: { type: 'server_vad' } },
          output: { format: { type: 'audio/pcm', rate: RATE } },
        },
        // Parley's extension: ?wake=computer,jarvis answers only after one of these phrases
        ...(WAKE_WORDS.length ? { parley: { wake_words: WAKE_WORDS } } : {}),
      },
    });
  };
  ws.onmessage = (e) => {
    if (session !== s || typeof e.data !== 'string') return;
    let ev;
    try {
      ev = JSON.parse(e.data);
    } catch {
      return; // not JSON: ignore
    }
    if (!ev || typeof ev.type !== 'string') return;
    parley.events[ev.type] = (parley.events[ev.type] || 0) + 1;
    try {
      (Object.hasOwn(handlers, ev.type) ? handlers[ev.type] : ignore)(ev, s); // unknown events: ignored
    } catch (err) {
      console.error('parley: handling', ev.type, err);
    }
  };
  ws.onerror = () => { /* onclose follows with the details */ };
  ws.onclose = (e) => {
    parley.closes.push({ code: e.code, reason: e.reason, wasClean: e.wasClean });
    parley.connected = false;
    if (session !== s) return;
    if (s.userClosed) return;
    if (!s.opened) {
      setStatus('error', 'could not connect');
      showError('The server refused the connection or is not reachable.',
        ui.token.value.trim() ? 'Check the auth token, then press Start.' :
          'If the server needs an auth token, enter it under Settings, then press Start.', 'connection');
    } else {
      setStatus('closed', `disconnected${e.code ? ` (${e.code}${e.reason ? ': ' + e.reason : ''})` : ''}`);
      showError('The connection closed.', 'Press Start to reconnect.', 'connection');
    }
    teardown(s);
  };
}

function stop() {
  const s = session;
  if (!s) return;
  s.userClosed = true;
  if (s.ws && (s.ws.readyState === WebSocket.OPEN || s.ws.readyState === WebSocket.CONNECTING)) {
    s.ws.close(1000, 'client stopped');
  }
  parley.connected = false;
  setStatus('idle', 'not connected');
  teardown(s);
}

function teardown(s) {
  if (session === s) session = null;
  try { if (s.opus && s.opus.enc.state !== 'closed') s.opus.enc.close(); } catch { /* closed */ }
  try { s.stream?.getTracks().forEach((t) => t.stop()); } catch { /* already stopped */ }
  try { s.capture?.disconnect(); s.playback?.disconnect(); } catch { /* gone */ }
  if (s.ctx && s.ctx.state !== 'closed') s.ctx.close().catch(() => { /* closed */ });
  if (s.ws && s.ws.readyState <= WebSocket.OPEN) {
    try { s.ws.close(1000, 'client stopped'); } catch { /* closed */ }
  }
  for (const r of responses.values()) {
    if (!r.drained) r.drained = true;
  }
  ui.level.style.width = '0';
  setButton(false);
  setActivity('idle', 'press Start and speak');
}

// ---------------------------------------------------------------- audio from the worklets

function onCapture(s, m) {
  if (m.type !== 'chunk') return;
  const pct = Math.min(100, Math.round(Math.sqrt(m.rms) * 140));
  ui.level.style.width = `${pct}%`;
  if (!s.opened || s.ws.readyState !== WebSocket.OPEN) return;
  if (s.opus) {
    const data = new AudioData({ format: 's16', sampleRate: RATE, numberOfFrames: m.pcm.length, numberOfChannels: 1,
      timestamp: s.opus.timestamp, data: m.pcm });
    s.opus.timestamp += Math.round(m.pcm.length * 1e6 / RATE);
    s.opus.enc.encode(data);
    data.close();
    return;
  }
  sendAudio(base64FromPcm(m.pcm), m.pcm.length * 1000 / RATE);
}

function sendAudio(base64, ms) {
  const event = { type: 'input_audio_buffer.append', audio: base64 };
  if (!send(event)) return;
  parley.chunksSent++;
  parley.inputBytesSent += JSON.stringify(event).length;
  parley.inputMsSent += ms;
}

/** WebCodecs' Opus encoder of the 24 kHz microphone, or null where the browser has none (PCM16 then). */
async function opusEncoder(s) {
  if (CODEC === 'pcm' || typeof AudioEncoder === 'undefined' || typeof AudioData === 'undefined') return null;
  try {
    if (!(await AudioEncoder.isConfigSupported(OPUS)).supported) return null;
  } catch {
    return null;
  }
  const opus = { enc: null, packets: [], timestamp: 0 };
  opus.enc = new AudioEncoder({
    output: (chunk) => {
      const packet = new Uint8Array(chunk.byteLength);
      chunk.copyTo(packet);
      opus.packets.push({ packet, ms: (chunk.duration || 20_000) / 1000 });
      if (opus.packets.length >= OPUS_PACKETS_PER_APPEND) sendOpus(opus);
    },
    error: (e) => showError('The Opus encoder failed.', String(e?.message || e)),
  });
  opus.enc.configure(OPUS);
  return opus;
}

/** The packets so far in one append: each after its length in two bytes, big-endian (docs/realtime-protocol.md). */
function sendOpus(opus) {
  let n = 0;
  for (const p of opus.packets) n += 2 + p.packet.length;
  const framed = new Uint8Array(n);
  let at = 0, ms = 0;
  for (const p of opus.packets) {
    framed[at++] = p.packet.length >> 8;
    framed[at++] = p.packet.length & 0xff;
    framed.set(p.packet, at);
    at += p.packet.length;
    ms += p.ms;
  }
  opus.packets.length = 0;
  sendAudio(base64FromBytes(framed), ms);
}

/** The page's counters run across reconnects; each audio graph counts from zero. */
function totals(s, m) {
  if (typeof m.totalFrames === 'number') {
    parley.samplesPlayed = s.base.samples + Math.round(m.totalFrames * RATE / s.ctx.sampleRate);
    parley.msPlayed = s.base.ms + Math.round(m.totalFrames / s.ctx.sampleRate * 1000);
  }
  if (typeof m.totalChunks === 'number') parley.audioChunksPlayed = s.base.chunks + m.totalChunks;
}

function onPlayback(s, m) {
  totals(s, m);
  const r = m.responseId ? responses.get(m.responseId) : null;
  switch (m.type) {
    case 'started': {
      // buffered_ms: the first delta's arrival and its first rendered sample, both on the AudioContext's clock
      // (ctx.currentTime on arrival, the worklet's currentTime + offset at render), so the two ends agree.
      if (!r || r.cancelled) return;
      r.started = true;
      const bufferedMs = r.firstAudioCtx == null ? 0 : Math.max(0, (m.time - r.firstAudioCtx) * 1000);
      const outputLatencyMs = ((s.ctx.outputLatency || 0) + (s.ctx.baseLatency || 0)) * 1000;
      r.bufferedMs = bufferedMs;
      const report = {
        type: 'parley.playback.started', response_id: r.id, item_id: r.itemId ?? m.itemId,
        buffered_ms: round1(bufferedMs), output_latency_ms: round1(outputLatencyMs),
      };
      const backlog = s.ws?.bufferedAmount ?? 0; // bytes the socket has not sent yet (the server not reading)
      if (send(report)) parley.playbackStartedSent++;
      parley.lastPlayback = { ...report, arrival_to_report_ms: round1(performance.now() - r.firstAudioPerf),
        socket_backlog_bytes: backlog,
        first_delta_chars: r.firstChunkBytes, context_rate: s.ctx.sampleRate,
        base_latency_ms: round1((s.ctx.baseLatency || 0) * 1000), device_latency_ms: round1((s.ctx.outputLatency || 0) * 1000) };
      setActivity('speaking', 'Parley is speaking');
      break;
    }
    case 'progress':
      if (r) r.frames = m.frames;
      break;
    case 'drained':
      if (r) {
        r.frames = m.frames;
        r.drained = true;
      }
      if (parley.state === 'speaking') setActivity('listening', 'listening');
      break;
    case 'flushed': {
      const resolve = s.flushes.get(m.token);
      if (resolve) {
        s.flushes.delete(m.token);
        resolve(m);
      }
      break;
    }
    case 'underrun':
      parley.underruns++;
      break;
  }
}

const round1 = (x) => Math.round(x * 10) / 10;

/** Stops playback at once; resolves with the worklet's account of what was played. */
function flushPlayback(s) {
  if (!s?.playback) return Promise.resolve(null);
  const token = Math.random().toString(36).slice(2);
  return new Promise((resolve) => {
    s.flushes.set(token, resolve);
    s.playback.port.postMessage({ type: 'flush', token });
    setTimeout(() => {
      if (s.flushes.delete(token)) resolve(null);
    }, FLUSH_TIMEOUT_MS);
  });
}

/** The response whose audio is playing or waiting to play, if any. */
function audibleResponse() {
  for (const r of responses.values()) {
    if (r.chunks > 0 && !r.drained && !r.cancelled) return r;
  }
  return null;
}

/** Barge-in (or a cancelled response): silence the reply now and tell the server how much was heard. */
async function interrupt(s, r, why) {
  r.cancelled = true;
  const m = await flushPlayback(s);
  let frames = r.frames;
  if (m && m.responseId === r.id) frames = m.frames;
  const rate = s.ctx?.sampleRate || RATE;
  const receivedMs = Math.floor(r.samplesReceived * 1000 / RATE);
  const audioEndMs = Math.max(0, Math.min(receivedMs, Math.floor(frames * 1000 / rate)));
  r.frames = frames;
  r.drained = true;
  if (why === 'speech') parley.bargeIns++;
  if (r.itemId && !r.truncated && session === s) {
    r.truncated = true;
    if (send({ type: 'conversation.item.truncate', item_id: r.itemId, content_index: 0, audio_end_ms: audioEndMs })) {
      parley.truncatesSent++;
      parley.lastTruncate = { item_id: r.itemId, audio_end_ms: audioEndMs, why };
    }
  }
  r.heardFraction = receivedMs > 0 ? audioEndMs / receivedMs : 0;
  const it = r.itemId && items.get(r.itemId);
  if (it) {
    it.el.classList.add('interrupted');
    it.metaEl.dataset.interrupted = `interrupted at ${(audioEndMs / 1000).toFixed(1)} s`;
    showHeard(r);
    renderMeta(r);
  }
  ui.reply.classList.add('interrupted');
}

/**
 * An interrupted reply in the log: roughly the part the user heard (in proportion to the audio played, to a word
 * boundary), then the rest struck through. The server keeps its own, phrase-accurate account.
 */
function showHeard(r) {
  const it = r.itemId && items.get(r.itemId);
  if (!it || r.heardFraction == null || !r.text) return;
  let cut = Math.round(r.text.length * Math.min(1, r.heardFraction));
  while (cut > 0 && cut < r.text.length && !/\s/.test(r.text[cut])) cut++;
  while (cut < r.text.length && /\s/.test(r.text[cut])) cut++; // the space goes with the heard words
  const heard = document.createElement('span');
  heard.textContent = r.text.slice(0, cut);
  const rest = document.createElement('span');
  rest.className = 'unheard';
  rest.textContent = r.text.slice(cut);
  it.textEl.replaceChildren(heard, rest);
  it.textEl.classList.remove('pending');
}

// ---------------------------------------------------------------- server events

const ignore = () => {};

const handlers = {
  'session.created': () => {},
  'session.updated': () => {},

  'error': (ev) => {
    const e = ev.error || {};
    parley.errors.push({ type: e.type, code: e.code, message: e.message, event_id: e.event_id });
    showError(e.code ? `Server error (${e.code})` : 'Server error', e.message || '');
  },

  'parley.wake': (ev) => {
    parley.wakes.push(ev.word);
    setActivity('listening', `heard “${ev.word}”: go on`);
  },

  'input_audio_buffer.speech_started': (ev, s) => {
    currentUserItem = ev.item_id || currentUserItem;
    setText(ui.partial, '', false);
    ui.partial.dataset.itemId = currentUserItem || '';
    setActivity('user', 'you are speaking');
    const r = audibleResponse();
    if (r) interrupt(s, r, 'speech');
  },

  'input_audio_buffer.speech_stopped': () => {
    setActivity('thinking', 'thinking…');
  },

  'input_audio_buffer.committed': (ev) => {
    if (ev.item_id) currentUserItem = ev.item_id;
  },

  'conversation.item.input_audio_transcription.delta': (ev) => {
    const id = ev.item_id || currentUserItem;
    const it = logItem(id, 'user');
    const text = it.text + (ev.delta || '');
    setItemText(it, text, false);
    if (id === currentUserItem || !currentUserItem) setText(ui.partial, text.trim(), false);
  },

  'conversation.item.input_audio_transcription.completed': (ev) => {
    const id = ev.item_id || currentUserItem;
    const it = logItem(id, 'user');
    const text = (ev.transcript || '').trim();
    setItemText(it, text, true);
    parley.transcripts.push(text);
    if (id === currentUserItem || !currentUserItem) setText(ui.partial, text, true);
    for (const r of responses.values()) if (r.userItemId === id && r.row) renderRows();
  },

  'conversation.item.input_audio_transcription.failed': (ev) => {
    const it = logItem(ev.item_id || currentUserItem, 'user');
    setItemText(it, '(not transcribed)', true);
  },

  'conversation.item.added': (ev) => addItem(ev.item),
  'conversation.item.created': (ev) => addItem(ev.item),
  'conversation.item.done': (ev) => addItem(ev.item),

  'conversation.item.truncated': (ev) => {
    parley.truncated++;
    const it = items.get(ev.item_id);
    if (it) it.el.dataset.audioEndMs = ev.audio_end_ms;
  },

  'response.created': (ev) => {
    const r = responseState(ev.response?.id);
    r.userItemId = currentUserItem;
    setActivity('thinking', 'thinking…');
  },

  'response.output_item.added': (ev) => {
    const r = responseState(ev.response_id);
    if (ev.item?.id) {
      r.itemId = r.itemId || ev.item.id;
      addItem(ev.item);
    }
  },

  'response.output_audio_transcript.delta': (ev) => replyDelta(ev),
  'response.output_text.delta': (ev) => replyDelta(ev),
  'response.output_audio_transcript.done': (ev) => replyDone(ev),
  'response.output_text.done': (ev) => replyDone(ev),

  'response.output_audio.delta': (ev, s) => {
    const r = responseState(ev.response_id);
    if (r.cancelled || !s.playback || !ev.delta) return;
    r.itemId = r.itemId || ev.item_id;
    if (r.firstAudioCtx == null) {
      r.firstAudioCtx = s.ctx.currentTime;
      r.firstAudioPerf = performance.now();
      r.firstChunkBytes = ev.delta.length;
    }
    const pcm = pcmFromBase64(ev.delta);
    r.chunks++;
    r.samplesReceived += pcm.length;
    parley.audioChunksReceived++;
    parley.samplesReceived += pcm.length;
    s.playback.port.postMessage({ type: 'audio', responseId: r.id, itemId: r.itemId, pcm }, [pcm.buffer]);
  },

  'response.output_audio.done': (ev, s) => {
    const r = responseState(ev.response_id);
    r.audioDone = true;
    if (r.cancelled || !s.playback) return;
    if (r.chunks === 0) r.drained = true;
    s.playback.port.postMessage({ type: 'done', responseId: r.id, itemId: r.itemId });
  },

  'response.done': (ev, s) => {
    const resp = ev.response || {};
    const r = responseState(resp.id);
    r.status = resp.status || 'completed';
    r.done = true;
    parley.turns++;
    if (r.status === 'cancelled') parley.cancelled++;
    ui.turnCount.textContent = String(parley.turns);
    if (r.status === 'cancelled' || r.status === 'failed') {
      if (!r.cancelled && r.chunks > 0 && !r.drained) interrupt(s, r, 'cancelled');
      r.cancelled = true;
      if (r.status === 'failed') {
        const d = resp.status_details?.error;
        showError('The reply failed.', d?.message || d?.code || '');
      }
    } else if (r.chunks === 0) {
      r.drained = true;
    }
    const md = resp.metadata || {};
    const num = (k) => (md[k] == null || md[k] === '' || isNaN(Number(md[k])) ? null : Number(md[k]));
    if (num('latency_end_to_end_ms') != null) {
      r.metadata = {
        endpoint_ms: num('latency_endpoint_ms') ?? 0, stt_ms: num('latency_stt_ms') ?? 0,
        dialog_ms: num('latency_dialog_ms') ?? 0, tts_ms: num('latency_tts_ms') ?? 0,
        out_ms: num('latency_out_ms') ?? 0, network_ms: 0, playout_ms: 0,
        total_ms: num('latency_end_to_end_ms'),
      };
      updateLatency(r);
    }
    renderMeta(r);
    if (parley.state === 'thinking' && r.chunks === 0) setActivity('listening', 'listening');
  },

  'parley.latency': (ev) => {
    if (!ev.waterfall) return;
    const r = responseState(ev.response_id);
    r.itemId = r.itemId || ev.item_id;
    r.latency = ev.waterfall;
    parley.lastLatency = ev.waterfall;
    updateLatency(r);
    renderMeta(r);
  },
};

function addItem(item) {
  if (!item?.id) return;
  const role = item.role || item.type;
  const it = logItem(item.id, role);
  if (it.text) return;
  const content = Array.isArray(item.content) ? item.content : [];
  const text = content.map((c) => c.transcript ?? c.text ?? '').filter(Boolean).join(' ');
  if (text) setItemText(it, text, item.status !== 'in_progress' || role !== 'assistant');
}

function replyDelta(ev) {
  const r = responseState(ev.response_id);
  r.itemId = r.itemId || ev.item_id;
  if (r.cancelled) return;
  r.text += ev.delta || '';
  setText(ui.reply, r.text.trim(), false);
  ui.reply.classList.remove('interrupted');
  if (r.itemId) setItemText(logItem(r.itemId, 'assistant'), r.text.trim(), false);
}

function replyDone(ev) {
  const r = responseState(ev.response_id);
  r.itemId = r.itemId || ev.item_id;
  const text = (ev.transcript ?? ev.text ?? r.text).trim();
  r.text = text;
  parley.replies.push(text);
  if (r.cancelled) {
    showHeard(r);
    return;
  }
  setText(ui.reply, text, true);
  if (r.itemId) setItemText(logItem(r.itemId, 'assistant'), text, true);
}

// ---------------------------------------------------------------- latency

function segmentsOf(w) {
  const v = (x) => (typeof x === 'number' && isFinite(x) ? Math.max(0, x) : 0);
  return {
    endpoint: v(w.endpoint_ms), stt: v(w.stt_ms), dialog: v(w.dialog_ms), tts: v(w.tts_ms),
    network: v(w.out_ms) + v(w.network_ms), playout: v(w.playout_ms),
  };
}

function updateLatency(r) {
  const w = r.latency || r.metadata;
  if (!w) return;
  if (!r.row) {
    r.row = { r };
    turnRows.push(r.row);
  }
  r.row.final = !!r.latency;
  r.row.segments = segmentsOf(w);
  const total = typeof w.total_ms === 'number' ? w.total_ms : Object.values(r.row.segments).reduce((a, b) => a + b, 0);
  r.row.total = total;
  parley.latencies = turnRows.map((row) => row.total);
  const sorted = [...parley.latencies].sort((a, b) => a - b);
  parley.p50 = percentile(sorted, 0.5);
  parley.p95 = percentile(sorted, 0.95);
  ui.p50.textContent = fmtMs(parley.p50);
  ui.p50.dataset.ms = String(Math.round(parley.p50));
  ui.p95.textContent = fmtMs(parley.p95);
  ui.p95.dataset.ms = String(Math.round(parley.p95));
  renderRows();
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted, q) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const fmtMs = (ms) => (ms == null ? '–' : `${Math.round(ms)} ms`);

function niceScale(max) {
  const steps = [500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 15000, 20000, 30000, 60000];
  return steps.find((s) => s >= max) ?? Math.ceil(max / 10000) * 10000;
}

const SVG = 'http://www.w3.org/2000/svg';

function svgEl(name, attrs) {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

function renderRows() {
  if (turnRows.length === 0) return;
  const scale = niceScale(Math.max(...turnRows.map((row) => row.total)));
  const tick = scale <= 1000 ? 100 : scale <= 3000 ? 250 : scale <= 10000 ? 1000 : 5000;
  ui.waterfalls.querySelector('.hint')?.remove();
  turnRows.forEach((row, index) => {
    const r = row.r;
    let el = row.el;
    if (!el) {
      el = row.el = document.createElement('figure');
      el.className = 'waterfall';
      ui.waterfalls.prepend(el); // newest first
    }
    el.dataset.totalMs = String(Math.round(row.total));
    el.dataset.responseId = r.id;
    el.dataset.final = String(row.final);
    el.replaceChildren();

    const cap = document.createElement('figcaption');
    const n = document.createElement('span');
    n.className = 'turn-no';
    n.textContent = `#${index + 1}`;
    const said = document.createElement('span');
    said.className = 'said';
    const userText = r.userItemId && items.get(r.userItemId)?.text;
    said.textContent = userText ? `“${userText}”` : '';
    const total = document.createElement('b');
    total.className = 'total';
    total.textContent = fmtMs(row.total);
    total.title = row.final ? 'end of speech → first reply audio at the speaker'
      : 'server side only (until the client\'s playback report arrives)';
    cap.append(n, said, total);
    if (!row.final) {
      const p = document.createElement('small');
      p.className = 'provisional';
      p.textContent = 'server side';
      cap.append(p);
    }
    if (r.cancelled) {
      const i = document.createElement('small');
      i.className = 'interrupted-tag';
      i.textContent = 'interrupted';
      cap.append(i);
    }

    const svg = svgEl('svg', { class: 'wf-bar', role: 'img', width: '100%', height: 26 });
    svg.setAttribute('aria-label', SEGMENTS.map((k) => `${k} ${Math.round(row.segments[k])} ms`).join(', '));
    for (let t = tick; t < scale; t += tick) {
      const x = `${(t / scale) * 100}%`;
      svg.append(svgEl('line', { x1: x, x2: x, y1: 0, y2: 26, class: 'tick' }));
    }
    const barPx = ui.waterfalls.clientWidth || 600;
    let x = 0;
    for (const k of SEGMENTS) {
      const ms = row.segments[k];
      if (ms <= 0) continue;
      const w = (ms / scale) * 100;
      const rect = svgEl('rect', { x: `${x}%`, y: 3, width: `${w}%`, height: 20, rx: 2, class: `seg seg-${k}` });
      rect.dataset.segment = k;
      rect.dataset.ms = String(Math.round(ms));
      const title = svgEl('title', {});
      title.textContent = `${k}: ${Math.round(ms)} ms`;
      rect.append(title);
      svg.append(rect);
      const text = `${Math.round(ms)}`;
      if ((w / 100) * barPx >= 8 + 7 * text.length) { // label the segments wide enough to hold their number
        const label = svgEl('text', { x: `${x + w / 2}%`, y: 17, class: 'seg-label', 'text-anchor': 'middle' });
        label.textContent = text;
        svg.append(label);
      }
      x += w;
    }
    const axis = document.createElement('div');
    axis.className = 'axis';
    axis.innerHTML = `<span>0</span><span>${scale >= 1000 ? scale / 1000 + ' s' : scale + ' ms'}</span>`;
    el.append(cap, svg, axis);
  });
}

function renderMeta(r) {
  const it = r.itemId && items.get(r.itemId);
  if (!it) return;
  const parts = [];
  const w = r.latency || r.metadata;
  if (w && typeof w.total_ms === 'number') parts.push(`${Math.round(w.total_ms)} ms to first sound${r.latency ? '' : ' (server side)'}`);
  if (it.metaEl.dataset.interrupted) parts.push(it.metaEl.dataset.interrupted);
  else if (r.status === 'failed') parts.push('failed');
  it.metaEl.textContent = parts.join(' · ');
}

// ---------------------------------------------------------------- wiring

ui.start.addEventListener('click', () => (session ? stop() : start()));
$('settings').addEventListener('submit', (e) => {
  e.preventDefault(); // Enter in the token field: connect
  if (!session) start();
});
window.addEventListener('pagehide', () => session && stop());
let resizeTimer = 0;
window.addEventListener('resize', () => { // segment labels depend on the bar's width
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(renderRows, 150);
});
ui.start.disabled = false;
