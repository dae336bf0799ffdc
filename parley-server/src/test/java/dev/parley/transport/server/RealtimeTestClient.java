package dev.parley.transport.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket client of the Realtime protocol for tests: sends events, keeps every server event in order. */
final class RealtimeTestClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket socket;
    private final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    volatile int closeCode = -1;

    private RealtimeTestClient(URI uri, WebSocket.Builder builder) {
        this.socket = builder.buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    try {
                        inbox.add(JSON.readTree(text.toString()));
                    } catch (Exception e) {
                        inbox.add(JSON.createObjectNode().put("type", "test.unparseable").put("text", text.toString()));
                    }
                    text.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closeCode = statusCode;
                return null;
            }
        }).join();
    }

    static RealtimeTestClient connect(URI uri) {
        return connect(uri, HttpClient.newHttpClient().newWebSocketBuilder());
    }

    static RealtimeTestClient connect(URI uri, WebSocket.Builder builder) {
        return new RealtimeTestClient(uri, builder.connectTimeout(Duration.ofSeconds(10)));
    }

    WebSocket socket() {
        return socket;
    }

    void send(String json) {
        socket.sendText(json, true).join();
    }

    void send(ObjectNode event) {
        send(event.toString());
    }

    static ObjectNode event(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    /** Sends audio as appends of 20 ms at 24 kHz, as fast as the socket takes them. */
    void appendAudio(PcmAudio audio) {
        PcmAudio at24 = audio.sampleRate() == 24_000 ? audio : Resampler.convert(audio, 24_000);
        for (int i = 0; i < at24.length(); i += 480) {
            PcmAudio piece = at24.slice(i, Math.min(at24.length(), i + 480));
            send(event("input_audio_buffer.append").put("audio", Base64.getEncoder().encodeToString(piece.toLittleEndianBytes())));
        }
    }

    /** The next server event of {@code type}; the events before it are kept in {@link #seen()}. */
    JsonNode await(String type) throws InterruptedException {
        return await(type, Duration.ofSeconds(30));
    }

    JsonNode await(String type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode e = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) throw new AssertionError("no " + type + " within " + timeout + "; saw " + types());
            synchronized (seen) {
                seen.add(e);
            }
            if (e.path("type").asText().equals(type)) return e;
        }
    }

    /** Takes whatever arrives within {@code quiet} of silence. */
    List<JsonNode> drain(Duration quiet) throws InterruptedException {
        List<JsonNode> got = new ArrayList<>();
        JsonNode e;
        while ((e = inbox.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
            got.add(e);
            synchronized (seen) {
                seen.add(e);
            }
        }
        return got;
    }

    List<JsonNode> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    List<String> types() {
        return seen().stream().map(e -> e.path("type").asText()).toList();
    }

    List<JsonNode> seen(String type) {
        return seen().stream().filter(e -> e.path("type").asText().equals(type)).toList();
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(t -> null);
        socket.abort();
    }

    static ByteBuffer bytes(int n) {
        return ByteBuffer.wrap(new byte[n]);
    }
}
