package dev.parley.transport.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.dialog.TextStream;
import dev.parley.session.SessionConfig;
import dev.parley.session.VoiceSession;
import dev.parley.testing.Fakes.LoudnessVad;
import dev.parley.testing.Fakes.ScriptedStt;
import dev.parley.testing.Fakes.ToneTts;
import dev.parley.transport.realtime.SessionBudget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletionException;

import static dev.parley.transport.server.RealtimeTestClient.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * No client can hurt the server: over real sockets, every size limit answers with an {@code error} event (the
 * session goes on), a message over the socket's hard limit is answered before the socket closes with 1009, the server
 * admits only the sessions its heap holds, and the security defaults hold. Scripted engines: no models.
 */
class LimitsTest {
    /** A small event limit, so that oversized messages stay cheap to send. */
    static final SessionBudget BUDGET = SessionBudget.DEFAULT.withMaxEventChars(256 * 1024).withMaxConversationChars(96 * 1024)
            .withMaxInputAudioBytes(48_000);

    private final HttpClient http = HttpClient.newHttpClient();
    private ParleyServer server;

    static ParleyServer start(ServerConfig config) {
        return ParleyServer.start(config, () -> new VoiceSession.Engines(new LoudnessVad(), new ScriptedStt(null, 0),
                (history, text) -> TextStream.of("Still here."), new ToneTts(null, 0)));
    }

    private ParleyServer start() {
        server = start(ServerConfig.local(0, SessionConfig.DEFAULT, "tone").withBudget(BUDGET));
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

    static ObjectNode userText(String text) {
        ObjectNode create = event("conversation.item.create");
        create.putObject("item").put("type", "message").put("role", "user")
                .putArray("content").addObject().put("type", "input_text").put("text", text);
        return create;
    }

    private static JsonNode error(RealtimeTestClient c) throws InterruptedException {
        JsonNode e = c.await("error").path("error");
        assertThat(e.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(e.path("message").asText()).isNotBlank();
        return e;
    }

    /** The session still answers: a typed turn gets its reply. */
    static void stillAnswers(RealtimeTestClient c) throws InterruptedException {
        c.send(userText("are you still there"));
        c.send(event("response.create"));
        assertThat(c.await("response.done", Duration.ofSeconds(30)).at("/response/output/0/content/0/transcript").asText())
                .isEqualTo("Still here.");
    }

    @Test
    void anItemOverItsLimitIsRefusedAndTheConversationIsBoundedInCharacters() throws Exception {
        start();
        try (RealtimeTestClient c = connect()) {
            ObjectNode big = userText("a".repeat(200_000));
            big.put("event_id", "big");
            c.send(big);
            JsonNode e = error(c);
            assertThat(e.path("code").asText()).isEqualTo("item_too_large");
            assertThat(e.path("event_id").asText()).isEqualTo("big");
            assertThat(e.path("message").asText()).contains("32768");
            c.send(userText("b".repeat(30_000)));
            c.send(userText("c".repeat(30_000)));
            c.send(userText("d".repeat(30_000)));
            c.send(userText("e".repeat(30_000)));
            assertThat(error(c).path("code").asText()).isEqualTo("conversation_too_large");
            assertThat(c.seen("conversation.item.created")).hasSize(3);
            c.send(event("response.create"));
            assertThat(c.await("response.done", Duration.ofSeconds(30)).at("/response/status").asText()).isEqualTo("completed");
        }
    }

    @Test
    void anEightMegabyteItemWithTheDefaultBudgetIsRefusedAndTheReplyStillComes() throws Exception {
        server = start(ServerConfig.local(0, SessionConfig.DEFAULT, "tone")); // the budget as served: 8 MiB events
        try (RealtimeTestClient c = connect()) {
            c.send(userText("w".repeat(8_000_000)));
            assertThat(error(c).path("code").asText()).isEqualTo("item_too_large");
            c.send(event("response.create"));
            assertThat(c.await("response.done", Duration.ofSeconds(30)).at("/response/status").asText()).isEqualTo("completed");
        }
    }

    @Test
    void aTextMessageOverTheEventLimitIsAnsweredAndOneOverTheHardLimitIsAnsweredThenClosedWith1009() throws Exception {
        start();
        try (RealtimeTestClient c = connect()) {
            c.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + "A".repeat(400_000) + "\"}");
            JsonNode e = error(c);
            assertThat(e.path("code").asText()).isEqualTo("message_too_large");
            assertThat(e.path("message").asText()).contains(String.valueOf(BUDGET.maxEventChars()));
            stillAnswers(c);

            // over the socket's hard limit: not read further, answered, then closed with 1009
            c.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + "A".repeat((int) BUDGET.hardTextLimit() + 10) + "\"}");
            JsonNode hard = error(c);
            assertThat(hard.path("code").asText()).isEqualTo("message_too_large");
            assertThat(hard.path("message").asText()).contains("hard limit").contains(String.valueOf(BUDGET.hardTextLimit()));
            await().atMost(Duration.ofSeconds(20)).until(() -> c.closeCode() == 1009);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> server.activeSessions() == 0);
    }

