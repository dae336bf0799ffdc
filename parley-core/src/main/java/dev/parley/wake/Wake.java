package dev.parley.wake;

/**
 * A wake phrase heard: which one, where it ended in the listener's input (in samples at 16 kHz, counted from the first
 * sample given to the listener), and the detector's confidence in [0, 1].
 */
public record Wake(String phrase, long endSample, double score) {
    public Wake {
        if (phrase == null || phrase.isBlank()) throw new IllegalArgumentException("phrase");
        if (endSample < 0) throw new IllegalArgumentException("endSample " + endSample);
    }
}
