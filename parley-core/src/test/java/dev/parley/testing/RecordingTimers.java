package dev.parley.testing;

import dev.parley.dialog.Scheduler;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ManualScheduler} that also hands each delay it is asked for to the test, in order: a test waits for the
 * code under test to set its timer ({@link #next()}) before it moves time, instead of sleeping. {@link #nanoTime()} is
 * the same fake time as a monotonic clock, for the code that measures (a session's clock, a turn's budget).
 */
public final class RecordingTimers implements Scheduler {
    private final ManualScheduler inner = new ManualScheduler();
    private final Instant start = inner.now();
    private final BlockingQueue<Duration> delays = new LinkedBlockingQueue<>();

    @Override
    public Instant now() {
        return inner.now();
    }

    @Override
    public ZoneId zone() {
        return inner.zone();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Cancellable c = inner.schedule(delay, task);
        delays.add(delay);
        return c;
    }

    /** The fake time since this scheduler was made, in nanoseconds (never 0, which traces read as "not yet"). */
    public long nanoTime() {
        return Duration.between(start, inner.now()).toNanos() + 1;
    }

    /** The delay of the next timer set, waiting (up to 10 s, a failure) until the code under test sets it. */
    public Duration next() throws InterruptedException {
        Duration d = delays.poll(10, TimeUnit.SECONDS);
        if (d == null) throw new AssertionError("no timer was set within 10 s");
        return d;
    }

    /** Timers set and not yet taken with {@link #next()}. */
    public int unseen() {
        return delays.size();
    }

    public void advance(Duration d) {
        inner.advance(d);
    }
}
