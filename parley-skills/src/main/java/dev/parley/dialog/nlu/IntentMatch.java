package dev.parley.dialog.nlu;

/**
 * A classification.
 *
 * @param intent      the intent's name ("timer.set"), or {@link #OUT_OF_SCOPE}
 * @param score       the evidence for it in [0, 1] (cosine similarity for the embedding classifier)
 * @param bestKnown   the nearest known intent even when {@code intent} is out of scope (for hints and tests)
 * @param bestScore   its score
 */
public record IntentMatch(String intent, double score, String bestKnown, double bestScore) {
    public static final String OUT_OF_SCOPE = "out_of_scope";

    public boolean outOfScope() {
        return OUT_OF_SCOPE.equals(intent);
    }
}
