package dev.parley.providers.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.net.ProtocolException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One streamed HTTP exchange: the body of one response, pulled piece by piece as it arrives by one consumer thread,
 * with the failure handling a spoken reply needs. It is the only one: event streams ({@link SseStream}) and plain
 * bodies (speech, transcripts, model lists) are both read through it. It is written on {@code java.net.http}, as
 * the providers are thin clients of it; the JDK client needs no dependency and already does connection pooling,
 * HTTP/2 and real cancellation.
 *
 * <ul>
 *   <li><b>Lazy.</b> The request is sent on the first {@link #next}.</li>
 *   <li><b>A chain.</b> The request passes {@link RetryInterceptor}, any checks of the caller's (such as
 *       {@link EventStreamCheck}), {@link ErrorMapping} and {@link Redaction} on its way to the network, and the
 *       response comes back through them in reverse: each concern is one small {@link Interceptor}.</li>
 *   <li><b>Retries only before the response began.</b> Once a 2xx response began, the chain has returned and any
 *       failure is final, so nothing is ever received (or spoken) twice.</li>
 *   <li><b>Timeouts.</b> The first byte of a 2xx body must come within the first-byte timeout of sending, each later
 *       one within the idle timeout of the one before; otherwise {@link ApiException.TimedOut} and the exchange is
 *       aborted. The connect timeout is the {@code HttpClient}'s.</li>
 *   <li><b>Real cancellation.</b> {@link #close()} from any thread, or the {@code cancelled} condition given to
 *       {@link #next(BooleanSupplier)} (checked every {@value #POLL_MILLIS} ms while waiting), aborts the exchange
 *       (see {@link Attempt}), so the server sees it and stops generating; a blocked {@code next} returns null.</li>
 * </ul>
 */
public final class HttpExchange implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpExchange.class);
    /** The most of an error response's body that is read to find the server's explanation. */
    static final int MAX_ERROR_BODY = 64 * 1024;
    /** How often a caller's cancel condition is looked at while waiting. */
    static final long POLL_MILLIS = 20;
    /** How long {@link #release()} lets an unfinished body end by itself before cutting it. */
    static final Duration RELEASE_GRACE = Duration.ofSeconds(2);
    private static final BooleanSupplier NEVER = () -> false;

    private final ExchangeConfig config;
    private final HttpRequest request;
    private final List<Interceptor> chain;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Object lock = new Object();
    private volatile boolean closed;
    private volatile Attempt attempt;

    // the consumer thread's
    private volatile HttpHeaders headers;
    private volatile int attempts;
    private boolean started;
    private boolean finished;
    private BooleanSupplier cancelled = NEVER;

    /** An exchange whose 2xx responses pass {@code checks} (after the retry, before the error mapping). */
    HttpExchange(ExchangeConfig config, HttpRequest request, List<Interceptor> checks) {
        this.config = Objects.requireNonNull(config, "config");
        this.request = Objects.requireNonNull(request, "request");
        List<Interceptor> links = new ArrayList<>();
        links.add(new RetryInterceptor(config.retry()));
        links.addAll(checks);
        links.add(new ErrorMapping(config.connectTimeout(), Clock.systemUTC()));
        links.add(new Redaction(config.secrets()));
        this.chain = List.copyOf(links);
    }

    /**
     * The next piece of the 2xx body (never empty), blocking until it arrives; null at the end of the body, once
     * closed or released, or once {@code cancelled} returned true (which closes the exchange).
     *
     * @throws ApiException the request failed (after any retries), timed out, or the body broke off; the exchange
     *                      is aborted first
     */
    public byte[] next(BooleanSupplier cancelled) throws ApiException {
        this.cancelled = Objects.requireNonNull(cancelled, "cancelled");
        try {
            if (closed || finished) {
                return null;
            }
            if (!started) {
                started = true;
                headers = new Link(0, request).proceed(request).headers();
            }
            return read();
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
    public byte[] next() throws ApiException {
        return next(NEVER);
    }

    /**
     * The whole rest of the 2xx body, at most {@code limit} bytes; null once closed.
     *
     * @throws ApiException as {@link #next}, or {@link ApiException.StreamFailed} ({@code MALFORMED}) when the body
     *                      is longer than {@code limit}
     */
    public byte[] readAll(int limit) throws ApiException {
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

    /**
     * The caller has all it needs (the protocol's own end marker came): {@link #next} returns null from now on. A
     * body the server has not finished yet is given {@link #RELEASE_GRACE} to end by itself, so that its HTTP/1.1
     * connection goes back to the pool instead of being closed, and is cut after that. Call it from the consumer
     * thread; {@link #close()} still cancels at once.
     */
    public void release() {
        finished = true;
        Attempt a = attempt;
        if (a != null && !a.ended()) {
            CompletableFuture.delayedExecutor(RELEASE_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(() -> a.cancel(false));
        }
    }

    /** The headers of the 2xx response (redacted), once it began; null before. */
    public HttpHeaders headers() {
        return headers;
    }

    /** The {@code Content-Type} of the 2xx response, stripped and in lower case; empty when it names none. */
    public String contentType() {
        return headers.firstValue("content-type").orElse("").strip().toLowerCase(Locale.ROOT);
    }

    /** Whether a 2xx response (that passed the checks) has begun: from then on nothing is retried. */
    public boolean opened() {
        return headers != null;
    }

    /**
     * Nanoseconds from sending the request (the attempt that was answered) to the first byte of its 2xx body, or
     * -1 while no byte came.
     */
    public long firstByteNanos() {
        Attempt a = attempt;
        return a == null ? -1 : a.firstByteNanos();
    }

    /** How many times the request was sent so far. */
    public int attempts() {
        return attempts;
    }

    public boolean isClosed() {
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

    /** The next piece of the started 2xx body. */
    private byte[] read() throws ApiException, InterruptedException {
        while (true) {
            switch (await(attempt)) {
                case Attempt.Data d -> {
                    return d.bytes();
                }
                case Attempt.Ended e -> {
                    finished = true;
                    return null;
                }
                case Attempt.Failed f -> {
                    if (closed) {
                        return null;
                    }
                    throw broken(f.error());
                }
                case Attempt.Cancelled c -> {
                    return null;
                }
                case Attempt.Answered a -> {
                    // only ever first, and taken by send()
                }
            }
        }
    }

    /** The last link of the chain: sends {@code r} and waits for the response to begin. */
    private Response send(HttpRequest r) throws ApiException, InterruptedException {
        Attempt a;
        synchronized (lock) {
            if (closed) {
                return Response.failed(new CancellationException("closed"));
            }
            a = new Attempt(config.http(), r, config.firstByteTimeout(), config.idleTimeout());
            attempt = a;
        }
        attempts++;
        if (log.isDebugEnabled()) {
            log.debug("{} {} (attempt {})", r.method(), Redactor.redactUrl(r.uri()), attempts);
        }
        a.send();
        while (true) {
            switch (await(a)) {
                case Attempt.Answered answered -> {
                    if (!answered.response().successful()) {
                        a.cancel(false); // harmless when the body was read to its end
                    }
                    return answered.response();
                }
                case Attempt.Failed f -> {
                    return Response.failed(f.error());
                }
                case Attempt.Cancelled c -> {
                    return Response.failed(new CancellationException("closed"));
                }
                case Attempt.Data d -> {
                    // not before the answer
                }
                case Attempt.Ended e -> {
                    // not before the answer
                }
            }
        }
    }

    /** The attempt's next signal; {@link Attempt.Cancelled} once the caller's cancel condition held. */
    private Attempt.Signal await(Attempt a) throws ApiException.TimedOut, InterruptedException {
        long slice = cancelled == NEVER ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS);
        while (true) {
            if (cancelled.getAsBoolean()) {
                close();
                return new Attempt.Cancelled();
            }
            Attempt.Signal s = a.poll(slice);
            if (s != null) {
                return s;
            }
        }
    }

    /** Waits between attempts; false when the exchange was closed (or cancelled) meanwhile. */
    private boolean pause(Duration delay) throws InterruptedException {
        synchronized (lock) {
            attempt = null;
        }
        long until = System.nanoTime() + delay.toNanos();
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            if (cancelled.getAsBoolean()) {
                close();
                return false;
            }
            long wait = cancelled == NEVER ? left : Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
            if (closing.await(wait, TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return !closed;
    }

    private ApiException broken(Throwable error) {
        Throwable t = HttpErrors.unwrap(error);
        if (t instanceof ProtocolException) {
            return new ApiException.StreamFailed(ApiException.StreamFailed.Reason.MALFORMED,
                    Redactor.redact(t.getMessage(), config.secrets()), t);
        }
        return new ApiException.StreamFailed(ApiException.StreamFailed.Reason.DROPPED,
                "connection lost (" + t.getClass().getSimpleName() + ")", t);
    }

    /** The chain from link {@code index} on. */
    private final class Link implements Interceptor.Chain {
        private final int index;
        private final HttpRequest request;

        Link(int index, HttpRequest request) {
            this.index = index;
            this.request = request;
        }

        @Override
        public HttpRequest request() {
            return request;
        }

        @Override
        public Response proceed(HttpRequest r) throws ApiException, InterruptedException {
            return index < chain.size() ? chain.get(index).intercept(new Link(index + 1, r)) : send(r);
        }

        @Override
        public boolean pause(Duration delay) throws InterruptedException {
            return HttpExchange.this.pause(delay);
        }
    }
}
