package dev.parley.providers.openai;

import dev.parley.failover.ProviderTiming;
import dev.parley.providers.http.RawHttpServer;
import dev.parley.providers.http.RetryPolicy;
import dev.parley.providers.http.Secret;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the tests of the audio engines run against, fresh for each test: a MockWebServer for whole answers, a
 * {@link RawHttpServer} for broken ones, a config aimed at the first (a key, short timeouts, two quick retries),
 * an HTTP client made from it, and the timings the engine reported.
 */
abstract class OpenAiAudioFakes {
    static final String KEY = "sk-test-0123456789abcdefSECRET";

    MockWebServer server;
    RawHttpServer raw;
    OpenAiSpeechConfig config;
    HttpClient http;
    final List<ProviderTiming> timings = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startFakes() throws Exception {
        server = new MockWebServer();
        server.start();
        raw = new RawHttpServer();
        config = OpenAiSpeechConfig.defaults()
                .withBaseUrl(server.url("/v1").toString())
                .withApiKey(Secret.of(KEY))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5))
                .withRetry(new RetryPolicy(2, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(5)));
        http = config.newHttpClient();
    }

    @AfterEach
    void stopFakes() throws Exception {
        http.shutdownNow();
        server.close();
        raw.close();
    }

    /** {@link #config} aimed at the raw server. */
    OpenAiSpeechConfig onRaw() {
        return config.withBaseUrl(raw.url("/v1").toString());
    }
}
