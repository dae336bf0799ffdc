package dev.parley.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.providers.CheckResult;
import dev.parley.providers.http.ApiException;
import dev.parley.providers.http.ExchangeConfig;
import dev.parley.providers.http.HttpExchange;
import dev.parley.providers.http.Redactor;
import dev.parley.providers.http.RetryPolicy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;

/**
 * The credentials check of {@code ./parley providers} for OpenAI: one {@code GET /models} with the key (the
 * cheapest authenticated request: it lists the models the key may use, {@code {"object":"list","data":[…]}} as
 * {@code models/list.md} of the API reference shows), never retried, with the config's connect and first-byte
 * timeouts. Without a key no request is made. The detail is one line, names the key's variable when the key is
 * the problem, and never contains the key.
 */
public final class OpenAiCheck {
    public static final String PROVIDER = "openai";
    private static final int MAX_BODY = 4 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiCheck() {
    }

    /** Checks {@code config}'s key and server with a client of its own. */
    public static CheckResult check(OpenAiSpeechConfig config) {
        if (!config.apiKey().isPresent()) {
            return CheckResult.failed(PROVIDER, "no key: set " + config.apiKeyEnv());
        }
        try (HttpClient http = config.newHttpClient()) {
            return check(config, http);
        }
    }

    /** Checks {@code config}'s key and server with {@code http}. */
    public static CheckResult check(OpenAiSpeechConfig config, HttpClient http) {
        if (!config.apiKey().isPresent()) {
            return CheckResult.failed(PROVIDER, "no key: set " + config.apiKeyEnv());
        }
        HttpRequest request = config.authorize(HttpRequest.newBuilder(config.modelsUrl())
                .header("Accept", "application/json").GET()).build();
        OpenAiErrors.Target target = new OpenAiErrors.Target(config.serverName(), config.baseUrl(),
                config.apiKeyEnv(), true, "", "the OpenAI API", "model list", "");
        try (HttpExchange body = new ExchangeConfig(http, config.firstByteTimeout(), config.idleTimeout(),
                RetryPolicy.none(), config.apiKey()).open(request)) {
            byte[] bytes = body.readAll(MAX_BODY);
            JsonNode json = bytes == null ? null : JSON.readTree(bytes);
            JsonNode data = json == null ? null : json.path("data");
            if (data == null || !data.isArray()) {
                return CheckResult.failed(PROVIDER, config.serverName() + " answered, but not with a model list; is "
                        + Redactor.redactUrl(config.baseUrl()) + " an OpenAI-compatible /v1 URL?");
            }
            return CheckResult.ok(PROVIDER, "key accepted by " + config.serverName() + " (" + data.size()
                    + (data.size() == 1 ? " model)" : " models)"));
        } catch (ApiException.Unauthorized e) {
            String api = e.apiMessage().isEmpty() ? "" : ": " + e.apiMessage();
            return CheckResult.failed(PROVIDER, Redactor.redact(config.serverName() + " refused the key (HTTP "
                    + e.status() + api + "): set " + config.apiKeyEnv() + " to a valid key", config.apiKey()));
        } catch (ApiException e) {
            return CheckResult.failed(PROVIDER,
                    Redactor.redact(OpenAiErrors.describe(e, target, 1), config.apiKey()));
        } catch (IOException e) {
            return CheckResult.failed(PROVIDER, config.serverName() + " answered, but not with JSON; is "
                    + Redactor.redactUrl(config.baseUrl()) + " an OpenAI-compatible /v1 URL?");
        }
    }

    /** Checks the key and server of a chat config (the same key and base URL serve chat and speech). */
    public static CheckResult check(OpenAiChatConfig config) {
        return check(OpenAiSpeechConfig.defaults().withBaseUrl(config.baseUrl().toString())
                .withApiKeyEnv(config.apiKeyEnv()).withApiKey(config.apiKey())
                .withTimeouts(config.connectTimeout(), config.firstByteTimeout(), config.idleTimeout()));
    }
}
