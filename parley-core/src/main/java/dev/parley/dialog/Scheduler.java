package dev.parley.dialog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Wall-clock time and delayed tasks for brains (timers, reminders, "are you still there?"). Tests use a manual
 * implementation that moves time by hand ({@code dev.parley.testing.ManualScheduler}).
 */
public interface Scheduler {

    /** The current instant. */
    Instant now();

    /** The clock's time zone: the user's, for spoken times and dates. */
    java.time.ZoneId zone();

    /** Runs {@code task} once after {@code delay} (at once for zero or negative). The returned handle cancels it. */
    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduled task. */
    interface Cancellable {
        /** Stops the task if it has not run yet; harmless otherwise. */
        void cancel();
    }

    /** The system clock in the given zone, tasks run on one shared daemon thread per scheduler. */
    static Scheduler system(Clock clock) {
        return new SystemScheduler(clock);
    }

    /** {@link #system(Clock)} on the default time zone's clock. */
    static Scheduler system() {
        return system(Clock.systemDefaultZone());
    }

    /** The real scheduler. */
    final class SystemScheduler implements Scheduler {
        private static final ScheduledExecutorService EXECUTOR = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-dialog-scheduler");
            t.setDaemon(true);
            return t;
        });

        private final Clock clock;

        private SystemScheduler(Clock clock) {
            this.clock = clock;
        }

        @Override
        public Instant now() {
            return clock.instant();
        }

        @Override
        public java.time.ZoneId zone() {
            return clock.getZone();
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            // run the task itself on a virtual thread, so a slow task never delays the others
            ScheduledFuture<?> f = EXECUTOR.schedule(() -> Thread.ofVirtual().name("parley-dialog-task").start(task),
                    Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        }
    }
}
