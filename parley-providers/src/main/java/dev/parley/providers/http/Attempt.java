package dev.parley.providers.http;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One sending of a request on the JDK client, with its own queue of what the network side tells the consumer (so
 * that signals of an abandoned attempt are never read): the {@link Response} once it began (a non-2xx one after its
 * body's first {@value HttpExchange#MAX_ERROR_BODY} bytes were read for the server's explanation), then the pieces of
 * a 2xx body as they arrive, and its end or failure. {@link #poll} enforces the first-byte and idle timeouts;
 * {@link #cancel} aborts the exchange: before the response the request's future is cancelled, after it the body
 * subscription is, and the JDK client then closes the HTTP/1.1 connection (or resets the HTTP/2 stream).
 */
final class Attempt implements HttpResponse.BodyHandler<Void> {

    /** What the network side tells the consumer. */
    sealed interface Signal {
    }

    /** The response began (for a non-2xx: its body was read). */
    record Answered(Response response) implements Signal {
    }

    /** A piece of a 2xx body, never empty. */
    record Data(byte[] bytes) implements Signal {
    }

    /** No response came, or a 2xx body broke off. */
    record Failed(Throwable error) implements Signal {
    }

    /** The 2xx body ended. */
    record Ended() implements Signal {
    }

    /** Cancelled from outside, to wake a blocked consumer. */
    record Cancelled() implements Signal {
    }

    private final HttpClient http;
    private final HttpRequest request;
    private final Duration firstByteTimeout;
    private final Duration idleTimeout;
    private final BlockingQueue<Signal> queue = new LinkedBlockingQueue<>();
    private volatile long sentAt;
    private volatile long lastRead;
    private volatile long firstByteNanos = -1;
    private volatile boolean bodyStarted;
    private volatile boolean cancelled;
    private volatile boolean ended;
    private CompletableFuture<HttpResponse<Void>> future; // guarded by this
    private Flow.Subscription subscription; // guarded by this

    Attempt(HttpClient http, HttpRequest request, Duration firstByteTimeout, Duration idleTimeout) {
        this.http = http;
        this.request = request;
        this.firstByteTimeout = firstByteTimeout;
        this.idleTimeout = idleTimeout;
    }

    synchronized void send() {
        if (cancelled) {
            return;
        }
        sentAt = System.nanoTime();
        future = http.sendAsync(request, this);
        future.whenComplete((response, error) -> {
            if (error != null) {
                offer(new Failed(error));
            }
        });
    }

    /**
     * The next signal, or null if none came within {@code maxWaitNanos}.
     *
     * @throws ApiException.TimedOut the wait for the first byte (from sending) or the next one ran out
     */
    Signal poll(long maxWaitNanos) throws InterruptedException, ApiException.TimedOut {
        Signal s = queue.poll();
        if (s != null) {
            return s;
        }
        boolean started = bodyStarted;
        long deadline = started ? lastRead + idleTimeout.toNanos() : sentAt + firstByteTimeout.toNanos();
        long wait = deadline - System.nanoTime();
        if (wait <= 0) {
            throw started
                    ? new ApiException.TimedOut(ApiException.TimedOut.Phase.STALL, idleTimeout)
                    : new ApiException.TimedOut(ApiException.TimedOut.Phase.FIRST_BYTE, firstByteTimeout);
        }
        return queue.poll(Math.min(wait, maxWaitNanos), TimeUnit.NANOSECONDS);
    }

    /** Nanoseconds from sending to the first byte of the 2xx body; -1 while none came. */
    long firstByteNanos() {
        return firstByteNanos;
    }

    /** Whether the 2xx body was read to its end. */
    boolean ended() {
        return ended;
    }

    /** Aborts the exchange; {@code wake} tells a blocked consumer (a cancel from outside). */
    void cancel(boolean wake) {
        CompletableFuture<HttpResponse<Void>> f;
        Flow.Subscription s;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            f = future;
            s = subscription;
        }
        if (wake) {
            queue.add(new Cancelled());
        }
        if (s != null) {
            s.cancel(); // the JDK client closes the connection of an unfinished body
        }
        if (f != null) {
            f.cancel(true); // before the response: aborts the exchange
        }
    }

    private void offer(Signal s) {
        if (!cancelled) {
            queue.add(s);
        }
    }

    @Override
    public HttpResponse.BodySubscriber<Void> apply(HttpResponse.ResponseInfo info) {
        if (info.statusCode() / 100 == 2) {
            offer(new Answered(new Response(info.statusCode(), info.headers(), null, null)));
            return new DataSubscriber();
        }
        return new CollectingSubscriber(info);
    }

    /** The common part of both body subscribers: demand and cancellation. */
    private abstract class Subscriber implements HttpResponse.BodySubscriber<Void> {
        @Override
        public CompletionStage<Void> getBody() {
            return CompletableFuture.completedStage(null); // the response is handed over at its headers
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            boolean cancel;
            synchronized (Attempt.this) {
                subscription = s;
                cancel = cancelled;
            }
            if (cancel) {
                s.cancel();
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (cancelled) {
                return;
            }
            if (consume(buffers)) {
                Flow.Subscription s;
                synchronized (Attempt.this) {
                    s = subscription;
                }
                s.request(1);
            }
        }

        /** Takes the bytes; false to stop reading. */
        abstract boolean consume(List<ByteBuffer> buffers);
    }

    /** Queues the pieces of a 2xx body. */
    private final class DataSubscriber extends Subscriber {
        @Override
        boolean consume(List<ByteBuffer> buffers) {
            int n = 0;
            for (ByteBuffer b : buffers) {
                n += b.remaining();
            }
            if (n == 0) {
                return true;
            }
            long now = System.nanoTime();
            if (!bodyStarted) {
                firstByteNanos = now - sentAt;
            }
            lastRead = now;
            bodyStarted = true;
            byte[] bytes = new byte[n];
            int at = 0;
            for (ByteBuffer b : buffers) {
                int r = b.remaining();
                b.get(bytes, at, r);
                at += r;
            }
            offer(new Data(bytes));
            return true;
        }

        @Override
        public void onError(Throwable error) {
            offer(new Failed(error));
        }

        @Override
        public void onComplete() {
            ended = true;
            offer(new Ended());
        }
    }

    /** Reads (the start of) an error response, to explain the failure. */
    private final class CollectingSubscriber extends Subscriber {
        private final HttpResponse.ResponseInfo info;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private boolean done;

        CollectingSubscriber(HttpResponse.ResponseInfo info) {
            this.info = info;
        }

        @Override
        boolean consume(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                int n = Math.min(b.remaining(), HttpExchange.MAX_ERROR_BODY - body.size());
                byte[] bytes = new byte[n];
                b.get(bytes);
                body.write(bytes, 0, n);
            }
            if (body.size() >= HttpExchange.MAX_ERROR_BODY) {
                deliver();
                cancel(false); // enough to explain; do not read a huge page
                return false;
            }
            return true;
        }

        @Override
        public void onError(Throwable error) {
            deliver(); // the status is what matters; whatever body came is a bonus
        }

        @Override
        public void onComplete() {
            deliver();
        }

        private void deliver() {
            if (!done) {
                done = true;
                offer(new Answered(new Response(info.statusCode(), info.headers(), body.toByteArray(), null)));
            }
        }
    }
}
