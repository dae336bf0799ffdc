package dev.parley.providers.openai.realtime;

import java.net.http.HttpClient;
import java.util.Objects;

/**
 * Opens WebSockets to OpenAI's Realtime API: one {@link HttpClient} (its connection pool and selector thread) for
 * every session of a process, and the {@link OpenAiRealtimeConfig} they share. Each call opens a new socket that
 * belongs to its caller.
 */
public final class OpenAiRealtimeClient {
    /** Events from the server waiting for their listener before the socket's reads wait too. */
    static final int INBOUND_CAPACITY = 256;
    /** Events waiting to be written: 10 s of 20 ms audio appends. */
    static final int OUTBOUND_CAPACITY = 500;

    private final OpenAiRealtimeConfig config;
    private final HttpClient http;

    public OpenAiRealtimeClient(OpenAiRealtimeConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout()).build();
    }

    public OpenAiRealtimeConfig config() {
        return config;
    }

    /**
     * Starts a conversation session ({@code /v1/realtime?model=}); returns at once. The handshake runs on the
     * connection's writer thread: events sent meanwhile wait in its queue, and a refused handshake reaches
     * {@code listener.onFailure}.
     */
    public RealtimeConnection conversation(RealtimeConnection.Listener listener) {
        return RealtimeConnection.open(http, config, config.conversationUri(), listener, "conversation");
    }

    /** Starts a transcription session ({@code /v1/realtime?intent=transcription}); as {@link #conversation}. */
    public RealtimeConnection transcription(RealtimeConnection.Listener listener) {
        return RealtimeConnection.open(http, config, config.transcriptionUri(), listener, "transcription");
    }

    @Override
    public String toString() {
        return "OpenAiRealtimeClient[" + config.serverName() + ", " + config.model() + "]";
    }
}
