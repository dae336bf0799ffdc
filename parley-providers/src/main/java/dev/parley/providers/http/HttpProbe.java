package dev.parley.providers.http;

import dev.parley.failover.Outage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * The cheap question an {@link Outage} asks in the background to learn that a provider is back: a GET of its base
 * address, without a key (so it costs nothing and never counts against a quota), within a short timeout. Any HTTP
 * answer, even 401 or 404, means the server is answering again; a refused connection, or one accepted and never
 * answered (the stall that made it an outage), means it is not.
 */
public final class HttpProbe implements Outage.Probe {
    /** Well under a turn's budget, well over a healthy server's time to answer. */
    public static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private final URI uri;
    private final Duration timeout;

    public HttpProbe(URI uri, Duration timeout) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** A probe of {@code uri} within {@link #TIMEOUT}. */
    public static HttpProbe of(URI uri) {
        return new HttpProbe(uri, TIMEOUT);
    }

    /** A probe of {@code https://HOST/} for a gRPC endpoint written {@code host:port}. */
    public static HttpProbe ofEndpoint(String hostAndPort, boolean plaintext) {
        return of(URI.create((plaintext ? "http://" : "https://") + hostAndPort + "/"));
    }

    @Override
    public boolean up() throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        try {
            CLIENT.send(request, HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "probe of " + uri;
    }
}
