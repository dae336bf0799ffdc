package dev.parley.transport.server;

import dev.parley.testing.Patience;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.dialog.TextStream;
import dev.parley.session.SessionConfig;
import dev.parley.session.VoiceSession;
import dev.parley.testing.Fakes.LoudnessVad;
import dev.parley.testing.Fakes.ScriptedStt;
import dev.parley.testing.Fakes.ToneTts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static dev.parley.transport.server.RealtimeTestClient.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Graceful drain: once shutdown begins, new WebSockets get 503 and {@code /readyz} 503 while {@code /healthz} stays
 * 200; live conversations keep being answered until they end (the drain then finishes at once) or the drain timeout
 * closes them with 1001. Scripted engines (no models), so each case takes well under a second of work.
 */
class DrainTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private ParleyServer server;

    private ParleyServer start() {
        server = ParleyServer.start(ServerConfig.local(0, SessionConfig.DEFAULT, "tone"),
                () -> new VoiceSession.Engines(new LoudnessVad(), new ScriptedStt(null, 0), (history, text) -> TextStream.of("Still here."),
                        new ToneTts(null, 0)));
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private RealtimeTestClient connect() throws InterruptedException {
        RealtimeTestClient c = RealtimeTestClient.connect(server.realtimeUri());
        c.await("session.created");
        return c;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<Boolean> drainInBackground(Duration timeout) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Thread.ofPlatform().name("drain").start(() -> {
            try {
                result.complete(server.drain(timeout));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        await().atMost(Patience.CEILING).until(server::draining);
        return result;
    }

    /** A raw WebSocket upgrade request, as a load balancer would forward it: the whole response as text. */
    private String rawUpgrade() throws IOException {
        URI uri = server.realtimeUri();
        try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /v1/realtime HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder response = new StringBuilder();
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) > 0; ) {
                response.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                if (response.indexOf("}}") >= 0) break; // the JSON body is complete
            }
            return response.toString();
        }
    }

    private static ObjectNode userText(String text) {
        ObjectNode create = event("conversation.item.create");
        create.putObject("item").put("type", "message").put("role", "user")
                .putArray("content").addObject().put("type", "input_text").put("text", text);
        return create;
    }

    @Test
    void aDrainingServerRefusesNewSessionsButKeepsAnsweringLiveOnesUntilTheTimeoutClosesThemWith1001() throws Exception {
        start();
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").body()).contains("\"status\":\"ready\"");
        try (RealtimeTestClient live = connect()) {
            CompletableFuture<Boolean> drained = drainInBackground(Duration.ofSeconds(4));

            // new conversations go elsewhere
            assertThatThrownBy(() -> http.newWebSocketBuilder().buildAsync(server.realtimeUri(), new WebSocket.Listener() {}).join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(503));
            String refused = rawUpgrade();
            assertThat(refused).startsWith("HTTP/1.1 503").containsIgnoringCase("Retry-After: 1").contains("\"code\":\"server_draining\"")
                    .contains("shutting down");
            HttpResponse<String> ready = get("/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"status\":\"draining\"").contains("\"sessions\":1");
            assertThat(get("/healthz").statusCode()).isEqualTo(200);
            assertThat(get("/metrics").body()).contains("parley_draining 1.0").contains("parley_sessions_active 1.0");

            // the live conversation goes on
            ObjectNode update = event("session.update");
            update.putObject("session").put("type", "realtime").put("instructions", "Be brief.");
            live.send(update);
            assertThat(live.await("session.updated").at("/session/instructions").asText()).isEqualTo("Be brief.");
            live.send(userText("are you still there"));
            live.send(event("response.create"));
            assertThat(live.await("response.done", Duration.ofSeconds(30)).at("/response/output/0/content/0/transcript").asText())
                    .isEqualTo("Still here.");
            assertThat(drained).isNotDone();

            // until the drain timeout: then it is closed with 1001 (going away)
            assertThat(drained.get(60, TimeUnit.SECONDS)).as("ended by itself").isFalse();
            await().atMost(Patience.CEILING).until(() -> live.closeCode() == ParleyServer.GOING_AWAY);
            assertThat(server.activeSessions()).isZero();
            assertThat(get("/healthz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theDrainEndsAsSoonAsTheLastConversationEnds() throws Exception {
        start();
        RealtimeTestClient first = connect();
        RealtimeTestClient second = connect();
        CompletableFuture<Boolean> drained = drainInBackground(Duration.ofMinutes(5));
        first.close();
        await().atMost(Patience.CEILING).until(() -> server.activeSessions() == 1);
        assertThat(drained).isNotDone();
        second.close();
        // true: it ended when the last conversation did, not at its 5-minute deadline (no wall-clock bound needed)
        assertThat(drained.get(60, TimeUnit.SECONDS)).as("ended by itself").isTrue();
    }

    @Test
    void shutdownWithNoSessionsStopsAtOnceAndAgainIsHarmless() throws Exception {
        start();
        URI health = server.uri().resolve("/healthz");
        assertThat(server.drain(Duration.ofMinutes(5))).isTrue();
        assertThat(server.drain(Duration.ofMinutes(5))).isTrue();
        server.shutdown();
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
    }
}
