package dev.parley.transport.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.dialog.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/chat/completions} over real HTTP with a fake brain: the {@code chat.completion} object, the
 * {@code chat.completion.chunk} stream ending with {@code [DONE]}, the conversation as the brain gets it, bad input
 * 400, the size limit 413, a failing brain 502 (or an error event once the stream began), and the token.
 */
class ChatCompletionsEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONVERSATION = "[{\"role\":\"system\",\"content\":\"Be brief.\"},"
            + "{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"Hello!\"},"
            + "{\"role\":\"developer\",\"content\":\"Speak plainly.\"},"
            + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"what time \"},{\"type\":\"text\",\"text\":\"is it\"}]}]";
    private RestFixture rest = new RestFixture();

    @AfterEach
    void stop() {
        rest.close();
    }

    private HttpResponse<String> chat(String json) throws IOException, InterruptedException {
        return rest.json(RestEndpoints.CHAT_COMPLETIONS, json);
    }

    private static JsonNode error(HttpResponse<String> r, int status) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode e = JSON.readTree(r.body()).get("error");
        assertThat(e.has("message") && e.has("type") && e.has("param") && e.has("code")).as(r.body()).isTrue();
        return e;
    }

    /** The data of each event of an SSE body. */
    private static List<String> events(String body) {
        assertThat(body).endsWith("\n\n");
        List<String> out = new ArrayList<>();
        for (String event : body.split("\n\n")) {
            assertThat(event).startsWith("data: ");
            out.add(event.substring(6));
        }
        return out;
    }

    @Test
    void aCompletionObjectAnswersTheConversation() throws Exception {
        HttpResponse<String> r = chat("{\"model\":\"parley-skills\",\"messages\":" + CONVERSATION + "}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode c = JSON.readTree(r.body());
        assertThat(c.path("object").asText()).isEqualTo("chat.completion");
        assertThat(c.path("id").asText()).startsWith("chatcmpl-");
        assertThat(c.path("model").asText()).isEqualTo("parley-skills");
        assertThat(c.path("created").asLong()).isPositive();
        JsonNode choice = c.path("choices").get(0);
        assertThat(choice.path("index").asInt()).isZero();
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asText()).isEqualTo("It's six o'clock.");
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(c.path("usage").path("total_tokens").asInt()).isEqualTo(
                c.path("usage").path("prompt_tokens").asInt() + c.path("usage").path("completion_tokens").asInt());

        assertThat(rest.brain.turns).containsExactly("what time is it");
        assertThat(rest.brain.histories.getFirst()).containsExactly(new Message(Message.Role.SYSTEM, "Be brief.\nSpeak plainly."),
                Message.user("hi"), Message.assistant("Hello!"));
        assertThat(rest.brainsClosed.get()).isEqualTo(1);
    }

    @Test
    void aStreamIsChunksEndingWithDone() throws Exception {
        HttpResponse<String> r = chat("{\"model\":\"parley\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"what time is it\"}]}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        List<String> events = events(r.body());
        assertThat(events.getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = new ArrayList<>();
        for (String e : events.subList(0, events.size() - 1)) chunks.add(JSON.readTree(e));
        assertThat(chunks).hasSize(6).allSatisfy(c -> {
            assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(c.path("model").asText()).isEqualTo("parley");
            assertThat(c.path("id").asText()).isEqualTo(chunks.getFirst().path("id").asText());
        });
        assertThat(chunks.get(0).path("choices").get(0).path("delta").path("role").asText()).isEqualTo("assistant");
        StringBuilder text = new StringBuilder();
        for (JsonNode c : chunks.subList(1, 4)) {
            assertThat(c.path("choices").get(0).path("finish_reason").isNull()).isTrue();
            assertThat(c.has("usage") && c.get("usage").isNull()).isTrue();
            text.append(c.path("choices").get(0).path("delta").path("content").asText());
        }
        assertThat(text).hasToString("It's six o'clock.");
        assertThat(chunks.get(4).path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
        assertThat(chunks.get(5).path("choices")).isEmpty();
        assertThat(chunks.get(5).path("usage").path("completion_tokens").asInt()).isPositive();
    }

    @Test
    void badInputIsA400() throws Exception {
        assertThat(error(chat("{\"model\":\"parley\"}"), 400).path("param").asText()).isEqualTo("messages");
        assertThat(error(chat("{\"model\":\"parley\",\"messages\":[]}"), 400).path("param").asText()).isEqualTo("messages");
        assertThat(error(chat("{\"model\":\"parley\",\"messages\":\"hi\"}"), 400).path("param").asText()).isEqualTo("messages");
        assertThat(error(chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400).path("param").asText()).isEqualTo("model");
        assertThat(error(chat("{\"model\":\"parley\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"Hello\"}]}"), 400).path("message").asText()).contains("last message");
        assertThat(error(chat("{\"model\":\"parley\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}"), 400)
                .path("param").asText()).isEqualTo("messages[0].role");
        assertThat(error(chat("{\"model\":\"parley\",\"messages\":[{\"role\":\"user\"}]}"), 400)
                .path("param").asText()).isEqualTo("messages[0].content");
        assertThat(error(chat("{\"model\":\"parley\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                + "\"image_url\":{\"url\":\"http://x\"}}]}]}"), 400).path("param").asText()).isEqualTo("messages[0].content");
        assertThat(error(chat("{\"model\":\"parley\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400)
                .path("param").asText()).isEqualTo("n");
        assertThat(error(chat("{\"model\":\"parley\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400)
                .path("param").asText()).isEqualTo("stream");
        assertThat(error(chat("{\"model\":\"parley\",\"messages\":[{\"role\":"), 400).path("code").asText()).isEqualTo("invalid_json");
        assertThat(error(chat(""), 400).path("code").asText()).isEqualTo("invalid_json");
        HttpResponse<String> get = rest.send(java.net.http.HttpRequest.newBuilder(rest.uri(RestEndpoints.CHAT_COMPLETIONS)).GET());
        assertThat(error(get, 405).path("code").asText()).isEqualTo("method_not_allowed");
        assertThat(get.headers().firstValue("allow")).hasValue("POST");
        assertThat(rest.brain.turns).isEmpty();
    }

    @Test
    void aConversationOverTheLimitIs413() throws Exception {
        String big = "{\"model\":\"parley\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(1_100_000) + "\"}]}";
        assertThat(error(chat(big), 413).path("code").asText()).isEqualTo("request_too_large");
    }

    @Test
    void aBrainFailingBeforeItsFirstWordIs502() throws Exception {
        rest.brain.failAt = 0;
        for (String stream : new String[]{"false", "true"}) {
            JsonNode e = error(chat("{\"model\":\"parley\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 502);
            assertThat(e.path("type").asText()).isEqualTo("server_error");
            assertThat(e.path("message").asText()).contains("the fake brain broke");
        }
        assertThat(rest.brainsClosed.get()).isEqualTo(2);
    }

    @Test
    void aBrainFailingMidStreamEndsItWithAnErrorEvent() throws Exception {
        rest.brain.failAt = 1;
        HttpResponse<String> r = chat("{\"model\":\"parley\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(r.statusCode()).isEqualTo(200);
        List<String> events = events(r.body());
        assertThat(events).hasSize(3).doesNotContain("[DONE]");
        assertThat(JSON.readTree(events.get(1)).path("choices").get(0).path("delta").path("content").asText()).isEqualTo("It's ");
        assertThat(JSON.readTree(events.get(2)).path("error").path("message").asText()).contains("the fake brain broke");
    }

    @Test
    void theServersTokenIsRequired() throws Exception {
        rest.close();
        rest = new RestFixture("s3cret", RestLimits.DEFAULT);
        String body = "{\"model\":\"parley\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(error(chat(body), 401).path("code").asText()).isEqualTo("invalid_api_key");
        HttpResponse<String> ok = rest.send(rest.post(RestEndpoints.CHAT_COMPLETIONS, "application/json",
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).header("Authorization", "Bearer s3cret"));
        assertThat(ok.statusCode()).isEqualTo(200);
    }
}
