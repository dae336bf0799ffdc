package dev.parley.providers.openai;

import dev.parley.dialog.DialogException;
import dev.parley.providers.http.ApiException;
import dev.parley.providers.http.Redactor;

import java.net.URI;
import java.time.Duration;

/**
 * Words for a failed chat completion, fit to show (or say) to a user: which server, what went wrong, and what to
 * change, naming the setting to fix (the API key's environment variable, the model, the base URL). Never the key:
 * every message is redacted once more on the way out.
 */
final class OpenAiErrors {
    private OpenAiErrors() {
    }

    /** What {@code failure} of a request to {@code config}'s server, sent {@code attempts} times, means to a user. */
    static DialogException toDialogException(ApiException failure, OpenAiChatConfig config, int attempts) {
        Target target = new Target(config.serverName(), config.baseUrl(), config.apiKeyEnv(),
                config.apiKey().isPresent(), config.model(), "the language model server", "reply",
                " (for Ollama, pull it first)");
        return new DialogException(Redactor.redact(describe(failure, target, attempts), config.apiKey()), failure);
    }

    /**
     * Who was asked, for the words of a failure: the server (host and port) and its base URL, the key's variable and
     * whether a key was sent, the model, what the server is called ("the language model server") and what it was
     * to send ("reply", "transcript", "audio"), and a hint for a model that was not found.
     */
    record Target(String server, URI baseUrl, String keyEnv, boolean keyPresent, String model, String service,
                  String answer, String modelHint) {
    }

    /** What {@code failure} of a request to {@code target}, sent {@code attempts} times, means to a user. */
    static String describe(ApiException failure, Target target, int attempts) {
        String server = target.server();
        String env = target.keyEnv();
        String model = target.model();
        String answer = target.answer();
        String api = failure.apiMessage().isEmpty() ? "" : ": " + failure.apiMessage();
        return switch (failure) {
            case ApiException.Unauthorized u when !target.keyPresent() ->
                    server + " requires an API key (HTTP " + u.status() + api + "). Set " + env + ".";
            case ApiException.Unauthorized u when u.status() == 403 ->
                    server + " refused the API key for model '" + model + "' (HTTP 403" + api + "). Set " + env
                            + " to a key that may use it.";
            case ApiException.Unauthorized u ->
                    server + " rejected the API key (HTTP " + u.status() + api + "). Set " + env
                            + " to a valid key.";
            case ApiException.NotFound n ->
                    "Model '" + model + "' was not found at " + server + " (HTTP 404" + api + "). Check the model "
                            + "name" + target.modelHint() + " and that the base URL "
                            + Redactor.redactUrl(target.baseUrl()) + " is right (it usually ends in /v1).";
            case ApiException.RateLimited r when r.quotaExhausted() ->
                    server + " says the account's quota is used up (HTTP 429" + api + "). Check the plan and "
                            + "billing of the key in " + env + ".";
            case ApiException.RateLimited r -> server + " is limiting requests (HTTP 429" + api + "). "
                    + r.retryAfter().map(d -> "Try again in " + seconds(d) + ".").orElse("Try again shortly.");
            case ApiException.ServerError s -> server + " failed (HTTP " + s.status() + api + ")"
                    + tries(attempts) + ". Try again later.";
            case ApiException.Rejected r -> server + " rejected the request (HTTP " + r.status() + api + ").";
            case ApiException.Unreachable u -> "Cannot reach " + target.service() + " at "
                    + Redactor.redactUrl(target.baseUrl()) + " (" + u.getMessage() + ")" + tries(attempts)
                    + ". Is it running?";
            case ApiException.TimedOut t -> switch (t.phase()) {
                case CONNECT -> "Could not connect to " + server + " within " + seconds(t.limit()) + ".";
                case FIRST_BYTE -> server + " did not start answering within " + seconds(t.limit()) + ".";
                case STALL -> "The " + answer + " from " + server + " stalled: nothing came for "
                        + seconds(t.limit()) + ".";
            };
            case ApiException.StreamFailed f -> switch (f.reason()) {
                case DROPPED -> "The " + answer + " from " + server + " broke off.";
                case MALFORMED -> server + " sent " + (answer.equals("audio") ? "" : "a ") + "malformed " + answer
                        + " (" + detail(f) + ").";
                case NOT_AN_EVENT_STREAM -> server + " did not stream its " + answer + " (" + detail(f) + "); is "
                        + Redactor.redactUrl(target.baseUrl()) + " an OpenAI-compatible /v1 URL?";
                case ERROR_EVENT -> server + " reported an error: " + f.apiMessage();
            };
        };
    }

    /** "30 seconds", "1 second", rounded up. */
    static String seconds(Duration d) {
        long s = Math.max(1, (d.toMillis() + 999) / 1000);
        return s == 1 ? "1 second" : s + " seconds";
    }

    private static String tries(int attempts) {
        return attempts > 1 ? " after " + attempts + " tries" : "";
    }

    /** The part of a stream failure's message after its kind. */
    private static String detail(ApiException.StreamFailed f) {
        String m = f.getMessage();
        int colon = m.indexOf(": ");
        return colon < 0 ? m : m.substring(colon + 2);
    }
}
