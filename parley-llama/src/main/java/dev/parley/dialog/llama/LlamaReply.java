package dev.parley.dialog.llama;

import dev.parley.dialog.DialogException;
import dev.parley.dialog.TextStream;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One reply of a {@link LlamaBrain}, streamed a token at a time. Generation starts on the first {@link #next()}, on
 * a thread of its own that hands pieces over through a queue, so {@link #close()} wakes a blocked {@code next()} at
 * once (it returns null) even while llama.cpp is still evaluating the prompt; the generation thread then cancels the
 * native generation after the token it is computing. White space before the first word is dropped.
 */
final class LlamaReply implements TextStream {

    private sealed interface Item {
    }

    private record Piece(String text) implements Item {
    }

    private record End() implements Item {
    }

    private record Failure(DialogException error) implements Item {
    }

    private static final End END = new End();

    private final LlamaBrain brain;
    private final Conversation conversation;
    private final Runnable onFinish;
    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile boolean cancelled;
    private volatile int tokens;
    private volatile long sequence;
    private Thread waiter; // guarded by `this`: the generation thread while it waits for the model
    private boolean leading = true; // only touched by the consumer

    LlamaReply(LlamaBrain brain, Conversation conversation, Runnable onFinish) {
        this.brain = brain;
        this.conversation = conversation;
        this.onFinish = onFinish;
    }

    @Override
    public String next() throws DialogException {
        if (closed) {
            return null;
        }
        if (started.compareAndSet(false, true)) {
            brain.start(this);
        }
        while (true) {
            Item item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                return null;
            }
            switch (item) {
                case Piece p -> {
                    if (closed) {
                        return null;
                    }
                    String text = leading ? p.text().stripLeading() : p.text();
                    if (!text.isEmpty()) {
                        leading = false;
                        return text;
                    }
                }
                case End e -> {
                    queue.offer(END); // later calls return null too
                    return null;
                }
                case Failure f -> {
                    closed = true;
                    throw f.error();
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            if (waiter != null) {
                waiter.interrupt(); // leave the queue for the model
            }
        }
        queue.offer(END);
        if (!started.get()) {
            finish();
        }
    }

    Conversation conversation() {
        return conversation;
    }

    boolean isClosed() {
        return closed;
    }

    // called by the generation thread

    /** The calling thread starts waiting for the model; false if the reply is closed already. */
    synchronized boolean beginWait() {
        waiter = Thread.currentThread();
        return !closed;
    }

    /** The wait is over: {@link #close()} no longer interrupts, and an interrupt it sent is cleared. */
    void endWait() {
        synchronized (this) {
            waiter = null;
        }
        Thread.interrupted();
    }

    /** The generation got the model, as the {@code n}-th since the brain was opened. */
    void started(long n) {
        sequence = n;
    }

    void generated(String text) {
        tokens++;
        if (text != null && !text.isEmpty() && !closed) {
            queue.offer(new Piece(text));
        }
    }

    void fail(DialogException error) {
        queue.offer(new Failure(error));
    }

    void cancelled() {
        cancelled = true;
    }

    void finish() {
        if (ended.compareAndSet(false, true)) {
            queue.offer(END);
            finished.countDown();
            onFinish.run();
        }
    }

    // for tests and logs

    /** How many outputs llama.cpp produced for this reply (one per token, and one that ends it). */
    int tokens() {
        return tokens;
    }

    /** When it got the model: 1 for the brain's first generation, 0 if it never did. */
    long sequence() {
        return sequence;
    }

    /** Whether the generation was cut short by {@link #close()}. */
    boolean wasCancelled() {
        return cancelled;
    }

    /** Waits until the generation thread is done with the model. */
    boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
