package dev.parley.stt;

/**
 * A recognised utterance. {@code confidence} is the engine's mean word confidence in [0, 1] (1 when the engine gives
 * none); an empty text means nothing intelligible was heard.
 */
public record Transcript(String text, double confidence) {
    public Transcript {
        text = text == null ? "" : text.strip();
    }

    public boolean isEmpty() {
        return text.isEmpty();
    }
}
