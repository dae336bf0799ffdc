package dev.parley.transport.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.transport.realtime.client.RealtimeClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The tests' view of {@link RealtimeClient}: sends events, keeps every server event in order ({@link #seen()}), and
 * fails the test when an awaited event does not come. The client's own events ({@code client.closed}, …) are not
 * server events and are left out.
 */
final class RealtimeTestClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final RealtimeClient client;
    private final List<JsonNode> seen = new ArrayList<>();

    private RealtimeTestClient(RealtimeClient client) {
        this.client = client;
    }

    static RealtimeTestClient connect(URI uri) {
        return connect(uri, HttpClient.newHttpClient().newWebSocketBuilder());
    }

    static RealtimeTestClient connect(URI uri, WebSocket.Builder builder) {
        return new RealtimeTestClient(RealtimeClient.connect(builder, uri, null).join());
    }

    /** The close code the server sent, or -1 while the socket is open. */
    int closeCode() {
        return client.closeCode();
    }

    WebSocket socket() {
        return client.socket();
    }

    void send(String json) {
        client.send(json);
    }

    void send(ObjectNode event) {
        client.send(event);
    }

    static ObjectNode event(String type) {
        return RealtimeClient.event(type);
    }

    /** Sends audio as appends of 20 ms at 24 kHz, as fast as the socket takes them. */
    void appendAudio(PcmAudio audio) {
        PcmAudio at24 = audio.sampleRate() == 24_000 ? audio : Resampler.convert(audio, 24_000);
        for (int i = 0; i < at24.length(); i += 480) client.append(at24.slice(i, Math.min(at24.length(), i + 480)).samples());
    }

    /** The next server event of {@code type}; the events before it are kept in {@link #seen()}. */
    JsonNode await(String type) throws InterruptedException {
        return await(type, dev.parley.testing.Patience.CEILING);
    }

    JsonNode await(String type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode e = next(Duration.ofNanos(deadline - System.nanoTime()));
            if (e == null) throw new AssertionError("no " + type + " within " + timeout + "; saw " + types());
            if (e.path("type").asText().equals(type)) return e;
        }
    }

    /** Takes whatever arrives within {@code quiet} of silence. */
    List<JsonNode> drain(Duration quiet) throws InterruptedException {
        List<JsonNode> got = new ArrayList<>();
        JsonNode e;
        while ((e = next(quiet)) != null) got.add(e);
        return got;
    }

    /** The next server event within {@code timeout}, kept in {@link #seen()}; null if none came. */
    private JsonNode next(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            RealtimeClient.Event e = client.next(Duration.ofNanos(deadline - System.nanoTime()));
            if (e == null) return null;
            if (e.type().startsWith("client.") && !e.type().equals("client.unparseable")) continue;
            JsonNode json = e.type().equals("client.unparseable")
                    ? JSON.createObjectNode().put("type", "test.unparseable").set("text", e.json().path("text")) : e.json();
            synchronized (seen) {
                seen.add(json);
            }
            return json;
        }
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
        client.close();
    }

    static ByteBuffer bytes(int n) {
        return ByteBuffer.wrap(new byte[n]);
    }
}
