package dev.parley.providers.openai.realtime;

import dev.parley.providers.http.ApiException;
import dev.parley.providers.http.Redactor;

/**
 * Words for a failed Realtime connection, fit to show a user in one line: which server, what went wrong and what to
 * change, naming the key's variable for a refused key. Never the key itself: every message is redacted on the way out.
 */
public final class RealtimeErrors {
    private RealtimeErrors() {
    }

    /** What {@code failure} of a connection made with {@code config} means to a user. */
    public static String describe(ApiException failure, OpenAiRealtimeConfig config) {
        String server = config.serverName();
        String env = config.apiKeyEnv();
        String api = failure.apiMessage().isEmpty() ? "" : ": " + failure.apiMessage();
        String message = switch (failure) {
            case ApiException.Unauthorized u when !config.apiKey().isPresent() ->
                    server + " requires an API key (HTTP " + u.status() + api + "). Set " + env + ".";
            case ApiException.Unauthorized u when u.status() == 403 ->
                    server + " refused the API key for the Realtime API (HTTP 403" + api + "). Set " + env
                            + " to a key that may use it.";
            case ApiException.Unauthorized u ->
                    server + " rejected the API key (HTTP " + u.status() + api + "). Set " + env + " to a valid key.";
            case ApiException.NotFound n -> "The Realtime API was not found at " + server + " (HTTP 404" + api
                    + "); check the model '" + config.model() + "' and the base URL " + Redactor.redactUrl(config.baseUrl()) + ".";
            case ApiException.RateLimited r when r.quotaExhausted() ->
                    server + " says the account's quota is used up (HTTP 429" + api + "). Check the plan of the key in " + env + ".";
            case ApiException.RateLimited r -> server + " is limiting requests (HTTP 429" + api + "). "
                    + r.retryAfter().map(d -> "Try again in " + Math.max(1, (d.toMillis() + 999) / 1000) + " s.").orElse("Try again shortly.");
            case ApiException.ServerError s -> server + " failed (HTTP " + s.status() + api + "). Try again later.";
            case ApiException.Rejected r -> server + " refused the Realtime connection (HTTP " + r.status() + api + ").";
            case ApiException.Unreachable u -> "Cannot reach " + Redactor.redactUrl(config.baseUrl()) + " (" + u.getMessage() + ").";
            case ApiException.TimedOut t -> switch (t.phase()) {
                case CONNECT -> "Could not connect to " + server + " within " + t.limit().toMillis() + " ms.";
                case FIRST_BYTE -> server + " did not answer within " + t.limit().toMillis() + " ms.";
                case STALL -> "The Realtime session with " + server + " stalled: nothing for " + t.limit().toMillis() + " ms.";
            };
            case ApiException.StreamFailed f -> "The Realtime session with " + server + " ended: " + f.getMessage() + ".";
        };
        return Redactor.redact(message, config.apiKey());
    }

    /** A short machine-readable code for an {@code error} event: {@code invalid_api_key}, {@code upstream_timeout}, … */
    public static String code(ApiException failure) {
        return switch (failure) {
            case ApiException.Unauthorized u -> "invalid_api_key";
            case ApiException.NotFound n -> "model_not_found";
            case ApiException.RateLimited r -> r.quotaExhausted() ? "insufficient_quota" : "rate_limit_exceeded";
            case ApiException.ServerError s -> "upstream_server_error";
            case ApiException.Rejected r -> "upstream_rejected";
            case ApiException.Unreachable u -> "upstream_unreachable";
            case ApiException.TimedOut t -> t.phase() == ApiException.TimedOut.Phase.STALL ? "upstream_stalled" : "upstream_timeout";
            case ApiException.StreamFailed f -> "upstream_closed";
        };
    }
}
