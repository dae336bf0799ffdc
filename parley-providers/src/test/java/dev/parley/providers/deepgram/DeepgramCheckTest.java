package dev.parley.providers.deepgram;

import dev.parley.providers.CheckResult;
import dev.parley.providers.http.Secret;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The credentials check: one GET /v1/projects with the token. */
class DeepgramCheckTest {
    private static final String KEY = "dg-test-key-0123456789abcdef";

    private MockWebServer server;
    private DeepgramConfig config;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
        String u = server.url("/").toString();
        config = DeepgramConfig.defaults().withBaseUrl(u).withApiKey(Secret.of(KEY))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anAcceptedKeyIsOkAndTheRequestIsExact() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body("{\"projects\":[{\"project_id\":\"3f6b1f4e-0000-4000-8000-000000000001\",\"name\":\"Parley\"}]}")
                .build());

        CheckResult r = DeepgramCheck.check(config);

        assertThat(r).isEqualTo(CheckResult.ok("deepgram", "key accepted by " + config.serverName() + " (1 project)"));
        RecordedRequest req = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(req.getMethod()).isEqualTo("GET");
        assertThat(req.getTarget()).isEqualTo("/v1/projects");
        assertThat(req.getHeaders().get("Authorization")).isEqualTo("Token " + KEY);
    }

    @Test
    void aRejectedKeyNamesTheVariable() {
        server.enqueue(new MockResponse.Builder().code(401).addHeader("Content-Type", "application/json")
                .body("{\"err_code\":\"INVALID_AUTH\",\"err_msg\":\"Invalid credentials.\"}").build());

        CheckResult r = DeepgramCheck.check(config);

        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).isEqualTo("Deepgram rejected the API key (HTTP 401: Invalid credentials.). "
                + "Set DEEPGRAM_API_KEY to a valid key.");
    }

    @Test
    void noKeyIsReportedWithoutARequest() {
        assertThat(DeepgramCheck.check(config.withApiKey(Secret.none())))
                .isEqualTo(CheckResult.failed("deepgram", "no API key: set DEEPGRAM_API_KEY"));
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void anUnreachableServerIsSaidSo() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CheckResult r = DeepgramCheck.check(config.withBaseUrl("http://127.0.0.1:" + port));

        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).startsWith("Cannot reach Deepgram at 127.0.0.1:" + port);
    }
}
