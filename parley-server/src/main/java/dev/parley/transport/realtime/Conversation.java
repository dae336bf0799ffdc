package dev.parley.transport.realtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.audio.PcmAudio;
import dev.parley.dialog.Message;
import dev.parley.latency.Waterfall;
import dev.parley.session.SessionEvent;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import static dev.parley.transport.realtime.ServerEvents.aboutItem;
import static dev.parley.transport.realtime.ServerEvents.audioPart;
import static dev.parley.transport.realtime.ServerEvents.event;
import static dev.parley.transport.realtime.ServerEvents.responsePart;

/**
 * A Realtime session's conversation: its items and responses, and the server events that report them. The state is
 * guarded by this object's monitor, under which events are only posted (as trees, in order) to the
 * {@link ServerEventQueue}; each method flushes the queue after letting the monitor go, so no JSON text or Base64 is
 * written under it. Session events arrive under the voice session's monitor, so the lock order is voice session,
 * then this; nothing here calls into the voice session.
 */
final class Conversation {
    private static final int MAX_ITEMS = 256;
    private static final int MAX_RESPONSES = 32;

    /** What the conversation reads of the voice session's input, when a session event reports it. */
    interface Input {
        long positionMs();

        long preRollMs();
    }

    /** An item truncation checked: the reply to cut and the words heard of it. */
    record Truncation(Response response, String heard) {
        int turn() {
            return response.turn;
        }
    }

    private final String conversationId = Ids.next("conv");
    private final Supplier<SessionSettings> settings;
    private final ServerEventQueue events;
    private final RealtimeMetrics metrics;
    private final LongSupplier clock;
    private final Input input;

    // guarded by this
    private final LinkedHashMap<String, Item> items = new LinkedHashMap<>();
    private final Map<Integer, Item> userItems = new HashMap<>();
    private final LinkedHashMap<String, Response> responses = new LinkedHashMap<>();
    private final Map<Integer, Response> responsesByTurn = new HashMap<>();
    /** Turns whose words continued in the next turn: their items are deleted once their response is done. */
    private final Set<Integer> mergedTurns = new HashSet<>();
    private String lastItemId;
    private Response speaking;
    private boolean cancelRequested;
    private boolean closed;

    /** The length of the audio being committed by the client, for the item the commit creates. */
    private volatile long committingMs;

    Conversation(Supplier<SessionSettings> settings, ServerEventQueue events, RealtimeMetrics metrics, LongSupplier clock, Input input) {
        this.settings = settings;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
        this.input = input;
    }

    /** Stops reporting; false if already closed. */
    synchronized boolean close() {
        if (closed) return false;
        closed = true;
        return true;
    }

    /** Sends a server event that reports no conversation state. */
    void send(ObjectNode event) {
        synchronized (this) {
            post(event);
        }
        events.flush();
    }

    void error(String type, String code, String message, String param, String eventId) {
        send(ServerEvents.error(type, code, message, param, eventId));
        metrics.error(type, code);
    }

    /** The text the conversation's items hold, for the {@link SessionBudget}. */
    synchronized long chars() {
        return items.values().stream().mapToLong(i -> i.text == null ? 0 : i.text.length()).sum();
    }

    void committing(long audioMs) {
        committingMs = audioMs;
    }

    // ---------------------------------------------------------------- client events' bookkeeping

    synchronized void checkNewItem(String itemId) throws ProtocolException {
        if (items.containsKey(itemId)) {
            throw new ProtocolException("invalid_value", "an item \"" + itemId + "\" already exists", "item.id");
        }
    }

    /** A message the client created, once in the voice session's conversation under {@code key}. */
    void addTyped(String itemId, Message message, int key) {
        synchronized (this) {
            Item item = new Item(itemId, message.role(), key);
            item.text = message.text();
            item.typed = true;
            item.status = "completed";
            added(item);
        }
        events.flush();
    }

