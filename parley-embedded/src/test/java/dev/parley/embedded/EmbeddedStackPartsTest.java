package dev.parley.embedded;

import dev.parley.embedded.models.ModelCache;
import dev.parley.embedded.models.ProgressListener;
import dev.parley.startup.LoadProgress;
import dev.parley.startup.ParallelLoader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Only the engines asked for are added to the loader (nothing is loaded: the loader is never run). */
class EmbeddedStackPartsTest {
    private ParallelLoader submitted(EmbeddedStack.Parts parts) {
        ParallelLoader loader = new ParallelLoader(LoadProgress.NONE);
        EmbeddedStack.submit(loader, ModelCache.createDefault(ProgressListener.NONE), "cmu-slt-hsmm", parts);
        return loader;
    }

    @Test
    void everyEngineWhenAllAreUsed() {
        assertThat(submitted(EmbeddedStack.Parts.ALL).names()).containsExactly("Silero VAD", "Vosk", "MaryTTS cmu-slt-hsmm");
    }

    @Test
    void theVadAloneWhenCloudProvidersListenAndSpeak() {
        assertThat(submitted(new EmbeddedStack.Parts(false, false)).names()).containsExactly("Silero VAD");
        assertThat(submitted(new EmbeddedStack.Parts(false, true)).names()).containsExactly("Silero VAD", "MaryTTS cmu-slt-hsmm");
        assertThat(submitted(new EmbeddedStack.Parts(true, false)).names()).containsExactly("Silero VAD", "Vosk");
    }

    @Test
    void aStackOfMoreEnginesCoversOneOfFewer() {
        assertThat(EmbeddedStack.Parts.ALL.covers(new EmbeddedStack.Parts(false, true))).isTrue();
        assertThat(new EmbeddedStack.Parts(false, true).covers(EmbeddedStack.Parts.ALL)).isFalse();
        assertThat(new EmbeddedStack.Parts(true, false).covers(new EmbeddedStack.Parts(false, true))).isFalse();
    }
}
