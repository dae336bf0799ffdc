package dev.parley.providers.openai;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.dialog.DialogException;
import dev.parley.dialog.Message;
import dev.parley.dialog.SpokenStyle;
import dev.parley.dialog.TextStream;
import dev.parley.dialog.Tool;
import dev.parley.providers.http.RawHttpServer;
import dev.parley.providers.http.RetryPolicy;
import dev.parley.providers.http.Secret;
import dev.parley.stt.Transcript;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The brain end to end against fakes of an OpenAI server on real sockets: what it sends, what it speaks, how it runs
 * tools, every failure's message, and that cancelling really hangs up. After each test, no log line holds the key.
 */
class OpenAiChatDialogTest {
    private static final String KEY = "sk-proj-Qw3rTy9UiOp4AsDfGh7JkL1ZxCvBnM5kEy0fTh3T3sT";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RetryPolicy FAST_RETRY =
            new RetryPolicy(2, Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofSeconds(5));

    private MockWebServer server;
    private HttpClient http;
    private OpenAiChatConfig config;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        config = configFor(URI.create(server.url("/v1").toString()));
        http = ChatCompletionsClient.newHttpClient(config);
        logs.start();
        root().addAppender(logs);
    }

    @AfterEach
    void stop() {
        root().detachAppender(logs);
        http.shutdownNow();
        server.close();
        for (ILoggingEvent e : logs.list) {
            assertThat(e.getFormattedMessage()).doesNotContain(KEY);
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(KEY);
            }
        }
    }

    private static ch.qos.logback.classic.Logger root() {
        return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static OpenAiChatConfig configFor(URI baseUrl) {
        return OpenAiChatConfig.defaults().withBaseUrl(baseUrl.toString()).withApiKey(Secret.of(KEY))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(800), Duration.ofMillis(800))
                .withRetry(FAST_RETRY);
    }

    private OpenAiChatDialog dialog(List<Tool> tools) {
        return new OpenAiChatDialog(new ChatCompletionsClient(config, http), tools);
    }

    private OpenAiChatDialog dialog() {
        return dialog(List.of());
    }

    private static List<String> drain(TextStream stream) throws DialogException {
        List<String> out = new ArrayList<>();
        String piece;
        while ((piece = stream.next()) != null) {
            out.add(piece);
        }
        return out;
    }

    private void enqueueStream(String body) {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                .chunkedBody(body, 64).build());
    }

    private void enqueueError(int code, String body, String... headers) {
        MockResponse.Builder b = new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json")
                .body(body);
        for (int i = 0; i < headers.length; i += 2) {
            b.addHeader(headers[i], headers[i + 1]);
        }
        server.enqueue(b.build());
    }

    private JsonNode takeBody() throws Exception {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).as("a request").isNotNull();
        return JSON.readTree(r.getBody().utf8());
    }

    /** The failure of a one-turn conversation, checked to be free of the key all along its causes. */
    private DialogException failure(OpenAiChatDialog dialog) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> drain(dialog.respond(List.of(), "Hi")));
        assertThat(t).isInstanceOf(DialogException.class);
        for (Throwable c = t; c != null; c = c.getCause()) {
            assertThat(String.valueOf(c.getMessage())).doesNotContain(KEY);
            assertThat(c.toString()).doesNotContain(KEY);
        }
        return (DialogException) t;
    }

    /** The fake's host and port, as the messages name the server (MockWebServer's URLs say localhost). */
    private String server() {
        return server.url("/").host() + ":" + server.getPort();
    }

    /** A tool that records its arguments and answers with {@code result}. */
    private static Tool tool(String name, List<String> calls, Function<String, String> result) {
        return new Tool() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return "The " + name + " tool";
            }

            @Override
            public String parametersSchema() {
                return "{\"type\":\"object\",\"properties\":{\"zone\":{\"type\":\"string\"}}}";
            }

            @Override
            public String call(String argumentsJson) {
                calls.add(name + " " + argumentsJson);
                return result.apply(argumentsJson);
            }
        };
    }

    // ---------------------------------------------------------------- conversation

    @Test
    void sendsTheSpokenStylePromptAndInstructionsThenHistoryThenTheTurnAndSpeaksThePieces() throws Exception {
        enqueueStream(OpenAiWire.reply("Why did the", " chicken", " cross the road?"));
        List<Message> history = List.of(new Message(Message.Role.SYSTEM, "The user's name is Ana."),
                Message.user("Hi"), Message.assistant("Hello Ana!"), Message.user("How are you?"),
                Message.assistant(""), Message.user("Never mind."));

        List<String> pieces = drain(dialog().respond(history, new Transcript("Tell me a joke", 0.93)));

        assertThat(pieces).containsExactly("Why did the", " chicken", " cross the road?");
        JsonNode messages = takeBody().get("messages");
        assertThat(messages).isEqualTo(JSON.valueToTree(List.of(
                msg("system", SpokenStyle.SYSTEM_PROMPT + "\n\nThe user's name is Ana."),
                msg("user", "Hi"), msg("assistant", "Hello Ana!"), msg("user", "How are you?"),
                msg("user", "Never mind."), msg("user", "Tell me a joke"))));
    }

    private static java.util.Map<String, String> msg(String role, String content) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        return m;
    }

    @Test
    void withoutInstructionsTheSystemMessageIsTheSpokenStylePrompt() throws Exception {
        enqueueStream(OpenAiWire.reply("Hi!"));

        drain(dialog().respond(List.of(), "Hello"));

        JsonNode body = takeBody();
        assertThat(body.get("messages")).isEqualTo(JSON.valueToTree(List.of(
                msg("system", SpokenStyle.SYSTEM_PROMPT), msg("user", "Hello"))));
        assertThat(body.get("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(body.get("stream").asBoolean()).isTrue();
        assertThat(body.has("tools")).isFalse();
    }

    @Test
    void theFirstPieceIsSpokenBeforeTheRestIsGenerated() throws Exception {
        try (RawHttpServer raw = new RawHttpServer()) {
            config = configFor(raw.url("/v1"));
            CountDownLatch firstHeard = new CountDownLatch(1);
            raw.enqueue((req, ex) -> {
                ex.status(200, "text/event-stream");
                ex.chunk(OpenAiWire.role() + OpenAiWire.content("First,"));
                assertThat(firstHeard.await(5, TimeUnit.SECONDS)).isTrue();
                ex.chunk(OpenAiWire.content(" then the rest.") + OpenAiWire.finish("stop") + OpenAiWire.DONE);
                ex.end();
            });
            TextStream reply = dialog().respond(List.of(), "Go");

            assertThat(reply.next()).isEqualTo("First,");
            firstHeard.countDown();
            assertThat(reply.next()).isEqualTo(" then the rest.");
            assertThat(reply.next()).isNull();
            RawHttpServer.Request request = raw.takeRequest();
            assertThat(request.target()).isEqualTo("/v1/chat/completions");
            assertThat(request.headers()).containsEntry("authorization", "Bearer " + KEY)
                    .containsEntry("accept", "text/event-stream").containsEntry("content-type", "application/json");
        }
    }

    // ---------------------------------------------------------------- tools

    @Test
    void aToolCallIsRunAndTheFollowUpIsStreamedAfterTheWordsSaidBeforeIt() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        Tool time = tool("get_time", calls, args -> "{\"time\":\"09:00\"}");
        enqueueStream(OpenAiWire.role() + OpenAiWire.content("Let me look.")
                + OpenAiWire.toolStart(0, "call_8oQxPrDn", "get_time")
                + OpenAiWire.toolArgs(0, "{\"zone\":") + OpenAiWire.toolArgs(0, "\"UTC\"}")
                + OpenAiWire.finish("tool_calls") + OpenAiWire.usage(90, 20) + OpenAiWire.DONE);
        enqueueStream(OpenAiWire.reply("It's nine", " o'clock."));

        List<String> pieces = drain(dialog(List.of(time)).respond(List.of(), "What time is it?"));

        assertThat(pieces).containsExactly("Let me look.", "It's nine", " o'clock.");
        assertThat(calls).containsExactly("get_time {\"zone\":\"UTC\"}");
        JsonNode first = takeBody();
        assertThat(first.get("tools")).isEqualTo(JSON.readTree("""
                [{"type":"function","function":{"name":"get_time","description":"The get_time tool",
                  "parameters":{"type":"object","properties":{"zone":{"type":"string"}}}}}]"""));
        assertThat(first.has("tool_choice")).isFalse();
        JsonNode second = takeBody();
        assertThat(second.get("messages")).isEqualTo(JSON.readTree("""
                [{"role":"system","content":%s},
                 {"role":"user","content":"What time is it?"},
                 {"role":"assistant","content":"Let me look.","tool_calls":[{"id":"call_8oQxPrDn","type":"function",
                   "function":{"name":"get_time","arguments":"{\\"zone\\":\\"UTC\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_8oQxPrDn","content":"{\\"time\\":\\"09:00\\"}"}]
                """.formatted(JSON.writeValueAsString(SpokenStyle.WITH_TOOLS))));
        assertThat(second.get("tools")).isEqualTo(first.get("tools"));
        assertThat(second.has("tool_choice")).isFalse();
    }

    @Test
    void parallelCallsEachGetAResultAndUnknownOrFailingToolsGiveErrorsNotFailures() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        Tool time = tool("get_time", calls, args -> "09:00");
        Tool broken = tool("broken", calls, args -> {
            throw new IllegalStateException("boom");
        });
        enqueueStream(OpenAiWire.role()
                + OpenAiWire.toolStart(0, "call_a", "get_time") + OpenAiWire.toolArgs(0, "{}")
                + OpenAiWire.toolStart(1, "call_b", "launch_rockets") + OpenAiWire.toolArgs(1, "{}")
                + OpenAiWire.toolStart(2, "call_c", "broken") + OpenAiWire.toolArgs(2, "{\"zone\":\"x\"}")
                + OpenAiWire.finish("tool_calls") + OpenAiWire.DONE);
        enqueueStream(OpenAiWire.reply("Done."));

        assertThat(drain(dialog(List.of(time, broken)).respond(List.of(), "Do it all"))).containsExactly("Done.");

        assertThat(calls).containsExactly("get_time {}", "broken {\"zone\":\"x\"}");
        takeBody();
        JsonNode messages = takeBody().get("messages");
        assertThat(messages).hasSize(6);
        assertThat(messages.get(2).get("content").isNull()).as("no text before the calls").isTrue();
        assertThat(messages.get(2).get("tool_calls")).hasSize(3);
        assertThat(messages.get(3)).isEqualTo(JSON.readTree(
                "{\"role\":\"tool\",\"tool_call_id\":\"call_a\",\"content\":\"09:00\"}"));
        assertThat(messages.get(4)).isEqualTo(JSON.readTree("{\"role\":\"tool\",\"tool_call_id\":\"call_b\","
                + "\"content\":\"{\\\"error\\\":\\\"there is no tool named launch_rockets\\\"}\"}"));
        assertThat(messages.get(5)).isEqualTo(JSON.readTree("{\"role\":\"tool\",\"tool_call_id\":\"call_c\","
                + "\"content\":\"{\\\"error\\\":\\\"the tool failed: boom\\\"}\"}"));
    }

    private static String toolCallReply(String id) {
        return OpenAiWire.role() + OpenAiWire.toolStart(0, id, "get_time") + OpenAiWire.toolArgs(0, "{}")
                + OpenAiWire.finish("tool_calls") + OpenAiWire.DONE;
    }

    @Test
    void afterTheLastAllowedRoundTheModelMustAnswerInWords() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        enqueueStream(toolCallReply("call_1"));
        enqueueStream(toolCallReply("call_2"));
        enqueueStream(OpenAiWire.reply("It's nine."));
        OpenAiChatDialog dialog = new OpenAiChatDialog(new ChatCompletionsClient(config, http),
                List.of(tool("get_time", calls, args -> "09:00")), 2);

        assertThat(drain(dialog.respond(List.of(), "Time?"))).containsExactly("It's nine.");

        assertThat(calls).hasSize(2);
        assertThat(takeBody().has("tool_choice")).isFalse();
        assertThat(takeBody().has("tool_choice")).isFalse();
        JsonNode third = takeBody();
        assertThat(third.get("tool_choice").asText()).isEqualTo("none");
        assertThat(third.get("messages")).hasSize(6); // system, user, 2 × (assistant call, tool result)
    }

    @Test
    void aModelThatKeepsCallingToolsIsStoppedWithAClearError() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            enqueueStream(toolCallReply("call_" + i));
        }
        OpenAiChatDialog dialog = new OpenAiChatDialog(new ChatCompletionsClient(config, http),
                List.of(tool("get_time", calls, args -> "09:00")), 2);

        assertThat(failure(dialog))
                .hasMessage("The language model kept calling tools instead of answering (after 2 rounds).");
        assertThat(calls).hasSize(2);
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void badToolsAreRefusedWhenTheDialogIsMade() {
        List<String> calls = new ArrayList<>();
        Tool bad = new Tool() {
            @Override
            public String name() {
                return "set_timer";
            }

            @Override
            public String description() {
                return "";
            }

            @Override
            public String parametersSchema() {
                return "{\"type\":\"object\",";
            }

            @Override
            public String call(String argumentsJson) {
                return "";
            }
        };

        assertThatThrownBy(() -> dialog(List.of(bad))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("tool 'set_timer' has a parameters schema that is not valid JSON");
        assertThatThrownBy(() -> dialog(List.of(tool("a", calls, x -> ""), tool("a", calls, x -> ""))))
                .hasMessage("two tools are named 'a'");
        assertThatThrownBy(() -> dialog(List.of(tool("two words", calls, x -> ""))))
                .hasMessage("a tool name must be 1 to 64 letters, digits, '_' or '-', not 'two words'");
    }

    // ---------------------------------------------------------------- faults

    @Test
    void unauthorizedNamesTheKeyVariableAndNeverTheKey() {
        // a server that echoes the whole key back: it must not reach the message
        enqueueError(401, OpenAiWire.error("Incorrect API key provided: " + KEY + ". You can find your API key at "
                + "https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key"));

        DialogException e = failure(dialog());

        assertThat(e).hasMessage(server() + " rejected the API key (HTTP 401: Incorrect API key provided: [REDACTED]. "
                + "You can find your API key at https://platform.openai.com/account/api-keys.). Set OPENAI_API_KEY "
                + "to a valid key.");
        assertThat(server.getRequestCount()).as("not retried").isEqualTo(1);
    }

    @Test
    void unauthorizedNamesTheConfiguredKeyVariable() {
        config = config.withApiKeyEnv("GROQ_API_KEY");
        enqueueError(401, "{\"error\":{\"message\":\"Invalid API Key\",\"type\":\"invalid_request_error\","
                + "\"code\":\"invalid_api_key\"}}");

        assertThat(failure(dialog())).hasMessage(server() + " rejected the API key (HTTP 401: Invalid API Key). "
                + "Set GROQ_API_KEY to a valid key.");
    }

    @Test
    void aMissingKeyIsNamed() {
        config = config.withApiKey(Secret.none());
        enqueueError(401, OpenAiWire.error("You didn't provide an API key.", "invalid_request_error", null));

        assertThat(failure(dialog())).hasMessage(server() + " requires an API key (HTTP 401: You didn't provide an "
                + "API key.). Set OPENAI_API_KEY.");
    }

    @Test
    void forbiddenNamesTheModelAndTheKeyVariable() {
        enqueueError(403, OpenAiWire.error("Project does not have access to model gpt-4o-mini",
                "invalid_request_error", "model_not_found"));

        assertThat(failure(dialog())).hasMessage(server() + " refused the API key for model 'gpt-4o-mini' (HTTP 403: "
                + "Project does not have access to model gpt-4o-mini). Set OPENAI_API_KEY to a key that may use it.");
    }

    @Test
    void anUnknownModelIsNamed() {
        config = config.withModel("llama3.3:70b");
        enqueueError(404, "{\"error\":{\"message\":\"model \\\"llama3.3:70b\\\" not found, try pulling it first\","
                + "\"type\":\"api_error\",\"param\":null,\"code\":null}}");

        assertThat(failure(dialog())).hasMessage("Model 'llama3.3:70b' was not found at " + server() + " (HTTP 404: "
                + "model \"llama3.3:70b\" not found, try pulling it first). Check the model name (for Ollama, pull it "
                + "first) and that the base URL http://" + server() + "/v1 is right (it usually ends in /v1).");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aRateLimitWaitsAsLongAsRetryAfterSaysThenStreams() throws Exception {
        enqueueError(429, OpenAiWire.error("Rate limit reached for gpt-4o-mini on requests per min (RPM): "
                + "Limit 3, Used 3, Requested 1.", "requests", "rate_limit_exceeded"), "Retry-After", "1");
        enqueueStream(OpenAiWire.reply("Here I am."));

        long t0 = System.nanoTime();
        List<String> pieces = drain(dialog().respond(List.of(), "Hi"));
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertThat(pieces).containsExactly("Here I am.");
        assertThat(ms).as("waited the second the server asked for, not the 20 ms backoff").isBetween(1000L, 4000L);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aRateLimitLongerThanTheWaitBudgetFailsAtOnceSayingWhenToTryAgain() {
        enqueueError(429, OpenAiWire.error("Rate limit reached", "requests", "rate_limit_exceeded"),
                "Retry-After", "30");

        long t0 = System.nanoTime();
        DialogException e = failure(dialog());

        assertThat(e).hasMessage(server() + " is limiting requests (HTTP 429: Rate limit reached). Try again in 30 "
                + "seconds.");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2000L);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void retriesOfARateLimitAreBoundedInNumber() {
        for (int i = 0; i < 3; i++) {
            enqueueError(429, OpenAiWire.error("Rate limit reached", "tokens", "rate_limit_exceeded"),
                    "retry-after-ms", "10");
        }

        assertThat(failure(dialog())).hasMessage(server() + " is limiting requests (HTTP 429: Rate limit reached). "
                + "Try again in 1 second.");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void anExhaustedQuotaIsNotRetried() {
        enqueueError(429, OpenAiWire.error("You exceeded your current quota, please check your plan and billing "
                + "details.", "insufficient_quota", "insufficient_quota"));

        assertThat(failure(dialog())).hasMessage(server() + " says the account's quota is used up (HTTP 429: You "
                + "exceeded your current quota, please check your plan and billing details.). Check the plan and "
                + "billing of the key in OPENAI_API_KEY.");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void serverErrorsAreRetriedABoundedNumberOfTimes() {
        for (int i = 0; i < 3; i++) {
            enqueueError(500, OpenAiWire.error("The server had an error processing your request.", "server_error",
                    null));
        }

        assertThat(failure(dialog())).hasMessage(server() + " failed (HTTP 500: The server had an error processing "
                + "your request.) after 3 tries. Try again later.");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void theRetryLogLineSaysWhatFailedWithoutTheKeyTheServerEchoed() throws Exception {
        enqueueError(500, OpenAiWire.error("Internal error for key " + KEY, "server_error", null));
        enqueueStream(OpenAiWire.reply("Recovered."));

        assertThat(drain(dialog().respond(List.of(), "Hi"))).containsExactly("Recovered.");

        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).contains(
                "http://" + server() + "/v1/chat/completions failed (HTTP 500: Internal error for key [REDACTED]); "
                        + "retry 1 of 2 in 20 ms");
        // and @AfterEach checks that no line at all holds the key
    }

    @Test
    void aServerErrorFollowedBySuccessIsInvisible() throws Exception {
        enqueueError(502, "<html><body>Bad gateway</body></html>");
        enqueueStream(OpenAiWire.reply("All good."));

        assertThat(drain(dialog().respond(List.of(), "Hi"))).containsExactly("All good.");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aRefusedConnectionIsRetriedThenExplained() throws Exception {
        URI nothing;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nothing = URI.create("http://127.0.0.1:" + s.getLocalPort() + "/v1");
        }
        config = configFor(nothing);

        assertThat(failure(dialog())).hasMessage("Cannot reach the language model server at " + nothing
                + " (connection refused) after 3 tries. Is it running?");
    }

    @Test
    void noAnswerWithinTheFirstByteTimeoutFails() {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                .headersDelay(5, TimeUnit.SECONDS).body(OpenAiWire.reply("late")).build());

        assertThat(failure(dialog())).hasMessage(server() + " did not start answering within 1 second.");
        assertThat(server.getRequestCount()).as("a timeout is not retried").isEqualTo(1);
    }

    @Test
    void aReplyThatStallsAfterSomeTextFailsWithoutRetrying() throws Exception {
        try (RawHttpServer raw = new RawHttpServer()) {
            config = configFor(raw.url("/v1"));
            raw.enqueue((req, ex) -> {
                ex.status(200, "text/event-stream");
                ex.chunk(OpenAiWire.role() + OpenAiWire.content("It's "));
                ex.awaitClientClose(Duration.ofSeconds(5));
            });
            TextStream reply = dialog().respond(List.of(), "Time?");

            assertThat(reply.next()).isEqualTo("It's ");
            assertThatThrownBy(reply::next).isInstanceOf(DialogException.class)
                    .hasMessage("The reply from 127.0.0.1:" + raw.url("/").getPort()
                            + " stalled: nothing came for 1 second.");
            assertThat(raw.awaitClientHangUp(Duration.ofSeconds(5))).isTrue();
            raw.takeRequest();
            assertThat(raw.pendingRequests()).isZero();
            assertThat(reply.next()).isNull();
        }
    }

    @Test
    void aReplyCutOffMidStreamFailsWithoutRetrying() throws Exception {
        try (RawHttpServer raw = new RawHttpServer()) {
            config = configFor(raw.url("/v1"));
            raw.enqueue((req, ex) -> {
                ex.status(200, "text/event-stream");
                ex.chunk(OpenAiWire.role() + OpenAiWire.content("The answer is"));
                ex.raw("1f4\r\ndata: {\"id\":\"chatcmpl-");
                ex.abort();
            });
            TextStream reply = dialog().respond(List.of(), "?");

            assertThat(reply.next()).isEqualTo("The answer is");
            assertThatThrownBy(reply::next).isInstanceOf(DialogException.class)
                    .hasMessage("The reply from 127.0.0.1:" + raw.url("/").getPort() + " broke off.");
            raw.takeRequest();
            Thread.sleep(100);
            assertThat(raw.pendingRequests()).isZero();
        }
    }

    @Test
    void malformedJsonInTheStreamFails() {
        enqueueStream(OpenAiWire.role() + "data: {\"choices\":[{\"delta\":{\"content\":\"Hi}\n\n" + OpenAiWire.DONE);

        assertThat(failure(dialog())).hasMessage(server() + " sent a malformed reply (a chunk was not valid JSON).");
    }

    @Test
    void anErrorObjectInTheStreamFailsWithItsMessage() throws Exception {
        enqueueStream(OpenAiWire.role() + OpenAiWire.content("Well,")
                + "data: " + OpenAiWire.error("The model is overloaded. Please try again later.", "server_error",
                null) + "\n\n");
        TextStream reply = dialog().respond(List.of(), "Hi");

        assertThat(reply.next()).isEqualTo("Well,");
        assertThatThrownBy(reply::next).isInstanceOf(DialogException.class)
                .hasMessage(server() + " reported an error: The model is overloaded. Please try again later.");
    }

    @Test
    void aServerThatDoesNotStreamIsExplained() {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/x-ndjson")
                .body("{\"model\":\"llama3\",\"message\":{\"content\":\"hi\"},\"done\":true}\n").build());

        assertThat(failure(dialog())).hasMessage(server() + " did not stream its reply (Content-Type "
                + "application/x-ndjson); is http://" + server() + "/v1 an OpenAI-compatible /v1 URL?");
    }

    // ---------------------------------------------------------------- cancellation

    @Test
    void closingTheReplyMidStreamHangsUpOnTheServer() throws Exception {
        try (RawHttpServer raw = new RawHttpServer()) {
            config = configFor(raw.url("/v1")).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10),
                    Duration.ofSeconds(10));
            CompletableFuture<Boolean> hungUp = new CompletableFuture<>();
            CompletableFuture<Boolean> writeFailed = new CompletableFuture<>();
            raw.enqueue((req, ex) -> {
                ex.status(200, "text/event-stream");
                ex.chunk(OpenAiWire.role() + OpenAiWire.content("Once upon a time"));
                hungUp.complete(ex.awaitClientClose(Duration.ofSeconds(5)));
                writeFailed.complete(ex.writeFails());
            });
            TextStream reply = dialog().respond(List.of(), "Tell me a long story");
            assertThat(reply.next()).isEqualTo("Once upon a time");
            CompletableFuture<String> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    return reply.next();
                } catch (DialogException e) {
                    return "failed: " + e.getMessage();
                }
            });
            Thread.sleep(200);
            assertThat(blocked).isNotDone();

            reply.close();

            assertThat(blocked.get(1, TimeUnit.SECONDS)).isNull();
            assertThat(hungUp.get(2, TimeUnit.SECONDS)).as("the server saw the connection closed").isTrue();
            assertThat(writeFailed.get(5, TimeUnit.SECONDS)).as("its writes now fail").isTrue();
            assertThat(reply.next()).isNull();
        }
    }

    @Test
    void closingTheDialogCancelsItsReplyAndLaterTurnsSendNothing() throws Exception {
        try (RawHttpServer raw = new RawHttpServer()) {
            config = configFor(raw.url("/v1")).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10),
                    Duration.ofSeconds(10));
            CompletableFuture<Boolean> hungUp = new CompletableFuture<>();
            raw.enqueue((req, ex) -> {
                ex.status(200, "text/event-stream");
                ex.chunk(OpenAiWire.role() + OpenAiWire.content("Thinking"));
                hungUp.complete(ex.awaitClientClose(Duration.ofSeconds(5)));
            });
            OpenAiChatDialog dialog = dialog();
            TextStream reply = dialog.respond(List.of(), "Hi");
            assertThat(reply.next()).isEqualTo("Thinking");

            dialog.close();

            assertThat(hungUp.get(2, TimeUnit.SECONDS)).isTrue();
            assertThat(reply.next()).isNull();
            assertThat(dialog.respond(List.of(), "Still there?").next()).isNull();
            raw.takeRequest();
            assertThat(raw.pendingRequests()).isZero();
        }
    }

    @Test
    void aReplyClosedBeforeItsFirstPullSendsNothing() throws Exception {
        TextStream reply = dialog().respond(List.of(), "Hi");
        reply.close();

        assertThat(reply.next()).isNull();
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void theBrainSharesOneClientAndMakesDialogs() throws Exception {
        enqueueStream(OpenAiWire.reply("One."));
        enqueueStream(OpenAiWire.reply("Two."));
        try (OpenAiChatBrain brain = new OpenAiChatBrain(config)) {
            assertThat(drain(brain.newDialog().respond(List.of(), "1"))).containsExactly("One.");
            assertThat(drain(brain.newDialog(List.of()).respond(List.of(), "2"))).containsExactly("Two.");
            assertThat(brain.config()).isEqualTo(config);
        }
        assertThat(server.takeRequest(1, TimeUnit.SECONDS).getConnectionIndex())
                .isEqualTo(server.takeRequest(1, TimeUnit.SECONDS).getConnectionIndex());
    }
}
