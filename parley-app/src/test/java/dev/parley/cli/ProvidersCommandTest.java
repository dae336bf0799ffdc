package dev.parley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./parley providers}: the stages a preset configures, keys from a {@code .env} file, one cheap request per
 * provider against fakes of OpenAI's {@code GET /models} and Deepgram's {@code GET /v1/projects} on local sockets.
 */
class ProvidersCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private MockWebServer openai, deepgram;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        openai = new MockWebServer();
        openai.start();
        deepgram = new MockWebServer();
        deepgram.start();
    }

    @AfterEach
    void stop() {
        openai.close();
        deepgram.close();
    }

    private Path envFile(String... extra) throws Exception {
        List<String> lines = new ArrayList<>(List.of(
                "OPENAI_BASE_URL=" + openai.url("/v1"),
                "DEEPGRAM_BASE_URL=" + deepgram.url("/").toString().replaceAll("/$", "")));
        lines.addAll(List.of(extra));
        return Files.write(dir.resolve("test.env"), lines);
    }

    @Test
    void theDeepgramPresetIsCheckedWithOneRequestPerProvider() throws Exception {
        Path env = envFile("OPENAI_API_KEY=sk-test-openai-1234567890", "DEEPGRAM_API_KEY=dg-test-secret-0987654321");
        openai.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body("{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o-mini\",\"object\":\"model\",\"created\":1,\"owned_by\":\"openai\"}]}")
                .build());
        deepgram.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body("{\"projects\":[{\"project_id\":\"p-1\",\"name\":\"Parley\"}]}").build());
        ReplyCommandTest.Run run = ReplyCommandTest.parley("providers", "--env-file", env.toString(), "--preset", "deepgram", "--json");
        assertThat(run.exit()).as(run.err() + run.out()).isZero();
        JsonNode out = JSON.readTree(run.out());
        assertThat(out.get("preset").asText()).isEqualTo("deepgram");
        assertThat(out.get("ok").asBoolean()).isTrue();
        assertThat(out.get("stages")).extracting(s -> s.get("stage").asText() + " " + s.get("provider").asText() + " "
                + s.get("model").asText() + " " + s.get("key_set").asBoolean() + " " + s.get("ok").asBoolean())
                .containsExactly("stt deepgram nova-3 true true", "llm openai gpt-4o-mini true true",
                        "tts deepgram aura-2-thalia-en true true");
        assertThat(deepgram.getRequestCount()).as("stt and tts share one check").isEqualTo(1);
        assertThat(openai.getRequestCount()).isEqualTo(1);
        RecordedRequest dg = deepgram.takeRequest(5, TimeUnit.SECONDS);
        assertThat(dg.getMethod()).isEqualTo("GET");
        assertThat(dg.getUrl().encodedPath()).isEqualTo("/v1/projects");
        assertThat(dg.getHeaders().get("Authorization")).isEqualTo("Token dg-test-secret-0987654321");
        RecordedRequest oa = openai.takeRequest(5, TimeUnit.SECONDS);
        assertThat(oa.getUrl().encodedPath()).isEqualTo("/v1/models");
        assertThat(oa.getHeaders().get("Authorization")).isEqualTo("Bearer sk-test-openai-1234567890");
        assertThat(run.out() + run.err()).as("keys are never printed").doesNotContain("sk-test-openai").doesNotContain("dg-test-secret");
    }

    @Test
    void aMissingKeyAndARejectedKeyAreNamedWithoutSendingTheMissingOne() throws Exception {
        Path env = envFile("OPENAI_API_KEY=sk-test-wrong-1234567890");
        openai.enqueue(new MockResponse.Builder().code(401).addHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"Incorrect API key provided: sk-test-*****7890.\",\"type\":\"invalid_request_error\","
                        + "\"param\":null,\"code\":\"invalid_api_key\"}}").build());
        ReplyCommandTest.Run run = ReplyCommandTest.parley("providers", "--env-file", env.toString(), "--stt", "deepgram",
                "--llm", "openai", "--tts", "openai");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("DEEPGRAM_API_KEY (not set)").contains("OPENAI_API_KEY (set)")
                .containsPattern("stt +deepgram .*FAILED: .*DEEPGRAM_API_KEY")
                .containsPattern("tts +openai .*FAILED: .*OPENAI_API_KEY")
                .doesNotContain("sk-test-wrong-1234567890");
        assertThat(deepgram.getRequestCount()).as("no key, no request").isZero();
        assertThat(openai.getRequestCount()).isEqualTo(1);
    }

    @Test
    void theOfflineDefaultNeedsNoKeyAndSendsNothing() throws Exception {
        ReplyCommandTest.Run run = ReplyCommandTest.parley("providers", "--env-file", envFile().toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("stt +embedded").containsPattern("llm +skills").containsPattern("tts +embedded");
        assertThat(openai.getRequestCount() + deepgram.getRequestCount()).isZero();
    }
}
