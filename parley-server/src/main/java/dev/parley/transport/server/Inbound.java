package dev.parley.transport.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.ObjLongConsumer;

/**
 * A connection's incoming events: stamped with their arrival time as the socket delivers them, then handled one at a
 * time, in order, by one virtual thread. Listening (VAD, STT) thus never holds up reading the socket, so an event's
 * timestamp is when it arrived, not when the audio before it was done; when the queue is full the socket's thread
 * waits, and TCP slows the client down.
 */
final class Inbound implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Inbound.class);
    private static final Event STOP = new Event(null, 0);

    private record Event(String text, long receivedNanos) {}

    private final BlockingQueue<Event> queue;
    private final Thread reader;

    Inbound(String sessionId, int capacity, ObjLongConsumer<String> handler) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.reader = Thread.ofVirtual().name("parley-in-" + sessionId).start(() -> {
            MDC.put("session", sessionId);
            try {
                for (Event e; (e = queue.take()) != STOP; ) {
                    try {
                        handler.accept(e.text(), e.receivedNanos());
                    } catch (RuntimeException ex) {
                        log.warn("event handling failed", ex);
                    }
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Queues an event as it arrives; waits while the queue is full. */
    void accept(String text) throws InterruptedException {
        queue.put(new Event(text, System.nanoTime()));
    }

    /** Stops after the events already queued are dropped (the connection is gone). */
    @Override
    public void close() {
        queue.clear();
        if (!queue.offer(STOP)) reader.interrupt();
    }

    /** Waits for the reader to end (after {@link #close()}). */
    boolean awaitEnd(long millis) throws InterruptedException {
        return reader.join(java.time.Duration.ofMillis(millis));
    }
}
