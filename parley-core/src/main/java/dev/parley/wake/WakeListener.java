package dev.parley.wake;

/**
 * One session's wake-phrase listening. Audio goes in as 16 kHz mono frames, in order, on one thread; a detection
 * comes out as soon as a phrase has been heard. Sample positions count every sample given to this listener, from the
 * first one, across {@link #reset()}s.
 */
public interface WakeListener extends AutoCloseable {

    /**
     * The next frame of audio ({@code length} samples of {@code samples}).
     *
     * @return the phrase heard, ending within the audio given so far, or null
     */
    Wake accept(short[] samples, int length);

    /** Forgets the audio heard so far (after a detection, or when the session stops listening for a while). */
    void reset();

    @Override
    default void close() {}
}
