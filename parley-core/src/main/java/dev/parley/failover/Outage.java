package dev.parley.failover;

import dev.parley.dialog.Scheduler;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Remembers that a provider failed (or lost a {@link Race} to its fallback), so that the turns right after go
 * straight to the fallback instead of each waiting for the same stalled provider again. Shared by the sessions of a
 * process; thread-safe.
 *
 * <p>With a {@link Probe}, the provider stays down until a cheap request in the background (never a user's turn)
 * shows it is back: the first probe runs {@code minBackoff} after the failure, and each one that fails doubles the
 * wait, up to {@code maxBackoff}, so a dead provider is asked at most once a minute. Without a probe, the next turn
 * after the backoff tries the provider again (hedged by the turn's budget, so it costs the user little), and a provider
 * that fails again waits twice as long.
 */
public final class Outage {
    /** A cheap question to the provider: whether it answers at all now. May block up to its own short timeout. */
    @FunctionalInterface
    public interface Probe {
        boolean up() throws Exception;
    }

    private final LongSupplier clock;
    private final long minBackoffNanos, maxBackoffNanos;
    private final Scheduler timers;
    private final Probe probe;
    private long failedAt, backoffNanos; // guarded by this
    private volatile boolean down;
    private Scheduler.Cancellable nextProbe; // guarded by this

    /**
     * @param timers when the probes run; null with a null probe
     * @param probe  the background check, or null to let a turn retry the provider after the backoff
     */
    public Outage(LongSupplier clock, Duration minBackoff, Duration maxBackoff, Scheduler timers, Probe probe) {
        if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) throw new IllegalArgumentException("backoff");
        if (probe != null && timers == null) throw new IllegalArgumentException("a probe needs timers");
        this.clock = clock;
        this.minBackoffNanos = minBackoff.toNanos();
        this.maxBackoffNanos = maxBackoff.toNanos();
        this.timers = timers;
        this.probe = probe;
        this.backoffNanos = minBackoffNanos;
    }

    /** No probe: the provider is tried again by a turn after a fixed {@code retryAfterNanos}. */
    public Outage(LongSupplier clock, long retryAfterNanos) {
        this(clock, Duration.ofNanos(retryAfterNanos), Duration.ofNanos(retryAfterNanos), null, null);
    }

    /** 5 s doubling to 60 s on the system's monotonic clock, retried by a turn. */
    public static Outage standard() {
        return new Outage(System::nanoTime, Duration.ofSeconds(5), Duration.ofSeconds(60), null, null);
    }

    /** 5 s doubling to 60 s, with {@code probe} in the background deciding when the provider is back. */
    public static Outage probed(Scheduler timers, Probe probe) {
        return new Outage(System::nanoTime, Duration.ofSeconds(5), Duration.ofSeconds(60), timers, probe);
    }

    /** Whether turns should skip the provider now. */
    public boolean active() {
        if (!down) return false;
        if (probe != null) return true;
        synchronized (this) {
            return clock.getAsLong() - failedAt < backoffNanos;
        }
    }

    /** The wait before the provider is tried (or probed) next, for reports and tests. */
    public synchronized Duration backoff() {
        return Duration.ofNanos(backoffNanos);
    }

    /** The provider failed a turn (or lost its race). */
    public void failed() {
        synchronized (this) {
            if (down && probe == null) backoffNanos = Math.min(maxBackoffNanos, backoffNanos * 2); // a retry that failed
            failedAt = clock.getAsLong();
            if (down && probe != null) return; // a probe is scheduled already
            down = true;
            if (probe != null) nextProbe = timers.schedule(Duration.ofNanos(backoffNanos), this::probe);
        }
    }

    /** The provider answered a turn (or a probe). */
    public void recovered() {
        synchronized (this) {
            down = false;
            backoffNanos = minBackoffNanos;
            if (nextProbe != null) nextProbe.cancel();
            nextProbe = null;
        }
    }

    private void probe() {
        boolean up;
        try {
            up = probe.up();
        } catch (Exception | LinkageError e) {
            up = false;
        }
        if (up) {
            recovered();
            return;
        }
        synchronized (this) {
            if (!down) return;
            backoffNanos = Math.min(maxBackoffNanos, backoffNanos * 2);
            nextProbe = timers.schedule(Duration.ofNanos(backoffNanos), this::probe);
        }
    }
}
