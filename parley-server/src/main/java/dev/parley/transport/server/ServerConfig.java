package dev.parley.transport.server;

import dev.parley.session.SessionConfig;
import dev.parley.transport.realtime.SessionBudget;
import dev.parley.transport.rest.RestLimits;

import java.time.Duration;
import java.util.Objects;

/**
 * How the server runs.
 *
 * @param host            address to listen on
 * @param port            port (0: any free one)
 * @param tls             certificate and key for HTTPS/WSS, or null for plain HTTP/WS
 * @param authToken       bearer token the WebSocket (and {@code /metrics}) requires, or null for none
 * @param pipeline        the pipeline settings every session starts from (the client's turn detection adjusts them)
 * @param voice           the name of the voice sessions speak with (reported in the session)
 * @param budget          the memory one client may make its session hold; over it, an error event
 * @param maxSessions     the most sessions served at once (further WebSockets get 503); 0: as many as
 *                        {@linkplain SessionBudget#sessionsFor(long) the budget fits} in the heap
 * @param maxQueuedEvents server events queued for a client that does not read before it is disconnected
 * @param idleTimeoutMs   a connection silent this long (no audio, no pongs) is closed
 * @param drainTimeout    on shutdown, how long live conversations may go on (no new ones are taken) before the
 *                        remaining ones are closed with 1001 (going away); see {@link ParleyServer#shutdown()}
 * @param rest            the limits of the REST endpoints (request sizes, requests at once)
 * @param twilioAuthToken Twilio's auth token: phone calls must carry Twilio's signature (null: see
 *                        {@link dev.parley.transport.twilio.TwilioEndpoints})
 */
public record ServerConfig(String host, int port, TlsMaterial tls, String authToken, SessionConfig pipeline, String voice,
                           SessionBudget budget, int maxSessions, int maxQueuedEvents, long idleTimeoutMs, Duration drainTimeout,
                           RestLimits rest, String twilioAuthToken) {
    /** How long live conversations may go on after shutdown begins, unless told otherwise. */
    public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(30);

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(rest, "rest");
        if (drainTimeout.isNegative()) throw new IllegalArgumentException("drain timeout must be >= 0");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0-65535");
        if (maxSessions < 0) throw new IllegalArgumentException("max sessions must be >= 0 (0: from the heap)");
        if (authToken != null && authToken.isBlank()) authToken = null;
        if (twilioAuthToken != null && twilioAuthToken.isBlank()) twilioAuthToken = null;
    }

    public static ServerConfig local(int port, SessionConfig pipeline, String voice) {
        return new ServerConfig("127.0.0.1", port, null, null, pipeline, voice, SessionBudget.DEFAULT, 0, 20_000, 300_000, DEFAULT_DRAIN,
                RestLimits.DEFAULT, null);
    }

    /** The largest client event taken; larger ones get an error event. */
    public int maxEventChars() {
        return budget.maxEventChars();
    }

    /** {@link #maxSessions()}, or when that is 0, as many sessions as the budget fits in the heap of this JVM. */
    public int sessionLimit() {
        return maxSessions > 0 ? maxSessions : budget.sessionsFor(Runtime.getRuntime().maxMemory());
    }

    public ServerConfig withTls(TlsMaterial t) {
        return new ServerConfig(host, port, t, authToken, pipeline, voice, budget, maxSessions, maxQueuedEvents, idleTimeoutMs, drainTimeout, rest, twilioAuthToken);
    }

    public ServerConfig withAuthToken(String token) {
        return new ServerConfig(host, port, tls, token, pipeline, voice, budget, maxSessions, maxQueuedEvents, idleTimeoutMs, drainTimeout, rest, twilioAuthToken);
    }

    public ServerConfig withMaxEventChars(int n) {
        return withBudget(budget.withMaxEventChars(n));
    }

    public ServerConfig withBudget(SessionBudget b) {
        return new ServerConfig(host, port, tls, authToken, pipeline, voice, b, maxSessions, maxQueuedEvents, idleTimeoutMs, drainTimeout, rest, twilioAuthToken);
    }

    public ServerConfig withMaxSessions(int n) {
        return new ServerConfig(host, port, tls, authToken, pipeline, voice, budget, n, maxQueuedEvents, idleTimeoutMs, drainTimeout, rest, twilioAuthToken);
    }

    public ServerConfig withHost(String h) {
        return new ServerConfig(h, port, tls, authToken, pipeline, voice, budget, maxSessions, maxQueuedEvents, idleTimeoutMs, drainTimeout, rest, twilioAuthToken);
    }

    public ServerConfig withRest(RestLimits r) {
        return new ServerConfig(host, port, tls, authToken, pipeline, voice, budget, maxSessions, maxQueuedEvents, idleTimeoutMs, drainTimeout, r, twilioAuthToken);
    }

    public ServerConfig withTwilioAuthToken(String token) {
        return new ServerConfig(host, port, tls, authToken, pipeline, voice, budget, maxSessions, maxQueuedEvents, idleTimeoutMs,
                drainTimeout, rest, token);
    }

    public ServerConfig withDrainTimeout(Duration d) {
        return new ServerConfig(host, port, tls, authToken, pipeline, voice, budget, maxSessions, maxQueuedEvents, idleTimeoutMs, d, rest, twilioAuthToken);
    }
}
