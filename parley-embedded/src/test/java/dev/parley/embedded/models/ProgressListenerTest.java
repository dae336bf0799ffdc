package dev.parley.embedded.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProgressListenerTest {

    private static final ModelSpec VOSK = EmbeddedModels.VOSK_EN_US;
    private static final long TOTAL = VOSK.size();

    @Test
    void interactiveConsoleUpdatesOneLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressListener listener = ProgressListener.console(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);

        listener.started(VOSK, TOTAL);
        listener.progress(VOSK, TOTAL * 425 / 1000, TOTAL);
        listener.progress(VOSK, TOTAL * 425 / 1000 + 1, TOTAL); // same percentage: no output
        listener.progress(VOSK, TOTAL, TOTAL);
        listener.finished(VOSK, Path.of("/cache/vosk"));

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).isEqualTo(
                "\rFetching Vosk English model (39.3 MB) … 0%"
                        + "\rFetching Vosk English model (39.3 MB) … 42%"
                        + "\rFetching Vosk English model (39.3 MB) … 100%"
                        + "\rFetching Vosk English model (39.3 MB) … done\n");
    }

    @Test
    void nonInteractiveConsolePrintsStartAndEndLines() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressListener listener = ProgressListener.console(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);

        listener.started(VOSK, TOTAL);
        listener.progress(VOSK, TOTAL / 2, TOTAL);
        listener.finished(VOSK, Path.of("/cache/vosk"));

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "Fetching Vosk English model (39.3 MB) …",
                "Installed Vosk English model in " + Path.of("/cache/vosk"));
    }
}
