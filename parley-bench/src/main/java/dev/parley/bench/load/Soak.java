package dev.parley.bench.load;

import dev.parley.bench.ProcStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * {@code N} callers held on a server for a long while, with the server process and the callers' latency sampled every
 * interval, so that a slow leak (memory, threads, sockets) or a slow-down shows as a rising line: what a load test
 * of 30 s cannot see. The callers are the load test's ({@link LoadTest}, one step as long as the soak: each keeps its
 * socket from start to end, reconnecting only when one is lost); this adds the sampling.
 */
public final class Soak {
    private Soak() {
    }

    /**
     * What a soak ran and what it saw.
     *
     * @param intervals one per sampling interval, in order
     * @param step      the whole run as the load test sums it up (turns, errors, latencies over all intervals)
     */
    public record Result(List<SoakInterval> intervals, LoadTest.Step step) {}

    /**
     * Runs the soak, handing each interval to {@code each} as it ends.
     *
     * @param serverPid the process whose {@code /proc} figures are sampled
     */
    public static Result run(LoadTest.Target target, long serverPid, int sessions, Duration length, Duration interval,
                             Consumer<String> notes, Consumer<SoakInterval> each) throws InterruptedException {
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("the interval must be positive");
        StepRecorder recorder = new StepRecorder();
        AtomicReference<LoadTest.Step> step = new AtomicReference<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        long start = System.nanoTime();
        Thread load = Thread.ofPlatform().name("soak-callers").start(() -> {
            try {
                step.set(LoadTest.run(target, sessions, length, notes, recorder));
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        List<SoakInterval> intervals = new ArrayList<>();
        long turns = 0, errors = 0;
        try {
            long count = Math.max(1, (length.toNanos() + interval.toNanos() - 1) / interval.toNanos());
            for (long k = 1; k <= count && failed.get() == null; k++) {
                long due = start + Math.min(k * interval.toNanos(), length.toNanos());
                for (long left; (left = due - System.nanoTime()) > 0; ) TimeUnit.NANOSECONDS.sleep(left);
                long t = recorder.turns(), e = recorder.errors();
                SoakInterval i = new SoakInterval((System.nanoTime() - start) / 1e9, t - turns, e - errors, recorder.intervalEndToEnd(),
                        ProcStatus.sample(serverPid));
                turns = t;
                errors = e;
                intervals.add(i);
                each.accept(i);
            }
            load.join();
        } finally {
            if (load.isAlive()) {
                load.interrupt();
                load.join(Duration.ofSeconds(30));
            }
        }
        if (failed.get() != null) throw new IllegalStateException("the callers failed: " + failed.get(), failed.get());
        return new Result(List.copyOf(intervals), step.get());
    }

    /** Each line of a soak judged ({@link Flatness}), in the order of the table. */
    public static List<Flatness> summary(List<SoakInterval> intervals, int warmup, double tolerance) {
        return List.of(
                Flatness.judge("server rss MB", values(intervals, i -> i.server().rssMb()), warmup, tolerance, 0),
                Flatness.judge("server threads", values(intervals, i -> count(i.server().threads())), warmup, tolerance, 2),
                Flatness.judge("server open fds", values(intervals, i -> count(i.server().fds())), warmup, tolerance, 4),
                Flatness.judge("p95 first audio ms", values(intervals, i -> i.firstAudio().p95()), warmup, tolerance, 0));
    }

    private static double count(long n) {
        return n < 0 ? Double.NaN : n;
    }

    private static List<Double> values(List<SoakInterval> intervals, java.util.function.ToDoubleFunction<SoakInterval> f) {
        return intervals.stream().map(f::applyAsDouble).toList();
    }
}
