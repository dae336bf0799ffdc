package dev.parley.dialog.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.dialog.SpokenStyle;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LlamaSettingsTest {

    private static final Path MODEL = Path.of("m.gguf");

    @Test
    void defaults() {
        LlamaSettings s = LlamaSettings.defaults(MODEL);

        assertThat(s.model()).isEqualTo(MODEL);
        assertThat(s.contextSize()).isEqualTo(4096);
        assertThat(s.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(s.maxTokens()).isEqualTo(256);
        assertThat(s.temperature()).isEqualTo(0.7);
        assertThat(s.seed()).isEqualTo(LlamaSettings.RANDOM_SEED);
        assertThat(s.systemPrompt()).isEqualTo(SpokenStyle.SYSTEM_PROMPT);
        assertThat(s.withSeed(5).withTemperature(0).withThreads(2).withContextSize(512).withMaxTokens(100)
                .withSystemPrompt("").withModel(Path.of("n.gguf")))
                .isEqualTo(new LlamaSettings(Path.of("n.gguf"), 512, 2, 100, 0, 5, ""));
    }

    @Test
    void refusesBadValues() {
        LlamaSettings s = LlamaSettings.defaults(MODEL);
        assertThatThrownBy(() -> s.withContextSize(32)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("context size must be between 64 and 1048576 tokens: 32");
        assertThatThrownBy(() -> s.withMaxTokens(2049)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max tokens must be between 1 and half the context size (2048): 2049");
        assertThatThrownBy(() -> s.withMaxTokens(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.withThreads(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threads must be between 1 and 512: 0");
        assertThatThrownBy(() -> s.withTemperature(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("temperature must be between 0 and 2: NaN");
        assertThatThrownBy(() -> s.withTemperature(2.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.withSeed(-2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("seed must be -1 (random) or at least 0: -2");
        assertThatThrownBy(() -> s.withSystemPrompt(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> s.withModel(null)).isInstanceOf(NullPointerException.class);
    }
}
