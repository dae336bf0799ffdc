package dev.parley.providers.openai;

import dev.parley.dialog.Tool;

import java.net.http.HttpClient;
import java.util.List;
import java.util.Objects;

/**
 * The shared part of the OpenAI-compatible brain: one {@link HttpClient} (its connection pool) and one
 * {@link ChatCompletionsClient} for all sessions, each of which gets its own {@link OpenAiChatDialog} from
 * {@link #newDialog}. Closing the brain shuts the HTTP client down, which aborts whatever is still in flight.
 */
public final class OpenAiChatBrain implements AutoCloseable {
    private final HttpClient http;
    private final ChatCompletionsClient client;

    public OpenAiChatBrain(OpenAiChatConfig config) {
        this.http = ChatCompletionsClient.newHttpClient(Objects.requireNonNull(config, "config"));
        this.client = new ChatCompletionsClient(config, http);
    }

    public OpenAiChatConfig config() {
        return client.config();
    }

    /** The shared client, for callers that stream completions themselves. */
    public ChatCompletionsClient client() {
        return client;
    }

    /** A dialog for one session, without tools. */
    public OpenAiChatDialog newDialog() {
        return newDialog(List.of());
    }

    /** A dialog for one session, offering {@code tools} (the session's own instances: timers are per session). */
    public OpenAiChatDialog newDialog(List<Tool> tools) {
        return new OpenAiChatDialog(client, tools);
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