    /** {@code conversation.item.retrieved}: the item as it stands. */
    void retrieve(String itemId) throws ProtocolException {
        synchronized (this) {
            Item item = items.get(itemId);
            if (item == null) throw new ProtocolException("item_not_found", "no item \"" + itemId + "\" in the conversation", "item_id");
            ObjectNode e = event("conversation.item.retrieved");
            e.set("item", ServerEvents.item(item));
            post(e);
        }
        events.flush();
    }

    /**
     * Takes an item out of the conversation ({@code conversation.item.deleted}); the voice session is told by the
     * caller. An item whose reply is being made or the user turn still being heard cannot go yet.
     *
     * @return the item removed
     */
    Item delete(String itemId) throws ProtocolException {
        try {
            synchronized (this) {
                Item item = items.get(itemId);
                if (item == null) throw new ProtocolException("item_not_found", "no item \"" + itemId + "\" in the conversation", "item_id");
                if (!item.status.equals("completed") || item.response != null && !item.response.done) {
                    throw new ProtocolException("invalid_value", "item \"" + itemId + "\" is in progress; cancel its response or wait for it first", "item_id");
                }
                items.remove(itemId);
                if (item.role == Message.Role.USER && !item.typed) userItems.remove(item.turn);
                if (itemId.equals(lastItemId)) lastItemId = items.isEmpty() ? null : items.lastEntry().getKey();
                post(aboutItem("conversation.item.deleted", itemId));
                return item;
            }
        } finally {
            events.flush();
        }
    }

    synchronized Truncation truncation(String itemId, long audioEndMs) throws ProtocolException {
        Item item = items.get(itemId);
        if (item == null) throw new ProtocolException("item_not_found", "no item \"" + itemId + "\" in the conversation", "item_id");
        if (item.role != Message.Role.ASSISTANT || item.response == null) {
            throw new ProtocolException("invalid_value", "only assistant messages with audio can be truncated", "item_id");
        }
        Response r = item.response;
        long audioMs = r.audioMs();
        if (audioEndMs > audioMs) {
            throw new ProtocolException("invalid_audio_end_ms", "audio_end_ms " + audioEndMs
                    + " is past the end of the item's audio (" + audioMs + " ms)", "audio_end_ms");
        }
        return new Truncation(r, r.heardText(audioEndMs));
    }

    void truncated(Truncation t, long audioEndMs) {
        synchronized (this) {
            Response r = t.response();
            r.item.text = t.heard();
            ObjectNode e = aboutItem("conversation.item.truncated", r.item.id);
            e.put("content_index", 0);
            e.put("audio_end_ms", audioEndMs);
            post(e);
        }
        events.flush();
    }

    /** Marks a cancel the client asked for (of {@code responseId}, if named), before the reply is cancelled. */
    synchronized void cancelRequested(String responseId) throws ProtocolException {
        if (responseId != null) {
            Response r = responses.get(responseId);
            if (r == null) throw new ProtocolException("response_cancel_not_active", "no response \"" + responseId + "\"", "response_id");
            if (r.done) throw new ProtocolException("response_cancel_not_active", "response \"" + responseId + "\" is already done", "response_id");
        }
        cancelRequested = true;
    }

    /** There was no reply to cancel. */
    synchronized void cancelNotActive() {
        cancelRequested = false;
    }

    /** The client started playing a response's audio: the waterfall at the ear. */
    void playbackStarted(String responseId, double bufferedMs, double outputLatencyMs, long receivedNanos) throws ProtocolException {
        try {
            synchronized (this) {
                Response r = responses.get(responseId);
                if (r == null) throw new ProtocolException("invalid_value", "no response \"" + responseId + "\"", "response_id");
                if (r.firstDeltaNanos == 0 || r.waterfall == null) {
                    throw new ProtocolException("invalid_value", "no audio of response \"" + responseId + "\" was sent yet", "response_id");
                }
                if (r.heard) return;
                r.heard = true;
                double roundTrip = (receivedNanos - r.firstDeltaNanos) / 1e6 - bufferedMs;
                Waterfall w = r.waterfall;
                Map<String, Double> stages = new LinkedHashMap<>();
                stages.put("endpoint_ms", w.endpointMs());
                stages.put("stt_ms", w.sttMs());
                stages.put("dialog_ms", w.dialogMs());
                stages.put("tts_ms", w.ttsMs());
                stages.put("out_ms", w.outMs());
                stages.put("network_ms", Math.max(0, roundTrip));
                stages.put("playout_ms", bufferedMs + outputLatencyMs);
                double total = stages.values().stream().mapToDouble(Double::doubleValue).sum();
                stages.put("total_ms", total);
                post(ServerEvents.latency(r, stages));
                metrics.heard(stages);
            }
        } finally {
            events.flush();
        }
    }

