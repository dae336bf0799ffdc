package dev.parley.testing;

import dev.parley.dialog.Scheduler;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link Scheduler} whose time only moves when the test calls {@link #advance}: due tasks run on the caller's
 * thread, in time order, each seeing {@link #now()} at its own due instant.
 */
public final class ManualScheduler implements Scheduler {
    private record Task(Instant due, long seq, Runnable run) {}

    private final ZoneId zone;
    private final List<Task> tasks = new ArrayList<>();
    private Instant now;
    private long seq;

    public ManualScheduler(Instant start, ZoneId zone) {
        this.now = start;
        this.zone = zone;
    }

    /** 2026-11-21 09:00 in UTC. */
    public ManualScheduler() {
        this(Instant.parse("2026-11-21T09:00:00Z"), ZoneId.of("UTC"));
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public ZoneId zone() {
        return zone;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        Task t = new Task(now.plus(delay.isNegative() ? Duration.ZERO : delay), seq++, task);
        tasks.add(t);
        return () -> {
            synchronized (ManualScheduler.this) {
                tasks.remove(t);
            }
        };
    }

    /** Tasks not yet run. */
    public synchronized int pending() {
        return tasks.size();
    }

    /** Moves time forward by {@code d}, running every task that falls due on the way. */
    public void advance(Duration d) {
        Instant end;
        synchronized (this) {
            end = now.plus(d);
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> !t.due().isAfter(end))
                        .min(Comparator.comparing(Task::due).thenComparingLong(Task::seq)).orElse(null);
                if (next == null) {
                    now = end;
                    return;
                }
                tasks.remove(next);
                now = next.due();
            }
            next.run().run();
        }
    }
}
