package dev.parley.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.providers.http.ApiException;
import dev.parley.providers.http.ApiException.StreamFailed.Reason;
import dev.parley.providers.http.RetryPolicy;
import dev.parley.providers.http.Secret;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client against MockWebServer: the exact requests it sends and how it reads OpenAI's streamed chunks. */
class ChatCompletionsClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEATHER_SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":"
            + "\"string\"}},\"required\":[\"city\"]}";

    private MockWebServer server;
    private HttpClient http;
    private OpenAiChatConfig config;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        config = OpenAiChatConfig.defaults()
                .withBaseUrl(server.url("/v1/").toString())
                .withModel("llama3.2")
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5))
                .withRetry(RetryPolicy.none());
        http = ChatCompletionsClient.newHttpClient(config);
    }

    @AfterEach
    void stop() {
        http.shutdownNow();
        server.close();
    }

    /** An event-stream response whose body arrives in small HTTP chunks, so events straddle reads. */
    private void enqueueStream(String body) {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                .chunkedBody(body, 23).build());
    }

    private List<ChatDelta> readAll(ChatStream stream) throws ApiException {
        List<ChatDelta> out = new ArrayList<>();
        ChatDelta d;
        while ((d = stream.next()) != null) {
            out.add(d);
        }
        return out;
    }

    private static ChatRequest conversation(boolean toolsAllowed) {
        return new ChatRequest(List.of(
                new ChatMessage.SystemMessage("Be brief."),
                new ChatMessage.UserMessage("Weather in Paris?"),
                new ChatMessage.AssistantMessage("", List.of(new ToolCall("call_1", "get_weather",
                        "{\"city\":\"Paris\"}"))),
                new ChatMessage.ToolMessage("call_1", "{\"celsius\":21}"),
                new ChatMessage.AssistantMessage("It's 21 degrees.", List.of()),
                new ChatMessage.UserMessage("Thanks!")),
                List.of(new ToolSpec("get_weather", "Current weather of a city", WEATHER_SCHEMA)), toolsAllowed);
    }

    @Test
    void aCompatibleServerGetsMaxTokensAndNoStreamOptions() throws Exception {
        enqueueStream(OpenAiWire.reply("Hi"));
        ChatCompletionsClient client = new ChatCompletionsClient(
                config.withApiKey(Secret.of("local-key")).withMaxTokens(200).withTemperature(0.3), http);

        readAll(client.stream(conversation(true)));

        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getTarget()).isEqualTo("/v1/chat/completions");
        assertThat(r.getHeaders().get("Content-Type")).isEqualTo("application/json");
        assertThat(r.getHeaders().get("Accept")).isEqualTo("text/event-stream");
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer local-key");
        assertThat(r.getHeaders().get("Upgrade")).as("no h2c upgrade on plain HTTP").isNull();
        assertThat(JSON.readTree(r.getBody().utf8())).isEqualTo(JSON.readTree("""
                {"model":"llama3.2",
                 "messages":[
                   {"role":"system","content":"Be brief."},
                   {"role":"user","content":"Weather in Paris?"},
                   {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                     "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                   {"role":"tool","tool_call_id":"call_1","content":"{\\"celsius\\":21}"},
                   {"role":"assistant","content":"It's 21 degrees."},
                   {"role":"user","content":"Thanks!"}],
                 "stream":true,
                 "max_tokens":200,
                 "temperature":0.3,
                 "tools":[{"type":"function","function":{"name":"get_weather",
                   "description":"Current weather of a city",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]}
                """));
    }

    @Test
    void openAiGetsMaxCompletionTokensIncludeUsageAndToolChoiceNoneWhenToolsAreNotAllowed() throws Exception {
        enqueueStream(OpenAiWire.reply("Hi"));
        ChatCompletionsClient client = new ChatCompletionsClient(
                config.withDialect(OpenAiChatConfig.Dialect.OPENAI).withModel("gpt-4o-mini"), http);

        readAll(client.stream(conversation(false)));

        JsonNode body = JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        assertThat(body.get("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(body.get("max_completion_tokens").asInt()).isEqualTo(512);
        assertThat(body.has("max_tokens")).isFalse();
        assertThat(body.get("stream_options")).isEqualTo(JSON.readTree("{\"include_usage\":true}"));
        assertThat(body.get("tool_choice").asText()).isEqualTo("none");
        assertThat(body.has("temperature")).isFalse();
        assertThat(body.get("tools")).hasSize(1);
    }

    @Test
    void withoutAKeyNoAuthorizationIsSent() throws Exception {
        enqueueStream(OpenAiWire.reply("Hi"));
        ChatCompletionsClient client = new ChatCompletionsClient(config.withMaxTokens(null), http);

        readAll(client.stream(ChatRequest.of(List.of(new ChatMessage.UserMessage("Hi")))));

        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r.getHeaders().get("Authorization")).isNull();
        JsonNode body = JSON.readTree(r.getBody().utf8());
        assertThat(body.has("max_tokens")).isFalse();
        assertThat(body.has("tools")).isFalse();
        assertThat(body.has("tool_choice")).isFalse();
    }

    @Test
    void contentPiecesThenFinishAndUsage() throws Exception {
        enqueueStream(OpenAiWire.reply("Hello", " there", ", friend — ça va? 👋"));
        ChatCompletionsClient client = new ChatCompletionsClient(config, http);

        assertThat(readAll(client.stream(ChatRequest.of(List.of(new ChatMessage.UserMessage("Hi"))))))
                .containsExactly(new ChatDelta.Content("Hello"), new ChatDelta.Content(" there"),
                        new ChatDelta.Content(", friend — ça va? 👋"), new ChatDelta.Finished("stop"),
                        new ChatDelta.Usage(57, 3, 60));
    }

    @Test
    void toolCallFragmentsAreJoinedByIndexIntoWholeCalls() throws Exception {
        enqueueStream(OpenAiWire.role()
                + OpenAiWire.content("Let me check.")
                + OpenAiWire.toolStart(0, "call_DdmO9pD3xa9XTPNJ32zg2hcA", "get_weather")
                + OpenAiWire.toolArgs(0, "{\"ci")
                + OpenAiWire.toolStart(1, "call_Zl1ka2Mft6tAIRvPWvJd0Wbb", "get_time")
                + OpenAiWire.toolArgs(0, "ty\": \"Pa")
                + OpenAiWire.toolArgs(1, "{\"zone\":")
                + OpenAiWire.toolArgs(1, "\"Europe/Paris\"}")
                + OpenAiWire.toolArgs(0, "ris\"}")
                + OpenAiWire.finish("tool_calls")
                + OpenAiWire.usage(80, 40)
                + OpenAiWire.DONE);
        ChatCompletionsClient client = new ChatCompletionsClient(config, http);

        assertThat(readAll(client.stream(ChatRequest.of(List.of(new ChatMessage.UserMessage("?"))))))
                .containsExactly(new ChatDelta.Content("Let me check."),
                        new ChatDelta.ToolCalls(List.of(
                                new ToolCall("call_DdmO9pD3xa9XTPNJ32zg2hcA", "get_weather",
                                        "{\"city\": \"Paris\"}"),
                                new ToolCall("call_Zl1ka2Mft6tAIRvPWvJd0Wbb", "get_time",
                                        "{\"zone\":\"Europe/Paris\"}"))),
                        new ChatDelta.Finished("tool_calls"), new ChatDelta.Usage(80, 40, 120));
    }

    @Test
    void aWholeCallInOneChunkWithoutIndexOrIdOrArgumentsIsAccepted() throws Exception {
        // what some compatible servers send: no index, no id, no usage, finish in the same chunk
        enqueueStream("data: {\"id\":\"chatcmpl-9\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"qwen3\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\","
                + "\"tool_calls\":[{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}]},"
                + "\"finish_reason\":\"tool_calls\"}]}\n\n" + OpenAiWire.DONE);
        ChatCompletionsClient client = new ChatCompletionsClient(config, http);

        assertThat(readAll(client.stream(ChatRequest.of(List.of(new ChatMessage.UserMessage("?"))))))
                .containsExactly(new ChatDelta.ToolCalls(List.of(new ToolCall("call_0", "get_time", "{}"))),
                        new ChatDelta.Finished("tool_calls"));
    }

    @Test
    void anErrorObjectInsideTheStreamFailsWithItsMessage() throws Exception {
        enqueueStream(OpenAiWire.role() + OpenAiWire.content("Sure")
                + "data: " + OpenAiWire.error("The server had an error while processing your request. Sorry about "
                + "that!", "server_error", null) + "\n\n");
        ChatStream stream = new ChatCompletionsClient(config, http)
                .stream(ChatRequest.of(List.of(new ChatMessage.UserMessage("?"))));

        assertThat(stream.next()).isEqualTo(new ChatDelta.Content("Sure"));
        assertThatThrownBy(stream::next).isInstanceOfSatisfying(ApiException.StreamFailed.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.ERROR_EVENT);
            assertThat(e.apiMessage())
                    .isEqualTo("The server had an error while processing your request. Sorry about that!");
        });
        assertThat(stream.next()).isNull();
    }

    @Test
    void anErrorEventWithPlainTextIsAnErrorToo() throws Exception {
        enqueueStream(OpenAiWire.role() + "event: error\ndata: model crashed\n\n");
        ChatStream stream = new ChatCompletionsClient(config, http)
                .stream(ChatRequest.of(List.of(new ChatMessage.UserMessage("?"))));

        assertThatThrownBy(stream::next).isInstanceOfSatisfying(ApiException.StreamFailed.class,
                e -> assertThat(e.apiMessage()).isEqualTo("model crashed"));
    }

    @Test
    void aChunkThatIsNotJsonIsMalformed() throws Exception {
        enqueueStream(OpenAiWire.role() + "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"delta\":{\"content\":\"Hi\n\n"
                + OpenAiWire.DONE);
        ChatStream stream = new ChatCompletionsClient(config, http)
                .stream(ChatRequest.of(List.of(new ChatMessage.UserMessage("?"))));

        assertThatThrownBy(stream::next).isInstanceOfSatisfying(ApiException.StreamFailed.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
            assertThat(e).hasMessage("the response was malformed: a chunk was not valid JSON");
        });
    }

    @Test
    void aToolCallWithoutANameIsMalformed() throws Exception {
        enqueueStream(OpenAiWire.role() + OpenAiWire.toolArgs(0, "{}") + OpenAiWire.finish("tool_calls")
                + OpenAiWire.DONE);
        ChatStream stream = new ChatCompletionsClient(config, http)
                .stream(ChatRequest.of(List.of(new ChatMessage.UserMessage("?"))));

        assertThatThrownBy(stream::next).isInstanceOfSatisfying(ApiException.StreamFailed.class,
                e -> assertThat(e).hasMessage("the response was malformed: tool call 0 had no function name"));
    }

    @Test
    void aBodyThatEndsBeforeTheReplyIsCompleteIsADroppedReply() throws Exception {
        enqueueStream(OpenAiWire.role() + OpenAiWire.content("It is"));
        ChatStream stream = new ChatCompletionsClient(config, http)
                .stream(ChatRequest.of(List.of(new ChatMessage.UserMessage("?"))));

        assertThat(stream.next()).isEqualTo(new ChatDelta.Content("It is"));
        assertThatThrownBy(stream::next).isInstanceOfSatisfying(ApiException.StreamFailed.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.DROPPED);
            assertThat(e).hasMessage("the response broke off: the stream ended before the reply was complete");
        });
    }

    @Test
    void aFinishWithoutDoneIsAWholeReply() throws Exception {
        enqueueStream(OpenAiWire.role() + OpenAiWire.content("Done.") + OpenAiWire.finish("stop"));
        ChatStream stream = new ChatCompletionsClient(config, http)
                .stream(ChatRequest.of(List.of(new ChatMessage.UserMessage("?"))));

        assertThat(readAll(stream)).containsExactly(new ChatDelta.Content("Done."), new ChatDelta.Finished("stop"));
    }

    @Test
    void nothingIsSentBeforeTheFirstPull() throws Exception {
        ChatStream stream = new ChatCompletionsClient(config, http)
                .stream(ChatRequest.of(List.of(new ChatMessage.UserMessage("?"))));
        Thread.sleep(100);

        assertThat(server.getRequestCount()).isZero();
        stream.close();
        assertThat(stream.next()).isNull();
        assertThat(server.getRequestCount()).isZero();
    }
}
