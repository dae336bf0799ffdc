package dev.parley.providers.http;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one sending of a request brought back, as it travels up the {@link Interceptor} chain: the status and
 * headers of a response (with, for a non-2xx one, the start of its body, for the server's explanation; a 2xx body is
 * read afterwards from the {@link HttpExchange}), or, with status 0, the exception that came instead of a response.
 *
 * @param status  the HTTP status, 0 when no response came
 * @param headers the response's headers (empty when none came)
 * @param body    (the first {@value HttpExchange#MAX_ERROR_BODY} bytes of) a non-2xx body; null for a 2xx
 * @param failure why no response came; null when one did
 */
public record Response(int status, HttpHeaders headers, byte[] body, Throwable failure) {
    private static final HttpHeaders NONE = HttpHeaders.of(Map.of(), (k, v) -> true);

    /** No response: {@code failure} came instead. */
    public static Response failed(Throwable failure) {
        return new Response(0, NONE, null, failure);
    }

    /** Whether this is a 2xx response. */
    public boolean successful() {
        return failure == null && status / 100 == 2;
    }

    /** This response with {@code secrets} (and key-shaped strings) removed from its headers and error body. */
    Response redacted(Secret... secrets) {
        if (failure != null) {
            return this;
        }
        Map<String, List<String>> clean = new LinkedHashMap<>();
        headers.map().forEach((name, values) -> clean.put(name,
                values.stream().map(v -> Redactor.redact(v, secrets)).toList()));
        byte[] cleanBody = body;
        if (body != null) {
            String text = new String(body, StandardCharsets.UTF_8);
            String redacted = Redactor.redact(text, secrets);
            cleanBody = redacted.equals(text) ? body : redacted.getBytes(StandardCharsets.UTF_8);
        }
        return new Response(status, HttpHeaders.of(clean, (k, v) -> true), cleanBody, null);
    }
}
