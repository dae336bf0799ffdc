package dev.parley.transport.server;

import dev.parley.testing.Patience;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import org.eclipse.jetty.server.ServerConnector;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * OpenAI's Realtime endpoint ({@code /v1/realtime}) on a real local socket, scripted by the test: records the
 * handshake (path, query, headers) and every client event, sends server events as OpenAI documents them, refuses a
 * key with HTTP 401 on demand, and notes when the bridge closes its socket.
 */
final class FakeOpenAiRealtime implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    record Handshake(String path, String query, String authorization, String beta) {}

    final CompletableFuture<Handshake> handshake = new CompletableFuture<>();
    final CompletableFuture<WsContext> socket = new CompletableFuture<>();
    final CompletableFuture<Integer> closedByBridge = new CompletableFuture<>();
    final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    /** Every event sent to the bridge, in order. */
    final java.util.List<JsonNode> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile boolean refuseKey;
    /** The session.created sent on connect (the turn detection's silence is what the waterfall dates back by). */
    volatile int silenceMs = 200;
    private final Javalin app;

    FakeOpenAiRealtime() {
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = "127.0.0.1";
            cfg.jetty.port = 0;
            cfg.routes.wsBeforeUpgrade("/v1/realtime", ctx -> {
                handshake.complete(new Handshake(ctx.path(), ctx.queryString(), ctx.header("Authorization"), ctx.header("OpenAI-Beta")));
                if (refuseKey) {
                    ctx.status(401).json(Map.of("error", Map.of("message", "Incorrect API key provided: sk-test-****cdef.",
                            "type", "invalid_request_error", "code", "invalid_api_key")));
                    ctx.skipRemainingHandlers();
                }
            });
            cfg.routes.ws("/v1/realtime", ws -> {
                ws.onConnect(ctx -> {
                    ctx.session.setIdleTimeout(java.time.Duration.ofMinutes(5));
                    socket.complete(ctx);
                    send(sessionCreated());
                });
                ws.onMessage(ctx -> received.add(JSON.readTree(ctx.message())));
                ws.onClose(ctx -> closedByBridge.complete(ctx.status()));
                ws.onError(ctx -> closedByBridge.complete(-1));
            });
        });
        app.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + ((ServerConnector) app.jettyServer().server().getConnectors()[0]).getLocalPort() + "/v1";
    }

    ObjectNode sessionCreated() {
        ObjectNode e = event("session.created");
        ObjectNode s = e.putObject("session");
        s.put("type", "realtime").put("object", "realtime.session").put("id", "sess_C9CiUVUzUzYIssh3ELY1d")
                .put("model", "gpt-realtime").putArray("output_modalities").add("audio");
        ObjectNode input = s.putObject("audio").putObject("input");
        input.putObject("format").put("type", "audio/pcm").put("rate", 24000);
        input.putObject("turn_detection").put("type", "server_vad").put("threshold", 0.5).put("prefix_padding_ms", 300)
                .put("silence_duration_ms", silenceMs).put("create_response", true).put("interrupt_response", true);
        ObjectNode output = ((ObjectNode) s.get("audio")).putObject("output");
        output.putObject("format").put("type", "audio/pcm").put("rate", 24000);
        output.put("voice", "marin");
        return e;
    }

    void send(ObjectNode event) {
        sent.add(event.deepCopy());
        socket.join().send(event.toString());
    }

    /** The next client event relayed upstream, failing after the Patience ceiling. */
    JsonNode next() throws InterruptedException {
        JsonNode e = received.poll(Patience.CEILING_SECONDS, TimeUnit.SECONDS);
        if (e == null) throw new AssertionError("no event upstream within " + Patience.CEILING_SECONDS + " s");
        return e;
    }

    /** The next relayed event of {@code type}, skipping others. */
    JsonNode next(String type) throws InterruptedException {
        for (JsonNode e; ; ) if ((e = next()).path("type").asText().equals(type)) return e;
    }

    static ObjectNode event(String type) {
        return JSON.createObjectNode().put("type", type).put("event_id", "event_" + Long.toHexString(System.nanoTime()));
    }

    @Override
    public void close() {
        app.stop();
    }
}
