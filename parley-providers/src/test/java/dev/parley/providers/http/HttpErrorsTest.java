package dev.parley.providers.http;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class HttpErrorsTest {
    private static final Instant NOW = Instant.parse("2026-11-21T09:00:00Z");
    private static final Secret KEY = Secret.of("my-local-secret-123");

    private static ApiException response(int status, String body, String... headerPairs) {
        Map<String, List<String>> map = new java.util.HashMap<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            map.put(headerPairs[i], List.of(headerPairs[i + 1]));
        }
        return HttpErrors.fromResponse(status, HttpHeaders.of(map, (a, b) -> true),
                body.getBytes(StandardCharsets.UTF_8), NOW, KEY);
    }

    @Test
    void statusesMapToTheirKinds() {
        assertThat(response(401, "")).isInstanceOf(ApiException.Unauthorized.class);
        assertThat(response(403, "")).isInstanceOf(ApiException.Unauthorized.class);
        assertThat(response(404, "")).isInstanceOf(ApiException.NotFound.class);
        assertThat(response(429, "")).isInstanceOf(ApiException.RateLimited.class);
        assertThat(response(400, "")).isInstanceOf(ApiException.Rejected.class);
        assertThat(response(500, "")).isInstanceOf(ApiException.ServerError.class);
        assertThat(response(503, "")).isInstanceOf(ApiException.ServerError.class);
    }

    @Test
    void onlyTransientFailuresAreRetryable() {
        assertThat(response(401, "").retryable()).isFalse();
        assertThat(response(404, "").retryable()).isFalse();
        assertThat(response(400, "").retryable()).isFalse();
        assertThat(response(408, "").retryable()).isTrue();
        assertThat(response(429, "").retryable()).isTrue();
        assertThat(response(502, "").retryable()).isTrue();
    }

    @Test
    void theServersExplanationIsFoundInEachCompatibleShape() {
        assertThat(response(404, "{\"error\":{\"message\":\"The model `gpt-9` does not exist or you do not "
                + "have access to it.\",\"type\":\"invalid_request_error\",\"param\":null,"
                + "\"code\":\"model_not_found\"}}").apiMessage())
                .isEqualTo("The model `gpt-9` does not exist or you do not have access to it.");
        assertThat(response(404, "{\"error\":\"model 'llama9' not found\"}").apiMessage())
                .isEqualTo("model 'llama9' not found");
        assertThat(response(404, "{\"object\":\"error\",\"message\":\"The model `x` does not exist.\","
                + "\"type\":\"NotFoundError\",\"param\":null,\"code\":404}").apiMessage())
                .isEqualTo("The model `x` does not exist.");
        assertThat(response(422, "{\"detail\":[{\"loc\":[\"body\",\"messages\"],\"msg\":\"field required\"}]}")
                .apiMessage()).isEqualTo("field required");
        assertThat(response(502, "upstream   connect\nerror").apiMessage()).isEqualTo("upstream connect error");
        assertThat(response(502, "<html><body><h1>502 Bad Gateway</h1></body></html>").apiMessage()).isEmpty();
    }

    @Test
    void longExplanationsAreShortened() {
        String message = response(400, "{\"error\":{\"message\":\"" + "x".repeat(1000) + "\"}}").apiMessage();

        assertThat(message).hasSize(HttpErrors.MAX_API_MESSAGE).endsWith("…");
    }

    @Test
    void keysInTheBodyAreRedactedBeforeShortening() {
        // the key straddles the cut: redacting after the cut would leave its first part
        String body = "{\"error\":{\"message\":\"" + "y".repeat(290) + " my-local-secret-123 sk-proj-"
                + "ABCDEFGHIJKLMNOP\"}}";

        ApiException e = response(401, body);

        assertThat(e.apiMessage()).doesNotContain("my-local").doesNotContain("secret-1").doesNotContain("ABCDEFGH");
        assertThat(e.getMessage()).doesNotContain("my-local-secret-123");
    }

    @Test
    void rateLimitsCarryRetryAfterAndQuotaExhaustionIsNotRetried() {
        ApiException.RateLimited slow = (ApiException.RateLimited) response(429,
                "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
                        + "\"code\":\"rate_limit_exceeded\"}}",
                "retry-after", "7");
        ApiException.RateLimited broke = (ApiException.RateLimited) response(429,
                "{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":\"insufficient_quota\","
                        + "\"code\":\"insufficient_quota\"}}");

        assertThat(slow.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(slow.quotaExhausted()).isFalse();
        assertThat(slow.retryable()).isTrue();
        assertThat(broke.quotaExhausted()).isTrue();
        assertThat(broke.retryable()).isFalse();
    }

    @Test
    void serverErrorsCarryRetryAfterToo() {
        assertThat(response(503, "", "Retry-After", "2").retryAfter()).contains(Duration.ofSeconds(2));
    }

    @Test
    void aRedirectSaysWhereTo() {
        assertThat(response(301, "", "location", "https://u:p@api.example.com/v1/x?key=1").getMessage())
                .isEqualTo("HTTP 301: redirected to https://api.example.com/v1/x");
        assertThat(response(302, "", "location", "http://bad host/^").getMessage())
                .isEqualTo("HTTP 302: redirected to an invalid URL");
    }

    @Test
    void sendFailuresMapToUnreachableOrConnectTimeout() {
        ApiException refused = HttpErrors.fromSendFailure(new CompletionException(new ConnectException()),
                Duration.ofSeconds(5));
        ConnectException unresolved = new ConnectException();
        unresolved.initCause(new UnresolvedAddressException());
        ApiException unknownHost = HttpErrors.fromSendFailure(unresolved, Duration.ofSeconds(5));
        ApiException reset = HttpErrors.fromSendFailure(new IOException("connection reset"), Duration.ofSeconds(5));
        ApiException timeout = HttpErrors.fromSendFailure(new HttpConnectTimeoutException("x"),
                Duration.ofSeconds(5));

        assertThat(refused).isInstanceOf(ApiException.Unreachable.class).hasMessage("connection refused");
        assertThat(refused.retryable()).isTrue();
        assertThat(unknownHost).hasMessage("unknown host");
        assertThat(unknownHost.retryable()).isFalse();
        assertThat(reset.retryable()).isTrue();
        assertThat(timeout).isInstanceOfSatisfying(ApiException.TimedOut.class, t -> {
            assertThat(t.phase()).isEqualTo(ApiException.TimedOut.Phase.CONNECT);
            assertThat(t.limit()).isEqualTo(Duration.ofSeconds(5));
        });
        assertThat(timeout.retryable()).isFalse();
    }
}
