package dev.parley.wake;

import java.util.List;

/**
 * Hears wake phrases in a stream of audio. The detector holds what is shared (a model); each session listens with a
 * {@link WakeListener} of its own, which carries that session's state.
 */
public interface WakeDetector extends AutoCloseable {

    /**
     * A listener for {@code phrases} (lower case words, as the user typed them: "computer", "hey parley").
     *
     * @throws IllegalArgumentException when a phrase cannot be detected (its words unknown to the model), with a
     *                                  message that says which word and what to do
     */
    WakeListener listen(List<String> phrases);

    /** No detector: a session with wake phrases cannot be opened on it. */
    WakeDetector NONE = new WakeDetector() {
        @Override
        public WakeListener listen(List<String> phrases) {
            throw new IllegalArgumentException("wake phrases need a wake-word detector, and this stack has none"
                    + " (the embedded stack's Vosk model provides one)");
        }

        @Override
        public String name() {
            return "none";
        }
    };

    /** A short name for logs and the benchmark ("vosk", "templates"). */
    String name();

    @Override
    default void close() {}
}
