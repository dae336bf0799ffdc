package dev.parley.transport.server;

import dev.parley.transport.bridge.ClientLink;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A connection's outgoing events: a bounded queue drained by one virtual thread that writes each event and waits for
 * the socket to take it. Senders never block; a client that stops reading until the queue is full, or a write that
 * takes longer than the limit, ends the connection (close code 1008) instead of growing memory without bound.
 */
final class Outbound implements ClientLink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Outbound.class);
    private static final Message STOP = new Message("", null);
    /** The responseId that marks a close request (compared by identity); its json is the close reason. */
    private static final String CLOSE = new String("close");

    private record Message(String json, String responseId) {}

    private final Session socket;
    private final int maxQueued;
    private final long maxQueuedChars;
    private final java.util.concurrent.atomic.AtomicLong queuedChars = new java.util.concurrent.atomic.AtomicLong();
    private final long writeTimeoutMs;
    private final LinkedBlockingQueue<Message> queue = new LinkedBlockingQueue<>();
    private volatile boolean closed;
    private volatile int closeCode = 1000;

    Outbound(Session socket, String sessionId, int maxQueued, long maxQueuedChars, long writeTimeoutMs) {
        this.socket = socket;
        this.maxQueued = maxQueued;
        this.maxQueuedChars = maxQueuedChars;
        this.writeTimeoutMs = writeTimeoutMs;
        Thread.ofVirtual().name("parley-out-" + sessionId).start(() -> {
            MDC.put("session", sessionId);
            drain();
        });
    }

    @Override
    public void send(String json) {
        offer(new Message(json, null));
    }

    @Override
    public void sendAudio(String json, String responseId) {
        offer(new Message(json, responseId));
    }

    @Override
    public void discardAudio(String responseId) {
        queue.removeIf(m -> {
            if (!responseId.equals(m.responseId())) return false;
            queuedChars.addAndGet(-m.json().length());
            return true;
        });
    }

    private void offer(Message m) {
        if (closed) return;
        if (queue.size() >= maxQueued || queuedChars.get() + m.json().length() > maxQueuedChars) {
            log.warn("client is not reading: {} events ({} characters) queued; closing the connection", queue.size(), queuedChars.get());
            fail(1008, "slow client: too many events waiting to be sent");
            return;
        }
        queuedChars.addAndGet(m.json().length());
        queue.add(m);
    }

    private void drain() {
        try {
            while (true) {
                Message m = queue.take();
                if (m == STOP || !socket.isOpen()) return;
                if (m.responseId() != CLOSE) queuedChars.addAndGet(-m.json().length());
                if (m.responseId() == CLOSE) {
                    socket.close(closeCode, m.json(), Callback.NOOP);
                    return;
                }
                Callback.Completable written = new Callback.Completable();
                socket.sendText(m.json(), written);
                written.get(writeTimeoutMs, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            log.warn("a write took over {} ms; closing the connection", writeTimeoutMs);
            fail(1008, "slow client: a write timed out");
        } catch (ExecutionException e) {
            log.debug("write failed: {}", e.getCause().toString());
            fail(1011, "write failed");
        }
    }

    private void fail(int code, String reason) {
        closed = true;
        queue.clear();
        queuedChars.set(0);
        queue.add(STOP);
        try {
            socket.close(code, reason, Callback.NOOP);
        } catch (RuntimeException e) {
            socket.disconnect();
        }
    }

    @Override
    public void closeAfterSent(int code, String reason) {
        if (closed) return;
        closeCode = code;
        queue.add(new Message(reason, CLOSE));
        closed = true;
    }

    /** Stops the writer; events still queued are dropped (the connection is going away). */
    @Override
    public void close() {
        closed = true;
        queue.clear();
        queuedChars.set(0);
        queue.add(STOP);
    }
}
