package dev.parley.dialog.nlu;

import java.util.Objects;

/**
 * One labelled utterance of the intent dataset.
 *
 * @param intent    the intent's name ("timer.set") or {@link IntentMatch#OUT_OF_SCOPE}
 * @param split     whether the classifier learns from it or it is held out for measuring
 * @param utterance what the user said, as a recogniser might have written it
 */
public record IntentExample(String intent, Split split, String utterance) {

    /** Train examples are what a classifier learns and tunes from; test examples only measure it. */
    public enum Split { TRAIN, TEST }

    public IntentExample {
        Objects.requireNonNull(intent, "intent");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(utterance, "utterance");
        if (intent.isBlank()) throw new IllegalArgumentException("intent is blank");
        if (utterance.isBlank()) throw new IllegalArgumentException("utterance is blank");
    }

    public boolean outOfScope() {
        return IntentMatch.OUT_OF_SCOPE.equals(intent);
    }
}