    // ---------------------------------------------------------------- reply audio

    /** A chunk of the reply being spoken: a {@code response.output_audio.delta}, encoded after the lock. */
    void audio(PcmAudio chunk) {
        synchronized (this) {
            Response r = speaking;
            if (r == null || r.done || closed || chunk.isEmpty()) return;
            if (r.firstDeltaNanos == 0) r.firstDeltaNanos = clock.getAsLong();
            r.samples += chunk.length();
            r.rate = chunk.sampleRate();
            events.audio(r.id, r.item.id, chunk, r.format);
        }
        events.flush();
    }

    // ---------------------------------------------------------------- session events (under the voice session's monitor)

    void onSessionEvent(SessionEvent event) {
        synchronized (this) {
            if (!closed) apply(event);
        }
        events.flush();
    }

    private void apply(SessionEvent event) {
        switch (event) {
            case SessionEvent.SpeechStarted s -> {
                Item item = userItem(s.turn());
                ObjectNode e = event("input_audio_buffer.speech_started");
                e.put("audio_start_ms", Math.max(0, s.startMs() - input.preRollMs()));
                e.put("item_id", item.id);
                item.audioMs = -s.startMs();
                post(e);
            }
            case SessionEvent.SpeechStopped s -> {
                Item item = userItem(s.turn());
                if (item.audioMs < 0) item.audioMs = s.endMs() + item.audioMs;
                post(speechStopped(s.endMs(), item.id));
            }
            case SessionEvent.InputCommitted c -> {
                Item item = userItem(c.turn());
                if (item.audioMs == 0) item.audioMs = committingMs;
                ObjectNode e = event("input_audio_buffer.committed");
                e.put("previous_item_id", lastItemId);
                e.put("item_id", item.id);
                post(e);
                item.status = "completed";
                added(item);
            }
            case SessionEvent.PartialTranscript p -> partial(p);
            case SessionEvent.FinalTranscript f -> finalTranscript(f);
            case SessionEvent.ReplyStarted r -> startResponse(r.turn());
            case SessionEvent.ReplyPhrase p -> phrase(p);
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
                if (dropped != null && !items.containsKey(dropped.id)) post(speechStopped(input.positionMs(), dropped.id));
            }
            case SessionEvent.Error err when err.stage().equals("stt") && userItems.containsKey(err.turn()) -> {
                // the user's words could not be recognised: their item says so, as OpenAI's does
                ObjectNode e = event("conversation.item.input_audio_transcription.failed");
                e.put("item_id", userItems.get(err.turn()).id);
                e.put("content_index", 0);
                e.putObject("error").put("type", "transcription_error").put("code", "stt_failed").put("message", err.message()).putNull("param");
                post(e);
                metrics.error("transcription_error", "stt_failed");
            }
            case SessionEvent.Error err -> {
                Response r = responsesByTurn.get(err.turn());
                if (r != null && (err.stage().equals("tts") || err.stage().equals("output"))) r.failed = true;
                post(ServerEvents.error("server_error", err.stage() + "_failed", err.message(), null, null));
                metrics.error("server_error", err.stage() + "_failed");
            }
            case SessionEvent.ProviderFailedOver f -> {
                metrics.failover(f.failover().stage(), f.failover().from());
                post(ServerEvents.error("server_error", "provider_failover", f.failover().message(), null, null));
                metrics.error("server_error", "provider_failover");
            }
            case SessionEvent.Woke w -> post(ServerEvents.wake(w.phrase(), w.atMs()));
            case SessionEvent.StateChanged s -> {
            }
        }
    }

    private static ObjectNode speechStopped(long audioEndMs, String itemId) {
        ObjectNode e = event("input_audio_buffer.speech_stopped");
        e.put("audio_end_ms", audioEndMs);
        e.put("item_id", itemId);
        return e;
    }

    private void partial(SessionEvent.PartialTranscript p) {
        if (!settings.get().transcription()) return;
        Item item = userItem(p.turn());
        // deltas only add text: a revision of words already sent waits for the completed transcript
        if (!p.text().startsWith(item.sentPartial) || p.text().length() == item.sentPartial.length()) return;
        String delta = p.text().substring(item.sentPartial.length());
        item.sentPartial = p.text();
        ObjectNode e = aboutItem("conversation.item.input_audio_transcription.delta", item.id);
        e.put("content_index", 0);
        e.put("delta", delta);
        post(e);
    }

    private void finalTranscript(SessionEvent.FinalTranscript f) {
        Item item = userItem(f.turn());
        item.text = f.transcript().text();
        if (settings.get().transcription()) {
            ObjectNode e = aboutItem("conversation.item.input_audio_transcription.completed", item.id);
            e.put("content_index", 0);
            e.put("transcript", item.text);
            e.putNull("logprobs");
            ObjectNode usage = e.putObject("usage");
            usage.put("type", "duration");
            usage.put("seconds", Math.max(0, item.audioMs) / 1000.0);
            post(e);
        }
        post(ServerEvents.placed("conversation.item.done", previousOf(item.id), item));
    }

    private void phrase(SessionEvent.ReplyPhrase p) {
        Response r = responsesByTurn.get(p.turn());
        if (r == null || r.done) return;
        r.phrases.add(new HeardText.Phrase(r.samples, p.text()));
        String delta = r.transcript.isEmpty() ? p.text() : " " + p.text();
        r.transcript.append(delta);
        ObjectNode e = responsePart("response.output_audio_transcript.delta", r);
        e.put("delta", delta);
        post(e);
        speaking = r;
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
            post(aboutItem("conversation.item.deleted", item.id));
        }
    }

    private void startResponse(int turn) {
        Response existing = responsesByTurn.get(turn);
        if (existing != null && !existing.done) return; // a speculation replaced under the same turn
        Item item = new Item(Ids.next("item"), Message.Role.ASSISTANT, turn);
        Response r = new Response(Ids.next("resp"), turn, item, settings.get().output());
        item.response = r;
        responses.put(r.id, r);
        responsesByTurn.put(turn, r);
        evictOld();
        post(ServerEvents.responseEvent("response.created", r, conversationId, settings.get().voice()));
        post(ServerEvents.outputItem("response.output_item.added", r));
        added(item);
        ObjectNode part = responsePart("response.content_part.added", r);
        part.set("part", audioPart(""));
        post(part);
    }

    private void finishResponse(Response r, String status, String reason) {
        r.done = true;
        r.status = status;
        r.reason = reason;
        r.item.status = status.equals("completed") ? "completed" : "incomplete";
        r.item.text = r.transcript.toString();
        if (speaking == r) speaking = null;
        if (!status.equals("completed")) events.discardAudio(r.id);
        post(responsePart("response.output_audio.done", r));
        ObjectNode td = responsePart("response.output_audio_transcript.done", r);
        td.put("transcript", r.item.text);
        post(td);
        ObjectNode part = responsePart("response.content_part.done", r);
        part.set("part", audioPart(r.item.text));
        post(part);
        post(ServerEvents.outputItem("response.output_item.done", r));
        post(ServerEvents.placed("conversation.item.done", previousOf(r.item.id), r.item));
        post(ServerEvents.responseEvent("response.done", r, conversationId, settings.get().voice()));
    }

    // ---------------------------------------------------------------- items and responses

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
            post(ServerEvents.placed(type, previous, item));
        }
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

    /** Posts a server event (caller holds this), unless the session is closed. */
    private void post(ObjectNode event) {
        if (!closed) events.event(event);
    }
}
