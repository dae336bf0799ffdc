package dev.parley.providers.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns what went wrong on the wire into an {@link ApiException}: an error status with its body, or an I/O failure
 * before any response. The server's own explanation is taken from the error shapes that OpenAI-compatible servers
 * use ({@code {"error":{"message":…}}} from OpenAI, Ollama and llama.cpp; {@code {"error":"…"}};
 * {@code {"object":"error","message":…}} from vLLM; {@code {"detail":…}} from FastAPI servers; short plain text),
 * shortened and redacted.
 */
public final class HttpErrors {
    /** The longest server explanation kept. */
    static final int MAX_API_MESSAGE = 300;

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpErrors() {
    }

    /** The failure an error response means. {@code secrets} are removed from the server's explanation. */
    public static ApiException fromResponse(int status, HttpHeaders headers, byte[] body, Instant now,
                                            Secret... secrets) {
        JsonNode json = parse(body);
        String message = json != null
                ? apiMessage(json, secrets)
                : shorten(Redactor.redact(plainText(body), secrets));
        if (status == 401 || status == 403) {
            return new ApiException.Unauthorized(status, message);
        }
        if (status == 404) {
            return new ApiException.NotFound(message);
        }
        if (status == 429) {
            String code = json == null ? "" : errorCode(json);
            return new ApiException.RateLimited(RetryAfter.from(headers, now).orElse(null),
                    code.equals("insufficient_quota"), message);
        }
        if (status >= 500 && status <= 599) {
            return new ApiException.ServerError(status, RetryAfter.from(headers, now).orElse(null), message);
        }
        if (status >= 300 && status <= 399 && message.isEmpty()) {
            message = "redirected to "
                    + headers.firstValue("location").map(HttpErrors::location).orElse("nowhere");
        }
        return new ApiException.Rejected(status, message);
    }

    /** The failure an exception thrown before any response means. */
    public static ApiException fromSendFailure(Throwable failure, Duration connectTimeout) {
        Throwable t = unwrap(failure);
        if (t instanceof HttpConnectTimeoutException) {
            return new ApiException.TimedOut(ApiException.TimedOut.Phase.CONNECT, connectTimeout);
        }
        if (t instanceof ConnectException) {
            // the JDK client reports an unknown host as a ConnectException caused by UnresolvedAddressException
            return t.getCause() instanceof UnresolvedAddressException
                    ? new ApiException.Unreachable("unknown host", false, t)
                    : new ApiException.Unreachable("connection refused", true, t);
        }
        if (t instanceof UnknownHostException) {
            return new ApiException.Unreachable("unknown host", false, t);
        }
        if (t instanceof IOException) {
            return new ApiException.Unreachable("connection failed (" + t.getClass().getSimpleName() + ")", true, t);
        }
        return new ApiException.Unreachable("request failed (" + t.getClass().getSimpleName() + ")", false, t);
    }

    /**
     * The server's explanation inside an error object or document, redacted of {@code secrets} (and key-shaped
     * strings) before it is shortened, so no fragment of a key survives a cut; empty when there is none.
     */
    public static String apiMessage(JsonNode json, Secret... secrets) {
        JsonNode error = json.path("error");
        String text;
        if (error.isObject()) {
            text = error.path("message").asText("");
            if (text.isEmpty()) {
                text = error.path("code").asText(error.path("type").asText(""));
            }
        } else if (error.isTextual()) {
            text = error.asText();
        } else if (json.path("message").isTextual()) {
            text = json.path("message").asText();
        } else if (json.path("detail").isTextual()) {
            text = json.path("detail").asText();
        } else if (json.path("detail").isArray() && !json.path("detail").isEmpty()) {
            text = json.path("detail").get(0).path("msg").asText("");
        } else {
            text = "";
        }
        return shorten(Redactor.redact(text, secrets));
    }

    /** {@code error.code} (or {@code error.type}) of an error document, empty when absent. */
    public static String errorCode(JsonNode json) {
        JsonNode error = json.path("error");
        String code = error.path("code").isTextual() ? error.path("code").asText() : "";
        return code.isEmpty() ? error.path("type").asText("") : code;
    }

    /** A redirect target fit to print. */
    private static String location(String value) {
        try {
            return Redactor.redactUrl(new URI(value.strip()));
        } catch (URISyntaxException e) {
            return "an invalid URL";
        }
    }

    /** The cause an async HTTP call failed with, without the future's wrappers. */
    public static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** A non-HTML text body; empty for HTML or binary. */
    private static String plainText(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("<") || text.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t')) {
            return "";
        }
        return text;
    }

    static String shorten(String text) {
        String t = text.replaceAll("\\s+", " ").strip();
        return t.length() <= MAX_API_MESSAGE ? t : t.substring(0, MAX_API_MESSAGE - 1) + "…";
    }
}
