package dev.parley.bench.load;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiting as a fake engine's work: never shorter than asked, and cut short by cancellation. */
final class Pause {
    /** Longest a cancellation goes unnoticed while pausing (a shorter slice costs wake-ups under load). */
    static final long SLICE_NANOS = 20_000_000L;

    private Pause() {
    }

    /**
     * Waits until {@code deadline} ({@link System#nanoTime()}), checking {@code cancelled} at least every
     * {@link #SLICE_NANOS}.
     *
     * @return true when the deadline came, false when cancelled first
     */
    static boolean until(long deadline, BooleanSupplier cancelled) {
        while (true) {
            if (cancelled.getAsBoolean()) return false;
            long left = deadline - System.nanoTime();
            if (left <= 0) return true;
            LockSupport.parkNanos(Math.min(left, SLICE_NANOS));
            if (Thread.currentThread().isInterrupted()) return false;
        }
    }

    /**
     * Waits until {@code deadline} ({@link System#nanoTime()}) or until {@code cancel} is released, whichever is
     * first, without waking up in between.
     *
     * @return true when the deadline came, false when cancelled (or interrupted) first
     */
    static boolean until(long deadline, CountDownLatch cancel) {
        try {
            for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                if (cancel.await(left, TimeUnit.NANOSECONDS)) return false;
            }
            return cancel.getCount() > 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
