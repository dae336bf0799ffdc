package dev.parley.embedded.stt;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Vosk recognizers kept between utterances, so that each keeps the decoding graph it has composed. The most recently
 * used is taken first (its cache is the warmest); at most {@code maxIdle} are kept and the rest closed, so memory
 * follows the number of utterances heard at once, not the number of sessions; and one left unused for
 * {@code keepFor} is closed when the pool is next used (the last one is always kept, so the next turn starts warm).
 *
 * @param <T> what is kept (a Vosk {@code Recognizer}; anything in the tests)
 */
final class RecognizerPool<T> implements AutoCloseable {
    /**
     * Idle recognizers kept: two per core, about the utterances a loaded server hears at once (8 sessions on 2 cores:
     * one per core kept gave p95 1374 ms, two per core 1096 ms). A warm recognizer holds what it composed, which grows
     * with the words it has heard (about 50 MB after a few utterances, 145 MB after the whole corpus), so keeping more
     * would cost more memory than the CPU it saves.
     */
    static final int DEFAULT_IDLE = 2 * Runtime.getRuntime().availableProcessors();

    /** How long a recognizer beyond the last one is kept unused: a burst's extra recognizers give memory back. */
    static final Duration DEFAULT_KEEP_FOR = Duration.ofMinutes(5);

    interface Factory<T> {
        T create() throws IOException;
    }

    private record Kept<T>(T item, long since) {}

    private final Factory<T> factory;
    private final Consumer<T> closer;
    private final int maxIdle;
    private final long keepForNanos;
    private final LongSupplier clock;
    /** Most recently given back first. */
    private final Deque<Kept<T>> idle = new ArrayDeque<>();
    private boolean closed;

    RecognizerPool(Factory<T> factory, Consumer<T> closer, int maxIdle, Duration keepFor, LongSupplier clock) {
        if (maxIdle < 0) throw new IllegalArgumentException("maxIdle " + maxIdle);
        this.factory = factory;
        this.closer = closer;
        this.maxIdle = maxIdle;
        this.keepForNanos = keepFor.toNanos();
        this.clock = clock;
    }

    /** A recognizer with no utterance in it: the most recently kept one, or a new one. */
    T take() throws IOException {
        List<T> stale;
        T kept;
        synchronized (this) {
            if (closed) throw new IllegalStateException("the recognizer is closed");
            stale = dropStale();
            Kept<T> k = idle.pollFirst();
            kept = k == null ? null : k.item();
        }
        stale.forEach(closer);
        return kept != null ? kept : factory.create();
    }

    /** Keeps {@code r} (which holds no utterance) for the next one, or closes it when enough are kept. */
    void giveBack(T r) {
        List<T> out = new ArrayList<>();
        synchronized (this) {
            if (closed || maxIdle == 0) {
                out.add(r);
            } else {
                idle.addFirst(new Kept<>(r, clock.getAsLong()));
                while (idle.size() > maxIdle) out.add(idle.pollLast().item());
                out.addAll(dropStale());
            }
        }
        out.forEach(closer);
    }

    synchronized int idle() {
        return idle.size();
    }

    /** Takes out the kept ones unused for longer than keepFor, the oldest first, leaving at least one. */
    private List<T> dropStale() {
        List<T> stale = new ArrayList<>();
        long now = clock.getAsLong();
        while (idle.size() > 1 && now - idle.peekLast().since() > keepForNanos) stale.add(idle.pollLast().item());
        return stale;
    }

    @Override
    public void close() {
        List<T> left = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.forEach(k -> left.add(k.item()));
            idle.clear();
        }
        left.forEach(closer);
    }
}
