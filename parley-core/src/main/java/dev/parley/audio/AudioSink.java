package dev.parley.audio;

/**
 * Where reply audio goes: a speaker, a file, a socket. Written by one thread at a time; {@link #interrupt()} may come
 * from another (barge-in).
 */
public interface AudioSink extends AutoCloseable {

    /** The rate the sink wants; the session resamples to it. */
    int sampleRate();

    /** Hands audio to the output. May block to keep pace with playback; returns early after {@link #interrupt()}. */
    void write(PcmAudio chunk) throws InterruptedException;

    /** Throws away whatever was written but not yet played, as fast as possible (the user spoke over the reply). */
    void interrupt();

    /** Waits until everything written has been played (or interrupted). */
    void drain() throws InterruptedException;

    @Override
    default void close() {
    }
}
