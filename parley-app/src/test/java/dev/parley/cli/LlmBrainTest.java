package dev.parley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --brain llm} and {@code --brain hybrid} end to end, against a fake OpenAI-compatible server on a local socket
 * that streams chat completion chunks as the API does.
 */
class LlmBrainTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private MockWebServer server;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String url() {
        return server.url("/v1").toString();
    }

    private static String chunk(String delta, String finish) {
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1763740000,\"model\":\"local-model\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"") + "}]}\n\n";
    }

    private void stream(String... events) {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                .chunkedBody(String.join("", events) + "data: [DONE]\n\n", 32).build());
    }

    private JsonNode body(RecordedRequest r) throws Exception {
        return JSON.readTree(r.getBody().utf8());
    }

    @Test
    void hybridAnswersWithTheSkillsAndHandsTheRestToTheLlm() throws Exception {
        ReplyCommandTest.Run math = ReplyCommandTest.parley("ask", "what is seventeen times twenty three", "--brain", "hybrid",
                "--llm-url", url(), "--llm-model", "local-model");
        assertThat(math.out()).as(math.err()).contains("391");
        assertThat(server.getRequestCount()).as("the skills answered alone").isZero();

        stream(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null), chunk("{\"content\":\"Paris is the\"}", null),
                chunk("{\"content\":\" capital of France.\"}", null), chunk("{}", "stop"));
        ReplyCommandTest.Run open = ReplyCommandTest.parley("ask", "what is the capital of france", "--brain", "hybrid",
                "--llm-url", url(), "--llm-model", "local-model");
        assertThat(open.exit()).as(open.err()).isZero();
        assertThat(open.out().strip()).isEqualTo("Paris is the capital of France.");
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
        JsonNode req = body(r);
        assertThat(req.get("model").asText()).isEqualTo("local-model");
        assertThat(req.get("stream").asBoolean()).isTrue();
        assertThat(req.at("/messages/0/role").asText()).isEqualTo("system");
        assertThat(req.at("/messages/1/content").asText()).isEqualTo("what is the capital of france");
        assertThat(req.get("tools")).as("the skills go along as tools").isNotNull();
    }

    @Test
    void anLlmSetsARealTimerThroughTheSkillsTool() throws Exception {
        stream(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
                chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"set_timer\",\"arguments\":\"\"}}]}", null),
                chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"duration_seconds\\\": 300}\"}}]}", null),
                chunk("{}", "tool_calls"));
        stream(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null), chunk("{\"content\":\"Done, five minutes.\"}", null),
                chunk("{}", "stop"));
        ReplyCommandTest.Run run = ReplyCommandTest.parley("ask", "could you time five minutes for me", "--brain", "llm",
                "--llm-url", url(), "--llm-model", "local-model");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("Done, five minutes.");
        server.takeRequest(5, TimeUnit.SECONDS);
        JsonNode second = body(server.takeRequest(5, TimeUnit.SECONDS));
        JsonNode toolResult = second.get("messages").get(second.get("messages").size() - 1);
        assertThat(toolResult.get("role").asText()).isEqualTo("tool");
        assertThat(toolResult.get("tool_call_id").asText()).isEqualTo("call_1");
        assertThat(toolResult.get("content").asText()).isEqualTo("Timer set for five minutes.");
    }

    @Test
    void aServerErrorIsAOneLineErrorThatNeverShowsTheKey() {
        server.enqueue(new MockResponse.Builder().code(401).addHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}").build());
        ReplyCommandTest.Run run = ReplyCommandTest.parley("ask", "tell me a story", "--brain", "llm", "--llm-url", url(),
                "--llm-key-env", "PATH", "--fallback", "none");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.oneLineError()).contains("PATH").doesNotContain(System.getenv("PATH"));

        server.enqueue(new MockResponse.Builder().code(401).addHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}").build());
        ReplyCommandTest.Run fell = ReplyCommandTest.parley("ask", "what time is it", "--brain", "llm", "--llm-url", url(),
                "--llm-key-env", "PATH");
        assertThat(fell.exit()).as("the skills answered").isZero();
        assertThat(fell.out()).startsWith("Sorry, I couldn't reach my language model");
        assertThat(fell.err()).contains("llm provider").contains("PATH").doesNotContain(System.getenv("PATH"));
    }

    @Test
    void whenTheLlmServerFailsTheSkillsAnswerAfterAnApology() throws Exception {
        for (int i = 0; i < 5; i++) {
            server.enqueue(new MockResponse.Builder().code(503).addHeader("Content-Type", "application/json")
                    .body("{\"error\":{\"message\":\"The server is overloaded\",\"type\":\"server_error\"}}").build());
        }
        ReplyCommandTest.Run run = ReplyCommandTest.parley("ask", "what is seventeen times twenty three", "--brain", "llm",
                "--llm-url", url(), "--llm-model", "local-model");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().strip()).startsWith("Sorry, I couldn't reach my language model, so here's my offline answer.")
                .contains("391");
        assertThat(server.getRequestCount()).as("the server was tried (with its retries) before the skills took over")
                .isGreaterThanOrEqualTo(1);

        ReplyCommandTest.Run none = ReplyCommandTest.parley("ask", "what is seventeen times twenty three", "--brain", "llm",
                "--llm-url", url(), "--llm-model", "local-model", "--fallback", "none");
        assertThat(none.out() + none.err()).doesNotContain("offline answer");
    }
}
