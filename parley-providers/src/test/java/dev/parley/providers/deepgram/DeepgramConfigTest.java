package dev.parley.providers.deepgram;

import dev.parley.providers.http.Secret;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeepgramConfigTest {
    private static final String KEY = "dg-secret-0123456789abcdef";

    @Test
    void theEnvironmentGivesKeyAndBaseUrlAndSocketsUseWsOrWss() {
        DeepgramConfig d = DeepgramConfig.fromEnvironment(Map.of("DEEPGRAM_API_KEY", " " + KEY + " "));
        assertThat(d.apiKey().reveal()).isEqualTo(KEY);
        assertThat(d.listenUrl()).isEqualTo(URI.create("wss://api.deepgram.com/v1/listen?model=nova-3&encoding=linear16"
                + "&sample_rate=16000&channels=1&interim_results=true&endpointing=300&utterance_end_ms=1000"
                + "&vad_events=true&smart_format=true&punctuate=true&language=en"));
        assertThat(d.speakUrl()).isEqualTo(URI.create("wss://api.deepgram.com/v1/speak?model=aura-2-thalia-en"
                + "&encoding=linear16&sample_rate=24000"));

        DeepgramConfig local = DeepgramConfig.fromEnvironment(Map.of("DEEPGRAM_BASE_URL", "http://localhost:8080/dg/"));
        assertThat(local.apiKey().isPresent()).isFalse();
        assertThat(local.speakUrl().toString()).startsWith("ws://localhost:8080/dg/v1/speak?");
        assertThat(local.httpUrl("/v1/projects")).isEqualTo(URI.create("http://localhost:8080/dg/v1/projects"));
    }

    @Test
    void endpointingOffAndNoUtteranceEndAreSpelledAsDeepgramExpects() {
        String q = DeepgramConfig.defaults().withEndpointing(0, 0).listenUrl().getQuery();
        assertThat(q).contains("endpointing=false").doesNotContain("utterance_end_ms");
    }

    @Test
    void badValuesAreRefusedInOneLineWithoutTheKey() {
        DeepgramConfig d = DeepgramConfig.defaults().withApiKey(Secret.of(KEY));
        assertThatThrownBy(() -> d.withBaseUrl("ftp://x")).hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> d.withBaseUrl("https://user:" + KEY + "@api.deepgram.com"))
                .hasMessageNotContaining(KEY).hasMessageContaining("DEEPGRAM_API_KEY");
        assertThatThrownBy(() -> d.withEndpointing(300, 500)).hasMessageContaining("utterance_end_ms");
        assertThatThrownBy(() -> d.withTtsModel("aura 2")).hasMessageContaining("ttsModel");
        assertThatThrownBy(() -> d.withLanguage("en&x=1")).hasMessageContaining("language");
        assertThat(d.toString()).doesNotContain(KEY).contains("Secret[set]");
    }
}
