package dev.parley.turn;

/**
 * Judges from the words heard so far whether the user has finished what they meant to say. Silence alone cannot
 * tell "when you hear the bell" (a pause inside a sentence) from "what time is it" (the end of one); the words can.
 *
 * <p>Called on the thread that feeds audio, at most once per pause, so an implementation may take a few
 * milliseconds but must not block.
 */
@FunctionalInterface
public interface TurnCompletion {

    /**
     * The probability, in [0, 1], that {@code words} is a finished utterance.
     *
     * @param words a partial transcript as the recogniser gives it (usually lower case, no punctuation); may be empty
     */
    double finished(String words);

    /** Never doubts: every long enough pause ends the turn (turn detection by silence alone). */
    TurnCompletion SILENCE = words -> 1.0;
}
