package dev.parley.providers;

import java.util.function.LongSupplier;

/**
 * Remembers that a provider just failed, so that the turns right after go straight to the fallback instead of each
 * waiting out the same timeout; after {@code retryAfterNanos} the provider is tried again. Shared by the sessions of
 * a process; thread-safe.
 */
public final class Outage {
    private final LongSupplier clock;
    private final long retryAfterNanos;
    private volatile long failedAt;
    private volatile boolean down;

    public Outage(LongSupplier clock, long retryAfterNanos) {
        this.clock = clock;
        this.retryAfterNanos = retryAfterNanos;
    }

    /** Thirty seconds on the system's monotonic clock. */
    public static Outage standard() {
        return new Outage(System::nanoTime, 30_000_000_000L);
    }

    /** Whether the provider failed less than the retry interval ago. */
    public boolean active() {
        return down && clock.getAsLong() - failedAt < retryAfterNanos;
    }

    public void failed() {
        failedAt = clock.getAsLong();
        down = true;
    }

    public void recovered() {
        down = false;
    }
}
