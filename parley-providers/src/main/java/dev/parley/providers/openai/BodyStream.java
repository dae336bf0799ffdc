package dev.parley.providers.openai;

import dev.parley.providers.http.ApiException;
import dev.parley.providers.http.HttpErrors;
import dev.parley.providers.http.Redactor;
import dev.parley.providers.http.RetryPolicy;
import dev.parley.providers.http.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The body of one HTTP response, pulled piece by piece as raw bytes as it arrives: what {@code SseStream} does for
 * event streams, for bodies that are not (the JSON transcription, the PCM audio of text to speech, the model list),
 * with the same failure handling:
 *
 * <ul>
 *   <li><b>Lazy.</b> The request is sent on the first {@link #next}.</li>
 *   <li><b>Retries only before the response began.</b> A refused or reset connection, a 408, 429 or 5xx is tried
 *       again per the {@link RetryPolicy}, honouring {@code Retry-After} / {@code retry-after-ms}; once a 2xx
 *       response began, any failure is final, so nothing is ever received (or spoken) twice.</li>
 *   <li><b>Timeouts.</b> The first byte of a 2xx body must come within the first-byte timeout of sending, each later
 *       one within the idle timeout of the one before; otherwise {@link ApiException.TimedOut} and the exchange is
 *       aborted. The connect timeout is the {@link HttpClient}'s.</li>
 *   <li><b>Real cancellation.</b> {@link #close()} from any thread, or the {@code cancelled} condition given to
 *       {@link #next} (checked every {@value #POLL_MILLIS} ms while waiting), aborts the exchange: before the
 *       response the request's future is cancelled, after it the body subscription is, and the JDK client then
 *       closes the HTTP/1.1 connection (or resets the HTTP/2 stream), so the server sees it.</li>
 * </ul>
 *
 * <p>Error responses are read (their first {@value #MAX_ERROR_BODY} bytes) and turned into an {@link ApiException}
 * by {@link HttpErrors}, with the secrets redacted. Pieces of a 2xx body are queued as the network delivers them
 * (the bodies read here are bounded by the server: one phrase of audio, one transcript, one model list; callers
 * that collect a body whole cap it with {@link #readAll}). One consumer thread; {@link #close()} from any thread.
 * It could move to {@code providers.http} beside {@code SseStream} for other providers' non-SSE bodies.
 */
final class BodyStream implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BodyStream.class);
    static final int MAX_ERROR_BODY = 64 * 1024;
    static final long POLL_MILLIS = 20;

    private sealed interface Signal {
    }

    /** A 2xx response began. */
    private record Opened(HttpHeaders headers) implements Signal {
    }

    private record Data(byte[] bytes) implements Signal {
    }

    /** A non-2xx response, with (the start of) its body. */
    private record Failure(int status, HttpHeaders headers, byte[] body) implements Signal {
    }

    /** An exception; {@code afterOpen} when a 2xx response had begun. */
    private record Failed(Throwable error, boolean afterOpen) implements Signal {
    }

    private record Ended() implements Signal {
    }

    private record Cancelled() implements Signal {
    }

    private final HttpClient http;
    private final HttpRequest request;
    private final Duration firstByteTimeout;
    private final Duration idleTimeout;
    private final RetryPolicy retry;
    private final Secret[] secrets;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Object lock = new Object();
    private volatile boolean closed;
    private volatile Attempt attempt;

    // the consumer thread's
    private volatile HttpHeaders headers;
    private volatile int attempts;
    private volatile long firstByteNanos = -1;
    private boolean finished;
    private Duration waited = Duration.ZERO;

    BodyStream(HttpClient http, HttpRequest request, Duration firstByteTimeout, Duration idleTimeout,
               RetryPolicy retry, Secret... secrets) {
        this.http = Objects.requireNonNull(http, "http");
        this.request = Objects.requireNonNull(request, "request");
        this.firstByteTimeout = Objects.requireNonNull(firstByteTimeout, "firstByteTimeout");
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.secrets = secrets.clone();
    }

    /**
     * The next piece of the 2xx body (never empty), blocking until it arrives; null at the end of the body, once
     * closed, or once {@code cancelled} returned true (which closes the stream).
     *
     * @throws ApiException the request failed (after any retries), timed out, or the body broke off; the exchange
     *                      is aborted first
     */
    byte[] next(BooleanSupplier cancelled) throws ApiException {
        try {
            while (!closed && !finished) {
                if (cancelled.getAsBoolean()) {
                    close();
                    return null;
                }
                Attempt a = attempt;
                if (a == null) {
                    a = start();
                    if (a == null) {
                        return null;
                    }
                }
                Signal signal = a.poll();
                switch (signal) {
                    case null -> {
                        // nothing yet: look at cancelled again
                    }
                    case Data d -> {
                        return d.bytes();
                    }
                    case Opened o -> headers = o.headers();
                    case Ended e -> finished = true;
                    case Cancelled c -> {
                        return null;
                    }
                    case Failure f -> {
                        a.cancel(false);
                        retryOrThrow(HttpErrors.fromResponse(f.status(), f.headers(), f.body(), Instant.now(),
                                secrets), cancelled);
                    }
                    case Failed f -> {
                        if (closed) {
                            return null;
                        }
                        if (f.afterOpen()) {
                            throw new ApiException.StreamFailed(ApiException.StreamFailed.Reason.DROPPED,
                                    "connection lost (" + HttpErrors.unwrap(f.error()).getClass().getSimpleName()
                                            + ")", f.error());
                        }
                        retryOrThrow(HttpErrors.fromSendFailure(f.error(), connectTimeout()), cancelled);
                    }
                }
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            return null;
        } catch (ApiException e) {
            Attempt a = attempt;
            if (a != null) {
                a.cancel(false);
            }
            finished = true;
            if (closed) {
                return null; // the failure is the cancellation itself
            }
            throw e;
        }
    }

    /** {@link #next(BooleanSupplier)} with no condition but {@link #close()}. */
    byte[] next() throws ApiException {
        return next(() -> false);
    }

    /**
     * The whole rest of the 2xx body, at most {@code limit} bytes; null once closed.
     *
     * @throws ApiException as {@link #next}, or {@link ApiException.StreamFailed} ({@code MALFORMED}) when the body
     *                      is longer than {@code limit}
     */
    byte[] readAll(int limit) throws ApiException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] piece;
        while ((piece = next()) != null) {
            if (out.size() + piece.length > limit) {
                close();
                throw new ApiException.StreamFailed(ApiException.StreamFailed.Reason.MALFORMED,
                        "the response was longer than " + limit + " bytes", null);
            }
            out.write(piece, 0, piece.length);
        }
        return closed ? null : out.toByteArray();
    }

    /** The headers of the 2xx response, once it began; null before. */
    HttpHeaders headers() {
        return headers;
    }

    /**
     * Nanoseconds from sending the request (the attempt that was answered) to the first byte of its 2xx body, or
     * -1 while no byte came.
     */
    long firstByteNanos() {
        return firstByteNanos;
    }

    /** How many times the request was sent so far. */
    int attempts() {
        return attempts;
    }

    boolean isClosed() {
        return closed;
    }

    /** Cancels the exchange (see the class comment). Idempotent, any thread. */
    @Override
    public void close() {
        Attempt a;
        synchronized (lock) {
            closed = true;
            a = attempt;
        }
        closing.countDown();
        if (a != null) {
            a.cancel(true);
        }
    }

    private Duration connectTimeout() {
        return http.connectTimeout().orElse(Duration.ZERO);
    }

    private Attempt start() {
        Attempt a;
        synchronized (lock) {
            if (closed) {
                return null;
            }
            a = new Attempt();
            attempt = a;
        }
        attempts++;
        if (log.isDebugEnabled()) {
            log.debug("{} {} (attempt {})", request.method(), Redactor.redactUrl(request.uri()), attempts);
        }
        a.send();
        return a;
    }

    /** Waits and lets the loop send again, or throws {@code failure}. */
    private void retryOrThrow(ApiException failure, BooleanSupplier cancelled)
            throws ApiException, InterruptedException {
        int done = attempts - 1;
        if (!failure.retryable() || done >= retry.maxRetries()) {
            throw failure;
        }
        Duration delay = failure.retryAfter().orElse(retry.backoff(done));
        if (waited.plus(delay).compareTo(retry.maxTotalWait()) > 0) {
            throw failure;
        }
        log.info("{} failed ({}); retry {} of {} in {} ms", Redactor.redactUrl(request.uri()),
                Redactor.redact(failure.getMessage(), secrets), done + 1, retry.maxRetries(), delay.toMillis());
        synchronized (lock) {
            attempt = null;
        }
        long until = System.nanoTime() + delay.toNanos();
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            if (cancelled.getAsBoolean()) {
                close();
                return;
            }
            if (closing.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)), TimeUnit.NANOSECONDS)) {
                return;
            }
        }
        waited = waited.plus(delay);
    }

    /** One sending of the request, with its own queue so that signals of an abandoned attempt are never read. */
    private final class Attempt implements HttpResponse.BodyHandler<Void> {
        private final BlockingQueue<Signal> queue = new LinkedBlockingQueue<>();
        private volatile long sentAt;
        private volatile long lastRead;
        private volatile boolean bodyStarted;
        private volatile boolean cancelled;
        private CompletableFuture<HttpResponse<Void>> future; // guarded by this
        private Flow.Subscription subscription; // guarded by this

        synchronized void send() {
            if (cancelled) {
                return;
            }
            sentAt = System.nanoTime();
            future = http.sendAsync(request, this);
            future.whenComplete((response, error) -> {
                if (error != null) {
                    offer(new Failed(error, false));
                }
            });
        }

        /**
         * The next signal, or null if none came within {@value #POLL_MILLIS} ms; a timeout once the wait for the
         * first or next byte ran out.
         */
        Signal poll() throws InterruptedException, ApiException.TimedOut {
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
            return queue.poll(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)), TimeUnit.NANOSECONDS);
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

        void offer(Signal s) {
            if (!cancelled) {
                queue.add(s);
            }
        }

        @Override
        public HttpResponse.BodySubscriber<Void> apply(HttpResponse.ResponseInfo info) {
            if (info.statusCode() / 100 == 2) {
                offer(new Opened(info.headers()));
                return new DataSubscriber();
            }
            return new CollectingSubscriber(info.statusCode(), info.headers());
        }

        /** The common part of both body subscribers: demand, timestamps and cancellation. */
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
                offer(new Failed(error, true));
            }

            @Override
            public void onComplete() {
                offer(new Ended());
            }
        }

        /** Reads (the start of) an error response, to explain the failure. */
        private final class CollectingSubscriber extends Subscriber {
            private final int status;
            private final HttpHeaders headers;
            private final ByteArrayOutputStream body = new ByteArrayOutputStream();
            private boolean done;

            CollectingSubscriber(int status, HttpHeaders headers) {
                this.status = status;
                this.headers = headers;
            }

            @Override
            boolean consume(List<ByteBuffer> buffers) {
                for (ByteBuffer b : buffers) {
                    int n = Math.min(b.remaining(), MAX_ERROR_BODY - body.size());
                    byte[] bytes = new byte[n];
                    b.get(bytes);
                    body.write(bytes, 0, n);
                }
                if (body.size() >= MAX_ERROR_BODY) {
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
                    offer(new Failure(status, headers, body.toByteArray()));
                }
            }
        }
    }
}
