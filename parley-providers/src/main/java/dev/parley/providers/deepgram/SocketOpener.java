package dev.parley.providers.deepgram;

import dev.parley.providers.http.ApiException;
import dev.parley.providers.http.HttpErrors;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Opens a Deepgram WebSocket with {@code Authorization: Token KEY} (Deepgram's documented server-side
 * authentication), asynchronously: the future completes with the socket, or exceptionally with a
 * {@link DeepgramException} whose message says what to fix. A handshake refused with 429 whose {@code Retry-After}
 * asks for at most {@link DeepgramConfig#maxRetryAfter()} is tried once more after that wait: nothing was sent yet,
 * so the retry is safe.
 */
final class SocketOpener {
    private SocketOpener() {
    }

    static CompletableFuture<WebSocket> open(HttpClient http, DeepgramConfig config, URI url,
                                             WebSocket.Listener listener, String what) {
        if (!config.apiKey().isPresent()) {
            return CompletableFuture.failedFuture(noKey());
        }
        return attempt(http, config, url, listener, what, true);
    }

    static DeepgramException noKey() {
        return new DeepgramException("No Deepgram API key: set " + DeepgramConfig.API_KEY_ENV + ".");
    }

    private static CompletableFuture<WebSocket> attempt(HttpClient http, DeepgramConfig config, URI url,
                                                        WebSocket.Listener listener, String what, boolean mayRetry) {
        CompletableFuture<WebSocket> cf;
        try {
            cf = http.newWebSocketBuilder()
                    .header("Authorization", "Token " + config.apiKey().reveal())
                    .connectTimeout(config.connectTimeout())
                    .buildAsync(url, listener);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new DeepgramException(
                    "Cannot open the Deepgram " + what + " socket (" + e.getClass().getSimpleName() + ").", e));
        }
        return cf.handle((ws, t) -> {
            if (t == null) {
                return CompletableFuture.completedFuture(ws);
            }
            ApiException failure = classify(HttpErrors.unwrap(t), config);
            if (mayRetry && failure instanceof ApiException.RateLimited r && r.retryable()
                    && r.retryAfter().isPresent() && !config.maxRetryAfter().isZero()
                    && r.retryAfter().get().compareTo(config.maxRetryAfter()) <= 0) {
                Duration wait = r.retryAfter().get();
                return CompletableFuture.supplyAsync(() -> null,
                                CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS))
                        .thenCompose(x -> attempt(http, config, url, listener, what, false));
            }
            return CompletableFuture.<WebSocket>failedFuture(
                    new DeepgramException(DeepgramErrors.describe(failure, config, what), failure));
        }).thenCompose(f -> f);
    }

    static ApiException classify(Throwable t, DeepgramConfig config) {
        if (t instanceof WebSocketHandshakeException h && h.getResponse() != null) {
            var response = h.getResponse();
            HttpHeaders headers = response.headers() == null ? HttpHeaders.of(Map.of(), (a, b) -> true)
                    : response.headers();
            return DeepgramErrors.classify(response.statusCode(), headers, DeepgramErrors.bodyBytes(response.body()),
                    config.apiKey());
        }
        if (t instanceof HttpTimeoutException) {
            return new ApiException.TimedOut(ApiException.TimedOut.Phase.CONNECT, config.connectTimeout());
        }
        return HttpErrors.fromSendFailure(t, config.connectTimeout());
    }
}
