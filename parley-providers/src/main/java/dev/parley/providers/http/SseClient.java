package dev.parley.providers.http;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Opens HTTP requests whose answer is a {@code text/event-stream} ({@link SseStream}): the shared plumbing of every
 * streaming chat call: an {@link ExchangeConfig} whose exchanges are read as events (the request and response
 * pass an {@link EventStreamCheck} too).
 */
public final class SseClient {
    private final ExchangeConfig config;

    /**
     * @param http             the client to send with (its {@link HttpClient#connectTimeout()} is the connect timeout)
     * @param firstByteTimeout longest wait from sending a request to the first byte of the response body
     * @param idleTimeout      longest wait between two reads of a started response body (a stall)
     * @param retry            when failures before the response began are retried
     * @param secrets          removed from every message the client produces
     */
    public SseClient(HttpClient http, Duration firstByteTimeout, Duration idleTimeout, RetryPolicy retry,
                     Secret... secrets) {
        this.config = new ExchangeConfig(http, positive(firstByteTimeout, "firstByteTimeout"),
                positive(idleTimeout, "idleTimeout"), retry, secrets);
    }

    /**
     * A stream over {@code request}'s response. Nothing is sent until the stream's first {@link SseStream#next()},
     * so this returns at once; the same request is sent again on a retry.
     */
    public SseStream open(HttpRequest request) {
        return new SseStream(new HttpExchange(config, request, List.of(new EventStreamCheck())));
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + d);
        }
        return d;
    }
}
