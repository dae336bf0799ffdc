package dev.parley.turn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The complete utterances a turn-completion judge is measured on, in {@link SpokenForm}: the English transcripts of the
 * shared corpus (the benchmark; never tune word lists to them) and the assistant's labelled intent examples.
 */
public final class EvaluationTexts {
    private EvaluationTexts() {}

    /** The shared directory, from the system property {@code parley.shared} (default {@code ../shared}). */
    public static Path shared() {
        return Path.of(System.getProperty("parley.shared", "../shared"));
    }

    /** The English transcripts of {@code corpus/dev/manifest.tsv} under the shared directory. */
    public static List<String> corpus(Path shared) throws IOException {
        List<String> lines = Files.readAllLines(shared.resolve("corpus/dev/manifest.tsv"), StandardCharsets.UTF_8);
        List<String> header = Arrays.asList(lines.getFirst().split("\t", -1));
        int transcript = header.indexOf("transcript");
        int language = header.indexOf("language");
        List<String> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            if (f.length > Math.max(transcript, language) && f[language].equals("en")) out.add(SpokenForm.of(f[transcript]));
        }
        return out;
    }

    /** The utterances of the intent classifier's dataset (parley-skills), all complete commands or questions. */
    public static List<String> intents(Path repository) throws IOException {
        Path tsv = repository.resolve("parley-skills/src/main/resources/dev/parley/dialog/nlu/intents.tsv");
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
            if (line.startsWith("#") || line.startsWith("intent\t") || line.isBlank()) continue;
            String[] f = line.split("\t", -1);
            if (f.length >= 3) out.add(SpokenForm.of(f[2]));
        }
        return out;
    }
}
