package dev.parley.providers.http;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Objects;

/**
 * Opens HTTP requests whose answer is a {@code text/event-stream} ({@link SseStream}): the shared plumbing of every
 * streaming provider call (chat completions now, speech later). It holds what all those calls have in common: the
 * {@link HttpClient} (one per provider, shared by all sessions; it enforces the connect timeout), how long to wait
 * for the first byte of a response and between bytes of a started one, when to retry, and which secrets to keep out
 * of error messages.
 */
public final class SseClient {
    /** The most of an error response's body that is read to find the server's explanation. */
    static final int MAX_ERROR_BODY = 64 * 1024;

    private final HttpClient http;
    private final Duration firstByteTimeout;
    private final Duration idleTimeout;
    private final RetryPolicy retry;
    private final Secret[] secrets;

    /**
     * @param http             the client to send with (its {@link HttpClient#connectTimeout()} is the connect timeout)
     * @param firstByteTimeout longest wait from sending a request to the first byte of the response body
     * @param idleTimeout      longest wait between two reads of a started response body (a stall)
     * @param retry            when failures before the response began are retried
     * @param secrets          removed from every message the client produces
     */
    public SseClient(HttpClient http, Duration firstByteTimeout, Duration idleTimeout, RetryPolicy retry,
                     Secret... secrets) {
        this.http = Objects.requireNonNull(http, "http");
        this.firstByteTimeout = positive(firstByteTimeout, "firstByteTimeout");
        this.idleTimeout = positive(idleTimeout, "idleTimeout");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.secrets = secrets.clone();
    }

    /**
     * A stream over {@code request}'s response. Nothing is sent until the stream's first {@link SseStream#next()},
     * so this returns at once; the same request is sent again on a retry.
     */
    public SseStream open(HttpRequest request) {
        return new SseStream(this, Objects.requireNonNull(request, "request"));
    }

    HttpClient http() {
        return http;
    }

    Duration firstByteTimeout() {
        return firstByteTimeout;
    }

    Duration idleTimeout() {
        return idleTimeout;
    }

    Duration connectTimeout() {
        return http.connectTimeout().orElse(Duration.ZERO);
    }

    RetryPolicy retry() {
        return retry;
    }

    Secret[] secrets() {
        return secrets;
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + d);
        }
        return d;
    }
}
