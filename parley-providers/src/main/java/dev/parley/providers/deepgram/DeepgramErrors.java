package dev.parley.providers.deepgram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.providers.http.ApiException;
import dev.parley.providers.http.HttpErrors;
import dev.parley.providers.http.Redactor;
import dev.parley.providers.http.Secret;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Words for what went wrong with Deepgram, fit to show a user: which setting to fix ({@code DEEPGRAM_API_KEY}),
 * what Deepgram said. Deepgram's error bodies are {@code {"err_code":…,"err_msg":…,"request_id":…}} (its REST and
 * handshake errors) and it also names the reason of a refused WebSocket handshake in a {@code dg-error} header;
 * errors on an open socket come as a close frame whose reason is the error ({@code NET-0001}, {@code DATA-0000}) or,
 * on the speak socket, as {@code {"type":"Error"|"Warning", "description"|"err_msg"|"warn_msg":…}} messages.
 * Every message is redacted of the key on the way out.
 */
final class DeepgramErrors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX = 300;

    private DeepgramErrors() {
    }

    /** The failure a refused handshake (or an HTTP error response) means, classified. */
    static ApiException classify(int status, HttpHeaders headers, byte[] body, Secret key) {
        ApiException e = HttpErrors.fromResponse(status, headers, body, java.time.Instant.now(), key);
        String said = explanation(headers, body, key);
        if (said.isEmpty() || !e.apiMessage().isEmpty()) {
            return e;
        }
        // Deepgram's own error shape is not one HttpErrors knows: rebuild with its explanation
        return switch (e) {
            case ApiException.Unauthorized u -> new ApiException.Unauthorized(status, said);
            case ApiException.NotFound n -> new ApiException.NotFound(said);
            case ApiException.RateLimited r -> new ApiException.RateLimited(r.retryAfter().orElse(null),
                    r.quotaExhausted(), said);
            case ApiException.ServerError s -> new ApiException.ServerError(status, s.retryAfter().orElse(null), said);
            case ApiException.Rejected r -> new ApiException.Rejected(status, said);
            default -> e;
        };
    }

    /** What Deepgram said about a refused request: {@code err_msg} (or {@code reason}/{@code message}), else {@code dg-error}. */
    static String explanation(HttpHeaders headers, byte[] body, Secret key) {
        String text = "";
        if (body != null && body.length > 0) {
            try {
                JsonNode json = JSON.readTree(body);
                if (json != null && json.isObject()) {
                    text = firstText(json, "err_msg", "reason", "message", "description");
                }
            } catch (IOException e) {
                // not JSON: fall back to the header
            }
        }
        if (text.isEmpty() && headers != null) {
            text = headers.firstValue("dg-error").orElse("");
        }
        return shorten(Redactor.redact(text, key));
    }

    /** The message of a Deepgram JSON message: the first non-empty of the given fields. */
    static String firstText(JsonNode json, String... fields) {
        for (String f : fields) {
            JsonNode n = json.path(f);
            if (n.isTextual() && !n.asText().isBlank()) {
                return n.asText().strip();
            }
        }
        return "";
    }

    /** A one-line, user-facing message for a failed handshake or send of {@code what} ("speech recognition"). */
    static String describe(ApiException failure, DeepgramConfig config, String what) {
        String server = config.serverName();
        String env = DeepgramConfig.API_KEY_ENV;
        String api = failure.apiMessage().isEmpty() ? "" : ": " + failure.apiMessage();
        String m = switch (failure) {
            case ApiException.Unauthorized u when u.status() == 403 -> "Deepgram refused the API key for " + what
                    + " (HTTP 403" + api + "). Set " + env + " to a key allowed to use it.";
            case ApiException.Unauthorized u -> "Deepgram rejected the API key (HTTP " + u.status() + api
                    + "). Set " + env + " to a valid key.";
            case ApiException.NotFound n -> "Deepgram found no such endpoint or model for " + what
                    + " (HTTP 404" + api + "); check the model and DEEPGRAM_BASE_URL.";
            case ApiException.RateLimited r -> "Deepgram is limiting requests (HTTP 429" + api + ")"
                    + r.retryAfter().map(d -> "; try again in " + seconds(d)).orElse("") + ".";
            case ApiException.ServerError s -> "Deepgram failed (HTTP " + s.status() + api + "). Try again later.";
            case ApiException.Rejected r -> "Deepgram rejected the " + what + " request (HTTP " + r.status() + api
                    + ").";
            case ApiException.Unreachable u -> "Cannot reach Deepgram at " + server + " (" + u.getMessage() + ").";
            case ApiException.TimedOut t -> switch (t.phase()) {
                case CONNECT -> "Could not connect to Deepgram at " + server + " within " + seconds(t.limit()) + ".";
                case FIRST_BYTE -> "Deepgram did not answer within " + seconds(t.limit()) + ".";
                case STALL -> "Deepgram stalled: nothing came for " + seconds(t.limit()) + ".";
            };
            case ApiException.StreamFailed f -> "Deepgram " + what + " failed: " + f.getMessage() + ".";
        };
        return Redactor.redact(m, config.apiKey());
    }

    /**
     * A close Deepgram sent before it was asked to close: its code and reason ({@code NET-0001 …}), or a dropped
     * connection (1006).
     */
    static String closedEarly(int code, String reason, DeepgramConfig config, String what) {
        if (code == 1006) {
            // RFC 6455 §7.4.1: no close frame, the connection just ended (the JDK reports a drop this way)
            return "The Deepgram " + what + " stream broke off (connection lost).";
        }
        String r = shorten(Redactor.redact(reason == null ? "" : reason, config.apiKey()));
        return "Deepgram closed the " + what + " stream (code " + code + (r.isEmpty() ? "" : ": " + r) + ").";
    }

    static String seconds(Duration d) {
        long s = Math.max(1, (d.toMillis() + 999) / 1000);
        return s == 1 ? "1 second" : s + " seconds";
    }

    static String shorten(String text) {
        String t = text.replaceAll("\\s+", " ").strip();
        return t.length() <= MAX ? t : t.substring(0, MAX - 1) + "…";
    }

    static byte[] bodyBytes(Object body) {
        if (body instanceof byte[] b) {
            return b;
        }
        if (body instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        return new byte[0];
    }
}
