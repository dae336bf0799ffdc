package dev.parley.transport.bridge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.latency.Waterfall;
import dev.parley.failover.ProviderTiming;
import dev.parley.providers.http.ApiException;
import dev.parley.providers.openai.realtime.RealtimeConnection;
import dev.parley.providers.openai.realtime.RealtimeErrors;
import dev.parley.transport.realtime.Ids;
import dev.parley.transport.realtime.RealtimeMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One client session bridged to its own session on OpenAI's Realtime API. Client events go upstream as they are
 * (after Parley's default {@code session.update}); upstream events come back to the client as they are, so a client
 * written for OpenAI works unchanged. Parley adds three things:
 * <ul>
 *   <li><b>Barge-in.</b> When upstream reports {@code input_audio_buffer.speech_started} while a reply's audio may
 *   still be playing at the client, Parley drops the reply audio still queued for the client, sends
 *   {@code response.cancel} if the response is not done, and, unless the client sends its own
 *   {@code conversation.item.truncate} for that item within {@link BridgeSettings#truncateGrace()}, sends one with
 *   {@code item_id}, {@code content_index} and {@code audio_end_ms} = the audio the client can have played: the
 *   smaller of the audio sent and the wall-clock time since its first delta went out (the fields the
 *   {@code conversation.item.truncate} reference requires). Parley's own events carry {@code event_id}s starting
 *   {@code parley_}; upstream errors answering them are logged, not relayed.</li>
 *   <li><b>The latency waterfall.</b> End of the user's speech ({@code input_audio_buffer.speech_stopped} arrival less
 *   the {@code silence_duration_ms} the VAD waited, from the session upstream reported; a client's
 *   {@code input_audio_buffer.commit} arrival otherwise) → endpoint ({@code speech_stopped} arrival) → first
 *   {@code response.output_audio.delta} (beta: {@code response.audio.delta}) received from upstream → that delta
 *   handed to the client's socket. In {@link Waterfall} terms stt and dialog are zero, the model's whole time is the
 *   tts stage, and {@code ProviderTiming("openai", "realtime", endpoint → first delta)} is its provider bar. It goes
 *   into {@code response.done.response.metadata} ({@code latency_*_ms}, as the cascade does, plus
 *   {@code latency_ttfb_realtime_openai_ms}) and into {@link RealtimeMetrics#turnCompleted}.</li>
 *   <li><b>Failures.</b> A refused handshake, a dropped or closed upstream socket, or upstream silence longer than the
 *   stall timeout while a reply is awaited send the client an {@code error} event (naming the key's variable for a
 *   refused key) and close its socket with 1011. Closing the bridge (the client left) closes the upstream socket.</li>
 * </ul>
 * Threads: client events arrive on the connection's inbound thread and are queued upstream (waiting while the
 * upstream queue is full, which slows the client down through TCP); upstream events arrive on the upstream
 * connection's reader thread and go to the client's bounded outbound queue. State both touch is guarded by this.
 */
public final class RealtimeBridge implements RealtimeConnection.Listener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RealtimeBridge.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();
    static final String OWN_EVENT_PREFIX = "parley_";

    private final String id;
    private final BridgeSettings settings;
    private final ClientLink client;
    private final RealtimeMetrics metrics;
    private volatile RealtimeConnection upstream;

    // guarded by this
    private final Map<String, Reply> replies = new LinkedHashMap<>();
    private long silenceMs;
    private boolean createResponse = true;
    private int outputBytesPerSecond = 48_000;
    private long pendingSpeechEnd, pendingEndpoint;
    private Reply audible;
    private Thread truncator;
    private boolean closed;

    /** A response and what the client was sent of its audio. */
    private static final class Reply {
        final String id;
        long speechEnd, endpoint, firstDeltaReceived, firstDeltaSent, bytes;
        String itemId;
        int contentIndex;
        boolean done, clientTruncated, bargedIn;

        Reply(String id) {
            this.id = id;
        }
    }

    public RealtimeBridge(String sessionId, BridgeSettings settings, ClientLink client, RealtimeMetrics metrics) {
        this.id = sessionId;
        this.settings = settings;
        this.client = client;
        this.metrics = metrics;
        this.silenceMs = settings.turnDetection() == BridgeSettings.TurnDetection.SERVER_VAD ? settings.silenceDurationMs() : 0;
    }

    /** Opens the upstream session (the handshake runs in the background) and queues Parley's session defaults. */
    public void start() {
        RealtimeConnection c = settings.upstream().conversation(this);
        synchronized (this) {
            if (closed) {
                c.close();
                return;
            }
            upstream = c;
        }
        c.offer(settings.sessionUpdate(Ids.next(OWN_EVENT_PREFIX + "event")).toString());
    }

    /** The upstream connection (for tests). */
    RealtimeConnection upstream() {
        return upstream;
    }

    // ---------------------------------------------------------------- client → upstream

    /** One client event (a WebSocket text message) that arrived at {@code receivedNanos}. */
    public void onClientMessage(String text, long receivedNanos) {
        RealtimeConnection up = upstream;
        if (up == null) return;
        String type = typeOf(text);
        switch (type) {
            case "input_audio_buffer.commit" -> endpoint(receivedNanos, receivedNanos);
            case "response.create" -> up.expectReply(true);
            case "conversation.item.truncate" -> clientTruncated(text);
            default -> {
                if (type.startsWith("parley.")) {
                    log.debug("not relaying Parley's own {} to OpenAI", type);
                    return;
                }
            }
        }
        try {
            up.send(text);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A binary frame, which the protocol does not use: an error event, as Parley's own sessions answer it. */
    public void onBinary() {
        sendError("invalid_request_error", "invalid_event", "events are JSON text messages; binary messages are not used");
    }

    private synchronized void endpoint(long speechEnd, long decided) {
        if (pendingEndpoint != 0) return;
        pendingSpeechEnd = speechEnd;
        pendingEndpoint = decided;
    }

    private void clientTruncated(String text) {
        String itemId;
        try {
            itemId = JSON.readTree(text).path("item_id").asText(null);
        } catch (Exception e) {
            return; // relayed as it is: OpenAI answers a malformed event with its own error
        }
        if (itemId == null) return;
        synchronized (this) {
            for (Reply r : replies.values()) if (itemId.equals(r.itemId)) r.clientTruncated = true;
            if (audible != null && itemId.equals(audible.itemId)) audible.clientTruncated = true;
        }
    }

    // ---------------------------------------------------------------- upstream → client

    @Override
    public void onEvent(String json, long receivedNanos) {
        MDC.put("session", id);
        try {
            relay(json, receivedNanos);
        } finally {
            MDC.remove("session");
        }
    }

    private void relay(String json, long receivedNanos) {
        String type = typeOf(json);
        switch (type) {
            case "response.output_audio.delta", "response.audio.delta" -> audioDelta(json, receivedNanos);
            case "response.done" -> responseDone(json);
            case "session.created", "session.updated" -> {
                session(json);
                client.send(json);
            }
            case "input_audio_buffer.speech_started" -> {
                client.send(json);
                bargeIn(receivedNanos);
            }
            case "input_audio_buffer.speech_stopped" -> {
                boolean expect;
                synchronized (this) {
                    endpoint(receivedNanos - silenceMs * 1_000_000L, receivedNanos);
                    expect = createResponse;
                }
                if (expect) expectReply(true);
                client.send(json);
            }
            case "response.created" -> {
                responseCreated(json);
                client.send(json);
            }
            case "error" -> upstreamError(json);
            default -> client.send(json);
        }
    }

    private void session(String json) {
        JsonNode s;
        try {
            s = JSON.readTree(json).path("session");
        } catch (Exception e) {
            return;
        }
        JsonNode turn = s.path("audio").path("input").has("turn_detection") ? s.path("audio").path("input").path("turn_detection")
                : s.path("turn_detection");
        JsonNode format = s.path("audio").path("output").path("format");
        synchronized (this) {
            if (turn.isObject()) {
                silenceMs = turn.path("type").asText().equals("server_vad") ? turn.path("silence_duration_ms").asLong(silenceMs) : 0;
                createResponse = turn.path("create_response").asBoolean(true);
            } else if (turn.isNull()) {
                silenceMs = 0;
                createResponse = false;
            }
            if (format.isObject()) {
                String t = format.path("type").asText("audio/pcm");
                outputBytesPerSecond = t.equals("audio/pcm") ? format.path("rate").asInt(24_000) * 2 : 8_000;
            } else if (s.has("output_audio_format")) {
                outputBytesPerSecond = s.path("output_audio_format").asText().equals("pcm16") ? 48_000 : 8_000;
            }
        }
    }

    private void responseCreated(String json) {
        String responseId;
        try {
            responseId = JSON.readTree(json).path("response").path("id").asText(null);
        } catch (Exception e) {
            return;
        }
        if (responseId == null) return;
        synchronized (this) {
            Reply r = replies.computeIfAbsent(responseId, Reply::new);
            r.speechEnd = pendingSpeechEnd;
            r.endpoint = pendingEndpoint;
            pendingSpeechEnd = pendingEndpoint = 0;
            while (replies.size() > 16) replies.remove(replies.keySet().iterator().next());
        }
        expectReply(true);
    }

    private void expectReply(boolean expecting) {
        RealtimeConnection up = upstream;
        if (up != null) up.expectReply(expecting);
    }

    private void audioDelta(String json, long receivedNanos) {
        String responseId = null, itemId = null;
        int contentIndex = 0;
        long bytes = 0;
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken v = p.nextToken();
                    switch (field) {
                        case "response_id" -> responseId = p.getValueAsString();
                        case "item_id" -> itemId = p.getValueAsString();
                        case "content_index" -> contentIndex = p.getValueAsInt();
                        case "delta" -> bytes = base64Bytes(p.getText());
                        default -> p.skipChildren();
                    }
                    if (v == null) break;
                }
            }
        } catch (Exception e) {
            client.send(json);
            return;
        }
        String key = responseId == null ? "" : responseId;
        Reply r;
        synchronized (this) {
            r = replies.computeIfAbsent(key, Reply::new);
            if (r.firstDeltaReceived == 0) r.firstDeltaReceived = receivedNanos;
            r.itemId = itemId;
            r.contentIndex = contentIndex;
            r.bytes += bytes;
            if (!r.bargedIn) audible = r;
        }
        client.sendAudio(json, key);
        synchronized (this) {
            if (r.firstDeltaSent == 0) r.firstDeltaSent = System.nanoTime();
        }
    }

    private void responseDone(String json) {
        ObjectNode event;
        try {
            event = (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            client.send(json);
            return;
        }
        JsonNode response = event.path("response");
        String responseId = response.path("id").asText("");
        String status = response.path("status").asText("");
        Reply r;
        boolean stillAwaiting;
        synchronized (this) {
            r = replies.remove(responseId);
            if (r != null) r.done = true;
            stillAwaiting = replies.values().stream().anyMatch(x -> !x.done);
        }
        if (!stillAwaiting) expectReply(false);
        Waterfall w = r == null ? null : waterfall(r);
        metrics.turnCompleted(w, status.equals("cancelled") || (r != null && r.bargedIn));
        if (w != null && response instanceof ObjectNode resp) {
            ObjectNode m = resp.path("metadata") instanceof ObjectNode existing ? existing : resp.putObject("metadata");
            w.stagesMs().forEach((k, v) -> m.put("latency_" + k + "_ms", String.valueOf(Math.round(v * 10) / 10.0)));
            for (ProviderTiming p : w.providers()) m.put("latency_ttfb_" + p.key() + "_ms", String.valueOf(Math.round(p.ttfbMs() * 10) / 10.0));
            client.send(event.toString());
        } else {
            client.send(json);
        }
    }

    private static Waterfall waterfall(Reply r) {
        if (r.endpoint == 0 || r.firstDeltaReceived == 0 || r.firstDeltaSent == 0) return null;
        long endpoint = r.endpoint;
        long first = Math.max(r.firstDeltaReceived, endpoint);
        long out = Math.max(r.firstDeltaSent, first);
        return new Waterfall(Math.min(r.speechEnd, endpoint), endpoint, endpoint, endpoint, endpoint, first, out,
                List.of(new ProviderTiming("openai", "realtime", first - endpoint)));
    }

    private void upstreamError(String json) {
        JsonNode error;
        try {
            error = JSON.readTree(json).path("error");
        } catch (Exception e) {
            client.send(json);
            return;
        }
        if (error.path("event_id").asText("").startsWith(OWN_EVENT_PREFIX)) {
            log.debug("OpenAI answered Parley's own event: {} {}", error.path("code").asText(), error.path("message").asText());
            return;
        }
        metrics.error(error.path("type").asText("server_error"), error.path("code").asText("unknown"));
        client.send(json);
    }

    // ---------------------------------------------------------------- barge-in

    private void bargeIn(long startedNanos) {
        Reply r;
        long playedMs;
        synchronized (this) {
            r = audible;
            if (r == null || r.firstDeltaSent == 0) return;
            long audioMs = r.bytes * 1000 / Math.max(1, outputBytesPerSecond);
            playedMs = Math.max(0, Math.min(audioMs, (startedNanos - r.firstDeltaSent) / 1_000_000L));
            audible = null;
            if (r.done && playedMs >= audioMs) return; // the reply had finished playing
            r.bargedIn = true;
        }
        log.debug("barge-in on {} after {} ms of its audio", r.id, playedMs);
        client.discardAudio(r.id);
        if (!r.done) {
            sendUpstream(JSON.createObjectNode().put("type", "response.cancel")
                    .put("event_id", Ids.next(OWN_EVENT_PREFIX + "event")).put("response_id", r.id));
        }
        if (r.itemId == null) return;
        ObjectNode truncate = JSON.createObjectNode().put("type", "conversation.item.truncate")
                .put("event_id", Ids.next(OWN_EVENT_PREFIX + "event")).put("item_id", r.itemId)
                .put("content_index", r.contentIndex).put("audio_end_ms", playedMs);
        long graceMs = settings.truncateGrace().toMillis();
        if (graceMs == 0) {
            truncateUnlessClientDid(r, truncate);
            return;
        }
        synchronized (this) {
            if (closed) return;
            if (truncator != null) truncator.interrupt();
            truncator = Thread.ofVirtual().name("parley-bridge-truncate-" + id).start(() -> {
                try {
                    Thread.sleep(graceMs);
                    truncateUnlessClientDid(r, truncate);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    private void truncateUnlessClientDid(Reply r, ObjectNode truncate) {
        synchronized (this) {
            if (closed || r.clientTruncated) return;
        }
        sendUpstream(truncate);
    }

    private void sendUpstream(ObjectNode event) {
        RealtimeConnection up = upstream;
        if (up == null) return;
        try {
            up.send(event.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- failures and the end

    @Override
    public void onFailure(ApiException failure) {
        synchronized (this) {
            if (closed) return;
        }
        MDC.put("session", id);
        try {
            String message = RealtimeErrors.describe(failure, settings.upstream().config());
            String code = RealtimeErrors.code(failure);
            log.warn("OpenAI Realtime session failed: {}", message);
            sendError(failure instanceof ApiException.Unauthorized ? "invalid_request_error" : "server_error", code, message);
            client.closeAfterSent(1011, "upstream: " + code);
        } finally {
            MDC.remove("session");
        }
    }

    private void sendError(String type, String code, String message) {
        ObjectNode e = JSON.createObjectNode().put("type", "error").put("event_id", Ids.next("event"));
        ObjectNode err = e.putObject("error");
        err.put("type", type).put("code", code).put("message", message).putNull("param").putNull("event_id");
        client.send(e.toString());
        metrics.error(type, code);
    }

    /** Ends the bridge: the upstream socket is closed; nothing more reaches the client. Idempotent. */
    @Override
    public void close() {
        RealtimeConnection up;
        synchronized (this) {
            if (closed) return;
            closed = true;
            if (truncator != null) truncator.interrupt();
            up = upstream;
        }
        if (up != null) up.close();
    }

    // ---------------------------------------------------------------- JSON helpers

    /** The top-level {@code type} of an event, read without decoding its other values; "" when there is none. */
    static String typeOf(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return "";
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("type") && v == JsonToken.VALUE_STRING) return p.getText();
                p.skipChildren();
            }
        } catch (Exception e) {
            return "";
        }
        return "";
    }

    /** The number of bytes a base64 text decodes to. */
    static long base64Bytes(String b64) {
        int n = b64.length();
        if (n == 0) return 0;
        int pad = b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0;
        return (long) n / 4 * 3 - pad;
    }
}
