package dev.parley.vad;

/**
 * Frame-level speech probability. A detector consumes consecutive frames of exactly {@link #frameSamples()} samples
 * of 16 kHz mono PCM16 and carries its state from one frame to the next; {@link #reset()} forgets it.
 */
public interface VoiceActivityDetector extends AutoCloseable {

    /** The number of samples every frame must have (512 for Silero v5 at 16 kHz). */
    int frameSamples();

    /** The probability, in [0, 1], that the frame contains speech. */
    float speechProbability(short[] frame);

    void reset();

    @Override
    default void close() {
    }
}
