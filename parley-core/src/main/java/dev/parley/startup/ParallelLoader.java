package dev.parley.startup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Loads the parts of a process (engines, models, brains) at the same time, each on a virtual thread of its own, so
 * start-up costs the slowest part rather than their sum. Parts are {@link #add added}, then {@link #run} starts them
 * all and waits: the first part to fail cancels the others (their threads are interrupted) and is reported by name.
 * Single use; not thread-safe before {@link #run}.
 */
public final class ParallelLoader {
    private final LoadProgress progress;
    private final List<Part<?>> parts = new ArrayList<>();
    private boolean ran;

    public ParallelLoader(LoadProgress progress) {
        this.progress = progress;
    }

    /** Why loading failed: {@link #part()} names the part, the message is one line a user can act on. */
    public static final class LoadFailure extends Exception {
        private final String part;

        LoadFailure(String part, String message, Throwable cause) {
            super(message, cause);
            this.part = part;
        }

        /** The part that failed first. */
        public String part() {
            return part;
        }
    }

    /** What a part gave, once {@link #run} has returned. */
    public static final class Part<T> {
        private final String name;
        private final Callable<T> load;
        private volatile T value;
        private volatile boolean done;

        private Part(String name, Callable<T> load) {
            this.name = name;
            this.load = load;
        }

        public String name() {
            return name;
        }

        /** The loaded value; only after {@link ParallelLoader#run} returned normally. */
        public T get() {
            if (!done) throw new IllegalStateException(name + " is not loaded");
            return value;
        }
    }

    /** A part to load, named for the progress lines and for the error when it fails. */
    public <T> Part<T> add(String name, Callable<T> load) {
        if (ran) throw new IllegalStateException("already run");
        Part<T> p = new Part<>(name, load);
        parts.add(p);
        return p;
    }

    /** The names of the parts added so far, in order. */
    public List<String> names() {
        return parts.stream().map(Part::name).toList();
    }

    /**
     * Loads every part at once and waits for them all; returns the milliseconds from start to the last one.
     *
     * @throws LoadFailure the first part that failed ({@code "Vosk could not start: …"}), the others cancelled
     */
    public long run() throws LoadFailure, InterruptedException {
        if (ran) throw new IllegalStateException("already run");
        ran = true;
        long t0 = System.nanoTime();
        progress.loading(names());
        Map<String, Long> times = new LinkedHashMap<>();
        AtomicReference<LoadFailure> failure = new AtomicReference<>();
        CountDownLatch over = new CountDownLatch(parts.size());
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (Part<?> part : parts) {
                pool.submit(() -> {
                    try {
                        load(part, t0, times);
                        over.countDown();
                    } catch (Throwable e) {
                        failure.compareAndSet(null, failureOf(part.name, e));
                        while (over.getCount() > 0) over.countDown(); // the first failure ends the wait
                    }
                });
            }
            over.await();
        } finally {
            // on success every part is done; on a failure or an interrupt the others are interrupted and not waited for
            pool.shutdownNow();
        }
        if (failure.get() != null) throw failure.get();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        synchronized (times) {
            progress.ready(millis, new LinkedHashMap<>(times));
        }
        return millis;
    }

    private <T> void load(Part<T> part, long t0, Map<String, Long> times) throws Exception {
        part.value = part.load.call();
        part.done = true;
        long ms = (System.nanoTime() - t0) / 1_000_000;
        synchronized (times) {
            times.put(part.name, ms);
            progress.loaded(part.name, ms);
        }
    }

    private static LoadFailure failureOf(String part, Throwable e) {
        Throwable c = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        String why = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
        return new LoadFailure(part, part + " could not start: " + why, c);
    }
}
