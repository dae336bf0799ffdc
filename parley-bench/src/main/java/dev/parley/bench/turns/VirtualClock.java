package dev.parley.bench.turns;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A monotonic clock (nanoseconds) that runs with real time and can be moved forward. The benchmark moves it over the
 * stretches where nothing but the audio itself happens (no reply is being prepared), which is what makes
 * it faster than real time without changing what the session sees: every stamp the session takes still lies where
 * the audio is, and all work done by other threads (recognition, dialog, synthesis, playback) takes its real time.
 */
final class VirtualClock implements LongSupplier {
    private final AtomicLong offset = new AtomicLong();

    @Override
    public long getAsLong() {
        return System.nanoTime() + offset.get();
    }

    /** Moves the clock to {@code instant} if it is behind it. */
    void skipTo(long instant) {
        long behind = instant - getAsLong();
        if (behind > 0) offset.addAndGet(behind);
    }

    /** Waits, in real time, until the clock reaches {@code instant}. */
    void sleepUntil(long instant) {
        for (long left; (left = instant - getAsLong()) > 0; ) java.util.concurrent.locks.LockSupport.parkNanos(left);
    }
}