    @Test
    void binaryMessagesAreAnsweredAndOneOverTheHardLimitIsAnsweredThenClosedWith1009() throws Exception {
        start();
        try (RealtimeTestClient c = connect()) {
            c.socket().sendBinary(RealtimeTestClient.bytes(100_000), true).join();
            assertThat(error(c).path("code").asText()).isEqualTo("invalid_event");
            stillAnswers(c);
            c.socket().sendBinary(RealtimeTestClient.bytes((int) BUDGET.hardBinaryLimit() + 1), true).join();
            assertThat(error(c).path("code").asText()).isEqualTo("message_too_large");
            await().atMost(Duration.ofSeconds(20)).until(() -> c.closeCode() == 1009);
        }
    }

    @Test
    void invalidSettingsAreRefusedAndLeaveTheSessionAsItWas() throws Exception {
        start();
        try (RealtimeTestClient c = connect()) {
            String[][] cases = {
                    {"{\"type\":\"session.update\",\"session\":{\"voice\":\"../../../etc/passwd\"}}", "session.voice"},
                    {"{\"type\":\"session.update\",\"session\":{\"audio\":{\"output\":{\"voice\":\"nobody\"}}}}", "session.audio.output.voice"},
                    {"{\"type\":\"session.update\",\"session\":{\"instructions\":\"x\",\"temperature\":-5}}", "session.temperature"},
                    {"{\"type\":\"session.update\",\"session\":{\"instructions\":\"x\",\"max_response_output_tokens\":-1}}", "session.max_response_output_tokens"},
                    {"{\"type\":\"session.update\",\"session\":{\"max_output_tokens\":\"lots\"}}", "session.max_output_tokens"},
            };
            for (String[] k : cases) {
                c.send(k[0]);
                JsonNode e = error(c);
                assertThat(e.path("code").asText()).as(k[0]).isEqualTo("invalid_value");
                assertThat(e.path("param").asText()).isEqualTo(k[1]);
            }
            c.send("{\"type\":\"session.update\",\"session\":{\"voice\":\"marin\",\"temperature\":0.8,\"max_response_output_tokens\":\"inf\"}}");
            JsonNode updated = c.await("session.updated").path("session");
            assertThat(updated.at("/audio/output/voice").asText()).isEqualTo("marin");
            assertThat(updated.path("instructions").asText()).isEmpty(); // the refused updates changed nothing
            assertThat(c.seen("session.updated")).hasSize(1);
        }
    }

