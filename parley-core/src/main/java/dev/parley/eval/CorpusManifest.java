package dev.parley.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A speech corpus described by a {@code manifest.tsv}: one clip per row, with a header naming the columns
 * ({@code file}, {@code duration_s}, {@code transcript}, {@code language}, {@code speech_start_s},
 * {@code speech_end_s}, …). Columns are found by name, so extra ones are ignored.
 */
public final class CorpusManifest {

    /** One recording and what is known about it. {@code file} is resolved against the manifest's folder. */
    public record Clip(Path file, double durationS, String transcript, String language, double speechStartS, double speechEndS) {
        public String name() {
            return file.getFileName().toString();
        }
    }

    private CorpusManifest() {
    }

    /** Reads {@code dir/manifest.tsv}. */
    public static List<Clip> read(Path dir) throws IOException {
        Path manifest = dir.resolve("manifest.tsv");
        if (!Files.isRegularFile(manifest)) throw new IOException(dir + " has no manifest.tsv");
        List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        if (lines.isEmpty()) throw new IOException(manifest + " is empty");
        List<String> header = Arrays.asList(lines.getFirst().split("\t", -1));
        int file = column(header, "file", manifest), duration = column(header, "duration_s", manifest);
        int transcript = column(header, "transcript", manifest), language = column(header, "language", manifest);
        int start = column(header, "speech_start_s", manifest), end = column(header, "speech_end_s", manifest);
        List<Clip> clips = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            String[] f = line.split("\t", -1);
            try {
                clips.add(new Clip(dir.resolve(f[file]), Double.parseDouble(f[duration]), f[transcript], f[language],
                        Double.parseDouble(f[start]), Double.parseDouble(f[end])));
            } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
                throw new IOException(manifest + " line " + (i + 1) + " is malformed: " + e.getMessage());
            }
        }
        return clips;
    }

    private static int column(List<String> header, String name, Path manifest) throws IOException {
        int i = header.indexOf(name);
        if (i < 0) throw new IOException(manifest + " has no column '" + name + "'");
        return i;
    }
}
