package dev.parley.bench.turns;

import dev.parley.embedded.stt.VoskSpeechRecognizer.Word;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Where a pause may be spliced into a sentence: between two of its words (never before the first or after the last,
 * which would not be a pause inside it), and only where the speaker left little gap, so that the pause heard is the
 * pause inserted and not that plus a breath already there. The choice among those places is seeded, so every run of
 * the benchmark splices the same recordings.
 */
public final class PauseSites {
    /** The longest gap between two words still counted as "no pause yet". */
    static final double MAX_GAP_S = 0.2;

    private PauseSites() {
    }

    /** The eligible boundaries, as seconds into the recording (the middle of the gap), in seeded random order. */
    public static List<Double> choose(List<Word> words, long seed) {
        List<Double> sites = new ArrayList<>();
        for (int i = 0; i + 1 < words.size(); i++) {
            double end = words.get(i).endS(), next = words.get(i + 1).startS();
            if (next - end <= MAX_GAP_S) sites.add((end + Math.max(end, next)) / 2);
        }
        Collections.shuffle(sites, new Random(seed));
        return sites;
    }

    /** The first eligible boundary right after one of {@code words} (e.g. "the", "for"), or -1. */
    public static double after(List<Word> words, java.util.Set<String> after) {
        for (int i = 0; i + 1 < words.size(); i++) {
            double end = words.get(i).endS(), next = words.get(i + 1).startS();
            if (after.contains(words.get(i).text()) && next - end <= MAX_GAP_S) return (end + Math.max(end, next)) / 2;
        }
        return -1;
    }
}
