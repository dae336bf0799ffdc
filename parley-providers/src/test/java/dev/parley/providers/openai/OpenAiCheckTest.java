package dev.parley.providers.openai;

import dev.parley.providers.CheckResult;
import dev.parley.providers.http.Secret;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The credentials check ({@code GET /models}) and the speech config. */
class OpenAiCheckTest {
    private static final String KEY = "sk-test-0123456789abcdefSECRET";
    private static final String MODELS = """
            {"object":"list","data":[
              {"id":"gpt-4o-mini-transcribe","object":"model","created":1742068463,"owner":"system"},
              {"id":"gpt-4o-mini-tts","object":"model","created":1742403959,"owner":"system"},
              {"id":"whisper-1","object":"model","created":1677532384,"owner":"openai-internal"}]}""";

    private MockWebServer server;
    private OpenAiSpeechConfig config;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        config = OpenAiSpeechConfig.defaults().withBaseUrl(server.url("/v1").toString()).withApiKey(Secret.of(KEY))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anAcceptedKeyCountsTheModels() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body(MODELS).build());

        CheckResult result = OpenAiCheck.check(config);

        assertThat(result).isEqualTo(CheckResult.ok("openai", "key accepted by " + config.serverName()
                + " (3 models)"));
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r.getMethod()).isEqualTo("GET");
        assertThat(r.getTarget()).isEqualTo("/v1/models");
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
    }

    @Test
    void withoutAKeyNothingIsSent() {
        assertThat(OpenAiCheck.check(config.withApiKey(Secret.none())))
                .isEqualTo(CheckResult.failed("openai", "no key: set OPENAI_API_KEY"));
        assertThat(OpenAiCheck.check(config.withApiKey(Secret.none()).withApiKeyEnv("WORK_OPENAI_KEY")).detail())
                .isEqualTo("no key: set WORK_OPENAI_KEY");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aRejectedKeyNamesTheVariableAndNotTheKey() {
        server.enqueue(new MockResponse.Builder().code(401).addHeader("Content-Type", "application/json")
                .body(OpenAiAudioWire.error("Incorrect API key provided: " + KEY + ".", "invalid_request_error",
                        "invalid_api_key")).build());

        CheckResult result = OpenAiCheck.check(config);

        assertThat(result.ok()).isFalse();
        assertThat(result.detail()).isEqualTo(config.serverName() + " refused the key (HTTP 401: Incorrect API key "
                + "provided: [REDACTED].): set OPENAI_API_KEY to a valid key");
        assertThat(server.getRequestCount()).as("not retried").isEqualTo(1);
    }

    @Test
    void anUnreachableServerIsSaidOnce() {
        CheckResult result = OpenAiCheck.check(config.withBaseUrl("http://127.0.0.1:1/v1"));
        assertThat(result).isEqualTo(CheckResult.failed("openai", "Cannot reach the OpenAI API at "
                + "http://127.0.0.1:1/v1 (connection refused). Is it running?"));
    }

    @Test
    void anAnswerThatIsNoModelListIsAWrongUrl() {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                .body("<html>hello</html>").build());
        assertThat(OpenAiCheck.check(config).detail()).isEqualTo(config.serverName()
                + " answered, but not with JSON; is " + config.baseUrl() + " an OpenAI-compatible /v1 URL?");
    }

    @Test
    void aChatConfigIsCheckedWithItsKeyAndServer() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body(MODELS).build());
        OpenAiChatConfig chat = OpenAiChatConfig.defaults().withBaseUrl(server.url("/v1/").toString())
                .withApiKey(Secret.of(KEY));

        assertThat(OpenAiCheck.check(chat).ok()).isTrue();
        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization"))
                .isEqualTo("Bearer " + KEY);
    }

    @Test
    void theConfigComesFromTheEnvironmentAndNeverShowsTheKey() {
        OpenAiSpeechConfig c = OpenAiSpeechConfig.fromEnvironment(Map.of("OPENAI_API_KEY", " " + KEY + " ",
                "OPENAI_BASE_URL", "http://localhost:8000/v1/"));

        assertThat(c.baseUrl()).isEqualTo(URI.create("http://localhost:8000/v1"));
        assertThat(c.apiKey().reveal()).isEqualTo(KEY);
        assertThat(c.transcriptionsUrl()).isEqualTo(URI.create("http://localhost:8000/v1/audio/transcriptions"));
        assertThat(c.speechUrl()).isEqualTo(URI.create("http://localhost:8000/v1/audio/speech"));
        assertThat(c.toString()).doesNotContain(KEY).contains("Secret[set]");
        assertThat(OpenAiSpeechConfig.fromEnvironment(Map.of()).baseUrl())
                .isEqualTo(URI.create("https://api.openai.com/v1"));
        assertThat(OpenAiSpeechConfig.fromEnvironment(Map.of("GROQ_API_KEY", KEY), "GROQ_API_KEY").apiKeyEnv())
                .isEqualTo("GROQ_API_KEY");
    }

    @Test
    void theDefaultsAndCopies() {
        OpenAiSpeechConfig d = OpenAiSpeechConfig.defaults();
        assertThat(d.sttModel()).isEqualTo("gpt-4o-mini-transcribe");
        assertThat(d.streamsTranscripts()).isTrue();
        assertThat(d.ttsModel()).isEqualTo("gpt-4o-mini-tts");
        assertThat(d.voice()).isEqualTo("alloy");
        assertThat(d.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.firstByteTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.withSttModel("whisper-1").streamsTranscripts()).as("whisper-1 does not stream").isFalse();
        assertThat(d.withSttModel("whisper-1").sttModelIsGpt4o()).isFalse();
        assertThat(d.withSttModel("gpt-4o-transcribe").withSttStream(false).streamsTranscripts()).isFalse();
        assertThat(d.withTtsModel("tts-1").ttsModelTakesInstructions()).isFalse();
        assertThat(d.withTtsModel("tts-1-hd").ttsModelTakesInstructions()).isFalse();
        assertThat(d.ttsModelTakesInstructions()).isTrue();
        assertThat(d.withLanguage("EN").language()).isEqualTo("en");
        assertThat(d.withLanguage(" ").language()).isNull();
        assertThat(d.withVoice("nova").withSpeed(0.25).withInstructions("Calm.").withPrompt("Parley"))
                .extracting(OpenAiSpeechConfig::voice, OpenAiSpeechConfig::speed, OpenAiSpeechConfig::instructions,
                        OpenAiSpeechConfig::prompt)
                .containsExactly("nova", 0.25, "Calm.", "Parley");
    }

    @Test
    void badSettingsAreRefusedInOneLine() {
        OpenAiSpeechConfig d = OpenAiSpeechConfig.defaults();
        assertThatThrownBy(() -> d.withSpeed(4.5)).hasMessage("speed must be 0.25 to 4.0, not 4.5");
        assertThatThrownBy(() -> d.withLanguage("english")).hasMessage(
                "language must be an ISO-639-1 code such as 'en', not 'english'");
        assertThatThrownBy(() -> d.withVoice("")).hasMessage("voice must not be empty");
        assertThatThrownBy(() -> d.withSttModel(null)).hasMessage("sttModel must not be empty");
        assertThatThrownBy(() -> d.withBaseUrl("ftp://example.com/v1"))
                .hasMessage("the base URL must start with http:// or https://, not ftp://example.com/v1");
        assertThatThrownBy(() -> d.withBaseUrl("https://user:" + KEY + "@example.com/v1"))
                .hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> d.withTimeouts(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessage("connectTimeout must be positive, not PT0S");
        assertThatThrownBy(() -> d.withApiKeyEnv("not a name")).isInstanceOf(IllegalArgumentException.class);
    }
}
