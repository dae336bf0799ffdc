package dev.parley.providers.openai.realtime;

import dev.parley.providers.http.ApiException;
import dev.parley.providers.http.HttpErrors;
import dev.parley.providers.http.Redactor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One WebSocket to OpenAI's Realtime API on {@link java.net.http.WebSocket}, with one virtual thread per direction
 * and a bounded queue in each:
 * <ul>
 *   <li>the writer does the handshake ({@code Authorization: Bearer}, and {@code OpenAI-Beta: realtime=v1} when
 *   configured), then writes queued events one at a time, each within the write timeout;</li>
 *   <li>the reader hands each complete server event to the {@link Listener} in order. The socket is asked for a new
 *   message only when the queue has room, so a slow listener slows the server down instead of growing memory.</li>
 * </ul>
 * A refused handshake, a dropped socket, a close by the server, a write that times out or silence while a reply is
 * {@linkplain #expectReply awaited} ends the connection and reaches {@link Listener#onFailure} once, as an
 * {@link ApiException}, after the events received before it. {@link #close()} ends it from this side: a close
 * frame, then the TCP connection is aborted; the listener hears nothing more.
 */
public final class RealtimeConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RealtimeConnection.class);
    /** The largest server event taken (a long audio delta is a few hundred KB). */
    static final int MAX_EVENT_CHARS = 16 * 1024 * 1024;
    private static final Incoming WAKE = new Incoming(null, 0);
    private static final String STOP = new String("stop");

    /** What the connection reports. Called from its reader thread, one call at a time. */
    public interface Listener {
        /** One server event (a JSON text message) and when it arrived ({@link System#nanoTime()}). */
        void onEvent(String json, long receivedNanos);

        /** The connection is over (refused, dropped, closed by the server, stalled). Not called after close(). */
        void onFailure(ApiException failure);
    }

    private record Incoming(String json, long receivedNanos) {}

    private final OpenAiRealtimeConfig config;
    private final Listener listener;
    private final BlockingQueue<Incoming> inbound = new ArrayBlockingQueue<>(OpenAiRealtimeClient.INBOUND_CAPACITY);
    private final BlockingQueue<String> outbound = new ArrayBlockingQueue<>(OpenAiRealtimeClient.OUTBOUND_CAPACITY + 1);
    private final AtomicReference<ApiException> failure = new AtomicReference<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<WebSocket> socket = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final Thread reader;
    private volatile long lastReceivedNanos = System.nanoTime();
    private volatile boolean expectingReply;

    private RealtimeConnection(OpenAiRealtimeConfig config, Listener listener) {
        this.config = config;
        this.listener = listener;
        this.reader = Thread.ofVirtual().unstarted(this::read);
    }

    static RealtimeConnection open(HttpClient http, OpenAiRealtimeConfig config, URI uri, Listener listener, String kind) {
        RealtimeConnection c = new RealtimeConnection(config, listener);
        Thread.ofVirtual().name("openai-realtime-out-" + kind).start(() -> c.write(http, uri));
        c.reader.setName("openai-realtime-in-" + kind);
        c.reader.start();
        return c;
    }

    /** Queues an event without waiting; false when the queue is full or the connection is over. */
    public boolean offer(String json) {
        if (isOver()) return false;
        return outbound.remainingCapacity() > 1 && outbound.offer(json);
    }

    /**
     * Queues an event, waiting up to the write timeout for room; when the server takes nothing for that long the
     * connection fails (stalled). Returns false when the event was not queued.
     */
    public boolean send(String json) throws InterruptedException {
        if (isOver()) return false;
        long deadline = System.nanoTime() + config.writeTimeout().toNanos();
        while (!isOver()) {
            // the queue's last place is kept for the writer's stop signal
            if (outbound.remainingCapacity() > 1 && outbound.offer(json)) return true;
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail(new ApiException.TimedOut(ApiException.TimedOut.Phase.STALL, config.writeTimeout()));
                return false;
            }
            synchronized (outbound) {
                outbound.wait(Math.max(1, Math.min(50, left / 1_000_000)));
            }
        }
        return false;
    }

    /**
     * Whether an answer is awaited: while it is, {@code stallTimeout} without any server event fails the connection.
     * Setting it starts the wait afresh.
     */
    public void expectReply(boolean expecting) {
        if (expecting && !expectingReply) lastReceivedNanos = System.nanoTime();
        expectingReply = expecting;
    }

    /** Whether the handshake succeeded and the connection is neither failed nor closed. */
    public boolean isOpen() {
        return socket.isDone() && !socket.isCompletedExceptionally() && !isOver();
    }

    /** Completes once the connection is over and its threads are ending (for tests and orderly shutdown). */
    public CompletableFuture<Void> ended() {
        return ended;
    }

    /** Ends the connection from this side: a close frame (1000), then the socket is aborted. Idempotent. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) return;
        outbound.clear();
        outbound.offer(STOP);
        inbound.offer(WAKE);
        socket.thenAccept(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye")
                .orTimeout(1, TimeUnit.SECONDS)
                .whenComplete((r, t) -> ws.abort()));
        if (!socket.isDone()) socket.cancel(false);
    }

    private boolean isOver() {
        return closing.get() || failure.get() != null;
    }

    private void fail(ApiException e) {
        if (closing.get() || !failure.compareAndSet(null, e)) return;
        log.debug("realtime connection failed: {}", e.getMessage());
        outbound.clear();
        outbound.offer(STOP);
        inbound.offer(WAKE);
        socket.thenAccept(WebSocket::abort);
    }

    // ---------------------------------------------------------------- writer

    private void write(HttpClient http, URI uri) {
        try {
            WebSocket ws;
            try {
                WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(config.connectTimeout());
                if (config.apiKey().isPresent()) b.header("Authorization", "Bearer " + config.apiKey().reveal());
                if (config.beta()) b.header("OpenAI-Beta", "realtime=v1");
                CompletableFuture<WebSocket> handshake = b.buildAsync(uri, new SocketListener());
                ws = handshake.get(config.connectTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                fail(handshakeFailure(e.getCause()));
                socket.completeExceptionally(e.getCause());
                return;
            } catch (TimeoutException e) {
                fail(new ApiException.TimedOut(ApiException.TimedOut.Phase.CONNECT, config.connectTimeout()));
                socket.completeExceptionally(e);
                return;
            }
            if (!socket.complete(ws) || closing.get()) {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(1, TimeUnit.SECONDS).whenComplete((r, t) -> ws.abort());
                return;
            }
            log.debug("realtime connection open to {}", Redactor.redactUrl(uri));
            for (String json; (json = outbound.take()) != STOP; ) {
                synchronized (outbound) {
                    outbound.notifyAll(); // a sender waiting for room
                }
                try {
                    ws.sendText(json, true).get(config.writeTimeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    fail(new ApiException.TimedOut(ApiException.TimedOut.Phase.STALL, config.writeTimeout()));
                    return;
                } catch (ExecutionException e) {
                    if (!closing.get()) fail(new ApiException.StreamFailed(ApiException.StreamFailed.Reason.DROPPED,
                            "a write failed (" + e.getCause().getClass().getSimpleName() + ")", null));
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fail(new ApiException.Unreachable("connection failed (" + e.getClass().getSimpleName() + ")", false, null));
        }
    }

    private ApiException handshakeFailure(Throwable t) {
        if (t instanceof WebSocketHandshakeException h && h.getResponse() != null) {
            HttpResponse<?> r = h.getResponse();
            Object body = r.body();
            byte[] bytes = body instanceof byte[] b ? b
                    : body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : new byte[0];
            HttpHeaders headers = r.headers() == null ? HttpHeaders.of(Map.of(), (a, b) -> true) : r.headers();
            return HttpErrors.fromResponse(r.statusCode(), headers, bytes, Instant.now(), config.apiKey());
        }
        return HttpErrors.fromSendFailure(t, config.connectTimeout());
    }

    // ---------------------------------------------------------------- reader

    private void read() {
        long step = Math.max(10, Math.min(1_000, config.stallTimeout().toMillis() / 4));
        try {
            while (!closing.get()) {
                Incoming in = inbound.poll(step, TimeUnit.MILLISECONDS);
                if (closing.get()) return;
                if (in != null && in != WAKE) {
                    socket.thenAccept(ws -> ws.request(1));
                    try {
                        listener.onEvent(in.json(), in.receivedNanos());
                    } catch (RuntimeException e) {
                        log.warn("the realtime listener failed on an event", e);
                    }
                    continue;
                }
                if (inbound.isEmpty() && failure.get() != null) {
                    listener.onFailure(failure.get());
                    return;
                }
                if (expectingReply && System.nanoTime() - lastReceivedNanos > config.stallTimeout().toNanos()) {
                    fail(new ApiException.TimedOut(ApiException.TimedOut.Phase.STALL, config.stallTimeout()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ended.complete(null);
        }
    }

    /** The JDK socket's callbacks: assemble messages, queue them, note how the socket ended. */
    private final class SocketListener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(OpenAiRealtimeClient.INBOUND_CAPACITY - 1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            lastReceivedNanos = System.nanoTime();
            if (text.length() + data.length() > MAX_EVENT_CHARS) {
                fail(new ApiException.StreamFailed(ApiException.StreamFailed.Reason.MALFORMED,
                        "an event longer than " + MAX_EVENT_CHARS + " characters", null));
                return null;
            }
            text.append(data);
            if (!last) {
                ws.request(1);
                return null;
            }
            String json = text.toString();
            text.setLength(0);
            if (!inbound.offer(new Incoming(json, lastReceivedNanos))) {
                // cannot happen while requests never exceed free room; fail rather than block the socket's thread
                fail(new ApiException.StreamFailed(ApiException.StreamFailed.Reason.MALFORMED, "event queue overflow", null));
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            lastReceivedNanos = System.nanoTime();
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
            lastReceivedNanos = System.nanoTime();
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            fail(new ApiException.StreamFailed(ApiException.StreamFailed.Reason.DROPPED,
                    "the server closed the connection (" + statusCode
                            + (reason == null || reason.isBlank() ? "" : " " + Redactor.redact(reason, config.apiKey())) + ")", null));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            fail(new ApiException.StreamFailed(ApiException.StreamFailed.Reason.DROPPED,
                    "the connection broke (" + error.getClass().getSimpleName() + ")", null));
        }
    }

    @Override
    public String toString() {
        return "RealtimeConnection[" + config.serverName() + (isOpen() ? ", open" : "") + "]";
    }
}
