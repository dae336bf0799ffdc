package dev.parley.providers.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.providers.http.SseClient;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A thin streaming client of an OpenAI-compatible {@code POST /chat/completions}, on {@code java.net.http}.
 *
 * <p>Each {@link #stream} posts {@code model}, {@code messages}, {@code stream: true}, the token limit
 * ({@code max_completion_tokens} for OpenAI, {@code max_tokens} for other servers: see
 * {@link OpenAiChatConfig.Dialect}), {@code temperature} if set, {@code stream_options: {include_usage: true}} for
 * OpenAI only, and {@code tools} (type {@code function}) with {@code tool_choice: "none"} when calls are not allowed
 * this time. Headers: {@code Content-Type: application/json}, {@code Accept: text/event-stream}, and
 * {@code Authorization: Bearer …} only when a key is configured. Plain {@code http://} servers are spoken to in
 * HTTP/1.1 (no h2c upgrade attempt, which some local servers mishandle); {@code https://} negotiates HTTP/2.
 *
 * <p>Timeouts, retries before the first byte and cancellation are those of {@link SseClient}; decoding is
 * {@link ChatStream}'s. Thread-safe: one client serves every session.
 */
public final class ChatCompletionsClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenAiChatConfig config;
    private final SseClient sse;

    /** A client sending with {@code http}, which should come from {@link #newHttpClient} (or share its settings). */
    public ChatCompletionsClient(OpenAiChatConfig config, HttpClient http) {
        this.config = Objects.requireNonNull(config, "config");
        this.sse = new SseClient(http, config.firstByteTimeout(), config.idleTimeout(), config.retry(),
                config.apiKey());
    }

    /** An HTTP client for {@code config}: its connect timeout, redirects not followed (a POST must not be replayed). */
    public static HttpClient newHttpClient(OpenAiChatConfig config) {
        return HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public OpenAiChatConfig config() {
        return config;
    }

    /** Starts a streamed completion; nothing is sent until the stream's first {@link ChatStream#next()}. */
    public ChatStream stream(ChatRequest request) {
        return new ChatStream(sse.open(httpRequest(request)), config.apiKey());
    }

    HttpRequest httpRequest(ChatRequest request) {
        HttpRequest.Builder b = HttpRequest.newBuilder(config.chatCompletionsUrl())
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(request)));
        if (config.apiKey().isPresent()) {
            b.header("Authorization", "Bearer " + config.apiKey().reveal());
        }
        if ("http".equals(config.baseUrl().getScheme())) {
            b.version(HttpClient.Version.HTTP_1_1);
        }
        return b.build();
    }

    /** The JSON body of {@code request}. */
    byte[] body(ChatRequest request) {
        boolean openai = config.effectiveDialect() == OpenAiChatConfig.Dialect.OPENAI;
        ObjectNode root = JSON.createObjectNode();
        root.put("model", config.model());
        ArrayNode messages = root.putArray("messages");
        for (ChatMessage m : request.messages()) {
            messages.add(message(m));
        }
        root.put("stream", true);
        if (openai) {
            root.putObject("stream_options").put("include_usage", true);
        }
        if (config.maxTokens() != null) {
            root.put(openai ? "max_completion_tokens" : "max_tokens", config.maxTokens());
        }
        if (config.temperature() != null) {
            root.put("temperature", config.temperature());
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = root.putArray("tools");
            for (ToolSpec t : request.tools()) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function");
                function.put("name", t.name()).put("description", t.description());
                function.set("parameters", t.parametersJson());
            }
            if (!request.toolsAllowed()) {
                root.put("tool_choice", "none");
            }
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode message(ChatMessage m) {
        ObjectNode node = JSON.createObjectNode();
        switch (m) {
            case ChatMessage.SystemMessage s -> node.put("role", "system").put("content", s.content());
            case ChatMessage.UserMessage u -> node.put("role", "user").put("content", u.content());
            case ChatMessage.AssistantMessage a -> {
                node.put("role", "assistant");
                if (a.toolCalls().isEmpty() || !a.content().isEmpty()) {
                    node.put("content", a.content());
                } else {
                    node.putNull("content");
                }
                if (!a.toolCalls().isEmpty()) {
                    ArrayNode calls = node.putArray("tool_calls");
                    for (ToolCall c : a.toolCalls()) {
                        calls.addObject().put("id", c.id()).put("type", "function")
                                .putObject("function").put("name", c.name()).put("arguments", c.arguments());
                    }
                }
            }
            case ChatMessage.ToolMessage t -> node.put("role", "tool").put("tool_call_id", t.toolCallId())
                    .put("content", t.content());
        }
        return node;
    }
}