    @Test
    void emptyAudioAndAnOverfullPushToTalkBufferAreAnswered() throws Exception {
        start();
        try (RealtimeTestClient c = connect()) {
            c.send("{\"type\":\"input_audio_buffer.append\",\"event_id\":\"empty\",\"audio\":\"\"}");
            JsonNode e = error(c);
            assertThat(e.path("code").asText()).isEqualTo("empty_audio");
            assertThat(e.path("event_id").asText()).isEqualTo("empty");

            c.send("{\"type\":\"session.update\",\"session\":{\"turn_detection\":null}}");
            c.await("session.updated");
            String second = Base64.getEncoder().encodeToString(new byte[48_000]); // 1 s at 24 kHz: the whole budget
            c.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + second + "\"}");
            c.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + second + "\"}");
            assertThat(error(c).path("code").asText()).isEqualTo("input_audio_buffer_too_large");
            c.send(event("input_audio_buffer.clear"));
            c.await("input_audio_buffer.cleared");
            c.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + second + "\"}");
            c.send(event("input_audio_buffer.commit"));
            c.await("input_audio_buffer.committed");
            assertThat(c.seen("error")).hasSize(2);
        }
    }

    @Test
    void theServerAdmitsTheSessionsItsHeapHoldsAndRefusesMoreWith503() throws Exception {
        server = start(ServerConfig.local(0, SessionConfig.DEFAULT, "tone").withMaxSessions(1));
        try (RealtimeTestClient first = connect()) {
            assertThatThrownBy(() -> http.newWebSocketBuilder().buildAsync(server.realtimeUri(), new WebSocket.Listener() {}).join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class, e -> {
                        assertThat(e.getResponse().statusCode()).isEqualTo(503);
                        assertThat(String.valueOf(e.getResponse().body())).contains("server_full").contains("at most 1 sessions");
                    });
            stillAnswers(first);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> server.activeSessions() == 0);
        try (RealtimeTestClient again = connect()) {
            stillAnswers(again);
        }
        // the default: as many sessions as the budget fits in the heap
        assertThat(ServerConfig.local(0, SessionConfig.DEFAULT, "v").sessionLimit())
                .isEqualTo((int) Math.max(1, Runtime.getRuntime().maxMemory() / SessionBudget.DEFAULT.bytesPerSession()));
        assertThat(SessionBudget.DEFAULT.sessionsFor(512L << 20)).isEqualTo(8); // 58 MiB a session
    }

    @Test
    void metricsNeedTheTokenAndOnlyRealtimeIsEchoedAsSubprotocol() throws Exception {
        server = start(ServerConfig.local(0, SessionConfig.DEFAULT, "tone").withAuthToken("s3cret"));
        HttpRequest.Builder metrics = HttpRequest.newBuilder(server.uri().resolve("/metrics")).timeout(Duration.ofSeconds(20));
        HttpResponse<String> refused = http.send(metrics.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("invalid_api_key").doesNotContain("parley_sessions_active");
        HttpResponse<String> wrong = http.send(metrics.copy().header("Authorization", "Bearer nope").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> ok = http.send(metrics.copy().header("Authorization", "Bearer s3cret").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("parley_sessions_active");

        try (RealtimeTestClient c = RealtimeTestClient.connect(server.realtimeUri(),
                http.newWebSocketBuilder().subprotocols("openai-insecure-api-key.s3cret"))) {
            c.await("session.created");
            assertThat(c.socket().getSubprotocol()).isEmpty();
        }
        try (RealtimeTestClient c = RealtimeTestClient.connect(server.realtimeUri(),
                http.newWebSocketBuilder().subprotocols("openai-insecure-api-key.s3cret", "realtime"))) {
            c.await("session.created");
            assertThat(c.socket().getSubprotocol()).isEqualTo("realtime");
        }
    }

    @Test
    void servingBeyondLoopbackWithoutATokenIsWarnedOf() {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ParleyServer.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            server = start(ServerConfig.local(0, SessionConfig.DEFAULT, "tone"));
            server.close();
            server = start(ServerConfig.local(0, SessionConfig.DEFAULT, "tone").withHost("0.0.0.0").withAuthToken("s3cret"));
            server.close();
            assertThat(logged.list).noneMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN);
            server = start(ServerConfig.local(0, SessionConfig.DEFAULT, "tone").withHost("0.0.0.0"));
            assertThat(logged.list).anyMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
                    && e.getFormattedMessage().contains("0.0.0.0 without an auth token"));
        } finally {
            logger.detachAppender(logged);
        }
    }
}
