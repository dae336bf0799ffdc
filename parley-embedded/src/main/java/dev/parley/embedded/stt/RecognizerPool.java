package dev.parley.embedded.stt;

import org.vosk.Recognizer;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Vosk recognizers kept between utterances, so that each keeps the decoding graph it has composed. The most recently
 * used is taken first (its cache is the warmest); at most {@code maxIdle} are kept, the rest are closed, so memory
 * follows the number of utterances heard at once, not the number of sessions.
 */
final class RecognizerPool implements AutoCloseable {
    /**
     * Idle recognizers kept: two per core, about the utterances a loaded server hears at once (8 sessions on 2 cores:
     * one per core kept gave p95 1374 ms, two per core 1096 ms). A warm recognizer holds what it composed, which grows
     * with the words it has heard (about 50 MB after a few utterances, 145 MB after the whole corpus), so keeping more
     * would cost more memory than the CPU it saves.
     */
    static final int DEFAULT_IDLE = 2 * Runtime.getRuntime().availableProcessors();

    interface Factory {
        Recognizer create() throws IOException;
    }

    private final Factory factory;
    private final int maxIdle;
    private final Deque<Recognizer> idle = new ArrayDeque<>();
    private boolean closed;

    RecognizerPool(Factory factory, int maxIdle) {
        if (maxIdle < 0) throw new IllegalArgumentException("maxIdle " + maxIdle);
        this.factory = factory;
        this.maxIdle = maxIdle;
    }

    /** A recognizer with no utterance in it: a kept one, or a new one. */
    Recognizer take() throws IOException {
        synchronized (this) {
            if (closed) throw new IllegalStateException("the recognizer is closed");
            Recognizer r = idle.pollFirst();
            if (r != null) return r;
        }
        return factory.create();
    }

    /** Keeps {@code r} (which holds no utterance) for the next one, or closes it when enough are kept. */
    void giveBack(Recognizer r) {
        synchronized (this) {
            if (!closed && idle.size() < maxIdle) {
                idle.addFirst(r);
                return;
            }
        }
        r.close();
    }

    synchronized int idle() {
        return idle.size();
    }

    @Override
    public void close() {
        Deque<Recognizer> left;
        synchronized (this) {
            closed = true;
            left = new ArrayDeque<>(idle);
            idle.clear();
        }
        left.forEach(Recognizer::close);
    }
}
