package dev.parley.dialog.skills.testing;

import dev.parley.dialog.nlu.TextEmbedder;
import dev.parley.dialog.skills.slots.SpokenText;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bag of words hashed into 512 dimensions and normalised: texts sharing content words are close. Stop words are
 * dropped and a final "s" is cut, so "bins" meets "bin". Deterministic.
 */
public final class FakeEmbedder implements TextEmbedder {
    public static final int DIMENSIONS = 512;
    private static final Set<String> STOP = Set.of("a", "an", "the", "is", "are", "was", "what", "whats", "s", "my",
            "our", "your", "of", "to", "in", "on", "for", "and", "it", "its", "i", "me", "do", "does", "when", "where",
            "how", "who", "which", "at", "be", "can", "you", "we", "us", "this", "that", "with", "tell", "please",
            "again", "there", "about");

    public final AtomicInteger calls = new AtomicInteger();

    @Override
    public float[] embed(String text) {
        calls.incrementAndGet();
        float[] v = new float[DIMENSIONS];
        for (String w : SpokenText.tokens(text)) {
            if (STOP.contains(w)) {
                continue;
            }
            String stem = w.length() > 3 && w.endsWith("s") ? w.substring(0, w.length() - 1) : w;
            v[Math.floorMod(stem.hashCode(), DIMENSIONS)] += 1;
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm == 0) {
            v[0] = 1;
            return v;
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }
}
