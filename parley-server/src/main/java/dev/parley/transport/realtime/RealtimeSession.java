package dev.parley.transport.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.audio.AudioSink;
import dev.parley.audio.PcmAudio;
import dev.parley.dialog.Message;
import dev.parley.latency.Waterfall;
import dev.parley.session.SessionConfig;
import dev.parley.session.SessionEvent;
import dev.parley.session.VoiceSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * One Realtime API session over a {@link VoiceSession}: client events in ({@link #onMessage}), server events out
 * (to an {@link Outbox}). Knows nothing of sockets, so it is tested by feeding it events.
 *
 * <p>Client events come from one thread at a time (the connection's); session events and reply audio come from the
 * voice session's threads. The protocol state (items, responses) is guarded by this object's monitor, which is never
 * held while calling into the voice session: the voice session calls back under its own monitor, so the lock order is
 * always voice session, then this.
 */
public final class RealtimeSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RealtimeSession.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ITEMS = 256;
    private static final int MAX_RESPONSES = 32;

    private final String id;
    private final String conversationId = Ids.next("conv");
    private final SessionConfig base;
    private final Outbox out;
    private final RealtimeMetrics metrics;
    private final LongSupplier clock;
    private final EventValidator validator;
    private final ClientEventParser parser = new ClientEventParser();
    private final VoiceSession voice;
    private volatile SessionSettings settings;

    // Protocol state: guarded by this.
    private final LinkedHashMap<String, Item> items = new LinkedHashMap<>();
    private final Map<Integer, Item> userItems = new HashMap<>();
    private final LinkedHashMap<String, Response> responses = new LinkedHashMap<>();
    private final Map<Integer, Response> responsesByTurn = new HashMap<>();
    /** Turns whose words continued in the next turn: their items are deleted once their response is done. */
    private final java.util.Set<Integer> mergedTurns = new java.util.HashSet<>();
    private String lastItemId;
    private Response speaking;
    private boolean cancelRequested;
    private boolean closed;

    // Input side: touched only by the thread delivering client events.
    private long bufferStartMs;
    /** The length of the audio being committed by the client, for the item the commit creates. */
    private volatile long committingMs;
    /** When the event being handled arrived. */
    private long receivedNanos;

    /**
     * @param id       the session id (also the log context)
     * @param engines  this session's engines (its own VAD; shared STT, dialog, TTS)
     * @param base     the server's pipeline settings, which the client's turn detection adjusts
     * @param defaults the session settings before any session.update
     * @param executor runs the voice session's reply tasks
     */
    public RealtimeSession(String id, VoiceSession.Engines engines, SessionConfig base, SessionSettings defaults,
                           Outbox out, RealtimeMetrics metrics, LongSupplier clock, Executor executor, SessionBudget budget) {
        this.id = id;
        this.base = base;
        this.out = out;
        this.metrics = metrics;
        this.clock = clock;
        this.validator = new EventValidator(budget, defaults.voice());
        this.settings = defaults;
        this.voice = new VoiceSession(engines, new Sink(), defaults.toSessionConfig(base), this::onSessionEvent, clock, executor);
        voice.instructions(defaults.instructions());
    }

    public String id() {
        return id;
    }

    public SessionSettings settings() {
        return settings;
    }

    /** Announces the session: the first server event. */
    public void start() {
        ObjectNode e = event("session.created");
        e.set("session", settings.toJson(id));
        send(e);
    }

    /** Takes one client event (a WebSocket text message) as it arrives. */
    public void onMessage(String text) {
        onMessage(text, clock.getAsLong());
    }

    /**
     * Takes one client event (a WebSocket text message) that arrived at {@code receivedNanos} (the clock's time).
     * Never throws: problems become {@code error} events.
     */
    public void onMessage(String text, long receivedNanos) {
        this.receivedNanos = receivedNanos;
        if (text.length() > validator.maxEventChars()) {
            onOversized(text.length());
            return;
        }
        ClientEvent event;
        try {
            event = parser.parse(text);
        } catch (ProtocolException e) {
            error("invalid_request_error", e.code(), e.getMessage(), e.param(), parser.eventIdOf(text));
            return;
        }
        try {
            validator.check(event, conversationChars(), settings.turnDetection() != null ? 0
                    : (voice.inputPositionMs() - bufferStartMs) * settings.inputRate() * 2 / 1000);
            handle(event);
        } catch (ProtocolException e) {
            error("invalid_request_error", e.code(), e.getMessage(), e.param(), event.eventId());
        } catch (RuntimeException e) {
            log.warn("failed on {}", event.getClass().getSimpleName(), e);
            error("server_error", "internal_error", "Parley failed on this event: " + e, null, event.eventId());
        }
    }

    /** A client event of {@code chars} characters, over the event limit: answered, never parsed (nor kept). */
    public void onOversized(long chars) {
        ProtocolException e = validator.tooLarge(chars);
        error("invalid_request_error", e.code(), e.getMessage(), null, null);
    }

    /** The binary frames OpenAI's protocol does not use. */
    public void onBinary() {
        error("invalid_request_error", "invalid_event", "events are JSON text messages; binary messages are not used", null, null);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        voice.close();
    }

    // ---------------------------------------------------------------- client events

    private void handle(ClientEvent event) throws ProtocolException {
        switch (event) {
            case ClientEvent.SessionUpdate u -> sessionUpdate(u);
            case ClientEvent.AudioAppend a -> voice.accept(new PcmAudio(a.samples(), settings.inputRate()));
            case ClientEvent.AudioCommit c -> commit();
            case ClientEvent.AudioClear c -> {
                voice.clearInput();
                bufferStartMs = voice.inputPositionMs();
                send(event("input_audio_buffer.cleared"));
            }
            case ClientEvent.ItemCreate c -> createItem(c);
            case ClientEvent.ItemTruncate t -> truncate(t);
            case ClientEvent.ResponseCreate r -> {
                try {
                    voice.respond();
                } catch (IllegalStateException e) {
                    throw new ProtocolException("conversation_already_has_active_response",
                            "a response is in progress: cancel it or wait for response.done");
                }
            }
            case ClientEvent.ResponseCancel c -> cancel(c);
            case ClientEvent.PlaybackStarted p -> playbackStarted(p);
        }
    }

    private void sessionUpdate(ClientEvent.SessionUpdate u) throws ProtocolException {
        SessionSettings next = settings.apply(u.session(), base);
        SessionSettings previous = settings;
        settings = next;
        voice.reconfigure(next.toSessionConfig(base));
        voice.instructions(next.instructions());
        if ((previous.turnDetection() == null) != (next.turnDetection() == null)) bufferStartMs = voice.inputPositionMs();
        ObjectNode e = event("session.updated");
        e.set("session", next.toJson(id));
        send(e);
    }

    private void commit() throws ProtocolException {
        committingMs = voice.inputPositionMs() - bufferStartMs;
        try {
            voice.commit();
        } catch (IllegalStateException e) {
            throw new ProtocolException("input_audio_buffer_commit_empty", e.getMessage());
        }
        bufferStartMs = voice.inputPositionMs();
    }

    private void createItem(ClientEvent.ItemCreate c) throws ProtocolException {
        String itemId = c.itemId() == null ? Ids.next("item") : c.itemId();
        synchronized (this) {
            if (items.containsKey(itemId)) {
                throw new ProtocolException("invalid_value", "an item \"" + itemId + "\" already exists", "item.id");
            }
        }
        voice.addMessage(c.message());
        synchronized (this) {
            Item item = new Item(itemId, c.message().role(), 0);
            item.text = c.message().text();
            item.typed = true;
            item.status = "completed";
            added(item);
        }
    }

    private void truncate(ClientEvent.ItemTruncate t) throws ProtocolException {
        Response r;
        String heard;
        synchronized (this) {
            Item item = items.get(t.itemId());
            if (item == null) throw new ProtocolException("item_not_found", "no item \"" + t.itemId() + "\" in the conversation", "item_id");
            if (item.role != Message.Role.ASSISTANT || item.response == null) {
                throw new ProtocolException("invalid_value", "only assistant messages with audio can be truncated", "item_id");
            }
            r = item.response;
            long audioMs = r.audioMs();
            if (t.audioEndMs() > audioMs) {
                throw new ProtocolException("invalid_audio_end_ms", "audio_end_ms " + t.audioEndMs()
                        + " is past the end of the item's audio (" + audioMs + " ms)", "audio_end_ms");
            }
            heard = r.heardText(t.audioEndMs());
        }
        voice.truncateReply(r.turn, heard);
        synchronized (this) {
            r.item.text = heard;
            ObjectNode e = event("conversation.item.truncated");
            e.put("item_id", r.item.id);
            e.put("content_index", 0);
            e.put("audio_end_ms", t.audioEndMs());
            send(e);
        }
    }

    private void cancel(ClientEvent.ResponseCancel c) throws ProtocolException {
        synchronized (this) {
            if (c.responseId() != null) {
                Response r = responses.get(c.responseId());
                if (r == null) throw new ProtocolException("response_cancel_not_active", "no response \"" + c.responseId() + "\"", "response_id");
                if (r.done) throw new ProtocolException("response_cancel_not_active", "response \"" + c.responseId() + "\" is already done", "response_id");
            }
            cancelRequested = true;
        }
        if (!voice.cancelReply()) {
            synchronized (this) {
                cancelRequested = false;
            }
            throw new ProtocolException("response_cancel_not_active", "no response is in progress");
        }
    }

    private synchronized void playbackStarted(ClientEvent.PlaybackStarted p) throws ProtocolException {
        Response r = responses.get(p.responseId());
        if (r == null) throw new ProtocolException("invalid_value", "no response \"" + p.responseId() + "\"", "response_id");
        if (r.firstDeltaNanos == 0 || r.waterfall == null) {
            throw new ProtocolException("invalid_value", "no audio of response \"" + p.responseId() + "\" was sent yet", "response_id");
        }
        if (r.heard) return;
        r.heard = true;
        double roundTrip = (receivedNanos - r.firstDeltaNanos) / 1e6 - p.bufferedMs();
        Waterfall w = r.waterfall;
        Map<String, Double> stages = new LinkedHashMap<>();
        stages.put("endpoint_ms", w.endpointMs());
        stages.put("stt_ms", w.sttMs());
        stages.put("dialog_ms", w.dialogMs());
        stages.put("tts_ms", w.ttsMs());
        stages.put("out_ms", w.outMs());
        stages.put("network_ms", Math.max(0, roundTrip));
        stages.put("playout_ms", p.bufferedMs() + p.outputLatencyMs());
        double total = stages.values().stream().mapToDouble(Double::doubleValue).sum();
        stages.put("total_ms", total);
        ObjectNode e = event("parley.latency");
        e.put("response_id", r.id);
        e.put("item_id", r.item.id);
        ObjectNode wf = e.putObject("waterfall");
        stages.forEach((k, v) -> wf.put(k, Math.round(v * 10) / 10.0));
        send(e);
        metrics.heard(stages);
    }

    // ---------------------------------------------------------------- session events (under the voice session's monitor)

    private void onSessionEvent(SessionEvent event) {
        synchronized (this) {
            if (closed) return;
            switch (event) {
                case SessionEvent.SpeechStarted s -> {
                    Item item = userItem(s.turn());
                    ObjectNode e = event("input_audio_buffer.speech_started");
                    e.put("audio_start_ms", Math.max(0, s.startMs() - voice.config().preRollMs()));
                    e.put("item_id", item.id);
                    item.audioMs = -s.startMs();
                    send(e);
                }
                case SessionEvent.SpeechStopped s -> {
                    Item item = userItem(s.turn());
                    if (item.audioMs < 0) item.audioMs = s.endMs() + item.audioMs;
                    ObjectNode e = event("input_audio_buffer.speech_stopped");
                    e.put("audio_end_ms", s.endMs());
                    e.put("item_id", item.id);
                    send(e);
                }
                case SessionEvent.InputCommitted c -> {
                    Item item = userItem(c.turn());
                    if (item.audioMs == 0) item.audioMs = committingMs;
                    ObjectNode e = event("input_audio_buffer.committed");
                    e.put("previous_item_id", lastItemId);
                    e.put("item_id", item.id);
                    send(e);
                    item.status = "completed";
                    added(item);
                }
                case SessionEvent.PartialTranscript p -> partial(p);
                case SessionEvent.FinalTranscript f -> finalTranscript(f);
                case SessionEvent.ReplyStarted r -> startResponse(r.turn());
                case SessionEvent.ReplyPhrase p -> {
                    Response r = responsesByTurn.get(p.turn());
                    if (r == null || r.done) return;
                    r.phrases.add(new HeardText.Phrase(r.samples, p.text()));
                    String delta = r.transcript.isEmpty() ? p.text() : " " + p.text();
                    r.transcript.append(delta);
                    ObjectNode e = responsePartEvent("response.output_audio_transcript.delta", r);
                    e.put("delta", delta);
                    send(e);
                    speaking = r;
                }
                case SessionEvent.ReplyAudioStarted a -> {
                    Response r = responsesByTurn.get(a.turn());
                    if (r != null) r.waterfall = a.waterfall();
                }
                case SessionEvent.Interrupted i -> {
                    Response r = responsesByTurn.get(i.turn());
                    if (r != null && !r.done) {
                        finishResponse(r, "cancelled", cancelRequested ? "client_cancelled" : "turn_detected");
                    }
                    cancelRequested = false;
                }
                case SessionEvent.TurnCompleted c -> {
                    Response r = responsesByTurn.get(c.turn());
                    if (r != null && !r.done) {
                        finishResponse(r, c.interrupted() ? "cancelled" : r.failed ? "failed" : "completed",
                                c.interrupted() ? "turn_detected" : null);
                    }
                    metrics.turnCompleted(c.waterfall(), c.interrupted());
                    if (mergedTurns.remove(c.turn())) deleteTurn(c.turn(), r);
                }
                case SessionEvent.Merged m -> mergedTurns.add(m.turn());
                case SessionEvent.ReplyResumed rr -> {
                    Item dropped = rr.droppedTurn() == 0 ? null : userItems.remove(rr.droppedTurn());
                    if (dropped != null && !items.containsKey(dropped.id)) {
                        ObjectNode e = event("input_audio_buffer.speech_stopped");
                        e.put("audio_end_ms", voice.inputPositionMs());
                        e.put("item_id", dropped.id);
                        send(e);
                    }
                }
                case SessionEvent.Error err -> {
                    Response r = responsesByTurn.get(err.turn());
                    if (r != null && (err.stage().equals("tts") || err.stage().equals("output"))) r.failed = true;
                    error("server_error", err.stage() + "_failed", err.message(), null, null);
                }
                case SessionEvent.ProviderFailedOver f -> {
                    metrics.failover(f.failover().stage(), f.failover().from());
                    error("server_error", "provider_failover", f.failover().message(), null, null);
                }
                case SessionEvent.StateChanged s -> {
                }
            }
        }
    }

    private void partial(SessionEvent.PartialTranscript p) {
        if (!settings.transcription()) return;
        Item item = userItem(p.turn());
        // deltas only add text: a revision of words already sent waits for the completed transcript
        if (!p.text().startsWith(item.sentPartial) || p.text().length() == item.sentPartial.length()) return;
        String delta = p.text().substring(item.sentPartial.length());
        item.sentPartial = p.text();
        ObjectNode e = event("conversation.item.input_audio_transcription.delta");
        e.put("item_id", item.id);
        e.put("content_index", 0);
        e.put("delta", delta);
        send(e);
    }

    private void finalTranscript(SessionEvent.FinalTranscript f) {
        Item item = userItem(f.turn());
        item.text = f.transcript().text();
        if (settings.transcription()) {
            ObjectNode e = event("conversation.item.input_audio_transcription.completed");
            e.put("item_id", item.id);
            e.put("content_index", 0);
            e.put("transcript", item.text);
            e.putNull("logprobs");
            ObjectNode usage = e.putObject("usage");
            usage.put("type", "duration");
            usage.put("seconds", Math.max(0, item.audioMs) / 1000.0);
            send(e);
        }
        ObjectNode done = event("conversation.item.done");
        done.put("previous_item_id", previousOf(item.id));
        done.set("item", item.toJson());
        send(done);
    }

    /**
     * The user's words of {@code turn} continued in their next turn, which replaces it: its items leave the
     * conversation, as a client's {@code conversation.item.delete} would remove them.
     */
    private void deleteTurn(int turn, Response r) {
        Item user = userItems.remove(turn);
        for (Item item : new Item[]{user, r == null ? null : r.item}) {
            if (item == null || items.remove(item.id) == null) continue;
            if (item.id.equals(lastItemId)) lastItemId = items.isEmpty() ? null : items.lastEntry().getKey();
            ObjectNode e = event("conversation.item.deleted");
            e.put("item_id", item.id);
            send(e);
        }
    }

    private void startResponse(int turn) {
        Response existing = responsesByTurn.get(turn);
        if (existing != null && !existing.done) return; // a speculation replaced under the same turn
        Item item = new Item(Ids.next("item"), Message.Role.ASSISTANT, turn);
        Response r = new Response(Ids.next("resp"), turn, item, settings.outputRate());
        item.response = r;
        responses.put(r.id, r);
        responsesByTurn.put(turn, r);
        evictOld();
        ObjectNode created = event("response.created");
        created.set("response", r.toJson());
        send(created);
        ObjectNode outputAdded = event("response.output_item.added");
        outputAdded.put("response_id", r.id);
        outputAdded.put("output_index", 0);
        outputAdded.set("item", item.toJson());
        send(outputAdded);
        added(item);
        ObjectNode part = responsePartEvent("response.content_part.added", r);
        part.set("part", audioPart(""));
        send(part);
    }

    private void finishResponse(Response r, String status, String reason) {
        r.done = true;
        r.status = status;
        r.reason = reason;
        r.item.status = status.equals("completed") ? "completed" : "incomplete";
        r.item.text = r.transcript.toString();
        if (speaking == r) speaking = null;
        if (!status.equals("completed")) out.discardAudio(r.id);
        send(responsePartEvent("response.output_audio.done", r));
        ObjectNode td = responsePartEvent("response.output_audio_transcript.done", r);
        td.put("transcript", r.item.text);
        send(td);
        ObjectNode part = responsePartEvent("response.content_part.done", r);
        part.set("part", audioPart(r.item.text));
        send(part);
        ObjectNode itemDone = event("response.output_item.done");
        itemDone.put("response_id", r.id);
        itemDone.put("output_index", 0);
        itemDone.set("item", r.item.toJson());
        send(itemDone);
        ObjectNode conversationDone = event("conversation.item.done");
        conversationDone.put("previous_item_id", previousOf(r.item.id));
        conversationDone.set("item", r.item.toJson());
        send(conversationDone);
        ObjectNode done = event("response.done");
        done.set("response", r.toJson());
        send(done);
    }

    // ---------------------------------------------------------------- reply audio

    /** The voice session's audio output: each chunk becomes a {@code response.output_audio.delta}. */
    private final class Sink implements AudioSink {
        @Override
        public int sampleRate() {
            return settings.outputRate();
        }

        @Override
        public void write(PcmAudio chunk) {
            synchronized (RealtimeSession.this) {
                Response r = speaking;
                if (r == null || r.done || closed || chunk.isEmpty()) return;
                ObjectNode e = responsePartEvent("response.output_audio.delta", r);
                e.put("delta", Base64.getEncoder().encodeToString(chunk.toLittleEndianBytes()));
                if (r.firstDeltaNanos == 0) r.firstDeltaNanos = clock.getAsLong();
                r.samples += chunk.length();
                r.rate = chunk.sampleRate();
                out.sendAudio(RealtimeSession.write(e), r.id);
            }
        }

        @Override
        public void interrupt() {
        }

        @Override
        public void drain() {
        }
    }

    // ---------------------------------------------------------------- items and responses (guarded by this)

    private Item userItem(int turn) {
        return userItems.computeIfAbsent(turn, t -> new Item(Ids.next("item"), Message.Role.USER, t));
    }

    /** Appends an item to the conversation and announces it (both the beta and the GA event). */
    private void added(Item item) {
        String previous = lastItemId;
        items.put(item.id, item);
        lastItemId = item.id;
        evictOld();
        for (String type : new String[]{"conversation.item.created", "conversation.item.added"}) {
            ObjectNode e = event(type);
            e.put("previous_item_id", previous);
            e.set("item", item.toJson());
            send(e);
        }
    }

    /** The text the conversation's items hold, for the {@link SessionBudget}. */
    private synchronized long conversationChars() {
        return items.values().stream().mapToLong(i -> i.text == null ? 0 : i.text.length()).sum();
    }

    private String previousOf(String itemId) {
        String previous = null;
        for (String k : items.keySet()) {
            if (k.equals(itemId)) return previous;
            previous = k;
        }
        return null;
    }

    private void evictOld() {
        for (Iterator<Item> it = items.values().iterator(); items.size() > MAX_ITEMS && it.hasNext(); ) {
            Item old = it.next();
            it.remove();
            userItems.remove(old.turn, old);
        }
        for (Iterator<Response> it = responses.values().iterator(); responses.size() > MAX_RESPONSES && it.hasNext(); ) {
            Response old = it.next();
            if (!old.done) continue;
            it.remove();
            responsesByTurn.remove(old.turn, old);
        }
    }

    private ObjectNode responsePartEvent(String type, Response r) {
        ObjectNode e = event(type);
        e.put("response_id", r.id);
        e.put("item_id", r.item.id);
        e.put("output_index", 0);
        e.put("content_index", 0);
        return e;
    }

    private static ObjectNode audioPart(String transcript) {
        ObjectNode p = NODES.objectNode();
        p.put("type", "audio");
        p.put("transcript", transcript);
        return p;
    }

    private static ObjectNode event(String type) {
        ObjectNode e = NODES.objectNode();
        e.put("type", type);
        e.put("event_id", Ids.next("event"));
        return e;
    }

    private void error(String type, String code, String message, String param, String eventId) {
        ObjectNode e = event("error");
        ObjectNode err = e.putObject("error");
        err.put("type", type);
        err.put("code", code);
        err.put("message", message);
        err.put("param", param);
        err.put("event_id", eventId);
        log.debug("error {}: {}", code, message);
        synchronized (this) {
            send(e);
        }
        metrics.error(type, code);
    }

    private void send(ObjectNode event) {
        if (closed) return;
        out.send(write(event));
    }

    private static String write(ObjectNode event) {
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A conversation item. */
    private static final class Item {
        final String id;
        final Message.Role role;
        final int turn;
        String text;
        boolean typed;
        String status = "in_progress";
        Response response;
        /** User audio: its length in ms once known (negative: minus its start, while it lasts). */
        long audioMs;
        String sentPartial = "";

        Item(String id, Message.Role role, int turn) {
            this.id = id;
            this.role = role;
            this.turn = turn;
        }

        ObjectNode toJson() {
            ObjectNode n = NODES.objectNode();
            n.put("id", id);
            n.put("object", "realtime.item");
            n.put("type", "message");
            n.put("status", status);
            n.put("role", role.name().toLowerCase(java.util.Locale.ROOT));
            ArrayNode content = n.putArray("content");
            if (typed) {
                ObjectNode c = content.addObject();
                c.put("type", role == Message.Role.ASSISTANT ? "output_text" : "input_text");
                c.put("text", text);
            } else if (role == Message.Role.USER) {
                ObjectNode c = content.addObject();
                c.put("type", "input_audio");
                c.put("transcript", text);
            } else if (text != null) {
                ObjectNode c = content.addObject();
                c.put("type", "output_audio");
                c.put("transcript", text);
            }
            return n;
        }
    }

    /** A reply: its item, its transcript, where each phrase starts in its audio. */
    private final class Response {
        final String id;
        final int turn;
        final Item item;
        final StringBuilder transcript = new StringBuilder();
        final List<HeardText.Phrase> phrases = new ArrayList<>();
        int rate;
        long samples;
        long firstDeltaNanos;
        Waterfall waterfall;
        boolean done;
        boolean failed;
        boolean heard;
        String status = "in_progress";
        String reason;

        Response(String id, int turn, Item item, int rate) {
            this.id = id;
            this.turn = turn;
            this.item = item;
            this.rate = rate;
        }

        long audioMs() {
            return samples * 1000 / rate;
        }

        /**
         * The words of the reply within its first {@code audioEndMs}: every phrase that ended by then, and of the
         * phrase playing at that moment, the share of its words its share of time covers.
         */
        String heardText(long audioEndMs) {
            return HeardText.of(phrases, samples, rate, audioEndMs);
        }

        ObjectNode toJson() {
            ObjectNode n = NODES.objectNode();
            n.put("object", "realtime.response");
            n.put("id", id);
            n.put("status", status);
            if (status.equals("in_progress") || status.equals("completed")) {
                n.putNull("status_details");
            } else {
                ObjectNode d = n.putObject("status_details");
                d.put("type", status);
                if (reason != null) d.put("reason", reason);
                if (status.equals("failed")) d.putObject("error").put("type", "server_error").put("code", "tts_failed");
            }
            ArrayNode output = n.putArray("output");
            if (done) output.add(item.toJson());
            n.put("conversation_id", conversationId);
            n.putArray("output_modalities").add("audio");
            n.put("max_output_tokens", "inf");
            ObjectNode audio = n.putObject("audio").putObject("output");
            audio.set("format", SessionSettings.format(rate));
            audio.put("voice", settings.voice());
            n.putNull("usage");
            if (done && waterfall != null) {
                ObjectNode m = n.putObject("metadata");
                waterfall.stagesMs().forEach((k, v) -> m.put("latency_" + k + "_ms", String.valueOf(Math.round(v * 10) / 10.0)));
                waterfall.providerTtfbMs().forEach((k, v) -> m.put("latency_ttfb_" + k + "_ms", String.valueOf(Math.round(v * 10) / 10.0)));
            } else {
                n.putNull("metadata");
            }
            return n;
        }
    }
}
