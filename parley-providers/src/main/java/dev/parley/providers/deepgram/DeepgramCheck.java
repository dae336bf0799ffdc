package dev.parley.providers.deepgram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.providers.CheckResult;
import dev.parley.providers.http.ApiException;
import dev.parley.providers.http.HttpErrors;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;

/**
 * The cheap credentials check for {@code ./parley providers}: one {@code GET {base}/v1/projects} with
 * {@code Authorization: Token KEY}, the request Deepgram's own troubleshooting guide uses to test a key. It costs
 * nothing and says whether the key is set, accepted and the server reachable.
 */
public final class DeepgramCheck {
    static final String PROVIDER = "deepgram";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeepgramCheck() {
    }

    /** Checks with a short-lived HTTP client of its own. */
    public static CheckResult check(DeepgramConfig config) {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(config.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build()) {
            return check(config, http);
        }
    }

    public static CheckResult check(DeepgramConfig config, HttpClient http) {
        if (!config.apiKey().isPresent()) {
            return CheckResult.failed(PROVIDER, "no API key: set " + DeepgramConfig.API_KEY_ENV);
        }
        HttpRequest request = HttpRequest.newBuilder(config.httpUrl("/v1/projects"))
                .version(HttpClient.Version.HTTP_1_1)
                .timeout(config.sttFirstByteTimeout())
                .header("Authorization", "Token " + config.apiKey().reveal())
                .header("Accept", "application/json")
                .GET().build();
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 200) {
                return CheckResult.ok(PROVIDER, "key accepted by " + config.serverName() + projects(r.body()));
            }
            return CheckResult.failed(PROVIDER, DeepgramErrors.describe(
                    DeepgramErrors.classify(r.statusCode(), r.headers(), r.body(), config.apiKey()), config,
                    "projects"));
        } catch (HttpTimeoutException e) {
            ApiException timeout = e instanceof HttpConnectTimeoutException
                    ? new ApiException.TimedOut(ApiException.TimedOut.Phase.CONNECT, config.connectTimeout())
                    : new ApiException.TimedOut(ApiException.TimedOut.Phase.FIRST_BYTE, config.sttFirstByteTimeout());
            return CheckResult.failed(PROVIDER, DeepgramErrors.describe(timeout, config, "projects"));
        } catch (IOException e) {
            return CheckResult.failed(PROVIDER, DeepgramErrors.describe(
                    HttpErrors.fromSendFailure(e, config.connectTimeout()), config, "projects"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.failed(PROVIDER, "interrupted");
        }
    }

    private static String projects(byte[] body) {
        try {
            JsonNode json = JSON.readTree(body);
            JsonNode p = json == null ? null : json.path("projects");
            if (p != null && p.isArray()) {
                return " (" + p.size() + (p.size() == 1 ? " project)" : " projects)");
            }
        } catch (IOException e) {
            // a 200 is enough
        }
        return "";
    }
}
