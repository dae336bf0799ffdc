package dev.parley.providers.http;

import java.net.ProtocolException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The events of one streamed {@code text/event-stream} response, pulled one at a time by one consumer thread: an
 * {@link SseParser} on top of an {@link HttpExchange}, which does the sending, retries, timeouts (a server's
 * keep-alive comments count as bytes, so they keep the stream alive) and cancellation. A 2xx response that is not an
 * event stream is refused by {@link EventStreamCheck} in the exchange's chain.
 */
public final class SseStream implements AutoCloseable {
    /** How long {@link #release()} lets an unfinished body end by itself before cutting it. */
    static final Duration RELEASE_GRACE = HttpExchange.RELEASE_GRACE;

    private final HttpExchange exchange;
    private final Deque<SseEvent> ready = new ArrayDeque<>();
    private final SseParser parser = new SseParser(ready::add);
    private boolean released;

    SseStream(HttpExchange exchange) {
        this.exchange = exchange;
    }

    /**
     * The events of {@code exchange}, whose body turned out to be an event stream after its {@code first} piece was
     * read (an endpoint that answers JSON or events, as its server chooses).
     *
     * @throws ApiException {@code first} is not a valid start of an event stream
     */
    public static SseStream over(HttpExchange exchange, byte[] first) throws ApiException {
        SseStream stream = new SseStream(exchange);
        stream.feed(first);
        return stream;
    }

    /**
     * The next event, blocking until it arrives; null at the end of the response or once the stream is closed.
     *
     * @throws ApiException the request failed (after any retries), timed out, or the response broke off or was
     *                      malformed; the exchange is aborted first
     */
    public SseEvent next() throws ApiException {
        while (!released && !exchange.isClosed()) {
            SseEvent event = ready.poll();
            if (event != null) {
                return event;
            }
            byte[] piece = exchange.next();
            if (piece == null) {
                if (exchange.isClosed() || released) {
                    return null;
                }
                parser.finish(); // the end of the body dispatches an unfinished event
                released = true;
                return ready.poll();
            }
            feed(piece);
        }
        return null;
    }

    private void feed(byte[] piece) throws ApiException {
        try {
            parser.feed(piece, 0, piece.length);
        } catch (ProtocolException e) {
            exchange.close();
            throw new ApiException.StreamFailed(ApiException.StreamFailed.Reason.MALFORMED, e.getMessage(), e);
        }
    }

    /**
     * The caller has all it needs (the protocol's own end marker came): {@link #next()} returns null from now on,
     * and the body is {@linkplain HttpExchange#release() released}. Call it from the consumer thread.
     */
    public void release() {
        released = true;
        exchange.release();
    }

    /** Whether a 2xx event-stream response has begun (from then on nothing is retried). */
    public boolean opened() {
        return exchange.opened();
    }

    /** How many times the request was sent so far. */
    public int attempts() {
        return exchange.attempts();
    }

    /** Cancels the exchange (see {@link HttpExchange}). Idempotent, any thread. */
    @Override
    public void close() {
        exchange.close();
    }
}
