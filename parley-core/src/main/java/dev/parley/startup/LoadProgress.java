package dev.parley.startup;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Observes a {@link ParallelLoader}: what starts loading, how long each part took, and when everything is ready.
 * {@link #loaded} is called from the loading threads, one call at a time.
 */
public interface LoadProgress {

    /** Ignores everything. */
    LoadProgress NONE = new LoadProgress() {};

    /** These parts start loading now, all at once. */
    default void loading(List<String> parts) {}

    /** One part is loaded. */
    default void loaded(String part, long millis) {}

    /** Every part is loaded, {@code millis} after {@link #loading}; {@code times} in the order they finished. */
    default void ready(long millis, Map<String, Long> times) {}

    /**
     * Two lines on a console stream (typically {@code System.err}):
     * {@code Loading Silero VAD, Vosk, MaryTTS cmu-slt-hsmm, skills…} and
     * {@code Loaded in 1830 ms (Silero VAD 210, skills 1240, Vosk 1500, MaryTTS 1830)}.
     */
    static LoadProgress console(PrintStream out) {
        return new LoadProgress() {
            @Override
            public void loading(List<String> parts) {
                if (parts.isEmpty()) return;
                out.println("Loading " + String.join(", ", parts) + "…");
                out.flush();
            }

            @Override
            public void ready(long millis, Map<String, Long> times) {
                if (times.isEmpty()) return;
                out.println("Loaded in " + millis + " ms (" + times.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")) + ")");
                out.flush();
            }
        };
    }
}
