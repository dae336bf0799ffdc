package dev.parley.transport.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.function.ObjLongConsumer;

/**
 * A connection's incoming events: stamped with their arrival time as the socket delivers them, then handled one at a
 * time, in order, by one virtual thread. Listening (VAD, STT) thus never holds up reading the socket, so an event's
 * timestamp is when it arrived, not when the audio before it was done; when the queue is full (in events, or in
 * characters: the events queued and the one being handled together hold at most {@code maxChars}) the socket's thread
 * waits, and TCP slows the client down. Nothing an event does ends the thread: a failure is logged and the next event
 * is handled.
 */
final class Inbound implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Inbound.class);
    private static final Event STOP = new Event(null, 0, null);

    /** A text message, or an action to run in order with them (an answer to a message that is not queued). */
    private record Event(String text, long receivedNanos, Runnable action) {}

    private final BlockingQueue<Event> queue;
    private final Semaphore chars;
    private final int maxChars;
    private final Thread reader;
    private volatile boolean closed;

    Inbound(String sessionId, int capacity, int maxChars, ObjLongConsumer<String> handler) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxChars = maxChars;
        this.chars = new Semaphore(maxChars);
        this.reader = Thread.ofVirtual().name("parley-in-" + sessionId).start(() -> {
            MDC.put("session", sessionId);
            try {
                for (Event e; (e = queue.take()) != STOP; ) {
                    try {
                        if (e.action() != null) e.action().run();
                        else handler.accept(e.text(), e.receivedNanos());
                    } catch (Throwable ex) { // an Error too: this thread is the session's only reader
                        log.error("event handling failed", ex);
                    } finally {
                        if (e.text() != null) chars.release(weight(e.text()));
                    }
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private int weight(String text) {
        return Math.min(maxChars, text.length());
    }

    /** Queues an event as it arrives; waits while the queue is full. */
    void accept(String text) throws InterruptedException {
        long received = System.nanoTime();
        chars.acquire(weight(text));
        if (closed) return;
        queue.put(new Event(text, received, null));
    }

    /** Queues {@code action} to run after the events already queued, on the reader's thread. */
    void run(Runnable action) throws InterruptedException {
        if (!closed) queue.put(new Event(null, System.nanoTime(), action));
    }

    /** Stops after the events already queued are dropped (the connection is gone). */
    @Override
    public void close() {
        closed = true;
        chars.release(maxChars); // a socket thread waiting for room goes on (and queues nothing)
        queue.clear();
        if (!queue.offer(STOP)) reader.interrupt();
    }

    /** Waits for the reader to end (after {@link #close()}). */
    boolean awaitEnd(long millis) throws InterruptedException {
        return reader.join(java.time.Duration.ofMillis(millis));
    }
}
