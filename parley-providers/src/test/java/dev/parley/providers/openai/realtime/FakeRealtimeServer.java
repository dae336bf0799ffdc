package dev.parley.providers.openai.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.providers.http.Secret;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * OpenAI's Realtime endpoint played by mockwebserver3 on a real local socket: it upgrades to a WebSocket, records
 * every client event, lets the test send server events, and notes how the client ended the socket.
 */
final class FakeRealtimeServer implements AutoCloseable, AfterEachCallback {
    static final ObjectMapper JSON = new ObjectMapper();

    final MockWebServer server = new MockWebServer();
    final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    final CompletableFuture<WebSocket> socket = new CompletableFuture<>();
    /** The close code the client sent, or -1 when the connection just broke. */
    final CompletableFuture<Integer> clientClosed = new CompletableFuture<>();

    /** A server listening at once; as a test's {@code @RegisterExtension} field it is closed after each test. */
    FakeRealtimeServer() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The defaults aimed at this server with {@code key}: 5 s to connect, 10 s to a final transcript, {@code stall}. */
    OpenAiRealtimeConfig config(String key, Duration stall) {
        return OpenAiRealtimeConfig.defaults().withBaseUrl(baseUrl()).withApiKey(Secret.of(key))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), stall);
    }

    /** Answers the next handshake with a WebSocket upgrade; {@code onOpen} may send the first events. */
    void acceptUpgrade(java.util.function.Consumer<WebSocket> onOpen) {
        server.enqueue(new MockResponse.Builder().webSocketUpgrade(new WebSocketListener() {
            @Override
            public void onOpen(WebSocket ws, Response response) {
                socket.complete(ws);
                onOpen.accept(ws);
            }

            @Override
            public void onMessage(WebSocket ws, String text) {
                try {
                    received.add(JSON.readTree(text));
                } catch (IOException e) {
                    received.add(JSON.createObjectNode().put("type", "test.unparseable").put("text", text));
                }
            }

            @Override
            public void onClosing(WebSocket ws, int code, String reason) {
                clientClosed.complete(code);
                ws.close(1000, null);
            }

            @Override
            public void onFailure(WebSocket ws, Throwable t, Response response) {
                clientClosed.complete(-1);
            }
        }).build());
    }

    /** Answers the next handshake with an HTTP error, as OpenAI refuses a bad key. */
    void refuse(int status, String body) {
        server.enqueue(new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json").body(body).build());
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getPort() + "/v1";
    }

    RecordedRequest handshake() throws InterruptedException {
        RecordedRequest r = server.takeRequest(10, TimeUnit.SECONDS);
        if (r == null) throw new AssertionError("no handshake");
        return r;
    }

    /** The next client event, failing after 10 s. */
    JsonNode next() throws InterruptedException {
        JsonNode e = received.poll(10, TimeUnit.SECONDS);
        if (e == null) throw new AssertionError("no client event within 10 s");
        return e;
    }

    void send(ObjectNode event) {
        socket.join().send(event.toString());
    }

    static ObjectNode event(String type) {
        return JSON.createObjectNode().put("type", type).put("event_id", "event_" + Long.toHexString(System.nanoTime()));
    }

    @Override
    public void close() {
        server.close();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }
}
