package dev.parley.dialog.nlu;

/** Finds what the user wants from what they said (already normalised or not: implementations normalise). */
public interface IntentClassifier {

    /** The most likely intent, or {@link IntentMatch#OUT_OF_SCOPE} when nothing fits well enough. Thread-safe. */
    IntentMatch classify(String text);
}
