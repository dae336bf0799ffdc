package dev.parley.tts;

import dev.parley.audio.PcmAudio;
import dev.parley.failover.ProviderEvents;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChosenVoiceTest {
    private record Named(String name, int rate, List<String> said) implements SpeechSynthesizer {
        @Override
        public int sampleRate() {
            return rate;
        }

        @Override
        public void synthesize(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events) {
            said.add(name + ": " + text);
            out.accept(new PcmAudio(new short[rate / 10], rate));
        }
    }

    private final List<String> said = new ArrayList<>();
    private final Map<String, SpeechSynthesizer> voices = Map.of("slt", new Named("slt", 48_000, said), "en-us", new Named("en-us", 22_050, said));
    private final VoiceCatalog catalog = new VoiceCatalog() {
        @Override
        public SpeechSynthesizer voice(String name) {
            SpeechSynthesizer v = voices.get(name);
            if (v == null) throw new IllegalArgumentException("no voice \"" + name + "\"; the voices are " + names());
            return v;
        }

        @Override
        public List<String> names() {
            return List.of("slt", "en-us");
        }
    };

    @Test
    void aSessionStartsWithTheDefaultAndSpeaksWithWhatItChose() throws TtsException {
        ChosenVoice v = new ChosenVoice(catalog);
        assertThat(v.name()).isEqualTo("slt");
        assertThat(v.sampleRate()).isEqualTo(48_000);
        v.synthesize("hello", a -> {}, () -> false);
        v.select("en-us");
        assertThat(v.sampleRate()).isEqualTo(22_050);
        v.synthesize("hello", a -> {}, () -> false);
        assertThat(said).containsExactly("slt: hello", "en-us: hello");
    }

    @Test
    void anUnknownVoiceIsRefusedAndTheChoiceStays() {
        ChosenVoice v = new ChosenVoice(catalog);
        v.select("en-us");
        assertThatThrownBy(() -> v.select("robot")).hasMessageContaining("robot").hasMessageContaining("en-us");
        assertThat(v.name()).isEqualTo("en-us");
        assertThat(VoiceCatalog.single("only", voices.get("slt")).voice("anything")).isSameAs(voices.get("slt"));
    }
}
