package dev.parley.providers.openai;

import dev.parley.providers.http.RetryPolicy;
import dev.parley.providers.http.Secret;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenAiChatConfigTest {
    private static final String KEY = "sk-proj-T0pS3cretKeyValue1234567890abcdef";

    @Test
    void defaultsAreOpenAiWithGpt4oMini() {
        OpenAiChatConfig c = OpenAiChatConfig.defaults();

        assertThat(c.baseUrl()).isEqualTo(URI.create("https://api.openai.com/v1"));
        assertThat(c.chatCompletionsUrl()).isEqualTo(URI.create("https://api.openai.com/v1/chat/completions"));
        assertThat(c.model()).isEqualTo("gpt-4o-mini");
        assertThat(c.apiKey().isPresent()).isFalse();
        assertThat(c.apiKeyEnv()).isEqualTo("OPENAI_API_KEY");
        assertThat(c.maxTokens()).isEqualTo(512);
        assertThat(c.temperature()).isNull();
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.firstByteTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.retry()).isEqualTo(RetryPolicy.defaults());
        assertThat(c.effectiveDialect()).isEqualTo(OpenAiChatConfig.Dialect.OPENAI);
        assertThat(c.serverName()).isEqualTo("api.openai.com");
    }

    @Test
    void theEnvironmentSetsBaseUrlAndKeyAsTheSdksDo() {
        OpenAiChatConfig c = OpenAiChatConfig.fromEnvironment(Map.of(
                "OPENAI_BASE_URL", "http://localhost:11434/v1/", "OPENAI_API_KEY", KEY + "\n"));

        assertThat(c.baseUrl()).isEqualTo(URI.create("http://localhost:11434/v1"));
        assertThat(c.chatCompletionsUrl()).isEqualTo(URI.create("http://localhost:11434/v1/chat/completions"));
        assertThat(c.apiKey().reveal()).isEqualTo(KEY);
        assertThat(c.effectiveDialect()).isEqualTo(OpenAiChatConfig.Dialect.COMPATIBLE);
        assertThat(c.serverName()).isEqualTo("localhost:11434");
    }

    @Test
    void anEmptyEnvironmentGivesTheDefaults() {
        assertThat(OpenAiChatConfig.fromEnvironment(Map.of("OPENAI_BASE_URL", " "))).isEqualTo(
                OpenAiChatConfig.defaults());
    }

    @Test
    void theKeyCanComeFromAnotherVariable() {
        OpenAiChatConfig c = OpenAiChatConfig.fromEnvironment(Map.of("OPENAI_BASE_URL",
                "https://api.groq.com/openai/v1", "GROQ_API_KEY", "gsk_abc", "OPENAI_API_KEY", "wrong"),
                "GROQ_API_KEY");

        assertThat(c.apiKey().reveal()).isEqualTo("gsk_abc");
        assertThat(c.apiKeyEnv()).isEqualTo("GROQ_API_KEY");
        assertThat(c.chatCompletionsUrl()).isEqualTo(URI.create("https://api.groq.com/openai/v1/chat/completions"));
    }

    @Test
    void toStringNeverShowsTheKey() {
        OpenAiChatConfig c = OpenAiChatConfig.defaults().withApiKey(Secret.of(KEY));

        assertThat(c.toString()).doesNotContain(KEY).doesNotContain("T0pS3cret").contains("apiKey=Secret[set]")
                .contains("model=gpt-4o-mini");
    }

    @Test
    void theDialectCanBeForced() {
        OpenAiChatConfig local = OpenAiChatConfig.defaults().withBaseUrl("http://127.0.0.1:8080/v1");

        assertThat(local.withDialect(OpenAiChatConfig.Dialect.OPENAI).effectiveDialect())
                .isEqualTo(OpenAiChatConfig.Dialect.OPENAI);
        assertThat(OpenAiChatConfig.defaults().withDialect(OpenAiChatConfig.Dialect.COMPATIBLE).effectiveDialect())
                .isEqualTo(OpenAiChatConfig.Dialect.COMPATIBLE);
    }

    @Test
    void badValuesAreRefusedWithClearMessages() {
        OpenAiChatConfig c = OpenAiChatConfig.defaults();

        assertThatThrownBy(() -> c.withBaseUrl("localhost:11434/v1")).hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> c.withBaseUrl("ftp://example.com/v1")).hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> c.withBaseUrl("http://bad host/v1")).hasMessageStartingWith("not a valid base URL");
        assertThatThrownBy(() -> c.withBaseUrl("https://api.example.com/v1?api-key=" + KEY))
                .hasMessage("the base URL must not have a query or fragment: https://api.example.com/v1");
        assertThatThrownBy(() -> c.withBaseUrl("https://me:" + KEY + "@api.example.com/v1"))
                .hasMessageContaining("must not contain user info").message().doesNotContain(KEY);
        assertThatThrownBy(() -> c.withModel(" ")).hasMessage("model must not be empty");
        assertThatThrownBy(() -> c.withMaxTokens(0)).hasMessage("maxTokens must be 1 to 1000000, not 0");
        assertThatThrownBy(() -> c.withTemperature(2.5)).hasMessage("temperature must be 0 to 2, not 2.5");
        assertThatThrownBy(() -> c.withTemperature(Double.NaN)).hasMessage("temperature must be 0 to 2, not NaN");
        assertThatThrownBy(() -> c.withTimeouts(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessage("connectTimeout must be positive, not PT0S");
        assertThatThrownBy(() -> c.withApiKeyEnv("MY-KEY"))
                .hasMessage("apiKeyEnv must be an environment variable name, not 'MY-KEY'");
    }

    @Test
    void nullsMeanDefaults() {
        OpenAiChatConfig c = new OpenAiChatConfig(URI.create("http://h:1/v1/"), null, null, "m", null, null,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), null, null);

        assertThat(c.apiKey()).isEqualTo(Secret.none());
        assertThat(c.apiKeyEnv()).isEqualTo("OPENAI_API_KEY");
        assertThat(c.retry()).isEqualTo(RetryPolicy.defaults());
        assertThat(c.dialect()).isEqualTo(OpenAiChatConfig.Dialect.AUTO);
        assertThat(c.baseUrl()).isEqualTo(URI.create("http://h:1/v1"));
    }
}
