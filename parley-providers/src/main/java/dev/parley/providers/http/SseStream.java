package dev.parley.providers.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.net.ProtocolException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The events of one streamed HTTP response, pulled one at a time by one consumer thread, with the failure handling
 * a spoken reply needs:
 *
 * <ul>
 *   <li><b>Lazy.</b> The request is sent on the first {@link #next()}.</li>
 *   <li><b>Retries only before the response began.</b> A refused or reset connection, a 408, 429 or 5xx is tried
 *       again per the {@link RetryPolicy} (honouring {@code Retry-After}); once a 2xx response started, any failure
 *       is final, so nothing is ever received twice.</li>
 *   <li><b>Timeouts.</b> The first byte of the response body must come within the first-byte timeout of sending,
 *       and each later byte within the idle timeout of the one before (comments and partial lines count: a server's
 *       keep-alives keep the stream alive); otherwise {@link ApiException.TimedOut} and the exchange is aborted.</li>
 *   <li><b>Real cancellation.</b> {@link #close()}, from any thread, cancels the exchange: before the response, the
 *       request's future is cancelled; after, the body subscription is cancelled, which makes the JDK client close
 *       the HTTP/1.1 connection (or reset the HTTP/2 stream), so the server sees it and stops generating. A
 *       {@code next()} blocked meanwhile returns null at once.</li>
 * </ul>
 *
 * <p>The bytes are parsed as they arrive by an {@link SseParser} on the HTTP client's thread and queued; the
 * consumer blocks on that queue. An error response's body (its first {@value SseClient#MAX_ERROR_BODY} bytes) is
 * read for the server's explanation and turned into an {@link ApiException} by {@link HttpErrors}.
 */
public final class SseStream implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SseStream.class);
    /** How long {@link #release()} lets an unfinished body end by itself before cutting it. */
    static final Duration RELEASE_GRACE = Duration.ofSeconds(2);

    /** What the network side tells the consumer. */
    private sealed interface Signal {
    }

    /** A 2xx event-stream response began. */
    private record Opened() implements Signal {
    }

    private record Event(SseEvent event) implements Signal {
    }

    /** A response that is not a 2xx event stream, with (the start of) its body. */
    private record Failure(int status, HttpHeaders headers, byte[] body) implements Signal {
    }

    /** An exception; {@code afterOpen} when a 2xx response had begun. */
    private record Failed(Throwable error, boolean afterOpen) implements Signal {
    }

    private record Ended() implements Signal {
    }

    private record Cancelled() implements Signal {
    }

    private final SseClient client;
    private final HttpRequest request;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Object lock = new Object();
    private volatile boolean closed;
    private volatile Attempt attempt;

    // written by the consumer thread only
    private volatile boolean opened;
    private volatile int attempts;
    private boolean finished;
    private Duration waited = Duration.ZERO;

    SseStream(SseClient client, HttpRequest request) {
        this.client = client;
        this.request = request;
    }

    /**
     * The next event, blocking until it arrives; null at the end of the response or once the stream is closed.
     *
     * @throws ApiException the request failed (after any retries), timed out, or the response broke off or was
     *                      malformed; the exchange is aborted first
     */
    public SseEvent next() throws ApiException {
        try {
            while (!closed && !finished) {
                Attempt a = attempt;
                if (a == null) {
                    a = start();
                    if (a == null) {
                        return null;
                    }
                }
                Signal signal = a.poll();
                switch (signal) {
                    case Event e -> {
                        return e.event();
                    }
                    case Opened o -> opened = true;
                    case Ended e -> finished = true;
                    case Cancelled c -> {
                        return null;
                    }
                    case Failure f -> {
                        if (f.status() / 100 == 2) {
                            throw notAnEventStream(f);
                        }
                        a.cancel(false); // harmless when the body was read to its end
                        retryOrThrow(HttpErrors.fromResponse(f.status(), f.headers(), f.body(), Instant.now(),
                                client.secrets()));
                    }
                    case Failed f -> {
                        if (closed) {
                            return null;
                        }
                        if (f.afterOpen()) {
                            throw broken(f.error());
                        }
                        retryOrThrow(HttpErrors.fromSendFailure(f.error(), client.connectTimeout()));
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

    /**
     * The caller has all it needs (the protocol's own end marker came): {@link #next()} returns null from now on.
     * A body the server has not finished yet is given {@link #RELEASE_GRACE} to end by itself, so that its HTTP/1.1
     * connection goes back to the pool instead of being closed, and is cut after that. Call it from the consumer
     * thread; {@link #close()} still cancels at once.
     */
    public void release() {
        finished = true;
        Attempt a = attempt;
        if (a != null && !a.ended) {
            CompletableFuture.delayedExecutor(RELEASE_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(() -> a.cancel(false));
        }
    }

    /** Whether a 2xx event-stream response has begun (from then on nothing is retried). */
    public boolean opened() {
        return opened;
    }

    /** How many times the request was sent so far. */
    public int attempts() {
        return attempts;
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
    private void retryOrThrow(ApiException failure) throws ApiException, InterruptedException {
        RetryPolicy policy = client.retry();
        int retry = attempts - 1;
        if (!failure.retryable() || retry >= policy.maxRetries()) {
            throw failure;
        }
        Duration delay = failure.retryAfter().orElse(policy.backoff(retry));
        if (waited.plus(delay).compareTo(policy.maxTotalWait()) > 0) {
            throw failure;
        }
        log.info("{} failed ({}); retry {} of {} in {} ms", Redactor.redactUrl(request.uri()),
                Redactor.redact(failure.getMessage(), client.secrets()), retry + 1, policy.maxRetries(),
                delay.toMillis());
        synchronized (lock) {
            attempt = null;
        }
        if (!closing.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
            waited = waited.plus(delay);
        }
    }

    private ApiException notAnEventStream(Failure f) {
        String type = f.headers().firstValue("content-type").orElse("none");
        return new ApiException.StreamFailed(ApiException.StreamFailed.Reason.NOT_AN_EVENT_STREAM,
                Redactor.redact("Content-Type " + HttpErrors.shorten(type), client.secrets()), null);
    }

    private ApiException broken(Throwable error) {
        Throwable t = HttpErrors.unwrap(error);
        if (t instanceof ProtocolException) {
            return new ApiException.StreamFailed(ApiException.StreamFailed.Reason.MALFORMED,
                    Redactor.redact(t.getMessage(), client.secrets()), t);
        }
        return new ApiException.StreamFailed(ApiException.StreamFailed.Reason.DROPPED,
                "connection lost (" + t.getClass().getSimpleName() + ")", t);
    }

    private static boolean isEventStream(HttpHeaders headers) {
        return headers.firstValue("content-type")
                .map(t -> t.toLowerCase(Locale.ROOT).strip().startsWith("text/event-stream"))
                .orElse(true); // no type at all: take the server at its word that it streams
    }

    /** One sending of the request, with its own queue so that signals of an abandoned attempt are never read. */
    private final class Attempt implements HttpResponse.BodyHandler<Void> {
        private final BlockingQueue<Signal> queue = new LinkedBlockingQueue<>();
        private final long sentAt = System.nanoTime();
        private volatile long lastRead;
        private volatile boolean bodyStarted;
        private volatile boolean cancelled;
        private volatile boolean ended;
        private CompletableFuture<HttpResponse<Void>> future; // guarded by this
        private Flow.Subscription subscription; // guarded by this

        synchronized void send() {
            if (cancelled) {
                return;
            }
            future = client.http().sendAsync(request, this);
            future.whenComplete((response, error) -> {
                if (error != null) {
                    offer(new Failed(error, false));
                }
            });
        }

        /** The next signal, or a timeout if the wait for the first or next byte ran out. */
        Signal poll() throws InterruptedException, ApiException.TimedOut {
            while (true) {
                Signal s = queue.poll();
                if (s != null) {
                    return s;
                }
                boolean started = bodyStarted;
                long deadline = started ? lastRead + client.idleTimeout().toNanos()
                        : sentAt + client.firstByteTimeout().toNanos();
                long wait = deadline - System.nanoTime();
                if (wait <= 0) {
                    throw started
                            ? new ApiException.TimedOut(ApiException.TimedOut.Phase.STALL, client.idleTimeout())
                            : new ApiException.TimedOut(ApiException.TimedOut.Phase.FIRST_BYTE,
                            client.firstByteTimeout());
                }
                s = queue.poll(wait, TimeUnit.NANOSECONDS);
                if (s != null) {
                    return s;
                }
            }
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
            if (info.statusCode() / 100 == 2 && isEventStream(info.headers())) {
                offer(new Opened());
                return new EventSubscriber();
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
                lastRead = System.nanoTime();
                bodyStarted = true;
                if (cancelled) {
                    return;
                }
                boolean more;
                try {
                    more = consume(buffers);
                } catch (ProtocolException e) {
                    offer(new Failed(e, true));
                    cancel(false);
                    return;
                }
                if (more) {
                    subscription().request(1);
                }
            }

            @Override
            public void onError(Throwable error) {
                failed(error);
            }

            private Flow.Subscription subscription() {
                synchronized (Attempt.this) {
                    return subscription;
                }
            }

            /** Takes the bytes; false to stop reading. */
            abstract boolean consume(List<ByteBuffer> buffers) throws ProtocolException;

            abstract void failed(Throwable error);
        }

        /** Parses a 2xx event stream into queued events. */
        private final class EventSubscriber extends Subscriber {
            private final SseParser parser = new SseParser(event -> offer(new Event(event)));

            @Override
            boolean consume(List<ByteBuffer> buffers) throws ProtocolException {
                for (ByteBuffer b : buffers) {
                    parser.feed(b);
                }
                return true;
            }

            @Override
            void failed(Throwable error) {
                offer(new Failed(error, true));
            }

            @Override
            public void onComplete() {
                ended = true;
                parser.finish();
                offer(new Ended());
            }
        }

        /** Reads (the start of) a response that is not an event stream, to explain the failure. */
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
                    int n = Math.min(b.remaining(), SseClient.MAX_ERROR_BODY - body.size());
                    byte[] bytes = new byte[n];
                    b.get(bytes);
                    body.write(bytes, 0, n);
                }
                if (body.size() >= SseClient.MAX_ERROR_BODY) {
                    deliver();
                    cancel(false); // enough to explain; do not read a huge page
                    return false;
                }
                return true;
            }

            @Override
            void failed(Throwable error) {
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
