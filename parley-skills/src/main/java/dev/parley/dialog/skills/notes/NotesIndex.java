package dev.parley.dialog.skills.notes;

import dev.parley.dialog.nlu.TextEmbedder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The user's notes, split into {@link Passage}s ({@link NotesParser}) and embedded once, searched by meaning. A
 * passage is found by its title (the question or heading) or by its text, whichever is closer to the query. Built
 * once at start-up and shared by every session; immutable and thread-safe. A search embeds the query (one model
 * call).
 */
public final class NotesIndex {
    /** Largest notes file read. */
    public static final long MAX_FILE_BYTES = 2_000_000;

    private record Entry(Passage passage, List<float[]> keys) {}

    private final TextEmbedder embedder;
    private final List<Entry> entries;

    private NotesIndex(TextEmbedder embedder, List<Passage> passages) {
        this.embedder = embedder;
        List<String> texts = new ArrayList<>();
        for (Passage p : passages) {
            if (!p.title().isEmpty()) {
                texts.add(p.title());
            }
            texts.add(p.title().isEmpty() ? p.body() : p.title() + ". " + p.body());
        }
        List<float[]> vectors = texts.isEmpty() ? List.of() : embedder.embedAll(texts);
        List<Entry> out = new ArrayList<>();
        int v = 0;
        for (Passage p : passages) {
            List<float[]> keys = new ArrayList<>();
            if (!p.title().isEmpty()) {
                keys.add(vectors.get(v++));
            }
            keys.add(vectors.get(v++));
            out.add(new Entry(p, List.copyOf(keys)));
        }
        this.entries = List.copyOf(out);
    }

    /** The notes in {@code text} (Markdown and/or Q:/A: pairs). */
    public static NotesIndex of(String text, TextEmbedder embedder) {
        Objects.requireNonNull(embedder, "embedder");
        return new NotesIndex(embedder, NotesParser.parse(Objects.requireNonNull(text, "text")));
    }

    /**
     * The notes in {@code file} (UTF-8).
     *
     * @throws IOException when it cannot be read or is larger than {@value #MAX_FILE_BYTES} bytes; the message names
     *                     the file
     */
    public static NotesIndex load(Path file, TextEmbedder embedder) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("notes file not found: " + file);
        }
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IOException("notes file too large (over " + MAX_FILE_BYTES / 1_000_000 + " MB): " + file);
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot read the notes file " + file + ": " + e.getMessage(), e);
        }
        return of(text, embedder);
    }

    public List<Passage> passages() {
        return entries.stream().map(Entry::passage).toList();
    }

    /** The {@code max} passages closest to {@code query}, best first. */
    public List<NoteHit> search(String query, int max) {
        if (entries.isEmpty() || query == null || query.isBlank() || max <= 0) {
            return List.of();
        }
        float[] q = embedder.embed(query);
        List<NoteHit> hits = new ArrayList<>();
        for (Entry e : entries) {
            double best = Double.NEGATIVE_INFINITY;
            for (float[] k : e.keys()) {
                best = Math.max(best, TextEmbedder.cosine(q, k));
            }
            hits.add(new NoteHit(e.passage(), best));
        }
        hits.sort(Comparator.comparingDouble(NoteHit::score).reversed());
        return List.copyOf(hits.subList(0, Math.min(max, hits.size())));
    }

    /** The passage closest to {@code query}. */
    public Optional<NoteHit> best(String query) {
        return search(query, 1).stream().findFirst();
    }
}
