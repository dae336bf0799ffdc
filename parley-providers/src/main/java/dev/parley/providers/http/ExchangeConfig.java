package dev.parley.providers.http;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What every streamed call to one provider has in common: the {@link HttpClient} (one per provider, shared by all
 * sessions; it enforces the connect timeout), how long to wait for the first byte of a response and between bytes of
 * a started one, when to retry, and which secrets to keep out of messages and logs.
 *
 * @param http             the client to send with (its {@link HttpClient#connectTimeout()} is the connect timeout)
 * @param firstByteTimeout longest wait from sending a request to the first byte of the response body
 * @param idleTimeout      longest wait between two reads of a started response body (a stall)
 * @param retry            when failures before the response began are retried
 * @param secrets          removed from every message the exchange produces
 */
public record ExchangeConfig(HttpClient http, Duration firstByteTimeout, Duration idleTimeout, RetryPolicy retry,
                             Secret... secrets) {

    public ExchangeConfig {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(firstByteTimeout, "firstByteTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(retry, "retry");
        secrets = secrets.clone();
    }

    @Override
    public Secret[] secrets() {
        return secrets.clone();
    }

    /** An exchange of {@code request} whose body is read as raw bytes; nothing is sent before its first read. */
    public HttpExchange open(HttpRequest request) {
        return new HttpExchange(this, request, List.of());
    }

    Duration connectTimeout() {
        return http.connectTimeout().orElse(Duration.ZERO);
    }
}
